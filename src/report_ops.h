/*
 * report_ops.h - the op registry as a reference table: what `graphviz-lab
 * ops` prints, and what docs/ops.md is generated from.
 */
#ifndef GVL_REPORT_OPS_H
#define GVL_REPORT_OPS_H

#include "cli.h"

#include <stdio.h>

/* Every op: how it is written, its parameters with their defaults, its
 * PyTorch spelling, the structure of its Jacobians and what it computes,
 * in O's format.  Returns the exit status (0). */
int gvl_report_ops(const Options *o, FILE *out);

#endif
