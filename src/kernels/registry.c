/*
 * registry.c - the kernel columns of the op registry: each op's forward
 * kernel and vector-Jacobian product, gvl_fwd_<stem> and gvl_bwd_<stem>,
 * in the order of ops.def.
 */
#include "kernels.h"

const ForwardFn gvl_op_forward[] = {
#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params) gvl_fwd_##stem,
#include "ops.def"
#undef OP
};
_Static_assert(sizeof gvl_op_forward / sizeof gvl_op_forward[0] == OP_COUNT, "a forward kernel per op");

const BackwardFn gvl_op_backward[] = {
#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params) gvl_bwd_##stem,
#include "ops.def"
#undef OP
};
_Static_assert(sizeof gvl_op_backward / sizeof gvl_op_backward[0] == OP_COUNT, "a backward kernel per op");
