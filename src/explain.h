/*
 * explain.h - the chain rule for dROOT/dV, factor by factor: every path
 * from V to the root, each as the product of its edges' Jacobians from the
 * root back to V, their sizes and structures, and with values every factor
 * as a matrix, each path's product and their sum.
 *
 * The total is always the gradient of the backward pass, so it stays exact
 * however many paths there are; at most max_paths are listed, and the
 * number of paths is counted exactly (up to 2^128).
 */
#ifndef GVL_EXPLAIN_H
#define GVL_EXPLAIN_H

#include "cli.h"
#include "jacobian.h"

typedef struct ExplainFactor {
    const Node *of, *wrt;     /* the edge wrt -> of: d vec(of) / d vec(wrt) */
    JacKind structure;
    char *note;               /* the matrix in words, or NULL */
    bool has_value;
    JacMatrix value;          /* when values are known and it is small enough */
} ExplainFactor;

typedef struct ExplainPath {
    const Node **nodes;       /* V, ..., ROOT */
    int nnodes;
    ExplainFactor *factors;   /* nnodes - 1 of them, ROOT's first (product order) */
    double *product;          /* 1 x numel(V), column-major order of V; NULL without values */
} ExplainPath;

typedef struct Explanation {
    const Graph *g;
    const Values *values;     /* NULL for a shapes-only file */
    const Node *root, *wrt;
    ExplainPath *paths;
    int npaths;               /* listed */
    unsigned __int128 total_paths;
    bool saturated;           /* more than 2^128 - 1 paths */
    int64_t max_entries;      /* factors with more entries carry no matrix */
    double *total;            /* 1 x numel(V): vec(dROOT/dV)^T, from backpropagation; NULL without values */
    Arena arena;
} Explanation;

/* Factors with more entries than this carry no matrix (JSON prints null). */
enum { EXPLAIN_MAX_ENTRIES = 1000000, EXPLAIN_DEFAULT_PATHS = 16 };

/* Builds the explanation of dROOT/dWRT (ROOT one element that depends on
 * WRT).  VALUES, when not NULL, has run forward and backward from ROOT.
 * At most MAX_PATHS paths are listed; a factor with more than MAX_ENTRIES
 * entries carries no matrix (the command line: EXPLAIN_MAX_ENTRIES).
 * False with a message in ERR if scratch memory runs out. */
bool gvl_explain_build(Explanation *e, const Graph *g, const Values *values, const Node *root, const Node *wrt,
                       int max_paths, int64_t max_entries, StrBuf *err);
void gvl_explain_free(Explanation *e);

struct cJSON;
/* explain --json of E as a tree. */
struct cJSON *gvl_explain_json(const Explanation *e);

/* Prints E in O's format (text, md, latex or json).  Returns 0. */
int gvl_explain_report(const Explanation *e, const Options *o, FILE *out);

#endif
