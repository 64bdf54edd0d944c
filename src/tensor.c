/*
 * tensor.c - allocation under limits, and broadcasting index arithmetic.
 *
 * Every allocation is checked against the per-tensor and total limits
 * before it happens, so an absurd graph gets a diagnostic instead of an
 * out-of-memory kill.
 */
#include "tensor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Tensor *gvl_tensor_new(TensorPool *pool, int ndim, const int64_t *dims)
{
    int64_t numel = 1;
    for (int i = 0; i < ndim; i++)
        if (__builtin_mul_overflow(numel, dims[i], &numel)) numel = INT64_MAX;
    if (numel > pool->max_elements) {
        pool->failed = true;
        snprintf(pool->reason, sizeof pool->reason,
                 "a tensor of %lld elements is over the limit of %lld (raise it with --max-elements)",
                 (long long)numel, (long long)pool->max_elements);
        return NULL;
    }
    if (numel > pool->max_total - pool->live) {
        pool->failed = true;
        snprintf(pool->reason, sizeof pool->reason,
                 "the values would need more than %lld elements (%lld MiB) in all",
                 (long long)pool->max_total, (long long)(pool->max_total * 8 >> 20));
        return NULL;
    }
    Tensor *t = calloc(1, sizeof *t);
    int64_t *d = calloc((size_t)(ndim ? ndim : 1), sizeof *d);
    double *data = calloc((size_t)numel, sizeof *data);
    if (!t || !d || !data) {
        free(t);
        free(d);
        free(data);
        pool->failed = true;
        snprintf(pool->reason, sizeof pool->reason, "out of memory allocating %lld elements", (long long)numel);
        return NULL;
    }
    memcpy(d, dims, sizeof *d * (size_t)ndim);
    t->ndim = ndim;
    t->dims = d;
    t->numel = numel;
    t->data = data;
    pool->live += numel;
    return t;
}

Tensor *gvl_tensor_like(TensorPool *pool, const Tensor *t)
{
    return gvl_tensor_new(pool, t->ndim, t->dims);
}

void gvl_tensor_free(TensorPool *pool, Tensor *t)
{
    if (!t) return;
    pool->live -= t->numel;
    free(t->dims);
    free(t->data);
    free(t);
}

void gvl_tensor_copy(Tensor *dst, const Tensor *src)
{
    memcpy(dst->data, src->data, sizeof(double) * (size_t)src->numel);
}

void gvl_tensor_fill(Tensor *t, double v)
{
    for (int64_t i = 0; i < t->numel; i++) t->data[i] = v;
}

void gvl_tensor_bcast_strides(const Tensor *t, int out_ndim, const int64_t *out_dims, int64_t *strides)
{
    int64_t s = 1;
    for (int i = out_ndim - 1; i >= 0; i--) {
        int k = t->ndim - out_ndim + i;   /* t's dim aligned with out's dim i */
        if (k < 0 || t->dims[k] == 1) {
            strides[i] = 0;
        } else {
            strides[i] = s;
        }
        if (k >= 0) s *= t->dims[k];
    }
    (void)out_dims;
}

void gvl_bcast_iter_init(BcastIter *it, int ndim, const int64_t *dims, const int64_t *sa, const int64_t *sb)
{
    it->ndim = ndim;
    it->dims = dims;
    memset(it->idx, 0, sizeof(int64_t) * (size_t)ndim);
    it->sa = sa;
    it->sb = sb;
    it->oa = it->ob = 0;
}

void gvl_bcast_iter_next(BcastIter *it)
{
    for (int i = it->ndim - 1; i >= 0; i--) {
        it->idx[i]++;
        it->oa += it->sa ? it->sa[i] : 0;
        it->ob += it->sb ? it->sb[i] : 0;
        if (it->idx[i] < it->dims[i]) return;
        it->oa -= (it->sa ? it->sa[i] : 0) * it->dims[i];
        it->ob -= (it->sb ? it->sb[i] : 0) * it->dims[i];
        it->idx[i] = 0;
    }
}

void gvl_tensor_bcast_shape(const Tensor *a, const Tensor *b, int *ndim, int64_t *dims)
{
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < nd; i++) {
        int ia = a->ndim - nd + i, ib = b->ndim - nd + i;
        int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
        dims[i] = da == 1 ? db : da;
    }
    *ndim = nd;
}
