/*
 * bind.c - call arguments to parameters, generically over the registry.
 *
 * A call like maxpool2d(x, 2x2, stride=1) is read in three steps: the
 * overload and arity checks on the number of positional arguments, then
 * each argument in order (tensors first by place, then positional
 * parameters by place, then keywords by name), then the defaults of what
 * was not given, "=other" defaults last so that a pool's stride follows its
 * kernel whatever order the two were written in.
 */
#include "bind.h"

#include "consteval.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PAIR_LIMIT = 1000000000 };

static const char *text(const Source *src, Span s)
{
    return src->text + s.off;
}

/* Reads "1", "-1", "0.01" or "AxB" for a default. */
bool gvl_bind_default(const ParamSpec *p, OpAttrs *at)
{
    if (!p->def || gvl_param_is_required(p) || p->def[0] == '=') return true;
    void *field = gvl_param_field(at, p);
    char *end;
    errno = 0;
    switch (p->type) {
    case PT_DIM: {
        GvlOptInt *f = field;
        f->v = strtoll(p->def, &end, 10);
        f->set = true;
        break;
    }
    case PT_REAL:
        *(GvlReal *)field = strtod(p->def, &end);
        break;
    case PT_PAIR:
    case PT_PAD: {
        int64_t *v = p->type == PT_PAIR ? *(GvlPair *)field : ((GvlPad *)field)->v;
        v[0] = v[1] = strtoll(p->def, &end, 10);
        if (*end == 'x') v[1] = strtoll(end + 1, &end, 10);
        break;
    }
    default:
        return false;   /* a shape has no default */
    }
    return *end == '\0' && errno == 0;
}

/* Stores parameter P's value E into AT; false with a message at the call. */
static bool set_param(DiagSink *d, const Source *src, Arena *arena, const Expr *call, const OpInfo *info,
                      const ParamSpec *p, const Expr *e, OpAttrs *at)
{
    void *field = gvl_param_field(at, p);
    int64_t v[2];
    bool ok = false;
    switch (p->type) {
    case PT_DIM:
        ok = gvl_const_int(e, &v[0]);
        if (ok) *(GvlOptInt *)field = (GvlOptInt){true, v[0]};
        break;
    case PT_REAL: {
        double x;
        DiagSink quiet;
        gvl_diag_init(&quiet, src);   /* the message below says what is expected */
        ok = gvl_const_eval(&quiet, src, e, &x) && isfinite(x);
        gvl_diag_free(&quiet);
        if (ok) *(GvlReal *)field = x;
        break;
    }
    case PT_PAIR:
    case PT_PAD: {
        int64_t lo = p->type == PT_PAIR ? 1 : 0;
        int64_t *dst = p->type == PT_PAIR ? *(GvlPair *)field : ((GvlPad *)field)->v;
        if (gvl_const_int(e, &v[0])) { v[1] = v[0]; ok = true; }
        else if (e->kind == EX_SIZE && e->nsize == 2) { v[0] = e->size[0]; v[1] = e->size[1]; ok = true; }
        else if (p->type == PT_PAD && e->kind == EX_STRING) {
            Span s = e->span;
            if (s.len == 6 && memcmp(text(src, s), "\"same\"", 6) == 0) {
                ((GvlPad *)field)->same = true;
                return true;
            }
            if (s.len == 7 && memcmp(text(src, s), "\"valid\"", 7) == 0) { v[0] = v[1] = 0; ok = true; }
        }
        ok = ok && v[0] >= lo && v[1] >= lo && v[0] <= PAIR_LIMIT && v[1] <= PAIR_LIMIT;
        if (ok) {
            dst[0] = v[0];
            dst[1] = v[1];
        }
        break;
    }
    case PT_SHAPE: {
        GvlShapeArg *f = field;
        if (e->kind == EX_SIZE) {
            f->n = e->nsize;
            f->d = gvl_arena_alloc(arena, sizeof(int64_t) * (size_t)e->nsize);
            memcpy(f->d, e->size, sizeof(int64_t) * (size_t)e->nsize);
            ok = true;
        } else if (e->kind == EX_LIST && e->nitems <= 64) {
            f->n = e->nitems;
            f->d = gvl_arena_alloc(arena, sizeof(int64_t) * (size_t)(e->nitems ? e->nitems : 1));
            ok = true;
            for (int i = 0; ok && i < e->nitems; i++) ok = gvl_const_int(e->items[i], &f->d[i]);
        }
        break;
    }
    case PT_COUNT:
        break;
    }
    if (!ok) {
        /* quote at most 30 characters of what was written */
        int n = e->span.len > 30 ? 30 : (int)e->span.len;
        gvl_diag_error(d, call->op_span, "%s: '%s' must be %s, found '%.*s%s'", info->name, p->name,
                       gvl_param_type_desc[p->type], n, text(src, e->span), e->span.len > 30 ? "..." : "");
    }
    return ok;
}

/* Reports a call with the wrong number of positional arguments. */
static void bad_arity(DiagSink *d, const Expr *call, const OpInfo *info, int npos)
{
    int npositional_params = 0, nrequired = info->min_args;
    for (int i = 0; i < info->nparams; i++) {
        npositional_params += info->params[i].position >= 0;
        nrequired += info->params[i].position >= 0 && gvl_param_is_required(&info->params[i]);
    }
    const char *were = npos == 1 ? "was" : "were";
    if (info->min_args == info->max_args && !npositional_params)
        gvl_diag_error(d, call->op_span, "%s takes %d argument%s, but %d %s given", info->name, info->min_args,
                       info->min_args == 1 ? "" : "s", npos, were);
    else if (nrequired == info->max_args + npositional_params && npos > nrequired)
        gvl_diag_error(d, call->op_span, "%s takes %d arguments without names, but %d %s given; give the "
                       "options by name, as in stride=2", info->name, nrequired, npos, were);
    else
        gvl_diag_error(d, call->op_span, "%s takes %d to %d arguments, but %d %s given", info->name,
                       info->min_args, info->max_args + npositional_params, npos, were);
}

/* Reports a keyword that names no parameter of the op; its options are
 * the parameters it can do without. */
static void unknown_option(DiagSink *d, const Source *src, const Expr *call, const OpInfo *info, Span key)
{
    StrBuf list = {0};
    for (int i = 0; i < info->nparams; i++)
        if (!gvl_param_is_required(&info->params[i]))
            gvl_sb_printf(&list, "%s%s", list.len ? ", " : "", info->params[i].name);
    if (list.len)
        gvl_diag_error(d, call->op_span, "%s has no option '%.*s' (its options: %s)", info->name, (int)key.len,
                       text(src, key), gvl_sb_str(&list));
    else
        gvl_diag_error(d, call->op_span, "%s takes no options, but was given '%.*s'", info->name, (int)key.len,
                       text(src, key));
    gvl_sb_free(&list);
}

BindStatus gvl_bind_call(DiagSink *d, const Source *src, Arena *arena, int op, const Expr *call, Binding *out)
{
    memset(out, 0, sizeof *out);
    int npos = 0;
    for (int i = 0; i < call->nargs; i++) npos += call->args[i].key.len == 0;
    /* max(a) is the largest element; max(x, 2x2) is max pooling */
    if (gvl_op_table[op].overload_op >= 0 && gvl_op_table[op].overload_npos == npos)
        op = gvl_op_table[op].overload_op;
    const OpInfo *info = &gvl_op_table[op];
    out->op = op;
    int npositional_params = 0;
    for (int i = 0; i < info->nparams; i++) npositional_params += info->params[i].position >= 0;
    if (npos < info->min_args || npos > info->max_args + npositional_params) {
        bad_arity(d, call, info, npos);
        return BIND_BAD_ARITY;
    }
    int ntensor = npos < info->max_args ? npos : info->max_args;
    OpAttrs *at = NULL;
    if (info->nparams) {
        at = gvl_arena_alloc(arena, sizeof *at);
        for (int i = 0; i < info->nparams; i++) gvl_bind_default(&info->params[i], at);
    }
    out->attrs = at;
    assert(info->nparams <= OP_MAX_PARAMS);
    bool ok = true, seen[OP_MAX_PARAMS] = {false};
    int pos = 0;
    for (int i = 0; i < call->nargs; i++) {
        const Arg *a = &call->args[i];
        int idx = -1;
        if (!a->key.len) {
            if (pos < ntensor) {
                out->tensors[out->ntensors++] = a->value;
                pos++;
                continue;
            }
            for (int k = 0; k < info->nparams; k++)
                if (info->params[k].position == pos) idx = k;
            pos++;
        } else {
            for (int k = 0; k < info->nparams; k++)
                if (strlen(info->params[k].name) == a->key.len &&
                    !memcmp(info->params[k].name, text(src, a->key), a->key.len))
                    idx = k;
            if (idx < 0) {
                unknown_option(d, src, call, info, a->key);
                ok = false;
                continue;
            }
        }
        if (idx < 0) continue;   /* the arity check leaves no positional argument without a place */
        const ParamSpec *p = &info->params[idx];
        if (seen[idx]) {
            gvl_diag_error(d, call->op_span, "%s: '%s' is given twice", info->name, p->name);
            ok = false;
            continue;
        }
        seen[idx] = true;
        if (!set_param(d, src, arena, call, info, p, a->value, at)) ok = false;
    }
    for (int k = 0; k < info->nparams; k++)
        if (gvl_param_is_required(&info->params[k]) && !seen[k]) {
            gvl_diag_error(d, call->op_span, "%s needs its '%s' argument, as in %s", info->name,
                           info->params[k].name, info->usage);
            ok = false;
        }
    /* "=other" defaults: the other parameter's value, once all are read */
    for (int k = 0; ok && k < info->nparams; k++) {
        const ParamSpec *p = &info->params[k];
        if (seen[k] || !p->def || p->def[0] != '=') continue;
        for (int j = 0; j < info->nparams; j++)
            if (!strcmp(info->params[j].name, p->def + 1) && info->params[j].type == p->type)
                memcpy(gvl_param_field(at, p), gvl_param_field(at, &info->params[j]), gvl_param_type_size[p->type]);
    }
    return ok ? BIND_OK : BIND_BAD_PARAMS;
}
