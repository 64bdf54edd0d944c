/*
 * consteval.c - evaluating constant expressions and nested lists.
 *
 * The functions allowed here are the ones a lab sheet uses to write a
 * number (sqrt(2), exp(1), sin(pi/4)); anything that would need a tensor is
 * refused with a message saying what is allowed.
 */
#include "consteval.h"

#include "lexer.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *name;
    double (*fn)(double);
} const_fns[] = {
    {"sqrt", sqrt}, {"sin", sin}, {"cos", cos}, {"exp", exp}, {"log", log},
};

bool gvl_const_eval(DiagSink *d, const Source *src, const Expr *e, double *out)
{
    const char *t = src->text;
    double a, b;
    switch (e->kind) {
    case EX_NUMBER:
        *out = e->num;
        return true;
    case EX_NEG:
        if (!gvl_const_eval(d, src, e->a, &a)) return false;
        *out = -a;
        return true;
    case EX_BINARY:
        if (e->op == TK_AT) {
            gvl_diag_error(d, e->op_span, "'@' is not allowed in a constant: initialisers are numbers, not tensors");
            return false;
        }
        if (!gvl_const_eval(d, src, e->a, &a) || !gvl_const_eval(d, src, e->b, &b)) return false;
        switch (e->op) {
        case TK_PLUS: *out = a + b; break;
        case TK_MINUS: *out = a - b; break;
        case TK_STAR: *out = a * b; break;
        case TK_SLASH: *out = a / b; break;
        default: *out = pow(a, b); break;
        }
        return true;
    case EX_CALL:
        for (size_t i = 0; i < sizeof const_fns / sizeof const_fns[0]; i++) {
            if (strlen(const_fns[i].name) != e->op_span.len ||
                memcmp(const_fns[i].name, t + e->op_span.off, e->op_span.len) != 0)
                continue;
            if (e->nargs != 1 || e->args[0].key.len) {
                gvl_diag_error(d, e->op_span, "%s takes 1 argument in a constant, written without a name, "
                           "as in %s(2)", const_fns[i].name, const_fns[i].name);
                return false;
            }
            if (!gvl_const_eval(d, src, e->args[0].value, &a)) return false;
            *out = const_fns[i].fn(a);
            return true;
        }
        gvl_diag_error(d, e->op_span, "'%.*s' is not allowed in a constant: use numbers, pi, + - * / **, "
                   "and sqrt sin cos exp log", (int)e->op_span.len, t + e->op_span.off);
        return false;
    case EX_NAME:
        gvl_diag_error(d, e->span, "'%.*s' is not a constant: initialisers use numbers, pi, + - * / **, "
                   "and sqrt sin cos exp log%s", (int)e->span.len, t + e->span.off,
                   e->span.len == 1 && t[e->span.off] == 'e' ? " (Euler's number is exp(1))" : "");
        return false;
    case EX_TRANSPOSE:
        gvl_diag_error(d, e->op_span, "'^T' is not allowed in a constant: write the values in the order you want");
        return false;
    case EX_LIST:
        gvl_diag_error(d, e->span, "expected a number here, found a list");
        return false;
    case EX_SIZE:
        gvl_diag_error(d, e->span, "expected a number here, found the size literal '%.*s'", (int)e->span.len,
                   t + e->span.off);
        return false;
    case EX_STRING:
        gvl_diag_error(d, e->span, "expected a number here, found a string");
        return false;
    }
    return false;
}

bool gvl_const_int(const Expr *e, int64_t *out)
{
    if (e->kind == EX_NUMBER && e->is_int && !e->is_pi) {
        *out = e->ival;
        return true;
    }
    if (e->kind == EX_NEG && e->a->kind == EX_NUMBER && e->a->is_int && !e->a->is_pi) {
        *out = -e->a->ival;
        return true;
    }
    return false;
}

/* Measures the nesting of E (following first items) into OUT->dims. */
static bool measure(DiagSink *d, const Expr *e, InitList *out)
{
    out->depth = 0;
    while (e->kind == EX_LIST) {
        if (out->depth == INIT_MAX_DEPTH) {
            gvl_diag_error(d, e->span, "list nested too deeply (more than %d levels)", INIT_MAX_DEPTH);
            return false;
        }
        out->dims[out->depth++] = e->nitems;
        e = e->items[0];
    }
    return true;
}

/* The first value of an initialiser that is NaN or infinite: every number
 * is finite as written, so 0/0, 1e308*10 or log(0) made it, and what is
 * computed from it will be NaN or infinite too. */
static void warn_nonfinite(DiagSink *d, const Source *src, const Expr *e, double x)
{
    int len = e->span.len > 40 ? 40 : (int)e->span.len;
    gvl_diag_warning(d, e->span, "'%.*s%s' evaluates to %s%s", len, src->text + e->span.off,
                     e->span.len > 40 ? "..." : "", isnan(x) ? "NaN" : x > 0 ? "infinity" : "-infinity",
                     isnan(x) ? "" : " (past the largest double, about 1.8e308)");
}

static bool fill(DiagSink *d, const Source *src, const Expr *e, InitList *out, int level, int64_t *k)
{
    if (level == out->depth) {
        if (e->kind == EX_LIST) {
            gvl_diag_error(d, e->span, "expected a number here, found a list: the list is ragged (its first "
                       "entries are nested %d deep)", out->depth);
            return false;
        }
        double *x = &out->vals[(*k)++];
        if (!gvl_const_eval(d, src, e, x)) return false;
        if (!isfinite(*x) && !out->nonfinite) {
            warn_nonfinite(d, src, e, *x);
            out->nonfinite = true;
        }
        return true;
    }
    if (e->kind != EX_LIST) {
        gvl_diag_error(d, e->span, "expected a list of %lld here, found a single value: the list is ragged",
                   (long long)out->dims[level]);
        return false;
    }
    if (e->nitems != out->dims[level]) {
        gvl_diag_error(d, e->span, "this list has %d entr%s, but the first list at the same depth has %lld: "
                   "nested lists must be rectangular", e->nitems, e->nitems == 1 ? "y" : "ies",
                   (long long)out->dims[level]);
        return false;
    }
    for (int i = 0; i < e->nitems; i++)
        if (!fill(d, src, e->items[i], out, level + 1, k)) return false;
    return true;
}

bool gvl_const_init(DiagSink *d, const Source *src, Arena *arena, const Expr *e, InitList *out)
{
    memset(out, 0, sizeof *out);
    if (!measure(d, e, out)) return false;
    /* a ragged list can claim more entries than it has: every value takes
     * at least one byte of text, so the file size bounds what is written */
    int64_t total = 1;
    for (int i = 0; i < out->depth; i++)
        if (__builtin_mul_overflow(total, out->dims[i], &total) || total > (int64_t)src->len + 1)
            total = (int64_t)src->len + 1;
    out->vals = gvl_arena_alloc(arena, sizeof(double) * (size_t)total);
    int64_t k = 0;
    if (!fill(d, src, e, out, 0, &k)) return false;
    out->n = k;
    return true;
}
