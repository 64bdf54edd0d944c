/*
 * linalg.c - the linear-algebra kernels: matmul (torch.matmul in every
 * form), transpose (swap the last two dims) and dot (inner product of two
 * tensors with equal numel), each with its vector-Jacobian product.
 *
 * matmul reduces every form to one loop: a 1-D left operand is a [1,K]
 * row, a 1-D right operand a [K,1] column (torch's unsqueeze), and a
 * missing size-1 dim does not change a row-major layout, so OUT is always
 * [batch..., M, N] in memory whatever its declared rank.  Batch dims are
 * broadcast with per-matrix strides that are 0 along broadcast dims; the
 * backward pass adds through the same strides, which is exactly the sum
 * over broadcast batch dims that autograd performs.
 */
#include "kernels.h"

/* The sizes of one matmul, read from the operands' dims. */
typedef struct MatmulDims {
    int64_t M, K, N;
    int nb;                               /* batch dims of OUT */
    const int64_t *bdims;                 /* OUT's batch dims (a prefix of out->dims) */
    int64_t sa[TENSOR_MAX_RANK];          /* A's stride per batch dim, in matrices; 0 = broadcast */
    int64_t sb[TENSOR_MAX_RANK];
} MatmulDims;

/* Matrix strides of the batch part of T (its dims before the last two),
 * aligned to the right against OUT's NB batch dims. */
static void batch_strides(const Tensor *t, int nb, int64_t *s)
{
    int tb = t->ndim > 2 ? t->ndim - 2 : 0;   /* T's own batch dims */
    int64_t step = 1;
    for (int i = nb - 1; i >= 0; i--) {
        int k = tb - nb + i;
        s[i] = (k < 0 || t->dims[k] == 1) ? 0 : step;
        if (k >= 0) step *= t->dims[k];
    }
}

static void matmul_dims(const Tensor *a, const Tensor *b, const Tensor *out, MatmulDims *d)
{
    d->K = a->dims[a->ndim - 1];
    d->M = a->ndim >= 2 ? a->dims[a->ndim - 2] : 1;
    d->N = b->ndim >= 2 ? b->dims[b->ndim - 1] : 1;
    d->nb = out->ndim - (a->ndim >= 2) - (b->ndim >= 2);
    d->bdims = out->dims;
    batch_strides(a, d->nb, d->sa);
    batch_strides(b, d->nb, d->sb);
}

static int64_t batch_count(const MatmulDims *d)
{
    int64_t n = 1;
    for (int i = 0; i < d->nb; i++) n *= d->bdims[i];
    return n;
}

void gvl_fwd_matmul(const Node *n, const Tensor *const *in, Tensor *out)
{
    MatmulDims d;
    matmul_dims(in[0], in[1], out, &d);
    const int64_t M = d.M, K = d.K, N = d.N, nbatch = batch_count(&d);
    BcastIter it;
    gvl_bcast_iter_init(&it, d.nb, d.bdims, d.sa, d.sb);
    for (int64_t t = 0; t < nbatch; t++, gvl_bcast_iter_next(&it)) {
        const double *A = in[0]->data + it.oa * M * K;   // [M,K]
        const double *B = in[1]->data + it.ob * K * N;   // [K,N]
        double *C = out->data + t * M * N;               // [M,N]
        gvl_gemm(false, false, M, N, K, A, B, 0.0, C);
    }
    (void)n;
}

void gvl_bwd_matmul(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    MatmulDims d;
    matmul_dims(in[0], in[1], out, &d);
    const int64_t M = d.M, K = d.K, N = d.N, nbatch = batch_count(&d);
    BcastIter it;
    gvl_bcast_iter_init(&it, d.nb, d.bdims, d.sa, d.sb);
    for (int64_t t = 0; t < nbatch; t++, gvl_bcast_iter_next(&it)) {
        const double *A = in[0]->data + it.oa * M * K;   // [M,K]
        const double *B = in[1]->data + it.ob * K * N;   // [K,N]
        const double *G = gout->data + t * M * N;        // [M,N]
        /* dA += G @ B^T, dB += A^T @ G: with broadcast batch dims several
         * batches add into the same matrix, so both accumulate (beta 1) */
        if (gin[0]) gvl_gemm(false, true, M, K, N, G, B, 1.0, gin[0]->data + it.oa * M * K);
        if (gin[1]) gvl_gemm(true, false, K, N, M, A, G, 1.0, gin[1]->data + it.ob * K * N);
    }
    (void)n;
}

/* ---- transpose: [..., R, C] -> [..., C, R]; rank < 2 is a copy ------------- */

void gvl_fwd_transpose(const Node *n, const Tensor *const *in, Tensor *out)
{
    const Tensor *a = in[0];
    if (a->ndim < 2) {
        gvl_tensor_copy(out, a);
        return;
    }
    const int64_t R = a->dims[a->ndim - 2], C = a->dims[a->ndim - 1];
    const int64_t nmat = a->numel / (R * C);
    for (int64_t t = 0; t < nmat; t++) {
        const double *x = a->data + t * R * C;   // [R,C]
        double *y = out->data + t * R * C;       // [C,R]
        for (int64_t i = 0; i < R; i++)
            for (int64_t j = 0; j < C; j++) y[j * R + i] = x[i * C + j];
    }
    (void)n;
}

void gvl_bwd_transpose(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    const Tensor *a = in[0];
    double *gx = gin[0]->data;
    if (a->ndim < 2) {
        for (int64_t i = 0; i < a->numel; i++) gx[i] += gout->data[i];
        return;
    }
    const int64_t R = a->dims[a->ndim - 2], C = a->dims[a->ndim - 1];
    const int64_t nmat = a->numel / (R * C);
    for (int64_t t = 0; t < nmat; t++) {
        const double *g = gout->data + t * R * C;   // [C,R]
        double *gm = gx + t * R * C;                // [R,C]
        for (int64_t i = 0; i < R; i++)
            for (int64_t j = 0; j < C; j++) gm[i * C + j] += g[j * R + i];
    }
    (void)n;
    (void)out;
}

/* ---- dot: both operands read flat, row-major ------------------------------- */

void gvl_fwd_dot(const Node *n, const Tensor *const *in, Tensor *out)
{
    const double *a = in[0]->data, *b = in[1]->data;
    double s = 0.0;
    for (int64_t i = 0; i < in[0]->numel; i++) s += a[i] * b[i];
    out->data[0] = s;
    (void)n;
}

void gvl_bwd_dot(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    const double g = gout->data[0];
    const double *a = in[0]->data, *b = in[1]->data;
    const int64_t len = in[0]->numel;
    /* dot(x, x) may hand the same GIN twice: each pass only adds */
    if (gin[0])
        for (int64_t i = 0; i < len; i++) gin[0]->data[i] += g * b[i];
    if (gin[1])
        for (int64_t i = 0; i < len; i++) gin[1]->data[i] += g * a[i];
    (void)n;
    (void)out;
}
