/*
 * jacobian.c - one edge's Jacobian: its structure, its matrix, and a row
 * vector times it.
 *
 * The matrix is built from the op's backward kernel, which computes a
 * vector-Jacobian product: with dL/dV = e_r (a one at row-major position r)
 * the kernel returns row r of d V / d U.  Rows and columns are then put in
 * column-major order, the convention of every table.  The kernels are the
 * ones eval uses; tests/check_jacobian.c checks each op's matrix against
 * central differences of its forward kernel.
 */
#include "jacobian.h"

#include "format.h"
#include "kernels.h"

#include <string.h>

void gvl_colmajor_map(int ndim, const int64_t *dims, int64_t numel, int64_t *map)
{
    /* walk in row-major order; the first index varies fastest in column-major */
    int64_t idx[TENSOR_MAX_RANK] = {0}, weight[TENSOR_MAX_RANK];
    int64_t w = 1;
    for (int k = 0; k < ndim; k++) {
        weight[k] = w;
        w *= dims[k];
    }
    int64_t pos = 0;
    for (int64_t r = 0; r < numel; r++) {
        map[r] = pos;
        for (int k = ndim - 1; k >= 0; k--) {
            idx[k]++;
            pos += weight[k];
            if (idx[k] < dims[k]) break;
            pos -= weight[k] * dims[k];
            idx[k] = 0;
        }
    }
}

/* ---- structure ---------------------------------------------------------------- */

static bool numel_equal(const Numel *a, const Numel *b)
{
    if (a->coef != b->coef || a->nvars != b->nvars || a->overflow || b->overflow) return false;
    bool used[SHAPE_MAX_RANK] = {false};
    for (int i = 0; i < a->nvars; i++) {
        bool found = false;
        for (int j = 0; j < b->nvars && !found; j++)
            if (!used[j] && a->vars[i].v == b->vars[j].v && a->vars[i].c == b->vars[j].c) used[j] = found = true;
        if (!found) return false;
    }
    return true;
}

/* The concrete dims of N, or false while a size is unknown. */
static bool dims_of(const Graph *g, const Node *n, int64_t *dims, int64_t *numel)
{
    *numel = 1;
    for (int k = 0; k < n->shape.ndim; k++) {
        if (!gvl_dim_value(&g->dims, n->shape.d[k], &dims[k])) return false;
        *numel *= dims[k];
    }
    return true;
}

enum { GATHER_LIMIT = 1 << 20 };

/* For a gather (a SELECTION op of one operand, numel(U) = numel(V)): true
 * when it keeps every element at its column-major place, so its Jacobian
 * is the identity.  The op's forward kernel runs on the element indices of
 * U: each output element then says where it came from. */
static bool gather_is_identity(const Graph *g, const Node *v, const Node *u)
{
    int64_t du[TENSOR_MAX_RANK], dv[TENSOR_MAX_RANK], nu, nv;
    if (!dims_of(g, u, du, &nu) || !dims_of(g, v, dv, &nv) || nu != nv || nu > GATHER_LIMIT) return false;
    TensorPool pool = {GATHER_LIMIT, 4 * (int64_t)GATHER_LIMIT, 0, false, {0}};
    Tensor *in = gvl_tensor_new(&pool, u->shape.ndim, du), *out = gvl_tensor_new(&pool, v->shape.ndim, dv);
    int64_t *mu = gvl_xmalloc(sizeof *mu * (size_t)nu), *mv = gvl_xmalloc(sizeof *mv * (size_t)nv);
    bool same = in && out;
    if (same) {
        for (int64_t r = 0; r < nu; r++) in->data[r] = (double)r;
        const Tensor *args[OP_MAX_ARGS] = {in, NULL};
        gvl_op_forward[v->op](v, args, out);
        gvl_colmajor_map(u->shape.ndim, du, nu, mu);
        gvl_colmajor_map(v->shape.ndim, dv, nv, mv);
        for (int64_t r = 0; same && r < nv; r++) {
            int64_t from = (int64_t)out->data[r];
            same = from >= 0 && from < nu && (double)from == out->data[r] && mu[from] == mv[r];
        }
    }
    free(mu);
    free(mv);
    gvl_tensor_free(&pool, in);
    gvl_tensor_free(&pool, out);
    return same;
}

/* The registry's words for the matrix with {0} and {1} replaced by the
 * operands' names, parenthesised when they are expressions that are not
 * already the argument of a call: x^T, (a + b)^T, cos(a + b). */
static void fill_note(StrBuf *out, const Graph *g, const Node *v, const char *note)
{
    for (const char *p = note; *p; p++) {
        if (p[0] == '{' && p[1] >= '0' && p[1] < '0' + v->nsrc && p[2] == '}') {
            StrBuf name = {0};
            gvl_fmt_display_name(&name, g, v->src[p[1] - '0']);
            bool enclosed = p > note && p[-1] == '(' && p[3] == ')';
            bool wrap = !enclosed && gvl_fmt_needs_parens(gvl_sb_str(&name));
            gvl_sb_printf(out, wrap ? "(%s)" : "%s", gvl_sb_str(&name));
            gvl_sb_free(&name);
            p += 2;
        } else {
            gvl_sb_putc(out, *p);
        }
    }
}

JacKind gvl_jac_structure(const Graph *g, const Node *v, const Node *u, StrBuf *note)
{
    const OpInfo *info = &gvl_op_table[v->op];
    int k0 = -1, uses = 0;
    for (int k = 0; k < v->nsrc; k++)
        if (v->src[k] == u) {
            if (k0 < 0) k0 = k;
            uses++;
        }
    JacKind kind = info->jac[k0];
    const char *text = info->jac_note[k0];
    Numel mu = gvl_shape_numel(g, &u->shape), mv = gvl_shape_numel(g, &v->shape);
    if (uses > 1) {
        /* c + c, c * c, c @ c: the sum of both operands' Jacobians */
        JacKind other = info->jac[k0 == 0 ? 1 : 0];
        bool elementwise = (kind == JAC_IDENTITY || kind == JAC_DIAG) && (other == JAC_IDENTITY || other == JAC_DIAG);
        kind = elementwise ? JAC_DIAG : JAC_DENSE;
        text = "the sum of its Jacobians as each operand";
    } else if ((kind == JAC_IDENTITY || kind == JAC_DIAG) && info->max_args == 2 && !numel_equal(&mu, &mv)) {
        /* a broadcast operand: each of its elements feeds several outputs */
        kind = kind == JAC_IDENTITY ? JAC_SELECTION : JAC_DENSE;
        text = kind == JAC_SELECTION ? "ones where an element of the result is a copy of it (broadcasting)" : NULL;
    } else if (kind == JAC_KRON) {
        /* the Kronecker form holds matrix by matrix; batched, block by block */
        if (v->src[0]->shape.ndim > 2 || v->src[1]->shape.ndim > 2) text = NULL;
    } else if (kind == JAC_SELECTION && info->max_args == 1 && numel_equal(&mu, &mv) && gather_is_identity(g, v, u)) {
        /* a transposed column, a reshape that keeps the order: nothing moves */
        kind = JAC_IDENTITY;
        text = "I: every element keeps its place in vec";
    }
    if (note && text) fill_note(note, g, v, text);
    return kind;
}

/* ---- values ---------------------------------------------------------------------- */

/* The backward kernel of V with dL/dV = GOUT, the gradient of operand U
 * (both slots, when U is both operands) into GIN. */
static void backward_into(const Values *vals, const Node *v, const Node *u, const Tensor *gout, Tensor *gin)
{
    const Tensor *in[OP_MAX_ARGS] = {NULL, NULL};
    Tensor *gins[OP_MAX_ARGS] = {NULL, NULL};
    for (int k = 0; k < v->nsrc; k++) {
        in[k] = vals->val[v->src[k]->id];
        if (v->src[k] == u) gins[k] = gin;
    }
    gvl_op_backward[v->op](v, in, vals->val[v->id], gout, gins);
}

bool gvl_jac_vjp(const Values *vals, const Node *v, const Node *u, const double *p, double *out)
{
    const Tensor *tv = vals->val[v->id], *tu = vals->val[u->id];
    TensorPool pool = {tv->numel + tu->numel, tv->numel + tu->numel, 0, false, {0}};
    Tensor *gout = gvl_tensor_like(&pool, tv), *gin = gvl_tensor_like(&pool, tu);
    int64_t *mv = malloc(sizeof *mv * (size_t)tv->numel), *mu = malloc(sizeof *mu * (size_t)tu->numel);
    bool ok = gout && gin && mv && mu;
    if (ok) {
        gvl_colmajor_map(tv->ndim, tv->dims, tv->numel, mv);
        gvl_colmajor_map(tu->ndim, tu->dims, tu->numel, mu);
        for (int64_t r = 0; r < tv->numel; r++) gout->data[r] = p[mv[r]];
        backward_into(vals, v, u, gout, gin);
        for (int64_t r = 0; r < tu->numel; r++) out[mu[r]] = gin->data[r];
    }
    free(mv);
    free(mu);
    gvl_tensor_free(&pool, gout);
    gvl_tensor_free(&pool, gin);
    return ok;
}

bool gvl_jac_matrix(const Values *vals, const Node *v, const Node *u, int64_t max_entries, JacMatrix *out)
{
    memset(out, 0, sizeof *out);
    const Tensor *tv = vals->val[v->id], *tu = vals->val[u->id];
    int64_t entries;
    if (__builtin_mul_overflow(tv->numel, tu->numel, &entries) || entries > max_entries) return false;
    TensorPool pool = {tv->numel + tu->numel, tv->numel + tu->numel, 0, false, {0}};
    Tensor *gout = gvl_tensor_like(&pool, tv), *gin = gvl_tensor_like(&pool, tu);
    int64_t *mv = malloc(sizeof *mv * (size_t)tv->numel), *mu = malloc(sizeof *mu * (size_t)tu->numel);
    double *data = calloc((size_t)entries ? (size_t)entries : 1, sizeof *data);
    bool ok = gout && gin && mv && mu && data;
    if (ok) {
        gvl_colmajor_map(tv->ndim, tv->dims, tv->numel, mv);
        gvl_colmajor_map(tu->ndim, tu->dims, tu->numel, mu);
        for (int64_t r = 0; r < tv->numel; r++) {
            /* row mv[r] of the Jacobian: d V[r] / d U, one backward call */
            memset(gin->data, 0, sizeof(double) * (size_t)tu->numel);
            gout->data[r] = 1.0;
            backward_into(vals, v, u, gout, gin);
            gout->data[r] = 0.0;
            double *row = data + mv[r] * tu->numel;
            for (int64_t c = 0; c < tu->numel; c++) row[mu[c]] = gin->data[c];
        }
        out->rows = tv->numel;
        out->cols = tu->numel;
        out->data = data;
    } else {
        free(data);
    }
    free(mv);
    free(mu);
    gvl_tensor_free(&pool, gout);
    gvl_tensor_free(&pool, gin);
    return ok;
}

void gvl_jac_matrix_free(JacMatrix *m)
{
    free(m->data);
    memset(m, 0, sizeof *m);
}
