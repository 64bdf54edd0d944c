/*
 * render_calls.h - function calls in the diagram (render_calls.c): a
 * cluster per call, or one box per collapsed call.
 */
#ifndef GVL_RENDER_CALLS_H
#define GVL_RENDER_CALLS_H

#include "render.h"
#include "strbuf.h"

typedef struct CallDrawing {
    const CallSite **box;   /* per call: the collapsed call whose box stands for it, or NULL */
    Agraph_t **cluster;     /* per call: its cluster, NULL when it is inside a box */
    Agnode_t **box_node;    /* per collapsed call: its box */
} CallDrawing;

/* Makes the clusters and the boxes of G's calls in AG. */
void gvl_render_calls_open(CallDrawing *cd, Agraph_t *ag, const Graph *g, const RenderOptions *ro);
void gvl_render_calls_close(CallDrawing *cd);
/* True when NAME is call C's function or C's own name (h2, y/h, layer@9:9). */
bool gvl_render_call_named(const Graph *g, const CallSite *c, const char *name);
/* True when --collapse names call C or names all. */
bool gvl_render_collapses(const Graph *g, const RenderOptions *ro, const CallSite *c);
/* Per call, the collapsed call whose box stands for it (itself, or the
 * outermost collapsed call around it), or NULL; malloc'd, one entry a call. */
const CallSite **gvl_render_call_boxes(const Graph *g, const RenderOptions *ro);
/* The collapsed call that hides N, or NULL when N has a box of its own. */
const CallSite *gvl_render_call_box(const CallDrawing *cd, const Node *n);
/* The cluster a box made by call C goes in (the innermost drawn one), or NULL. */
Agraph_t *gvl_render_call_cluster(const CallDrawing *cd, const CallSite *c);
/* What stands for U outside its box: the collapsed call's result, or U. */
const Node *gvl_render_call_output(const CallDrawing *cd, const Node *u);
/* "∂h2/∂h1: 4×4": the Jacobian of a whole block, TO with respect to FROM. */
void gvl_render_block_label(StrBuf *out, const Graph *g, const Node *to, const Node *from, bool ascii);

#endif
