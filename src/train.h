/*
 * train.h - plain gradient descent and gradient checking on a graph with
 * values: the two commands that run the forward pass many times.
 */
#ifndef GVL_TRAIN_H
#define GVL_TRAIN_H

#include "eval.h"

/* Called after each step with the loss before the step; the params then
 * hold their values after it. */
typedef void (*StepFn)(void *ctx, int64_t step, double loss_before, const Values *v);

/* STEPS steps of p -= LR * dLOSS/dp on every param (ON_STEP may be NULL).  False (with a
 * diagnostic) if gradients cannot be allocated. */
bool gvl_train_run(Values *v, const Node *loss, double lr, int64_t steps, StepFn on_step, void *ctx);

typedef struct GradcheckResult {
    const Node *wrt;
    double max_abs_err, max_rel_err;   /* rel: |a - n| / max(1, |n|) */
    int64_t checked, numel;            /* elements compared, of how many */
    bool ok;
} GradcheckResult;

/* Each check reruns the forward pass twice, so a large tensor is checked
 * at this many evenly spaced elements rather than at all of them. */
enum { GRADCHECK_MAX_ELEMENTS = 200 };
/* ... and fewer when the forward pass is slow: about this long in all */
#define GRADCHECK_SECONDS 30.0

/* Compares dROOT/dv from the backward pass with central differences
 * (f(x+eps) - f(x-eps)) / 2eps for every param and input ROOT depends on.
 * Fills RESULTS (one per such leaf, at most g->count) and returns their
 * number, or -1 after a diagnostic. */
/* An element passes when |analytic - numeric| <= atol + tol max(1, |numeric|);
 * ATOL < 0 means the central difference's own rounding error, estimated
 * from the forward pass (*ATOL_USED says what was used). */
int gvl_gradcheck_run(Values *v, const Node *root, double eps, double tol, double atol, GradcheckResult *results,
                      double *atol_used);

#endif
