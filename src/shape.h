/*
 * shape.h - shape propagation and inference: shapes only, never numbers.
 *
 * Each op's rule (named in ops.def, kept in shape.c's own table) computes
 * its result shape from its operands' shapes, unifying unknown dims as it
 * goes, and reports a mismatch naming every operand with its shape and the
 * rule that failed.  Used only while the graph is being built.
 */
#ifndef GVL_SHAPE_H
#define GVL_SHAPE_H

#include "format.h"
#include "graph.h"

typedef struct ShapeCtx {
    Graph *g;
    bool recheck;    /* a later pass: unify with the shape found before */
    bool deferred;   /* some rule saw a size not known yet: run another pass */
    Span operand[2]; /* the operands' text of the infix op being lowered
                      * (len 0 otherwise): its errors underline them */
} ShapeCtx;

/* Computes N's shape.  Operands that failed make N fail quietly. */
bool gvl_shape_infer(ShapeCtx *cx, Node *n);

/* Adds "n was inferred as 3 here" notes for the variables a conflict involved. */
void gvl_shape_conflict_notes(DiagBuilder *b, Graph *g, const DimConflict *why);

#endif
