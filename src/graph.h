/*
 * graph.h - the IR: tensors and ops as nodes, in topological order.
 *
 * Nodes are created in the order their values would be computed, so the
 * node array is already a topological order and no sort is needed.  Every
 * node keeps the source span it came from; an unnamed node is named by its
 * own source text (`w^T @ x`), a reassigned name gets a version (c, c').
 */
#ifndef GVL_GRAPH_H
#define GVL_GRAPH_H

#include "diag.h"
#include "dim.h"
#include "ops.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { NK_INPUT, NK_PARAM, NK_CONST, NK_LABEL, NK_OP } NodeKind;
extern const char *const gvl_node_kind_names[5];

enum { SHAPE_MAX_RANK = 64 };

typedef struct Shape {
    int ndim;
    Dim *d;
} Shape;

/* A leaf's initial values as written: VALS in row-major order, or one
 * value that fills the tensor. */
typedef struct Init {
    double *vals;
    int64_t nvals;
    bool fill;
} Init;

typedef struct Node {
    uint32_t id;            /* index in Graph.nodes */
    NodeKind kind;
    int op;                 /* OpId, or -1 for a leaf */
    Span name;              /* the identifier, or the node's source text */
    Span loc;               /* where errors point: the operator or name */
    Span alias;             /* `as w` (len 0 if none) */
    uint32_t version;       /* 0 for c, 1 for c', ... */
    bool named;             /* declared or assigned, not a sub-expression */
    bool literal;           /* a number written in an expression */
    bool failed;            /* its shape could not be computed */
    Shape shape;
    struct Node **src;      /* operands, in argument order (may repeat) */
    int nsrc;
    OpAttrs *attrs;         /* ops with parameters, else NULL */
    Init *init;             /* leaves with values, else NULL */
} Node;

typedef struct NameSlot {
    Span name;
    uint32_t hash;
    Node *node;             /* the newest node with this name */
    int32_t sym;            /* a dim symbol's variable, or -1 */
} NameSlot;

typedef struct NameTable {
    NameSlot *slots;
    size_t cap, count;
} NameTable;

typedef struct Graph {
    const Source *src;
    DiagSink *diag;
    Arena arena;            /* nodes, shapes, values */
    Node **nodes;
    size_t count, cap;
    DimTable dims;
    NameTable names;        /* tensor names -> newest node */
    NameTable symbols;      /* dim symbols (n, m) -> variable */
    NameTable aliases;      /* `as` aliases -> the declared node */
    Node *loss;             /* from `loss`, `optimize`, or the default rule */
    bool loss_explicit;
    Span loss_at;
    bool has_optimize;
    double lr;
    int64_t steps;
    bool deferred;          /* some shape waits on a dim solved later */
    int64_t max_nodes;      /* --max-nodes: more is an error, not an OOM kill */
    int64_t max_line;       /* --max-line-length, in bytes */
    bool too_many_nodes;
} Graph;

/* (Not graph_init: libgvc exports a function of that name, and ours would
 * replace it inside Graphviz's own layout code.) */
void gvl_graph_open(Graph *g, const Source *src, DiagSink *diag);
void gvl_graph_free(Graph *g);

/* Defaults of the limits above; the command line can raise them. */
enum { GRAPH_MAX_NODES = 5000000, GRAPH_MAX_LINE = 100000 };

/* Parses, builds and shape-checks the whole file.  Returns true when no
 * error was reported; the graph is usable (with failed nodes) either way. */
bool gvl_graph_build(Graph *g);

/* The newest node called NAME, or NULL. */
Node *gvl_graph_lookup(Graph *g, const char *name, size_t len);

/* Display name: "c", "c'", "c''" (primes after the first version); for
 * unnamed nodes the source text with runs of blanks folded.  Into BUF. */
const char *gvl_node_display_name(const Graph *g, const Node *n, char *buf, size_t cap);
/* The name as JSON and --of use it: the same string for every version. */
const char *gvl_node_plain_name(const Graph *g, const Node *n, char *buf, size_t cap);
const char *gvl_node_op_name(const Node *n);

/* Number of elements: coefficient times unresolved factors.  Overflow is
 * reported by the builder, so here it only saturates. */
typedef struct Numel {
    int64_t coef;
    int nvars;
    Dim vars[SHAPE_MAX_RANK];
    bool overflow;
} Numel;
Numel gvl_shape_numel(Graph *g, const Shape *s);
/* "24", "n", "4n", "4(n+1)", "n·m" (ASCII "n*m").  Into BUF. */
const char *gvl_numel_format(Graph *g, const Numel *m, bool ascii, char *buf, size_t cap);
/* Rewrites a dim's text for an output format (LaTeX escapes n_x). */
typedef const char *(*DimEscape)(const char *in, char *buf, size_t cap);
/* "4x6", "scalar", "[3]", "(n+1)x1" with SEP between dims.  Into BUF. */
const char *gvl_shape_format_sep(Graph *g, const Shape *s, const char *sep, DimEscape esc, char *buf, size_t cap);
/* "4×6", "scalar", "n×1" (ASCII "4x6").  Into BUF. */
const char *gvl_shape_format(Graph *g, const Shape *s, bool ascii, char *buf, size_t cap);
/* True when the shape is known to hold exactly one element. */
bool gvl_shape_is_one(Graph *g, const Shape *s);

#endif
