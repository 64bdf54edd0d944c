/*
 * shape.c - the shape rule of every op.
 *
 * Rules work on Dims that may still be unknown.  Where a rule needs a
 * number it does not have yet (a strided conv over an unknown height), it
 * gives the result a fresh unknown and marks the context "deferred"; the
 * front end then runs every rule once more, after all constraints are in, and
 * unifies the new result with the old.
 */
#include "shape.h"

#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <string.h>

/* Message texts, kept in the graph's arena for the rest of the run. */
static const char *shape_str(Graph *g, const Shape *s)
{
    return gvl_shape_text(&g->arena, g, s, true);
}

static const char *node_str(Graph *g, const Node *n)
{
    return gvl_arena_printf(&g->arena, "'%s'", gvl_name_text(&g->arena, g, n));
}

static const char *dstr(Graph *g, Dim d)
{
    return gvl_dim_text(&g->arena, g, d);
}

static const char *numel_str(Graph *g, const Numel *m)
{
    return gvl_numel_text(&g->arena, g, m, true);
}

void gvl_shape_conflict_notes(DiagBuilder *b, Graph *g, const DimConflict *why)
{
    int32_t vs[2] = {why->a, why->b};
    for (int i = 0; i < 2; i++) {
        if (vs[i] < 0) continue;
        if (i == 1 && vs[0] >= 0 && gvl_dim_root(&g->dims, vs[0]) == gvl_dim_root(&g->dims, vs[1])) continue;
        const DimVar *r = gvl_dim_root(&g->dims, vs[i]);
        const DimVar *orig = &g->dims.v[vs[i]];
        const DimVar *named = orig->kind == VAR_SYM ? orig : r;
        if (r->bound) {
            if (named->kind == VAR_SYM)
                gvl_diag_add_note(b, r->bound_at, "%.*s was inferred as %lld here",
                                  (int)named->name.len, g->src->text + named->name.off, (long long)r->value);
            else
                gvl_diag_add_note(b, r->bound_at, "this size was inferred as %lld here", (long long)r->value);
        }
        else if (named->kind == VAR_SYM)
            gvl_diag_add_note(b, named->origin, "%.*s is declared here", (int)named->name.len,
                              g->src->text + named->name.off);
        else if (named->kind == VAR_ANY)
            gvl_diag_add_note(b, named->origin, "this '?' is declared here");
    }
}

static Shape new_shape(Graph *g, int ndim)
{
    Shape s;
    s.ndim = ndim;
    s.d = gvl_arena_alloc(&g->arena, sizeof(Dim) * (size_t)(ndim ? ndim : 1));
    return s;
}

static Dim fresh(ShapeCtx *cx, Node *n)
{
    cx->deferred = true;
    return (Dim){0, gvl_dim_new_var(&cx->g->dims, VAR_FRESH, n->loc, span_make(0, 0))};
}

/* Starts the error of N's rule: "OP: MESSAGE" at N's operator, the
 * operands of an infix op underlined. */
static void fail_vbegin(DiagBuilder *b, ShapeCtx *cx, Node *n, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void fail_vbegin(DiagBuilder *b, ShapeCtx *cx, Node *n, const char *fmt, va_list ap)
{
    gvl_diag_begin(b, cx->g->diag, SEV_ERROR, n->loc);
    for (int k = 0; k < 2; k++) gvl_diag_add_range(b, cx->operand[k]);
    gvl_diag_printf(b, "%s: ", gvl_node_op_name(n));
    gvl_sb_vprintf(&b->msg, fmt, ap);
}

static void fail_begin(DiagBuilder *b, ShapeCtx *cx, Node *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail_begin(DiagBuilder *b, ShapeCtx *cx, Node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_vbegin(b, cx, n, fmt, ap);
    va_end(ap);
}

/* Reports an error of N's rule without notes; false, for `return fail(...)`. */
static bool fail(ShapeCtx *cx, Node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(ShapeCtx *cx, Node *n, const char *fmt, ...)
{
    DiagBuilder b;
    va_list ap;
    va_start(ap, fmt);
    fail_vbegin(&b, cx, n, fmt, ap);
    va_end(ap);
    gvl_diag_emit(&b);
    return false;
}

static bool known(ShapeCtx *cx, Dim d, int64_t *v)
{
    return gvl_dim_known(&cx->g->dims, d, v);
}

static bool unify(ShapeCtx *cx, Node *n, Dim a, Dim b, DimConflict *why)
{
    return gvl_dim_unify(&cx->g->dims, a, b, n->loc, why);
}

/* ---- elementwise and broadcasting ---------------------------------- */

static bool rule_same(ShapeCtx *cx, Node *n)
{
    n->shape = n->src[0]->shape;
    return true;
}

static bool rule_scalar(ShapeCtx *cx, Node *n)
{
    n->shape = new_shape(cx->g, 0);
    return true;
}

/* Broadcasts A and B into OUT as PyTorch does; false with a message. */
/* BATCH: A and B are the batch parts of matmul operands, so the message
 * shows the operands' whole shapes and speaks of batch dimensions. */
static bool broadcast(ShapeCtx *cx, Node *n, const Shape *a, const Shape *b, Shape *out,
                      const Node *na, const Node *nb, bool batch)
{
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    Shape s = new_shape(cx->g, nd);
    for (int i = 0; i < nd; i++) {
        int ia = a->ndim - nd + i, ib = b->ndim - nd + i;
        Dim da = ia >= 0 ? a->d[ia] : dim_const(1), db = ib >= 0 ? b->d[ib] : dim_const(1);
        int64_t va, vb;
        bool ka = known(cx, da, &va), kb = known(cx, db, &vb);
        if (ka && va == 1) { s.d[i] = db; continue; }
        if (kb && vb == 1) { s.d[i] = da; continue; }
        DimConflict why;
        if (!unify(cx, n, da, db, &why)) {
            static const char *const nth[] = {"", "last", "2nd-to-last", "3rd-to-last"};
            int from_right = nd - i;
            const char *pos = from_right < 4 ? gvl_arena_printf(&cx->g->arena, "%s", nth[from_right])
                                             : gvl_arena_printf(&cx->g->arena, "%dth-to-last", from_right);
            DiagBuilder report;
            fail_begin(&report, cx, n, "cannot broadcast %s (%s) with %s (%s)%s: their %s%s dimensions are %s and %s; "
                 "sizes must be equal or 1",
                 node_str(cx->g, na), shape_str(cx->g, &na->shape), node_str(cx->g, nb), shape_str(cx->g, &nb->shape),
                 batch ? " in their batch dimensions" : "", pos, batch ? " batch" : "", dstr(cx->g, da),
                 dstr(cx->g, db));
            gvl_shape_conflict_notes(&report, cx->g, &why);
            gvl_diag_emit(&report);
            return false;
        }
        s.d[i] = da;
    }
    *out = s;
    return true;
}

static bool rule_broadcast(ShapeCtx *cx, Node *n)
{
    return broadcast(cx, n, &n->src[0]->shape, &n->src[1]->shape, &n->shape, n->src[0], n->src[1], false);
}

static bool rule_loss(ShapeCtx *cx, Node *n)
{
    Shape tmp;
    if (!broadcast(cx, n, &n->src[0]->shape, &n->src[1]->shape, &tmp, n->src[0], n->src[1], false)) return false;
    n->shape = new_shape(cx->g, 0);
    return true;
}

/* ---- linear algebra ------------------------------------------------- */

static bool rule_matmul(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    Node *A = n->src[0], *B = n->src[1];
    const Shape *a = &A->shape, *b = &B->shape;
    if (a->ndim == 0 || b->ndim == 0)
        return fail(cx, n, "%s is a scalar (%s is %s); both operands need at least one dimension "
                    "(use * to scale by a scalar)",
                    node_str(g, a->ndim == 0 ? A : B), node_str(g, a->ndim == 0 ? B : A),
                    shape_str(g, a->ndim == 0 ? b : a));
    Dim ka = a->d[a->ndim - 1];
    Dim kb = b->ndim == 1 ? b->d[0] : b->d[b->ndim - 2];
    DimConflict why;
    if (!unify(cx, n, ka, kb, &why)) {
        DiagBuilder report;
        fail_begin(&report, cx, n, "%s is %s and %s is %s: the inner dimensions %s and %s must be equal",
             node_str(g, A), shape_str(g, a), node_str(g, B), shape_str(g, b), dstr(g, ka), dstr(g, kb));
        gvl_shape_conflict_notes(&report, g, &why);
        gvl_diag_emit(&report);
        return false;
    }
    Shape ba = {a->ndim > 2 ? a->ndim - 2 : 0, a->d};
    Shape bb = {b->ndim > 2 ? b->ndim - 2 : 0, b->d};
    Shape batch;
    if (!broadcast(cx, n, &ba, &bb, &batch, A, B, true)) return false;
    int nd = batch.ndim + (a->ndim >= 2) + (b->ndim >= 2);
    Shape s = new_shape(g, nd);
    memcpy(s.d, batch.d, sizeof(Dim) * (size_t)batch.ndim);
    int k = batch.ndim;
    if (a->ndim >= 2) s.d[k++] = a->d[a->ndim - 2];
    if (b->ndim >= 2) s.d[k++] = b->d[b->ndim - 1];
    n->shape = s;
    return true;
}

static bool rule_transpose(ShapeCtx *cx, Node *n)
{
    const Shape *a = &n->src[0]->shape;
    if (a->ndim < 2) return rule_same(cx, n);
    Shape s = new_shape(cx->g, a->ndim);
    memcpy(s.d, a->d, sizeof(Dim) * (size_t)a->ndim);
    s.d[a->ndim - 1] = a->d[a->ndim - 2];
    s.d[a->ndim - 2] = a->d[a->ndim - 1];
    n->shape = s;
    return true;
}

/* Makes numel(S) equal to VALUE where that can be decided; returns 0 if it
 * holds or was solved, 1 if it is false, 2 if it cannot be told yet. */
static int numel_equals(ShapeCtx *cx, Node *n, const Shape *s, int64_t value, DimConflict *why)
{
    Numel m = gvl_shape_numel(cx->g, s);
    if (m.overflow) return 1;
    if (m.nonpositive) return 2;   /* the declaration's own error says why */
    if (m.nvars == 0) return m.coef == value ? 0 : 1;
    if (m.nvars == 1) {
        if (value % m.coef != 0) return 1;
        return unify(cx, n, m.vars[0], dim_const(value / m.coef), why) ? 0 : 1;
    }
    return 2;
}

static bool rule_dot(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    Node *A = n->src[0], *B = n->src[1];
    Numel ma = gvl_shape_numel(g, &A->shape), mb = gvl_shape_numel(g, &B->shape);
    DimConflict why = {-1, -1};
    int r = 0;
    if (ma.nonpositive || mb.nonpositive) r = 2;   /* the declaration's own error says why */
    else if (ma.nvars == 0) r = numel_equals(cx, n, &B->shape, ma.coef, &why);
    else if (mb.nvars == 0) r = numel_equals(cx, n, &A->shape, mb.coef, &why);
    else if (ma.nvars == 1 && mb.nvars == 1 && ma.coef == mb.coef)
        r = unify(cx, n, ma.vars[0], mb.vars[0], &why) ? 0 : 1;
    if (r == 1) {
        bool one_a = ma.nvars == 0 && ma.coef == 1, one_b = mb.nvars == 0 && mb.coef == 1;
        DiagBuilder report;
        fail_begin(&report, cx, n, "%s (%s, %s element%s) and %s (%s, %s element%s) must have the same number of elements",
             node_str(g, A), shape_str(g, &A->shape), numel_str(g, &ma), one_a ? "" : "s",
             node_str(g, B), shape_str(g, &B->shape), numel_str(g, &mb), one_b ? "" : "s");
        gvl_shape_conflict_notes(&report, g, &why);
        gvl_diag_emit(&report);
        return false;
    }
    n->shape = new_shape(g, 0);
    return true;
}

/* ---- reductions and reshaping --------------------------------------- */

/* Normalises dim=K for a tensor of NDIM dims (a scalar accepts 0 and -1). */
static bool check_dim(ShapeCtx *cx, Node *n, int64_t k, int ndim, int *out)
{
    int64_t lim = ndim ? ndim : 1;
    if (k < -lim || k >= lim)
        return fail(cx, n, "dim=%lld is out of range for %s, which has %d dimension%s (%s); "
                    "expected a value from %lld to %lld",
                    (long long)k, node_str(cx->g, n->src[0]), ndim, ndim == 1 ? "" : "s",
                    shape_str(cx->g, &n->src[0]->shape), (long long)-lim, (long long)lim - 1);
    *out = (int)(k < 0 ? k + lim : k);
    return true;
}

static bool rule_reduce(ShapeCtx *cx, Node *n)
{
    const Shape *a = &n->src[0]->shape;
    if (!n->attrs || !n->attrs->dim.set) return rule_scalar(cx, n);
    int k;
    if (!check_dim(cx, n, n->attrs->dim.v, a->ndim, &k)) return false;
    if (a->ndim == 0) return rule_same(cx, n);
    Shape s = new_shape(cx->g, a->ndim - 1);
    for (int i = 0, j = 0; i < a->ndim; i++)
        if (i != k) s.d[j++] = a->d[i];
    n->shape = s;
    return true;
}

static bool rule_softmax(ShapeCtx *cx, Node *n)
{
    int k;
    if (!check_dim(cx, n, n->attrs->dim.v, n->src[0]->shape.ndim, &k)) return false;
    return rule_same(cx, n);
}

static bool rule_reshape(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    const OpAttrs *at = n->attrs;
    Shape s = new_shape(g, at->shape.n);
    int infer = -1;
    int64_t prod = 1;
    for (int i = 0; i < at->shape.n; i++) {
        if (at->shape.d[i] == -1) {
            if (infer >= 0) return fail(cx, n, "only one dimension can be -1");
            infer = i;
            continue;
        }
        if (at->shape.d[i] > DIM_MAX)
            return fail(cx, n, "dimension %lld is too large (the limit is 2^62)", (long long)at->shape.d[i]);
        if (at->shape.d[i] < 1) return fail(cx, n, "dimension %lld is not allowed: use sizes >= 1, or -1 for one inferred size",
                                          (long long)at->shape.d[i]);
        if (__builtin_mul_overflow(prod, at->shape.d[i], &prod))
            return fail(cx, n, "the target shape has more elements than a 64-bit count can hold");
        s.d[i] = dim_const(at->shape.d[i]);
    }
    Numel m = gvl_shape_numel(g, &n->src[0]->shape);
    if (m.nonpositive) {
        /* a size of 0 or less upstream is reported at its declaration */
        for (int i = 0; i < at->shape.n; i++)
            if (i == infer) s.d[i] = dim_const(1);
        n->shape = s;
        return true;
    }
    if (infer >= 0) {
        if (m.nvars == 0) {
            if (m.coef % prod != 0)
                return fail(cx, n, "cannot reshape %s (%s, %lld elements): %lld is not a multiple of %lld",
                            node_str(g, n->src[0]), shape_str(g, &n->src[0]->shape), (long long)m.coef,
                            (long long)m.coef, (long long)prod);
            if (m.coef / prod > DIM_MAX)
                return fail(cx, n, "the inferred size %lld is more than one dimension can hold (2^62)",
                            (long long)(m.coef / prod));
            s.d[infer] = dim_const(m.coef / prod);
        } else if (m.nvars == 1 && m.coef % prod == 0 && m.coef == prod) {
            s.d[infer] = m.vars[0];
        } else {
            s.d[infer] = fresh(cx, n);
        }
        n->shape = s;
        return true;
    }
    DimConflict why = {-1, -1};
    int r = numel_equals(cx, n, &n->src[0]->shape, prod, &why);
    if (r == 1) {
        DiagBuilder report;
        fail_begin(&report, cx, n, "cannot reshape %s (%s, %s elements) to %s (%lld elements): the number of elements must stay the same",
             node_str(g, n->src[0]), shape_str(g, &n->src[0]->shape), numel_str(g, &m),
             shape_str(g, &s), (long long)prod);
        gvl_shape_conflict_notes(&report, g, &why);
        gvl_diag_emit(&report);
        return false;
    }
    n->shape = s;
    return true;
}

static bool rule_vec(ShapeCtx *cx, Node *n)
{
    Numel m = gvl_shape_numel(cx->g, &n->src[0]->shape);
    Shape s = new_shape(cx->g, 2);
    if (m.nvars == 0 && m.coef > DIM_MAX)
        return fail(cx, n, "%s has %lld elements, more than one dimension can hold (2^62)",
                    node_str(cx->g, n->src[0]), (long long)m.coef);
    if (m.nvars == 0) s.d[0] = dim_const(m.coef);
    else if (m.nvars == 1 && m.coef == 1) s.d[0] = m.vars[0];
    else s.d[0] = fresh(cx, n);
    s.d[1] = dim_const(1);
    n->shape = s;
    return true;
}

static Dim dim_add(Dim d, int64_t k)
{
    d.c += k;
    return d;
}

static bool rule_hom(ShapeCtx *cx, Node *n)
{
    const Shape *a = &n->src[0]->shape;
    if (a->ndim != 1 && a->ndim != 2)
        return fail(cx, n, "%s is %s; hom expects a vector [n] or a matrix [n,k] of points in columns",
                    node_str(cx->g, n->src[0]), a->ndim == 0 ? "a scalar" : shape_str(cx->g, a));
    Shape s = new_shape(cx->g, a->ndim);
    memcpy(s.d, a->d, sizeof(Dim) * (size_t)a->ndim);
    s.d[0] = dim_add(a->d[0], 1);
    n->shape = s;
    return true;
}

static bool rule_dehom(ShapeCtx *cx, Node *n)
{
    const Shape *a = &n->src[0]->shape;
    if (a->ndim != 1 && a->ndim != 2)
        return fail(cx, n, "%s is %s; dehom expects a vector [n+1] or a matrix [n+1,k] of points in columns",
                    node_str(cx->g, n->src[0]), a->ndim == 0 ? "a scalar" : shape_str(cx->g, a));
    int64_t rows;
    if (known(cx, a->d[0], &rows) && rows < 2)
        return fail(cx, n, "%s has %lld row; dehom needs at least 2 (the last row is the divisor)",
                    node_str(cx->g, n->src[0]), (long long)rows);
    Shape s = new_shape(cx->g, a->ndim);
    memcpy(s.d, a->d, sizeof(Dim) * (size_t)a->ndim);
    s.d[0] = dim_add(a->d[0], -1);
    n->shape = s;
    return true;
}

/* ---- convolution and pooling ---------------------------------------- */

/* One spatial output size: floor((H + 2p - d(k-1) - 1)/s) + 1. */
static bool out_size(ShapeCtx *cx, Node *n, const char *what, Dim H, int64_t k, int64_t s, int64_t p,
                     int64_t d, bool same, Dim *out, const char *operands)
{
    if (same) {
        *out = H;
        return true;
    }
    int64_t h;
    if (!known(cx, H, &h)) {
        Dim b = gvl_dim_resolve(&cx->g->dims, H);
        if (s == 1) *out = dim_add(b, 2 * p - d * (k - 1));
        else if (cx->g->dims.v[b.v].kind == VAR_SYM || cx->g->dims.v[b.v].kind == VAR_DERIVED) {
            /* pooling over H stays a formula, floor(H/2), until H is known */
            cx->deferred = true;
            *out = (Dim){0, gvl_dim_new_derived(&cx->g->dims, n->loc, b, 2 * p - d * (k - 1) - 1, s)};
        } else *out = fresh(cx, n);
        return true;
    }
    /* a dilated kernel of 2^62 rows would overflow 64 bits: use 128 */
    __int128 wide = (__int128)h + 2 * (__int128)p - (__int128)d * (k - 1) - 1;
    int64_t num = wide < INT64_MIN ? INT64_MIN : wide > INT64_MAX ? INT64_MAX : (int64_t)wide;
    int64_t o = gvl_floor_div(num, s) + 1;
    if (o < 1)
        return fail(cx, n, "output %s floor((%lld + 2*%lld - %lld*(%lld-1) - 1)/%lld) + 1 = %lld < 1 (%s)",
                    what, (long long)h, (long long)p, (long long)d, (long long)k, (long long)s,
                    (long long)o, operands);
    *out = dim_const(o);
    return true;
}

static bool rule_conv2d(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    Node *X = n->src[0], *W = n->src[1];
    const Shape *x = &X->shape, *w = &W->shape;
    const OpAttrs *at = n->attrs;
    const char *ops = gvl_arena_printf(&g->arena, "%s is %s, %s is %s", node_str(g, X), shape_str(g, x),
                                   node_str(g, W), shape_str(g, w));
    if (x->ndim < 2 || x->ndim > 4)
        return fail(cx, n, "the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but %s is %s",
                    node_str(g, X), x->ndim ? shape_str(g, x) : "a scalar");
    int want = x->ndim == 2 ? 2 : 4;
    if (w->ndim != want)
        return fail(cx, n, "%s is %d-D, so the kernel must be %s, but %s is %s", node_str(g, X), x->ndim,
                    want == 2 ? "2-D [kh,kw]" : "4-D [O,C,kh,kw]", node_str(g, W),
                    w->ndim ? shape_str(g, w) : "a scalar");
    if (at->padding.same) {
        for (int i = 0; i < 2; i++)
            if (at->stride[i] != 1)
                return fail(cx, n, "padding=\"same\" needs stride 1 (as in PyTorch), but stride is %lldx%lld",
                            (long long)at->stride[0], (long long)at->stride[1]);
    }
    if (x->ndim > 2) {
        Dim cx_ = x->d[x->ndim - 3], cw = w->d[1];
        DimConflict why;
        if (!unify(cx, n, cx_, cw, &why)) {
            DiagBuilder report;
            fail_begin(&report, cx, n, "%s has %s input channels but %s expects %s (%s)", node_str(g, X), dstr(g, cx_),
                 node_str(g, W), dstr(g, cw), ops);
            gvl_shape_conflict_notes(&report, g, &why);
            gvl_diag_emit(&report);
            return false;
        }
    }
    int64_t k[2];
    for (int i = 0; i < 2; i++) {
        if (!known(cx, w->d[w->ndim - 2 + i], &k[i])) {
            /* an unknown kernel size: the output size is unknown too */
            k[i] = -1;
        }
    }
    Shape s = new_shape(g, x->ndim == 2 ? 2 : x->ndim);
    int base = 0;
    if (x->ndim == 4) s.d[base++] = x->d[0];
    if (x->ndim >= 3) s.d[base++] = w->d[0];
    static const char *what[2] = {"height", "width"};
    for (int i = 0; i < 2; i++) {
        Dim H = x->d[x->ndim - 2 + i];
        if (k[i] < 0) { s.d[base + i] = fresh(cx, n); continue; }
        if (!out_size(cx, n, what[i], H, k[i], at->stride[i], at->padding.v[i], at->dilation[i], at->padding.same,
                      &s.d[base + i], ops))
            return false;
    }
    n->shape = s;
    return true;
}

static bool rule_pool(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    Node *X = n->src[0];
    const Shape *x = &X->shape;
    const OpAttrs *at = n->attrs;
    if (x->ndim < 2 || x->ndim > 4)
        return fail(cx, n, "the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but %s is %s",
                    node_str(g, X), x->ndim ? shape_str(g, x) : "a scalar");
    if (at->padding.same) return fail(cx, n, "padding=\"same\" is only for conv2d");
    for (int i = 0; i < 2; i++)
        if (at->padding.v[i] * 2 > at->kernel_size[i])
            return fail(cx, n, "padding %lld is more than half the kernel size %lld (PyTorch requires "
                        "padding <= kernel/2)", (long long)at->padding.v[i], (long long)at->kernel_size[i]);
    const char *ops = gvl_arena_printf(&g->arena, "%s is %s, kernel %lldx%lld, stride %lldx%lld", node_str(g, X),
                                   shape_str(g, x), (long long)at->kernel_size[0], (long long)at->kernel_size[1],
                                   (long long)at->stride[0], (long long)at->stride[1]);
    Shape s = new_shape(g, x->ndim);
    memcpy(s.d, x->d, sizeof(Dim) * (size_t)x->ndim);
    static const char *what[2] = {"height", "width"};
    for (int i = 0; i < 2; i++)
        if (!out_size(cx, n, what[i], x->d[x->ndim - 2 + i], at->kernel_size[i], at->stride[i], at->padding.v[i], 1,
                      false, &s.d[x->ndim - 2 + i], ops))
            return false;
    n->shape = s;
    return true;
}

/* cross_entropy(z, c): one sample, z [C] or [1,C] with c a scalar; or a
 * batch, z [N,C] with c [N].  The classes are values, not computed: a
 * number or a label, each a whole number in 0..C-1 (a number is checked
 * here, a label's values when they are known, in eval.c). */
static bool rule_cross_entropy(ShapeCtx *cx, Node *n)
{
    Graph *g = cx->g;
    Node *Z = n->src[0], *T = n->src[1];
    const Shape *z = &Z->shape, *t = &T->shape;
    int64_t one;
    if (z->ndim != 1 && z->ndim != 2)
        return fail(cx, n, "the logits must be [C] for one sample or [N,C] for a batch, but %s is %s", node_str(g, Z),
                    z->ndim ? shape_str(g, z) : "a scalar");
    if (T->kind != NK_LABEL && T->kind != NK_CONST)
        return fail(cx, n, "the classes must be a number or a label of class indices, but %s is %s",
                    node_str(g, T), T->kind == NK_OP ? "computed" : T->kind == NK_PARAM ? "a param (train would "
                    "change it)" : "an input (gradcheck would perturb it)");
    if (t->ndim == 0) {
        if (z->ndim == 2 && !(known(cx, z->d[0], &one) && one == 1))
            return fail(cx, n, "%s is %s, a batch of %s samples, so the classes must be a label [%s], but %s is "
                        "a scalar", node_str(g, Z), shape_str(g, z), dstr(g, z->d[0]), dstr(g, z->d[0]),
                        node_str(g, T));
    } else if (t->ndim == 1 && z->ndim == 2) {
        DimConflict why;
        if (!unify(cx, n, z->d[0], t->d[0], &why)) {
            DiagBuilder report;
            fail_begin(&report, cx, n, "%s holds %s samples but %s holds %s classes (%s is %s, %s is %s)",
                       node_str(g, Z), dstr(g, z->d[0]), node_str(g, T), dstr(g, t->d[0]), node_str(g, Z),
                       shape_str(g, z), node_str(g, T), shape_str(g, t));
            gvl_shape_conflict_notes(&report, g, &why);
            gvl_diag_emit(&report);
            return false;
        }
    } else {
        return fail(cx, n, "the classes must be a scalar for logits [C], or [N] for logits [N,C], but %s is %s "
                    "and %s is %s", node_str(g, T), shape_str(g, t), node_str(g, Z), shape_str(g, z));
    }
    int64_t c;
    if (T->literal && T->init) {
        double k = T->init->vals[0];
        if (k != floor(k) || k < 0)
            return fail(cx, n, "the class %s is not a class index, a whole number >= 0", node_str(g, T));
        if (known(cx, z->d[z->ndim - 1], &c) && k >= (double)c)
            return fail(cx, n, "class %lld is out of range: %s has %lld classes (0 to %lld)", (long long)k,
                        node_str(g, Z), (long long)c, (long long)c - 1);
    }
    return rule_scalar(cx, n);
}

/* ---- driver ---------------------------------------------------------- */

typedef bool (*ShapeRule)(ShapeCtx *cx, Node *n);

/* The rule column of the op registry. */
static const ShapeRule rules[] = {
#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params) rule,
#include "ops.def"
#undef OP
};
_Static_assert(sizeof rules / sizeof rules[0] == OP_COUNT, "a shape rule per op");

bool gvl_shape_infer(ShapeCtx *cx, Node *n)
{
    for (int i = 0; i < n->nsrc; i++)
        if (n->src[i]->failed) {
            n->failed = true;
            return false;
        }
    /* a rule cannot check what it does not know yet: with an unknown
     * operand size, run every rule once more when all sizes are in */
    for (int i = 0; i < n->nsrc && !cx->deferred; i++)
        for (int k = 0; k < n->src[i]->shape.ndim; k++)
            if (!gvl_dim_known(&cx->g->dims, n->src[i]->shape.d[k], NULL)) {
                cx->deferred = true;
                break;
            }
    Shape before = n->shape;
    if (!rules[n->op](cx, n)) {
        n->failed = true;
        return false;
    }
    if (cx->recheck && before.d) {
        /* later statements may have pinned a size this rule left open */
        bool ok = before.ndim == n->shape.ndim;
        DimConflict why = {-1, -1};
        for (int i = 0; ok && i < before.ndim; i++)
            ok = gvl_dim_unify(&cx->g->dims, before.d[i], n->shape.d[i], n->loc, &why);
        if (!ok) {
            DiagBuilder report;
            fail_begin(&report, cx, n, "the result is %s once every size is known, but it was used as %s",
                 shape_str(cx->g, &n->shape), shape_str(cx->g, &before));
            gvl_shape_conflict_notes(&report, cx->g, &why);
            gvl_diag_emit(&report);
            n->failed = true;
            return false;
        }
    }
    return true;
}
