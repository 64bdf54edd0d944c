/*
 * format.h - how nodes, sizes and shapes are written: in tables, JSON,
 * diagrams and messages alike, so every output names a thing the same way.
 *
 * Each gvl_fmt_* appends to a StrBuf; the *_text forms return the same text
 * as a string in an arena, for message arguments.  Nothing is cut: a name or
 * a size is written in full however long it is.
 */
#ifndef GVL_FORMAT_H
#define GVL_FORMAT_H

#include "graph.h"
#include "strbuf.h"

/* Number of elements: coefficient times unresolved factors.  Overflow is
 * reported by the front end, so here it only saturates. */
typedef struct Numel {
    int64_t coef;
    int nvars;
    Dim vars[SHAPE_MAX_RANK];
    bool overflow;
    bool nonpositive;   /* a known size is 0 or less (n-1 with n = 1): reported at its
                         * declaration; nothing may divide by such a count */
} Numel;

Numel gvl_shape_numel(const Graph *g, const Shape *s);
/* True when the shape is known to hold exactly one element. */
bool gvl_shape_is_one(const Graph *g, const Shape *s);

/* "24", "n", "4n", "4(n+1)", "n·m" (ASCII "n*m"), "more than 2^63". */
void gvl_fmt_numel(StrBuf *out, const Graph *g, const Numel *m, bool ascii);
/* Rewrites a dim's text for an output format (LaTeX escapes n_x). */
typedef void (*DimEscape)(StrBuf *out, const char *text);
/* "4x6", "scalar", "[3]", "(n+1)x1" with SEP between dims; ESC may be NULL. */
void gvl_fmt_shape_sep(StrBuf *out, const Graph *g, const Shape *s, const char *sep, DimEscape esc);
/* "4×6", "scalar", "n×1" (ASCII "4x6"). */
void gvl_fmt_shape(StrBuf *out, const Graph *g, const Shape *s, bool ascii);

/* The name as JSON and --of use it: the same string for every version; an
 * unnamed node's source text with runs of blanks folded. */
void gvl_fmt_plain_name(StrBuf *out, const Graph *g, const Node *n);
/* The name of a call, which prefixes the names of its nodes: the name
 * its result is assigned to ("h2", "h2'", "y/h"), or for a call nothing
 * names the function and the call's place ("layer@5:9"). */
void gvl_fmt_call_name(StrBuf *out, const Graph *g, const CallSite *c);
/* The plain name with a prime per later version: "c", "c'", "c''". */
void gvl_fmt_display_name(StrBuf *out, const Graph *g, const Node *n);
/* How a tensor is named in Jacobian tables: its alias, vec(NAME) for a
 * tensor of rank >= 2 that is not a column, or its display name. */
void gvl_fmt_vec_name(StrBuf *out, const Graph *g, const Node *n);
/* True when NAME, a node's text, needs parentheses after ∂: "y - 2" does;
 * "x" and "(y - 2)", parenthesised already, do not. */
bool gvl_fmt_needs_parens(const char *name);
/* N's name inside a derivative: its vec name, in parentheses when it is an
 * expression ("(w^T @ x)"), so that ∂L/∂(w^T @ x) reads as one thing. */
void gvl_fmt_partial_name(StrBuf *out, const Graph *g, const Node *n);
/* "∂V/∂U" with D for the partial sign ("∂" or "d"). */
void gvl_fmt_partial(StrBuf *out, const Graph *g, const Node *v, const Node *u, const char *d);
/* N's name as LaTeX math: w^\top, \sin(z), y_{t1}; with VEC, the name it
 * has inside a derivative (\operatorname{vec}(W), (w^\top \, x)). */
void gvl_fmt_math_name(StrBuf *out, const Graph *g, const Node *n, bool vec);
/* TEXT (a name or a Jacobian's words) as LaTeX math. */
void gvl_fmt_math_text(StrBuf *out, const char *text);
/* The op's name, or NULL for a leaf. */
const char *gvl_node_op_name(const Node *n);

/* The same texts as strings in arena A. */
const char *gvl_shape_text(Arena *a, const Graph *g, const Shape *s, bool ascii);
const char *gvl_numel_text(Arena *a, const Graph *g, const Numel *m, bool ascii);
const char *gvl_dim_text(Arena *a, const Graph *g, Dim d);
const char *gvl_name_text(Arena *a, const Graph *g, const Node *n);        /* display name */
const char *gvl_plain_text(Arena *a, const Graph *g, const Node *n);
const char *gvl_vec_name_text(Arena *a, const Graph *g, const Node *n);

#endif
