/*
 * report.h - what `check` and `dims` print: tables in text, Markdown, CSV
 * or LaTeX, and JSON objects with the fixed keys of the CLI contract.
 */
#ifndef GVL_REPORT_H
#define GVL_REPORT_H

#include "cli.h"
#include "format.h"
#include "graph.h"

#include <stdio.h>

/* Both write to OUT and return the exit status (0).  ROOT is the node
 * differentiated (the loss, or --of), or NULL for no gradient section. */
int gvl_report_check(const Graph *g, const Options *o, FILE *out);
int gvl_report_dims(const Graph *g, const Options *o, const Node *root, FILE *out);
/* dims --json alone (the HTML page carries it too).  Returns 0. */
int gvl_report_dims_json(const Graph *g, const Node *root, FILE *out);
/* For a graph with errors and --json: {"nodes": [...], "diagnostics": [...]}. */
void gvl_report_json_errors(const Graph *g, const Options *o, FILE *out);

struct cJSON;
/* A node's id, name, display_name, kind, op and shape, as every JSON
 * output starts it; callers add their own keys. */
struct cJSON *gvl_report_json_node(const Graph *g, const Node *n);
/* The "edges" array of dims --json (also in render's JSON). */
struct cJSON *gvl_report_json_edges(const Graph *g);
/* Appends "∂z/∂w: 4×24" for the edge U -> V (ASCII "dz/dw: 4x24"). */
/* A node's name and a shape as table cells of format F (LaTeX: math). */
const char *gvl_report_name_cell(Arena *a, Format f, bool ascii, const Graph *g, const Node *n);
const char *gvl_report_shape_cell(Arena *a, Format f, bool ascii, const Graph *g, const Shape *sh);
void gvl_report_edge_label(StrBuf *out, const Graph *g, const Node *v, const Node *u, bool ascii);

#endif
