/*
 * lint.h - warnings about likely mistakes in a checked graph.
 */
#ifndef GVL_LINT_H
#define GVL_LINT_H

#include "graph.h"

/* Emits the whole-graph warnings into G's diagnostics (after the freeze;
 * nothing when the graph has errors). */
void gvl_lint(const Graph *g);

#endif
