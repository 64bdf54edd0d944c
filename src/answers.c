/*
 * answers.c - reading an answers file, and comparing one answer with the
 * expected one (answers.h).
 *
 * A line is KIND(SUBJECT) = ANSWER [# comment].  The subject may hold
 * parentheses of its own (size(d(w^T @ x)/dvec(w^T))), so it runs to the
 * matching ')'.  An empty answer is a blank the student left: not an
 * error, just not answered.  A line that is not an answer is an error at
 * the place it goes wrong, and grading goes on with the other lines.
 */
#include "answers.h"

#include "suggest.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const gvl_answer_kind_names[ANS_KIND_COUNT] = {"shape", "size", "value", "grad", "step"};

static Span span_at(size_t off, size_t len) { return (Span){(uint32_t)off, (uint32_t)len}; }

char *gvl_answer_key(AnswerKind kind, const char *subject)
{
    StrBuf b = {0};
    gvl_sb_printf(&b, "%s(", gvl_answer_kind_names[kind]);
    bool blank = false;
    for (const char *p = subject; *p; p++) {
        if (isspace((unsigned char)*p)) {
            blank = true;
            continue;
        }
        if (blank && b.len && b.s[b.len - 1] != '(') gvl_sb_putc(&b, ' ');
        blank = false;
        if (!strncmp(p, "\xe2\x88\x82", 3)) {   /* ∂ */
            gvl_sb_putc(&b, 'd');
            p += 2;
        } else {
            gvl_sb_putc(&b, *p);
        }
    }
    gvl_sb_putc(&b, ')');
    char *key = gvl_xmalloc(b.len + 1);
    memcpy(key, gvl_sb_str(&b), b.len + 1);
    gvl_sb_free(&b);
    return key;
}

/* ---- sizes and numbers -------------------------------------------------- */

/* TEXT as a size in one spelling: blanks out, × as x, [4, 6] as 4x6,
 * [] and () as scalar.  False when it cannot be a size. */
static bool joins(const char *word, size_t n)
{
    /* a word that is "x" or "×", or that ends or starts with an operator */
    return (n == 1 && word[0] == 'x') || (n == 2 && !strncmp(word, "\xc3\x97", 2)) || strchr("x,*+-()[]", word[0]) ||
           strchr("x,*+-()[]", word[n - 1]) || !strncmp(word, "\xc3\x97", 2) ||
           (n >= 2 && !strncmp(word + n - 2, "\xc3\x97", 2));
}

static bool normal_size(const char *text, StrBuf *out)
{
    /* blanks may stand around x, ×, commas and operators, not between two
     * words: "1 by 2" is not 1by2 */
    const char *prev = NULL;
    size_t prev_n = 0;
    for (const char *p = text; *p;) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        size_t n = 0;
        while (p[n] && !isspace((unsigned char)p[n])) n++;
        if (prev && !joins(prev, prev_n) && !joins(p, n)) return false;
        prev = p;
        prev_n = n;
        p += n;
    }
    StrBuf b = {0};
    for (const char *p = text; *p; p++) {
        if (isspace((unsigned char)*p)) continue;
        if (!strncmp(p, "\xc3\x97", 2)) {   /* × */
            gvl_sb_putc(&b, 'x');
            p++;
        } else if (!strncmp(p, "\xc2\xb7", 2)) {   /* · */
            gvl_sb_putc(&b, '*');
            p++;
        } else {
            gvl_sb_putc(&b, (char)tolower((unsigned char)*p));
        }
    }
    const char *s = gvl_sb_str(&b);
    size_t n = b.len;
    bool ok = n > 0;
    if (!strcmp(s, "[]") || !strcmp(s, "()") || !strcmp(s, "scalar")) {
        gvl_sb_add(out, "scalar");
    } else if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        /* a list of dims: one is a vector's [3], more are 4x6 */
        int parts = 1;
        for (size_t i = 1; i + 1 < n; i++) parts += s[i] == ',';
        if (parts == 1) gvl_sb_addn(out, s, n);
        for (size_t i = 1; parts > 1 && i + 1 < n; i++) gvl_sb_putc(out, s[i] == ',' ? 'x' : s[i]);
    } else {
        gvl_sb_addn(out, s, n);
    }
    /* what is left must read as dims: numbers, symbols, + - * ( ) and x,
     * with a dim on each side of every x */
    for (size_t i = 0; ok && i < out->len; i++) {
        char c = out->s[i];
        ok = isalnum((unsigned char)c) || strchr("_+-*()[]", c);
        if (c == 'x' && (i == 0 || i + 1 == out->len || out->s[i + 1] == 'x')) ok = false;
    }
    gvl_sb_free(&b);
    return ok;
}

/* TEXT as numbers: one, or a bracketed list, nested or flat.  False with
 * the offset of the trouble in *BAD and the reason in WHY. */
static bool read_numbers(const char *text, double **nums, int64_t *n, size_t *bad, StrBuf *why)
{
    int64_t cap = 0;
    *nums = NULL;
    *n = 0;
    int depth = 0;
    bool want_number = true, seen = false;
    const char *p = text;
    while (*p) {
        if (isspace((unsigned char)*p)) { p++; continue; }
        if (*p == '[') {
            if (!want_number) break;
            depth++;
            p++;
            continue;
        }
        if (*p == ']') {
            if (depth == 0 || (want_number && seen && p[-1] != '[')) break;
            depth--;
            want_number = false;
            p++;
            continue;
        }
        if (*p == ',') {
            if (want_number || depth == 0) break;
            want_number = true;
            p++;
            continue;
        }
        if (!want_number) break;
        char *end;
        double x = strtod(p, &end);
        if (end == p) break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *nums = gvl_xrealloc(*nums, sizeof **nums * (size_t)cap);
        }
        (*nums)[(*n)++] = x;
        seen = true;
        want_number = false;
        p = end;
        if (depth == 0) {
            while (isspace((unsigned char)*p)) p++;
            if (*p) break;
        }
    }
    if (!*p && depth == 0 && seen && !want_number) return true;
    *bad = (size_t)(p - text);
    if (!*p && depth > 0) gvl_sb_printf(why, "a '[' is not closed");
    else if (!*p) gvl_sb_printf(why, "a number is missing at the end");
    else gvl_sb_printf(why, "'%c' is not where a number, ',', '[' or ']' can be", *p);
    free(*nums);
    *nums = NULL;
    *n = 0;
    return false;
}

bool gvl_answer_matches(const char *text, const Expected *e, double tol, StrBuf *why)
{
    if (e->is_size) {
        StrBuf got = {0}, want = {0};
        bool ok = normal_size(text, &got);
        normal_size(e->size, &want);
        if (!ok) gvl_sb_printf(why, "'%s' is not a size", text);
        ok = ok && !strcmp(gvl_sb_str(&got), gvl_sb_str(&want));
        gvl_sb_free(&got);
        gvl_sb_free(&want);
        return ok;
    }
    double *nums;
    int64_t n;
    size_t bad;
    if (!read_numbers(text, &nums, &n, &bad, why)) return false;
    bool ok = n == e->n;
    if (!ok) gvl_sb_printf(why, "%lld number%s given, %lld expected", (long long)n, n == 1 ? "" : "s", (long long)e->n);
    for (int64_t i = 0; ok && i < n; i++) {
        double a = nums[i], x = e->nums[i];
        if (isnan(x) || isnan(a)) ok = isnan(x) && isnan(a);
        else if (isinf(x) || isinf(a)) ok = a == x;
        else ok = fabs(a - x) <= tol || fabs(a - x) <= tol * fabs(x);
    }
    free(nums);
    return ok;
}

/* ---- the file ---------------------------------------------------------- */

static void add(AnswerFile *af, Answer a)
{
    if (af->n == af->cap) {
        af->cap = af->cap ? af->cap * 2 : 16;
        af->a = gvl_xrealloc(af->a, sizeof *af->a * (size_t)af->cap);
    }
    af->a[af->n++] = a;
}

static char *copy(const char *s, size_t n)
{
    char *c = gvl_xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* One line, from TEXT[START] to TEXT[END]. */
static void parse_line(AnswerFile *af, const char *text, size_t start, size_t end, DiagSink *diag)
{
    size_t i = start;
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) i++;
    if (i == end || text[i] == '#') return;
    /* the comment, if any, ends the line (no name or number holds a '#') */
    const char *hash = memchr(text + i, '#', end - i);
    if (hash) end = (size_t)(hash - text);
    while (end > i && isspace((unsigned char)text[end - 1])) end--;
    size_t k0 = i;
    while (i < end && isalpha((unsigned char)text[i])) i++;
    int kind = -1;
    for (int k = 0; k < ANS_KIND_COUNT; k++)
        if (i - k0 == strlen(gvl_answer_kind_names[k]) && !memcmp(text + k0, gvl_answer_kind_names[k], i - k0))
            kind = k;
    if (kind < 0) {
        if (i == k0) {
            gvl_diag_error(diag, span_at(k0, 1), "an answer is KIND(NAME) = ANSWER, with KIND shape, size, value, "
                           "grad or step");
            return;
        }
        DiagBuilder b;
        gvl_diag_begin(&b, diag, SEV_ERROR, span_at(k0, i - k0));
        gvl_diag_printf(&b, "'%.*s' is not a kind of answer (shape, size, value, grad or step)", (int)(i - k0), text + k0);
        for (int k = 0; k < ANS_KIND_COUNT; k++)
            if (gvl_edit_distance(text + k0, i - k0, gvl_answer_kind_names[k], strlen(gvl_answer_kind_names[k]), 3) <= 2) {
                gvl_diag_add_hint(&b, "did you mean '%s'?", gvl_answer_kind_names[k]);
                break;
            }
        gvl_diag_emit(&b);
        return;
    }
    size_t after_kind = i;
    while (i < end && (text[i] == ' ' || text[i] == '\t')) i++;
    if (i == end || text[i] != '(') {
        gvl_diag_error(diag, span_at(i < end ? i : after_kind, 1), "'(' expected after '%s': write %s(NAME) = ...",
                       gvl_answer_kind_names[kind], gvl_answer_kind_names[kind]);
        return;
    }
    size_t open = i++, depth = 1, s0 = i;
    while (i < end && depth) {
        if (text[i] == '(') depth++;
        else if (text[i] == ')') depth--;
        i++;
    }
    if (depth) {
        gvl_diag_error(diag, span_at(open, 1), "this '(' is not closed");
        return;
    }
    size_t s1 = i - 1, close = i;
    while (i < end && (text[i] == ' ' || text[i] == '\t')) i++;
    if (i == end || text[i] != '=') {
        char *subject = copy(text + s0, s1 - s0);
        char *key = gvl_answer_key((AnswerKind)kind, subject);
        gvl_diag_error(diag, span_at(i < end ? i : close - 1, 1), "'=' expected after %s", key);
        /* the question is named: it counts as answered, unreadably */
        add(af, (Answer){(AnswerKind)kind, key, NULL, span_at(k0, close - k0), span_at(i, 0)});
        free(subject);
        return;
    }
    i++;
    while (i < end && (text[i] == ' ' || text[i] == '\t')) i++;
    if (s1 == s0) {
        gvl_diag_error(diag, span_at(open, close - open), "the parentheses name nothing: write the node or the "
                       "derivative, as the worksheet does");
        return;
    }
    if (i == end) return;   /* a blank left empty */
    char *subject = copy(text + s0, s1 - s0);
    char *rhs = copy(text + i, end - i);
    StrBuf why = {0}, norm = {0};
    bool ok;
    size_t bad = 0;
    if (kind == ANS_SHAPE || kind == ANS_SIZE) {
        ok = normal_size(rhs, &norm);
        if (!ok) gvl_sb_printf(&why, "'%s' is not a size: write it as 4x24 (or 4×24), a vector's as [3], a scalar's as scalar", rhs);
    } else {
        double *nums;
        int64_t n;
        ok = read_numbers(rhs, &nums, &n, &bad, &why);
        free(nums);
    }
    if (!ok) {
        gvl_diag_error(diag, span_at(i + bad, 1), "%s", gvl_sb_str(&why));
        add(af, (Answer){(AnswerKind)kind, gvl_answer_key((AnswerKind)kind, subject), NULL, span_at(k0, close - k0),
                         span_at(i, end - i)});
        free(subject);
        free(rhs);
    } else {
        Answer a = {(AnswerKind)kind, gvl_answer_key((AnswerKind)kind, subject), rhs, span_at(k0, close - k0),
                    span_at(i, end - i)};
        free(subject);
        add(af, a);
    }
    gvl_sb_free(&why);
    gvl_sb_free(&norm);
}

void gvl_answers_parse(AnswerFile *af, const Source *src, DiagSink *diag)
{
    memset(af, 0, sizeof *af);
    const char *nul = memchr(src->text, '\0', src->len);
    if (nul) {
        size_t off = (size_t)(nul - src->text);
        gvl_diag_file_error(diag, "this is not a text file (a NUL byte at offset %zu): an answers file has one "
                                  "answer per line, such as shape(x) = 6x1", off);
        af->unreadable = true;
        return;
    }
    /* quiz's text worksheet starts "# Worksheet: FILE, variant N" */
    if (src->nlines) {
        const char *t = src->text, *nl = memchr(t, '\n', src->len);
        size_t n = nl ? (size_t)(nl - t) : src->len;
        const char *v = NULL;
        for (size_t k = 0; k + 10 <= n; k++)
            if (!memcmp(t + k, ", variant ", 10)) v = t + k + 10;
        unsigned long long x;
        if (n > 13 && !memcmp(t, "# Worksheet: ", 13) && v && sscanf(v, "%llu", &x) == 1) {
            af->has_variant = true;
            af->variant = x;
        }
    }
    for (size_t l = 0; l < src->nlines && !gvl_diag_full(diag); l++) {
        size_t start = src->line_start[l];
        size_t end = l + 1 < src->nlines ? src->line_start[l + 1] : src->len;
        if (end > start && src->text[end - 1] == '\n') end--;
        parse_line(af, src->text, start, end, diag);
    }
}

void gvl_answers_free(AnswerFile *af)
{
    for (int i = 0; i < af->n; i++) {
        free(af->a[i].key);
        free(af->a[i].text);
    }
    free(af->a);
    memset(af, 0, sizeof *af);
}
