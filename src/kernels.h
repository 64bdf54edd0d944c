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
