/*
 * lint.c - the warnings that need the whole checked graph: tensors and
 * nodes that nothing uses, leaves the loss does not depend on, a loss
 * whose operands broadcast, and size symbols a shape rule made equal.
 *
 * Each is a likely mistake that still gives numbers, so none changes the
 * exit status (docs/language.md, "Warnings").  They run only on a graph
 * without errors: a broken statement leaves names unused on purpose.
 */
#include "lint.h"

#include "format.h"

#include <stdlib.h>
#include <string.h>

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

static bool dim_eq(Dim a, Dim b)
{
    return a.c == b.c && a.v == b.v;
}

static bool dim_is_one(Dim d)
{
    return d.v < 0 && d.c == 1;
}

/* "param W[4,6] as w": the declaration that names vec(W) w in the tables. */
static const char *alias_decl(Arena *a, const Graph *g, const Node *leaf, const Node *vec)
{
    StrBuf b = {0};
    gvl_sb_printf(&b, "%s %.*s", gvl_node_kind_names[leaf->kind], (int)leaf->name.len, txt(g, leaf->name));
    if (leaf->shape.ndim) {
        gvl_sb_putc(&b, '[');
        for (int k = 0; k < leaf->shape.ndim; k++) {
            if (k) gvl_sb_putc(&b, ',');
            gvl_fmt_dim(&b, &g->dims, leaf->shape.d[k]);
        }
        gvl_sb_putc(&b, ']');
    }
    gvl_sb_printf(&b, " as %.*s", (int)vec->name.len, txt(g, vec->name));
    const char *s = gvl_arena_printf(a, "%s", gvl_sb_str(&b));
    gvl_sb_free(&b);
    return s;
}

/* A note on how an implicit loss was chosen, so the warning can be fixed. */
static void note_implicit_loss(const Graph *g, DiagBuilder *b)
{
    if (g->loss_explicit) return;
    gvl_diag_add_note(b, g->loss->name, "'%.*s' is the loss because it is the last node with one element; "
                      "name another with 'loss NAME'", (int)g->loss->name.len, txt(g, g->loss->name));
}

static void warn_unused(const Graph *g, const int *uses, const bool *needed, Arena *a)
{
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (!n->named || n->literal || n == g->loss) continue;
        const char *name = gvl_name_text(a, g, n);
        DiagBuilder b;
        if (uses[i] == 0 && n->kind != NK_OP) {
            gvl_diag_begin(&b, g->diag, SEV_WARNING, n->name);
            gvl_diag_printf(&b, "%s '%s' is declared but nothing uses it", gvl_node_kind_names[n->kind], name);
            gvl_diag_emit(&b);
            continue;
        }
        if (uses[i] == 0) {
            /* w = vec(W), as the sheet writes exercise 4: the name was meant
             * for the tables, and an alias gives it there */
            const Node *leaf = n->op == OP_VEC && n->src[0]->kind != NK_OP ? n->src[0] : NULL;
            /* other results nothing uses are a file's outputs, unless
             * there is a loss they were meant to reach */
            if (!leaf && !(g->loss && g->loss_explicit)) continue;
            gvl_diag_begin(&b, g->diag, SEV_WARNING, n->name);
            if (g->loss)
                gvl_diag_printf(&b, "'%s' is computed but nothing uses it, and the loss '%s' does not depend on it",
                                name, gvl_name_text(a, g, g->loss));
            else
                gvl_diag_printf(&b, "'%s' is computed but nothing uses it", name);
            if (leaf)
                gvl_diag_add_hint(&b, "to have the tables call vec(%.*s) '%s', declare '%s' and use %.*s",
                                  (int)leaf->name.len, txt(g, leaf->name), name, alias_decl(a, g, leaf, n),
                                  (int)leaf->name.len, txt(g, leaf->name));
            gvl_diag_emit(&b);
            continue;
        }
        /* used, but not on the way to the loss: when the loss was named
         * on purpose, and for params when training would leave them as
         * they are (ex2's results are three answers, and its default
         * loss only one of them) */
        if (!g->loss || needed[i] || n->kind == NK_OP) continue;
        if (!g->loss_explicit && !(n->kind == NK_PARAM && g->training)) continue;
        gvl_diag_begin(&b, g->diag, SEV_WARNING, n->name);
        gvl_diag_printf(&b, "the loss '%s' does not depend on %s '%s'%s", gvl_name_text(a, g, g->loss),
                        gvl_node_kind_names[n->kind], name,
                        n->kind == NK_PARAM ? ": its gradient is 0, and train leaves it unchanged" : "");
        note_implicit_loss(g, &b);
        gvl_diag_emit(&b);
    }
}

/* True when broadcasting A with B gives A's shape: B fits inside A. */
static bool covers(const Shape *a, const Shape *b)
{
    if (a->ndim < b->ndim) return false;
    for (int k = 1; k <= b->ndim; k++) {
        Dim x = a->d[a->ndim - k], y = b->d[b->ndim - k];
        if (!dim_eq(x, y) && !dim_is_one(y)) return false;
    }
    return true;
}

/* mse(y, t) with y 2x1 and t 1x2 compares all four pairs: PyTorch's
 * mse_loss warns about the same.  A scalar or a smaller target that fits
 * (mse(y, 0)) is a deliberate broadcast and gets no warning. */
static void warn_broadcast_loss(const Graph *g, const Node *n, Arena *a)
{
    const Shape *x = &n->src[0]->shape, *y = &n->src[1]->shape;
    if (covers(x, y) || covers(y, x)) return;
    int nd = x->ndim > y->ndim ? x->ndim : y->ndim;
    Shape s = {nd, gvl_arena_alloc(a, sizeof(Dim) * (size_t)nd)};
    for (int k = 1; k <= nd; k++) {
        Dim p = k <= x->ndim ? x->d[x->ndim - k] : dim_const(1);
        Dim q = k <= y->ndim ? y->d[y->ndim - k] : dim_const(1);
        s.d[nd - k] = dim_is_one(p) ? q : p;
    }
    Numel all = gvl_shape_numel(g, &s), mx = gvl_shape_numel(g, x), my = gvl_shape_numel(g, y);
    const Numel *most = (mx.nvars == 0 && my.nvars == 0 && my.coef > mx.coef) ? &my : &mx;
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_WARNING, n->loc);
    gvl_diag_printf(&b, "%s: '%s' (%s) and '%s' (%s) broadcast to %s, so the loss compares all %s pairs, not %s; "
                    "make their shapes equal (PyTorch's %s warns about the same)", gvl_node_op_name(n),
                    gvl_name_text(a, g, n->src[0]), gvl_shape_text(a, g, x, true), gvl_name_text(a, g, n->src[1]),
                    gvl_shape_text(a, g, y, true), gvl_shape_text(a, g, &s, true), gvl_numel_text(a, g, &all, true),
                    gvl_numel_text(a, g, most, true), n->op == OP_MSE ? "mse_loss" : "mse_loss(reduction='sum')");
    gvl_diag_emit(&b);
}

/* The op whose rule unified at AT (its operator's place). */
static const Node *op_at(const Graph *g, Span at)
{
    for (size_t i = 0; i < g->count; i++)
        if (g->nodes[i]->kind == NK_OP && g->nodes[i]->loc.off == at.off && g->nodes[i]->loc.len == at.len)
            return g->nodes[i];
    return NULL;
}

static const char *sym_text(Arena *a, const Graph *g, int32_t v, int64_t c)
{
    const DimVar *s = &g->dims.v[v];
    if (!c) return gvl_arena_printf(a, "%.*s", (int)s->name.len, txt(g, s->name));
    return gvl_arena_printf(a, "%.*s%+lld", (int)s->name.len, txt(g, s->name), (long long)c);
}

static void warn_merged_symbols(const Graph *g, Arena *a)
{
    const DimTable *t = &g->dims;
    for (size_t i = 0; i < t->nmerges; i++) {
        const DimMerge *m = &t->merges[i];
        const Node *op = op_at(g, m->at);
        const char *sa = sym_text(a, g, m->a, m->ca), *sb = sym_text(a, g, m->b, m->cb);
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_WARNING, m->at);
        gvl_diag_printf(&b, "%s makes the size symbols %s and %s equal (its shape rule needs the two sizes to "
                        "match); the tables write them as %s", op ? gvl_node_op_name(op) : "a shape rule", sa, sb,
                        gvl_dim_text(a, g, (Dim){m->ca, m->a}));
        gvl_diag_add_note(&b, t->v[m->a].origin, "'%.*s' is declared here", (int)t->v[m->a].name.len,
                          txt(g, t->v[m->a].name));
        gvl_diag_add_note(&b, t->v[m->b].origin, "'%.*s' is declared here", (int)t->v[m->b].name.len,
                          txt(g, t->v[m->b].name));
        gvl_diag_add_hint(&b, "use one symbol if they are meant to be equal; if not, check the operands "
                          "(their order, or a missing ^T)");
        gvl_diag_emit(&b);
    }
}

void gvl_lint(const Graph *g)
{
    if (g->diag->errors || g->no_lint) return;
    int *uses = gvl_graph_use_counts(g);
    bool *needed = g->loss ? gvl_graph_ancestors(g, g->loss) : NULL;
    Arena a;
    gvl_arena_init(&a);
    warn_unused(g, uses, needed, &a);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if ((n->op == OP_MSE || n->op == OP_SSE) && n->nsrc == 2) warn_broadcast_loss(g, n, &a);
    }
    warn_merged_symbols(g, &a);
    gvl_arena_free(&a);
    free(needed);
    free(uses);
}
