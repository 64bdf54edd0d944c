/*
 * shape_ops.c - ops that move values without arithmetic (reshape, vec)
 * and the homogeneous-coordinate pair hom/dehom.
 *
 * vec stacks columns (column-major), so it is a permutation: element
 * (i0, i1, ..., ik) of a [d0, ..., dk] tensor lands at
 * i0 + d0*(i1 + d1*(i2 + ...)).  Its backward is the inverse permutation.
 */
#include "kernels.h"

#include <string.h>

void gvl_fwd_reshape(const Node *n, const Tensor *const *in, Tensor *out)
{
    gvl_tensor_copy(out, in[0]);   /* both row-major: the same sequence of values */
}

void gvl_bwd_reshape(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    for (int64_t i = 0; i < gout->numel; i++) gin[0]->data[i] += gout->data[i];
}

/* Walks T in row-major order, tracking each element's column-major position:
 * SCATTER copies SRC[row-major] to DST[column-major] (forward); otherwise
 * it adds SRC[column-major] into DST[row-major] (backward). */
static void colmajor_walk(const Tensor *t, double *dst, const double *src, bool scatter)
{
    int64_t idx[TENSOR_MAX_RANK] = {0}, weight[TENSOR_MAX_RANK];
    int64_t w = 1;
    for (int k = 0; k < t->ndim; k++) {   /* the first index varies fastest */
        weight[k] = w;
        w *= t->dims[k];
    }
    int64_t pos = 0;
    for (int64_t i = 0; i < t->numel; i++) {
        if (scatter) dst[pos] = src[i];   /* forward: row-major i -> column-major pos */
        else dst[i] += src[pos];          /* backward: gather it back */
        for (int k = t->ndim - 1; k >= 0; k--) {
            idx[k]++;
            pos += weight[k];
            if (idx[k] < t->dims[k]) break;
            pos -= weight[k] * t->dims[k];
            idx[k] = 0;
        }
    }
}

void gvl_fwd_vec(const Node *n, const Tensor *const *in, Tensor *out)
{
    colmajor_walk(in[0], out->data, in[0]->data, true);
}

void gvl_bwd_vec(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (gin[0]) colmajor_walk(in[0], gin[0]->data, gout->data, false);
}

/* [n] -> [n+1], [n,k] -> [n+1,k]: the rows, then a row of ones */
void gvl_fwd_hom(const Node *n, const Tensor *const *in, Tensor *out)
{
    memcpy(out->data, in[0]->data, sizeof(double) * (size_t)in[0]->numel);
    for (int64_t i = in[0]->numel; i < out->numel; i++) out->data[i] = 1.0;
}

void gvl_bwd_hom(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    for (int64_t i = 0; i < in[0]->numel; i++) gin[0]->data[i] += gout->data[i];
}

/* [n+1,k] -> [n,k]: y[i][j] = x[i][j] / x[n][j] (a vector is one column) */
void gvl_fwd_dehom(const Node *n, const Tensor *const *in, Tensor *out)
{
    const Tensor *x = in[0];
    int64_t rows = x->dims[0] - 1, cols = x->ndim == 2 ? x->dims[1] : 1;
    const double *last = x->data + rows * cols;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) out->data[i * cols + j] = x->data[i * cols + j] / last[j];
}

void gvl_bwd_dehom(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    const Tensor *x = in[0];
    int64_t rows = x->dims[0] - 1, cols = x->ndim == 2 ? x->dims[1] : 1;
    const double *last = x->data + rows * cols;
    double *glast = gin[0]->data + rows * cols;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            double g = gout->data[i * cols + j];
            gin[0]->data[i * cols + j] += g / last[j];
            /* as div: (x / last) / last, never last * last, which overflows */
            glast[j] -= g * ((x->data[i * cols + j] / last[j]) / last[j]);
        }
}
