/*
 * tensor.h - dense float64 tensors, row-major and contiguous.
 *
 * Values exist only for commands that evaluate (eval, train, gradcheck);
 * shape checking never allocates one.  A Tensor's shape is concrete: the
 * evaluator refuses to start while a size is still unknown.
 */
#ifndef GVL_TENSOR_H
#define GVL_TENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TENSOR_MAX_RANK = 64 };

typedef struct Tensor {
    int ndim;
    int64_t *dims;     /* ndim entries */
    int64_t numel;     /* product of dims; 1 for a scalar */
    double *data;      /* numel values, row-major */
} Tensor;

/* Limits on what evaluation may allocate; checked before every malloc. */
typedef struct TensorPool {
    int64_t max_elements;    /* per tensor (--max-elements) */
    int64_t max_total;       /* elements over all live tensors */
    int64_t live;            /* elements allocated now */
    bool failed;             /* a limit or malloc refused: see reason */
    char reason[256];
} TensorPool;

/* A zero-filled tensor of the given shape, or NULL with POOL->failed set
 * (the limit or allocation that refused it is described in POOL->reason). */
Tensor *gvl_tensor_new(TensorPool *pool, int ndim, const int64_t *dims);
/* A zero-filled tensor shaped like T. */
Tensor *gvl_tensor_like(TensorPool *pool, const Tensor *t);
void gvl_tensor_free(TensorPool *pool, Tensor *t);
void gvl_tensor_copy(Tensor *dst, const Tensor *src);   /* same numel */
void gvl_tensor_fill(Tensor *t, double v);

/* Row-major strides of T, with 0 where T is broadcast to OUT_NDIM/OUT_DIMS
 * (T's dims aligned to the right, size-1 dims broadcast).  STRIDES gets
 * OUT_NDIM entries. */
void gvl_tensor_bcast_strides(const Tensor *t, int out_ndim, const int64_t *out_dims, int64_t *strides);

/* Iterates a multi-index over DIMS (NDIM of them) in row-major order,
 * keeping up to two flat offsets that advance by their strides.  Used by
 * every broadcasting kernel so none of them writes its own index loop. */
typedef struct BcastIter {
    int ndim;
    const int64_t *dims;
    int64_t idx[TENSOR_MAX_RANK];
    const int64_t *sa, *sb;
    int64_t oa, ob;
} BcastIter;
void gvl_bcast_iter_init(BcastIter *it, int ndim, const int64_t *dims, const int64_t *sa, const int64_t *sb);
void gvl_bcast_iter_next(BcastIter *it);



/* The broadcast shape of A and B (they are known to broadcast): its rank
 * into *NDIM and its sizes into DIMS (TENSOR_MAX_RANK entries). */
void gvl_tensor_bcast_shape(const Tensor *a, const Tensor *b, int *ndim, int64_t *dims);
#endif
