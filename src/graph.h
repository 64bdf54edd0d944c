/*
 * graph.h - the IR: tensors and ops as nodes, in topological order.
 *
 * Nodes are created in the order their values would be computed, so the
 * node array is already a topological order and no sort is needed.  Every
 * node keeps the source span it came from; an unnamed node is named by its
 * own source text (`w^T @ x`), a reassigned name gets a version (c, c').
 *
 * The front end (frontend.c and the lower_* files) builds and checks the
 * graph; once gvl_frontend_build returns, the graph is read-only and every
 * later phase takes a const Graph.  By then every size is resolved
 * (gvl_dim_freeze): a Dim in a node's shape is a constant or a root
 * variable that nothing fixed.
 */
#ifndef GVL_GRAPH_H
#define GVL_GRAPH_H

#include "diag.h"
#include "dim.h"
#include "names.h"
#include "ops.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { NK_INPUT, NK_PARAM, NK_CONST, NK_LABEL, NK_OP, NK_COUNT } NodeKind;
extern const char *const gvl_node_kind_names[];

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

struct Node;

/* One call of a function (`h2 = block(h1, V1, V2)`): its body was inlined
 * as the nodes [first, end), the last of them its result.  Nodes made
 * inside it are named CALL/NAME (h2/h); calls inside calls nest. */
typedef struct CallSite {
    Span fn;                /* the function's name where it is defined */
    Span fn_at;             /* the function's name at the call */
    const struct CallSite *parent;  /* the call whose body holds this one */
    uint32_t first, end;    /* the node ids the call made */
    struct Node *result;    /* named by the assignment, or by the call's text */
    uint32_t index;         /* in Graph.calls */
} CallSite;

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
    bool repeated;          /* unnamed, with the text of an earlier node: its
                             * name gets its place, 2@2:14, to stay unique */
    Shape shape;
    struct Node **src;      /* operands, in argument order (may repeat) */
    int nsrc;
    OpAttrs *attrs;         /* ops with parameters, else NULL */
    Init *init;             /* leaves with values, else NULL */
    const CallSite *call;   /* the call whose body made it, or NULL */
} Node;

/* The call N's name is relative to (h2/h is h inside the call h2): the
 * call that made N, except for its result, which its caller names. */
static inline const CallSite *gvl_node_scope(const Node *n)
{
    const CallSite *c = n->call;
    return c && c->result == n ? c->parent : c;
}

/* --set NAME=VALUE: binds a size symbol, over whatever the file says. */
typedef struct SizeSetting {
    const char *name;
    int64_t value;
    bool used;              /* the file has the symbol */
} SizeSetting;

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
    CallSite **calls;       /* every function call, in the order they were inlined */
    size_t ncalls, capcalls;
    CallSite *inlining;     /* front end: the call whose body is being lowered */
    Node *loss;             /* from `loss`, `optimize`, or the default rule */
    bool loss_explicit;
    Span loss_at;
    bool has_optimize;
    double lr;
    int64_t steps;
    int64_t max_nodes;      /* --max-nodes: more is an error, not an OOM kill */
    int64_t max_line;       /* --max-line-length, in bytes */
    bool too_many_nodes;
    SizeSetting *sets;      /* --set, from the command line */
    int nsets;
    bool has_variant;       /* quiz/grade --variant N: each ranged symbol gets a size */
    uint64_t variant_left;  /* N, as the digits each ranged symbol takes in turn */
    bool training;          /* the command takes gradient steps (train, --steps) */
    bool no_lint;           /* skip the whole-graph warnings (lint.c): the shape
                             * tests' small graphs leave leaves unused on purpose */
} Graph;

/* (Not graph_init: libgvc exports a function of that name.) */
void gvl_graph_open(Graph *g, const Source *src, DiagSink *diag);
void gvl_graph_free(Graph *g);

/* Defaults of the limits above; the command line can raise them. */
enum { GRAPH_MAX_NODES = 5000000, GRAPH_MAX_LINE = 100000 };

/* A new node, appended in topological order (front end only).  Past
 * max_nodes it reports once and sets too_many_nodes. */
Node *gvl_graph_add(Graph *g, NodeKind kind, int op, Span name, Span loc);

/* The newest node called NAME, or NULL. */
const Node *gvl_graph_lookup(const Graph *g, const char *name, size_t len);
Node *gvl_graph_lookup_mut(Graph *g, const char *name, size_t len);

/* The node a command-line name means, as the tables print names: after
 * c = c + 1, "c" is the first version and "c'" the second; an `as` alias
 * names its tensor.  NULL if there is none. */
const Node *gvl_graph_find(const Graph *g, const char *name);

/* A mark per node id: true for ROOT and every node it depends on.  The
 * caller frees it. */
bool *gvl_graph_ancestors(const Graph *g, const Node *root);
/* A mark per node id: true for the nodes that take a gradient, the
 * declared leaves and every op that depends on one.  A number literal, and
 * an op on literals alone (2 * pi), takes none, as in PyTorch, where they
 * are Python numbers.  The caller frees it. */
bool *gvl_graph_differentiable(const Graph *g);
/* A mark per node id: true for ROOT and for every node whose gradient
 * backward from ROOT computes (ROOT depends on it and it takes one).  The
 * caller frees it. */
bool *gvl_graph_gradient_nodes(const Graph *g, const Node *root);

/* True when a gradient flows back from N to its operand K: not to the
 * classes of cross_entropy (JAC_NO_GRADIENT). */
bool gvl_node_edge_differentiable(const Node *n, int k);

/* Per node id, how many nodes take it as an operand (c + c counts once).
 * The caller frees it. */
int *gvl_graph_use_counts(const Graph *g);

/* True when operand K of N is the first occurrence of that node among N's
 * operands (c + c has one edge, not two). */
bool gvl_node_first_use(const Node *n, int k);

/* The text of span S in G's source. */
static inline const char *gvl_graph_text(const Graph *g, Span s)
{
    return g->src->text + s.off;
}

#endif
