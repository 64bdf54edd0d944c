/*
 * shape.h - shape propagation and inference: shapes only, never numbers.
 *
 * Each op's rule (named in ops.def) computes its result shape from its
 * operands' shapes, unifying unknown dims as it goes, and reports a
 * mismatch naming every operand with its shape and the rule that failed.
 */
#ifndef GVL_SHAPE_H
#define GVL_SHAPE_H

#include "graph.h"

typedef struct ShapeCtx {
    Graph *g;
    bool recheck;   /* second pass: unify with the shape found before */
} ShapeCtx;

/* Computes N's shape.  Operands that failed make N fail quietly. */
bool gvl_shape_infer(ShapeCtx *cx, Node *n);

#define OP(id, name, lo, hi, rule, params, fwd, bwd) bool rule(struct ShapeCtx *cx, struct Node *n);
#include "ops.def"
#undef OP

/* Formats for messages (ASCII, from the graph arena). */
const char *gvl_shape_str(Graph *g, const Shape *s);
const char *gvl_node_str(Graph *g, const Node *n);   /* 'W' */

/* Adds "n was set to 3 here" notes for the variables a conflict involved. */
void gvl_shape_conflict_notes(Graph *g, const DimConflict *why);

#endif
