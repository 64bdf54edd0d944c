/*
 * report.h - what `check` and `dims` print: tables in text, Markdown, CSV
 * or LaTeX, and JSON objects with the fixed keys of the CLI contract.
 */
#ifndef GVL_REPORT_H
#define GVL_REPORT_H

#include "cli.h"
#include "graph.h"

#include <stdio.h>

/* Both write to OUT and return the exit status (0).  ROOT is the node
 * differentiated (the loss, or --of), or NULL for no gradient section. */
int gvl_report_check(Graph *g, const Options *o, FILE *out);
int gvl_report_dims(Graph *g, const Options *o, Node *root, FILE *out);
/* For a graph with errors and --json: {"nodes": [...], "diagnostics": [...]}. */
void gvl_report_json_errors(Graph *g, const Options *o, FILE *out);

struct cJSON;
/* A node's id, name, display_name, kind, op and shape, as every JSON
 * output starts it; callers add their own keys. */
struct cJSON *gvl_report_json_node(Graph *g, const Node *n);
/* The "edges" array of dims --json (also in render's JSON). */
struct cJSON *gvl_report_json_edges(Graph *g);
/* "∂z/∂w: 4×24" for the edge U -> V (ASCII "dz/dw: 4x24").  Into BUF. */
const char *gvl_report_edge_label(Graph *g, const Node *v, const Node *u, bool ascii, char *buf, size_t cap);
/* False when operand K of N repeats an earlier operand: one edge per pair. */
bool gvl_report_first_use(const Node *n, int k);

/* How a tensor is named in Jacobian tables: its alias, vec(NAME) for a
 * tensor of rank >= 2 that is not a column, or its name.  Into BUF. */
const char *gvl_node_vec_name(Graph *g, const Node *n, char *buf, size_t cap);

#endif
