/*
 * jacobian.h - the Jacobian of one edge of the graph, the factor of the
 * chain rule that `explain` prints.
 *
 * For an edge U -> V (U an operand of V) the Jacobian is d vec(V) / d
 * vec(U): numel(V) rows and numel(U) columns (numerator layout), with vec
 * stacking columns (column-major), as the lab and the tables do.  Its
 * structure comes from the op registry, refined by the shapes (a broadcast
 * operand is no longer an identity); its matrix, when values are known,
 * from the op's own backward kernel, one row per element of V; and the
 * product of a row vector with it from one call of that kernel.
 */
#ifndef GVL_JACOBIAN_H
#define GVL_JACOBIAN_H

#include "eval.h"
#include "strbuf.h"

/* The structure of d vec(V) / d vec(U).  When NOTE is not NULL it
 * receives the matrix in words with the operands' names ("x^T ⊗ I"), or
 * nothing when the registry's words no longer hold (broadcasting). */
JacKind gvl_jac_structure(const Graph *g, const Node *v, const Node *u, StrBuf *note);

/* A dense matrix, row-major: element (i, j) is data[i * cols + j]. */
typedef struct JacMatrix {
    int64_t rows, cols;
    double *data;     /* malloc'd; gvl_jac_matrix_free */
} JacMatrix;

/* The whole Jacobian of U -> V from V's values (V an op node with values
 * in VALS).  False, with OUT empty, when it would hold more than
 * MAX_ENTRIES numbers or the scratch tensors cannot be allocated. */
bool gvl_jac_matrix(const Values *vals, const Node *v, const Node *u, int64_t max_entries, JacMatrix *out);
void gvl_jac_matrix_free(JacMatrix *m);

/* P (a row of numel(V) numbers, column-major order of V) times the
 * Jacobian of U -> V, into OUT (numel(U) numbers, column-major order of
 * U).  False if the scratch tensors cannot be allocated. */
bool gvl_jac_vjp(const Values *vals, const Node *v, const Node *u, const double *p, double *out);

/* Position in column-major order of each element of T, by its row-major
 * index: MAP gets t->numel entries. */
void gvl_colmajor_map(int ndim, const int64_t *dims, int64_t numel, int64_t *map);

#endif
