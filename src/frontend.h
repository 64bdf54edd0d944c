/*
 * frontend.h - the front end's driver: from a file's text to a checked,
 * read-only graph.
 *
 * Lines over the length limit are refused first; then the file is parsed
 * one statement at a time and each statement lowered at once, so the
 * syntax tree of a statement lives only until the next one.  Dims solved
 * later (a '?' pinned by a later statement) are picked up by more passes
 * over the shape rules; then declared sizes are checked, the loss is
 * chosen, and the sizes are frozen.
 */
#ifndef GVL_FRONTEND_H
#define GVL_FRONTEND_H

#include "graph.h"

/* Parses, builds and shape-checks G's whole file (G from gvl_graph_open).
 * Returns true when no error was reported; the graph is usable (with
 * failed nodes) either way, and read-only from now on. */
bool gvl_frontend_build(Graph *g);

#endif
