/*
 * lower_stmt.c - the statements that are not declarations: an assignment
 * names the node of its expression, `loss` and `optimize` choose the root of
 * the backward pass and the training settings.
 */
#include "lower.h"

#include "consteval.h"

#include <string.h>

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

Node *gvl_lower_assigned_value(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    const Expr *e = st->value;
    Node *n;
    if (e->kind == EX_NAME) {
        /* y = x: a named copy, so y has a node of its own */
        Node *src = gvl_lower_expr(lw, e);
        n = src->failed ? gvl_lower_failed(g, e->span) : gvl_lower_op(lw, OP_IDENTITY, e->name, e->span, &src, 1, NULL);
    } else {
        /* h2 = block(h1) binds the call's result: its nodes become h2/... */
        n = gvl_lower_expr(lw, e);
    }
    n->literal = false;
    return n;
}

void gvl_lower_assign(Lowerer *lw, const Stmt *st)
{
    if (gvl_lower_is_alias(lw->g, st->name)) return;
    gvl_lower_bind(lw->g, st->name, gvl_lower_assigned_value(lw, st));
}

/* Makes the node ST names the loss; NULL after an error. */
static Node *loss_target(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    Node *n = gvl_graph_lookup_mut(g, txt(g, st->name), st->name.len);
    if (!n) {
        gvl_lower_unknown_name(g, st->name);
        return NULL;
    }
    if (n->failed) return NULL;
    if (g->loss_explicit && g->loss != n) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, st->name);
        gvl_diag_printf(&b, "the loss is already set");
        gvl_diag_add_note(&b, g->loss_at, "it was set here");
        gvl_diag_emit(&b);
        return NULL;
    }
    g->loss = n;
    g->loss_explicit = true;
    g->loss_at = st->name;
    return n;
}

void gvl_lower_loss(Lowerer *lw, const Stmt *st)
{
    loss_target(lw, st);
}

void gvl_lower_optimize(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    if (!loss_target(lw, st)) return;
    g->has_optimize = true;
    for (int i = 0; i < st->nopts; i++) {
        const Arg *a = &st->opts[i];
        const char *k = txt(g, a->key);
        double v;
        int64_t iv;
        if (a->key.len == 2 && !memcmp(k, "lr", 2)) {
            if (!gvl_const_eval(g->diag, g->src, a->value, &v)) continue;
            if (!(v > 0) || v > 1e300)
                gvl_diag_error(g->diag, a->value->span, "the learning rate must be a positive number, found %g", v);
            else
                g->lr = v;
        } else if (a->key.len == 5 && !memcmp(k, "steps", 5)) {
            if (!gvl_const_int(a->value, &iv) || iv < 1 || iv > 100000000)
                gvl_diag_error(g->diag, a->value->span, "steps must be a whole number from 1 to 100000000");
            else
                g->steps = iv;
        } else {
            gvl_diag_error(g->diag, a->key, "optimize has no option '%.*s' (its options: lr, steps)",
                           (int)a->key.len, k);
        }
    }
}

/* quiz --variant N: the size of the ranged symbol SYM.  N is read as a
 * number whose digits, one per ranged symbol in file order, each in base
 * hi - lo + 1, pick the sizes; each digit is shifted by a hash of the name
 * so that variant 0 is not every symbol's smallest size.  Variants 0 to
 * C - 1, C the number of size combinations, all differ.  --set still wins;
 * the size is bound like a --set (a later `size n = 5` gives way). */
static void variant_size(Graph *g, int32_t sym, const Stmt *st)
{
    uint64_t r = (uint64_t)(st->hi - st->lo) + 1, h = 1469598103934665603u;
    for (size_t i = 0; i < st->name.len; i++) h = (h ^ (unsigned char)txt(g, st->name)[i]) * 1099511628211u;
    uint64_t digit = (g->variant_left % r + h % r) % r;
    g->variant_left /= r;
    DimConflict why;
    if (!gvl_dim_unify(&g->dims, (Dim){0, sym}, dim_const(st->lo + (int64_t)digit), st->value_span, &why)) return;
    g->dims.v[sym].from_command_line = true;
}

/* size n = 5 binds a symbol (--set wins over it); size n in 2..6 gives the
 * range quiz variants draw it from, and a bound value must lie inside. */
void gvl_lower_size(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    int32_t sym = gvl_lower_symbol(g, st->name);
    DimVar *v = &g->dims.v[sym];
    const char *name = txt(g, st->name);
    int len = (int)st->name.len;
    if (st->has_range) {
        if (st->lo > st->hi) {
            gvl_diag_error(g->diag, st->value_span, "the range %lld..%lld of '%.*s' is empty: write the smaller "
                           "size first", (long long)st->lo, (long long)st->hi, len, name);
            return;
        }
        if (v->has_range) {
            DiagBuilder b;
            gvl_diag_begin(&b, g->diag, SEV_ERROR, st->value_span);
            gvl_diag_printf(&b, "'%.*s' already has a range", len, name);
            gvl_diag_add_note(&b, v->range_at, "it is given here");
            gvl_diag_emit(&b);
            return;
        }
        v->has_range = true;
        v->lo = st->lo;
        v->hi = st->hi;
        v->range_at = st->value_span;
        if (g->has_variant && !v->from_command_line) variant_size(g, sym, st);
        return;
    }
    if (v->from_command_line) return;   /* --set n=... wins */
    DimConflict why;
    if (gvl_dim_unify(&g->dims, (Dim){0, sym}, dim_const(st->size), st->value_span, &why)) return;
    int64_t was = 0;
    gvl_dim_known(&g->dims, (Dim){0, sym}, &was);
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, st->value_span);
    gvl_diag_printf(&b, "size %.*s = %lld, but %.*s is already %lld", len, name, (long long)st->size, len, name,
                    (long long)was);
    const DimVar *r = gvl_dim_root(&g->dims, sym);
    if (r->bound) gvl_diag_add_note(&b, r->bound_at, "%.*s was fixed here", len, name);
    gvl_diag_emit(&b);
}
