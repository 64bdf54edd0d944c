/*
 * eval.h - values and gradients of a checked graph.
 *
 * Values are computed only for commands that ask for numbers.  The
 * evaluator first makes sure every size is known and every leaf has
 * values (or fills them from --random), allocating under the limits of a
 * TensorPool, then runs the forward kernels in node order; autodiff.h
 * has the reverse pass.
 */
#ifndef GVL_EVAL_H
#define GVL_EVAL_H

#include "format.h"
#include "graph.h"
#include "tensor.h"

typedef struct EvalOptions {
    bool has_random;
    uint64_t seed;
    int64_t max_elements;   /* per tensor */
    int64_t max_total;      /* over all tensors */
    bool has_variant;       /* quiz/grade --variant N: new values for every declared leaf */
    uint64_t variant;
} EvalOptions;

typedef struct Values {
    const Graph *g;
    TensorPool pool;
    Tensor **val;           /* per node id */
    Tensor **grad;          /* per node id: dROOT/dv, NULL where ROOT does not depend on v */
    const Node *root;       /* what grad differentiates, or NULL */
    bool warned_forward, warned_backward, warned_step;
    bool warned_nan, warned_inf;    /* the forward pass named where each first appeared */
    Arena text;             /* names quoted in messages */
} Values;

/* Allocates every value and fills the leaves.  False (with diagnostics)
 * when a size is unknown, a leaf has no values and there is no --random,
 * or a limit is reached.  Call gvl_values_free either way. */
bool gvl_values_init(Values *v, const Graph *g, const EvalOptions *o);
/* Runs every forward kernel; warns once where NaN or infinity first appears. */
void gvl_values_forward(Values *v);
void gvl_values_free(Values *v);

/* The loss value (the single element of ROOT's value). */
double gvl_values_scalar(const Values *v, const Node *n);

#endif
