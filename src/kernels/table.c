/*
 * table.c - the kernel columns of the op table, from ops.def.
 */
#include "kernels.h"

const ForwardFn gvl_op_forward[OP_COUNT] = {
#define OP(id, name, lo, hi, rule, params, fwd, bwd) fwd,
#include "ops.def"
#undef OP
};

const BackwardFn gvl_op_backward[OP_COUNT] = {
#define OP(id, name, lo, hi, rule, params, fwd, bwd) bwd,
#include "ops.def"
#undef OP
};
