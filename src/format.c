/*
 * format.c - writing names, element counts and shapes.
 *
 * Sizes are written as in algebra (4n, 4(n+1), n·m) and shapes with the
 * parentheses a reader needs ((n+1)x1, not n+1x1).
 */
#include "format.h"

#include <string.h>

Numel gvl_shape_numel(const Graph *g, const Shape *s)
{
    Numel m;
    memset(&m, 0, sizeof m);
    m.coef = 1;
    for (int i = 0; i < s->ndim; i++) {
        Dim d = gvl_dim_eval(&g->dims, s->d[i]);
        if (d.v < 0) {
            if (d.c < 1) m.nonpositive = true;
            if (__builtin_mul_overflow(m.coef, d.c, &m.coef)) { m.overflow = true; m.coef = INT64_MAX; }
        } else {
            m.vars[m.nvars++] = d;
        }
    }
    return m;
}

bool gvl_shape_is_one(const Graph *g, const Shape *s)
{
    Numel m = gvl_shape_numel(g, s);
    return m.nvars == 0 && m.coef == 1;
}

/* True when T (a dim's text) has a + or - outside parentheses: n+1 needs
 * them inside a product, floor((H-2)/2) does not. */
static bool has_top_level_sign(const char *t)
{
    int depth = 0;
    for (; *t; t++) {
        if (*t == '(') depth++;
        else if (*t == ')') depth--;
        else if ((*t == '+' || *t == '-') && depth == 0) return true;
    }
    return false;
}

void gvl_fmt_numel(StrBuf *out, const Graph *g, const Numel *m, bool ascii)
{
    if (m->overflow) {
        gvl_sb_add(out, "more than 2^63");
        return;
    }
    bool coef = m->coef != 1 || m->nvars == 0;
    if (coef) gvl_sb_add_int(out, m->coef);
    StrBuf d = {0};
    for (int i = 0; i < m->nvars; i++) {
        gvl_sb_clear(&d);
        gvl_fmt_dim(&d, &g->dims, m->vars[i]);
        const char *t = gvl_sb_str(&d);
        bool paren = has_top_level_sign(t) && (m->nvars > 1 || m->coef != 1);
        /* 4n reads as algebra, 4? does not */
        if (i || (coef && t[0] == '?')) gvl_sb_add(out, ascii ? "*" : "\xc2\xb7");
        gvl_sb_printf(out, paren ? "(%s)" : "%s", t);
    }
    gvl_sb_free(&d);
}

void gvl_fmt_shape_sep(StrBuf *out, const Graph *g, const Shape *s, const char *sep, DimEscape esc)
{
    if (s->ndim == 0) {
        gvl_sb_add(out, "scalar");
        return;
    }
    StrBuf d = {0};
    for (int i = 0; i < s->ndim; i++) {
        gvl_sb_clear(&d);
        gvl_fmt_dim(&d, &g->dims, s->d[i]);
        /* (n+1)x1, not n+1x1; and a lone 1-D size in brackets, since "3"
         * would read as a number rather than a shape */
        bool paren = s->ndim > 1 && has_top_level_sign(gvl_sb_str(&d));
        if (i) gvl_sb_add(out, sep);
        gvl_sb_add(out, s->ndim == 1 ? "[" : paren ? "(" : "");
        if (esc) esc(out, gvl_sb_str(&d));
        else gvl_sb_add(out, gvl_sb_str(&d));
        gvl_sb_add(out, s->ndim == 1 ? "]" : paren ? ")" : "");
    }
    gvl_sb_free(&d);
}

void gvl_fmt_shape(StrBuf *out, const Graph *g, const Shape *s, bool ascii)
{
    gvl_fmt_shape_sep(out, g, s, ascii ? "x" : "\xc3\x97", NULL);
}

/* "h2/" for a node inside the call h2: the call's result names it, with
 * its own prefix and primes; a call nothing names (sum(layer(x))) goes by
 * the function and the call's place, layer@5:9. */
void gvl_fmt_call_name(StrBuf *out, const Graph *g, const CallSite *c)
{
    if (c->result && c->result->named) {
        gvl_fmt_display_name(out, g, c->result);
        return;
    }
    if (c->parent) {
        gvl_fmt_call_name(out, g, c->parent);
        gvl_sb_putc(out, '/');
    }
    int line, col;
    gvl_source_loc(g->src, c->fn_at.off, &line, &col);
    gvl_sb_printf(out, "%.*s@%d:%d", (int)c->fn_at.len, gvl_graph_text(g, c->fn_at), line, col);
}

void gvl_fmt_plain_name(StrBuf *out, const Graph *g, const Node *n)
{
    const CallSite *scope = gvl_node_scope(n);
    if (scope) {
        gvl_fmt_call_name(out, g, scope);
        gvl_sb_putc(out, '/');
    }
    /* fold runs of blanks and newlines so a multi-line expression stays one line */
    const char *s = gvl_graph_text(g, n->name);
    bool space = false, any = false;
    for (uint32_t i = 0; i < n->name.len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { space = true; continue; }
        if (c == '#') { while (i + 1 < n->name.len && s[i + 1] != '\n') i++; continue; }
        if (space && any) gvl_sb_putc(out, ' ');
        space = false;
        any = true;
        gvl_sb_putc(out, c);
    }
}

void gvl_fmt_display_name(StrBuf *out, const Graph *g, const Node *n)
{
    gvl_fmt_plain_name(out, g, n);
    for (uint32_t v = 0; v < n->version; v++) gvl_sb_putc(out, '\'');
    if (n->repeated) {
        int line, col;
        gvl_source_loc(g->src, n->name.off, &line, &col);
        gvl_sb_printf(out, "@%d:%d", line, col);
    }
}

void gvl_fmt_vec_name(StrBuf *out, const Graph *g, const Node *n)
{
    if (n->alias.len) {
        gvl_sb_addn(out, gvl_graph_text(g, n->alias), n->alias.len);
        return;
    }
    int64_t last;
    bool column = n->shape.ndim == 2 && gvl_dim_value(&g->dims, n->shape.d[1], &last) && last == 1;
    bool vec = n->shape.ndim >= 2 && !column;
    if (vec) gvl_sb_add(out, "vec(");
    gvl_fmt_display_name(out, g, n);
    if (vec) gvl_sb_add(out, ")");
}

/* True when S is one parenthesised whole, "(y - 2)" (not "(a) + (b)"). */
static bool enclosed(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '(' || s[n - 1] != ')') return false;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
        if (depth == 0 && i < n - 1) return false;
    }
    return true;
}

bool gvl_fmt_needs_parens(const char *name)
{
    return strpbrk(name, " +-*/@") != NULL && !enclosed(name);
}

void gvl_fmt_partial_name(StrBuf *out, const Graph *g, const Node *n)
{
    StrBuf name = {0};
    gvl_fmt_vec_name(&name, g, n);
    /* ∂(y - 2), never ∂((y - 2)) */
    bool wrap = gvl_fmt_needs_parens(gvl_sb_str(&name));
    gvl_sb_printf(out, wrap ? "(%s)" : "%s", gvl_sb_str(&name));
    gvl_sb_free(&name);
}

void gvl_fmt_partial(StrBuf *out, const Graph *g, const Node *v, const Node *u, const char *d)
{
    gvl_sb_add(out, d);
    gvl_fmt_partial_name(out, g, v);
    gvl_sb_printf(out, "/%s", d);
    gvl_fmt_partial_name(out, g, u);
}

/* The identifier S (N bytes) for math mode, underscores escaped. */
static void math_ident(StrBuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') gvl_sb_add(out, "\\_");
        else gvl_sb_putc(out, s[i]);
    }
}

/* A name as LaTeX math, token by token: identifiers (functions become
 * \sin or \operatorname{relu}, a suffix after _ a subscript), ^T as
 * ^\top, @ as a thin space, * as \cdot, ** as a power. */
void gvl_fmt_math_text(StrBuf *out, const char *s)
{
    static const char *const known[] = {"sin", "cos", "tan", "exp", "log", "tanh", "max"};
    bool word = false;   /* the last token was a word in \text: a space after it is kept */
    while (*s) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_') {
            const char *e = s;
            while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_') e++;
            size_t n = (size_t)(e - s), letters = 0;
            for (const char *c = s; c < e; c++) letters += (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
            const char *us = memchr(s, '_', n);
            bool fn = false;
            for (size_t i = 0; *e == '(' && i < sizeof known / sizeof known[0]; i++)
                fn |= strlen(known[i]) == n && !memcmp(known[i], s, n);
            bool after_word = word;   /* "its place in vec": a short word among words */
            word = false;
            if (fn) {
                gvl_sb_printf(out, "\\%.*s", (int)n, s);
            } else if (*e == '(') {
                gvl_sb_add(out, "\\operatorname{");
                math_ident(out, s, n);
                gvl_sb_add(out, "}");
            } else if (us && us > s && us + 1 < e && !memchr(us + 1, '_', (size_t)(e - us - 1))) {
                /* y_t1 is y with the subscript t1 */
                gvl_sb_addn(out, s, (size_t)(us - s));
                gvl_sb_printf(out, "_{%.*s}", (int)(e - us - 1), us + 1);
            } else if (!us && (letters >= 3 || (after_word && letters == n))) {
                /* a word of the Jacobian's description, upright */
                gvl_sb_printf(out, "\\text{%.*s}", (int)n, s);
                word = true;
            } else {
                math_ident(out, s, n);
            }
            s = e;
            continue;
        }
        bool was_word = word;
        word = false;
        if (*s == ' ' && was_word && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z') ||
                                      (s[1] >= '0' && s[1] <= '9'))) {
            gvl_sb_add(out, "\\ ");
            word = true;
            s++;
        } else if (s[0] == '^' && s[1] == 'T') {
            gvl_sb_add(out, "^{\\top}");
            s += 2;
        } else if (s[0] == '*' && s[1] == '*') {
            gvl_sb_add(out, "^");
            s += 2;
        } else if (*s == '*') {
            gvl_sb_add(out, "\\cdot ");
            s++;
        } else if (*s == '@') {
            gvl_sb_add(out, "\\,");
            s++;
        } else if (*s == '\\') {
            gvl_sb_add(out, "\\backslash ");
            s++;
        } else if (!strncmp(s, "\xe2\x8a\x97", 3)) {
            gvl_sb_add(out, "\\otimes ");
            s += 3;
        } else if (strchr("#$%&{}~", *s)) {
            gvl_sb_printf(out, "\\%c", *s);
            s++;
        } else {
            if (*s == ',' || *s == ':') word = was_word;   /* "I, with ...": still prose */
            gvl_sb_putc(out, *s++);
        }
    }
}

void gvl_fmt_math_name(StrBuf *out, const Graph *g, const Node *n, bool vec)
{
    StrBuf name = {0};
    if (vec) gvl_fmt_partial_name(&name, g, n);
    else gvl_fmt_display_name(&name, g, n);
    gvl_fmt_math_text(out, gvl_sb_str(&name));
    gvl_sb_free(&name);
}

const char *gvl_node_op_name(const Node *n)
{
    return n->op >= 0 ? gvl_op_table[n->op].name : NULL;
}

/* ---- the same as arena strings -------------------------------------------- */

/* Runs the formatting statement BODY into a fresh StrBuf `b_` and returns
 * its text copied into arena A. */
#define ARENA_TEXT(a, body)                             \
    do {                                                \
        StrBuf b_ = {0};                                \
        body;                                           \
        const char *text_ = gvl_sb_arena(&b_, (a));     \
        gvl_sb_free(&b_);                               \
        return text_;                                   \
    } while (0)

const char *gvl_shape_text(Arena *a, const Graph *g, const Shape *s, bool ascii)
{
    ARENA_TEXT(a, gvl_fmt_shape(&b_, g, s, ascii));
}

const char *gvl_numel_text(Arena *a, const Graph *g, const Numel *m, bool ascii)
{
    ARENA_TEXT(a, gvl_fmt_numel(&b_, g, m, ascii));
}

const char *gvl_dim_text(Arena *a, const Graph *g, Dim d)
{
    ARENA_TEXT(a, gvl_fmt_dim(&b_, &g->dims, d));
}

const char *gvl_name_text(Arena *a, const Graph *g, const Node *n)
{
    ARENA_TEXT(a, gvl_fmt_display_name(&b_, g, n));
}

const char *gvl_plain_text(Arena *a, const Graph *g, const Node *n)
{
    ARENA_TEXT(a, gvl_fmt_plain_name(&b_, g, n));
}

const char *gvl_vec_name_text(Arena *a, const Graph *g, const Node *n)
{
    ARENA_TEXT(a, gvl_fmt_vec_name(&b_, g, n));
}
