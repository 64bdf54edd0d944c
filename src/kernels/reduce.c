/*
 * reduce.c - reductions to fewer elements: sum, mean, max, norm, and the
 * two squared-error losses.
 *
 * sum and mean over dim=k view the input as [outer, k, inner], so one
 * loop nest serves every rank and every k.
 */
#include "kernels.h"

#include <math.h>

/* [outer, nk, inner] around dimension K of T (every element when !has_dim). */
static void split(const Node *n, const Tensor *t, int64_t *outer, int64_t *nk, int64_t *inner)
{
    *outer = 1;
    *inner = 1;
    *nk = t->numel;
    if (!n->attrs || !n->attrs->dim.set || t->ndim == 0) {
        *nk = t->numel;
        return;
    }
    int k = (int)(n->attrs->dim.v < 0 ? n->attrs->dim.v + t->ndim : n->attrs->dim.v);
    for (int i = 0; i < k; i++) *outer *= t->dims[i];
    *nk = t->dims[k];
    for (int i = k + 1; i < t->ndim; i++) *inner *= t->dims[i];
}

static void reduce_fwd(const Node *n, const Tensor *x, Tensor *out, bool mean)
{
    int64_t outer, nk, inner;
    split(n, x, &outer, &nk, &inner);
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            double s = 0;
            for (int64_t j = 0; j < nk; j++) s += x->data[(o * nk + j) * inner + i];
            out->data[o * inner + i] = mean ? s / (double)nk : s;
        }
}

static void reduce_bwd(const Node *n, const Tensor *x, const Tensor *gout, Tensor *gin, bool mean)
{
    if (!gin) return;
    int64_t outer, nk, inner;
    split(n, x, &outer, &nk, &inner);
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            double g = gout->data[o * inner + i];
            if (mean) g /= (double)nk;
            for (int64_t j = 0; j < nk; j++) gin->data[(o * nk + j) * inner + i] += g;
        }
}

void gvl_fwd_sum(const Node *n, const Tensor *const *in, Tensor *out) { reduce_fwd(n, in[0], out, false); }
void gvl_fwd_mean(const Node *n, const Tensor *const *in, Tensor *out) { reduce_fwd(n, in[0], out, true); }

void gvl_bwd_sum(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    reduce_bwd(n, in[0], gout, gin[0], false);
}

void gvl_bwd_mean(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    reduce_bwd(n, in[0], gout, gin[0], true);
}

/* max of all elements; NaN wins, as in PyTorch */
void gvl_fwd_max(const Node *n, const Tensor *const *in, Tensor *out)
{
    double m = -INFINITY;
    for (int64_t i = 0; i < in[0]->numel; i++) {
        double x = in[0]->data[i];
        if (x != x) { m = x; break; }
        if (x > m) m = x;
    }
    out->data[0] = m;
}

/* every element equal to the max shares the gradient evenly */
void gvl_bwd_max(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    double m = out->data[0];
    int64_t ties = 0;
    for (int64_t i = 0; i < in[0]->numel; i++) {
        double x = in[0]->data[i];
        ties += x == m || (x != x && m != m);
    }
    double g = gout->data[0] / (double)ties;
    for (int64_t i = 0; i < in[0]->numel; i++) {
        double x = in[0]->data[i];
        if (x == m || (x != x && m != m)) gin[0]->data[i] += g;
    }
}

void gvl_fwd_norm(const Node *n, const Tensor *const *in, Tensor *out)
{
    double s = 0;
    for (int64_t i = 0; i < in[0]->numel; i++) s += in[0]->data[i] * in[0]->data[i];
    out->data[0] = sqrt(s);
}

/* x / |x|, and 0 where the norm is 0 (PyTorch's subgradient) */
void gvl_bwd_norm(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    double norm = out->data[0];
    if (norm == 0) return;
    double g = gout->data[0] / norm;
    for (int64_t i = 0; i < in[0]->numel; i++) gin[0]->data[i] += g * in[0]->data[i];
}

/* ---- squared errors over the broadcast shape of y and t --------------- */

/* The broadcast walk over y and t shared by both passes; returns the
 * number of broadcast elements. */
static int64_t sq_err_walk(const Tensor *y, const Tensor *t, BcastIter *it, int64_t *dims, int64_t *sy, int64_t *st)
{
    int nd;
    gvl_tensor_bcast_shape(y, t, &nd, dims);
    gvl_tensor_bcast_strides(y, nd, dims, sy);
    gvl_tensor_bcast_strides(t, nd, dims, st);
    int64_t total = 1;
    for (int i = 0; i < nd; i++) total *= dims[i];
    gvl_bcast_iter_init(it, nd, dims, sy, st);
    return total;
}

static double sq_err_fwd(const Tensor *y, const Tensor *t, int64_t *count)
{
    int64_t dims[TENSOR_MAX_RANK], sy[TENSOR_MAX_RANK], st[TENSOR_MAX_RANK];
    BcastIter it;
    int64_t total = sq_err_walk(y, t, &it, dims, sy, st);
    double s = 0;
    for (int64_t i = 0; i < total; i++, gvl_bcast_iter_next(&it)) {
        double d = y->data[it.oa] - t->data[it.ob];
        s += d * d;
    }
    *count = total;
    return s;
}

/* Adds SCALE * (y - t) to dL/dy and subtracts it from dL/dt; SCALE may
 * depend on the count, which the walk returns before the first step. */
static void sq_err_bwd(const Tensor *y, const Tensor *t, double g, bool mean, Tensor *gy, Tensor *gt)
{
    int64_t dims[TENSOR_MAX_RANK], sy[TENSOR_MAX_RANK], st[TENSOR_MAX_RANK];
    BcastIter it;
    int64_t total = sq_err_walk(y, t, &it, dims, sy, st);
    double scale = mean ? 2.0 * g / (double)total : 2.0 * g;
    for (int64_t i = 0; i < total; i++, gvl_bcast_iter_next(&it)) {
        double d = scale * (y->data[it.oa] - t->data[it.ob]);
        if (gy) gy->data[it.oa] += d;
        if (gt) gt->data[it.ob] -= d;
    }
}

void gvl_fwd_mse(const Node *n, const Tensor *const *in, Tensor *out)
{
    int64_t count;
    double s = sq_err_fwd(in[0], in[1], &count);
    out->data[0] = s / (double)count;
}

void gvl_bwd_mse(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    sq_err_bwd(in[0], in[1], gout->data[0], true, gin[0], gin[1]);
}

void gvl_fwd_sse(const Node *n, const Tensor *const *in, Tensor *out)
{
    int64_t count;
    out->data[0] = sq_err_fwd(in[0], in[1], &count);
}

void gvl_bwd_sse(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    sq_err_bwd(in[0], in[1], gout->data[0], false, gin[0], gin[1]);
}
