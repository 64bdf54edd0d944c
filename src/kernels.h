/*
 * kernels.h - the numeric side of every op: a forward kernel and its
 * vector-Jacobian product, with PyTorch's float64 semantics.
 *
 * Kernels never allocate and never fail: the evaluator hands them tensors
 * of the shapes the shape rules computed (concrete by then), zero-filled.
 * A forward kernel fills OUT from IN.  A backward kernel ADDS to each
 * GIN[i] (shaped like IN[i]; NULL when input i needs no gradient) the
 * gradient dL/dIN[i], given GOUT = dL/dOUT; adding lets an operand used
 * twice (c + c) collect both contributions.  That case hands a backward
 * kernel the same tensor as GIN[0] and GIN[1], so kernels only ever add to
 * GIN and never read it.
 */
#ifndef GVL_KERNELS_H
#define GVL_KERNELS_H

#include "graph.h"
#include "tensor.h"

/* C = beta C + op(A) op(B), row-major: C is [M,N], op(A) [M,K] (A stored
 * [K,M] when TA), op(B) [K,N] (B stored [N,K] when TB).  Large products go
 * to OpenBLAS when the build has it (gemm.c). */
void gvl_gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const double *A, const double *B, double beta,
              double *C);
/* Which one does the products: for --version. */
const char *gvl_gemm_backend(void);
/* True when a product of WORK multiply-adds goes to BLAS. */
bool gvl_gemm_uses_blas(double work);

typedef void (*ForwardFn)(const Node *n, const Tensor *const *in, Tensor *out);
typedef void (*BackwardFn)(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout,
                           Tensor *const *gin);

#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params)                 \
    void gvl_fwd_##stem(const Node *n, const Tensor *const *in, Tensor *out);                         \
    void gvl_bwd_##stem(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, \
                        Tensor *const *gin);
#include "ops.def"
#undef OP

extern const ForwardFn gvl_op_forward[];
extern const BackwardFn gvl_op_backward[];

#endif
