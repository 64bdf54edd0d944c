/*
 * autodiff.h - the reverse pass over a graph with values.
 *
 * Seeds dROOT/dROOT = 1 and walks the nodes backwards; each op's backward
 * kernel adds its vector-Jacobian product into its operands' gradients.
 */
#ifndef GVL_AUTODIFF_H
#define GVL_AUTODIFF_H

#include "eval.h"

/* dROOT/dv for every v that ROOT (one element) depends on, into V->grad.
 * False with a diagnostic if the gradients cannot be allocated. */
bool gvl_values_backward(Values *v, const Node *root);

#endif
