/*
 * render.h - the annotated diagram: the graph built with libcgraph, laid
 * out and rendered with libgvc, in-process.
 *
 * render_dot.c builds the Agraph_t (labels, colours, legend; function
 * calls as clusters or boxes with render_calls.c); render.c
 * picks layout settings for the graph's size, renders to memory and hands
 * the bytes to gvl_output_write, so OUT is replaced whole or not at all.
 */
#ifndef GVL_RENDER_H
#define GVL_RENDER_H

#include "eval.h"

#include <graphviz/cgraph.h>

/* Large graphs: over this many nodes the boxes leave out their values,
 * the edges their labels, and edge labels go beside the edges (xlabel)
 * instead of taking a rank of their own (bench/render.sh). */
enum { RENDER_VALUES_MAX_NODES = 400, RENDER_LABELS_MAX_NODES = 2000, RENDER_XLABEL_FROM = 150 };

typedef struct RenderOptions {
    const char *format;     /* svg, png, pdf, dot, json, html */
    const char *engine;     /* dot, neato, fdp, sfdp, circo, twopi */
    const char *rankdir;    /* LR or TB */
    bool values, grads, jacobians, backward, ascii;
    int precision;
    int64_t steps;          /* optimize steps shown as "after" (0: none) */
    const char *input;      /* the graph file being drawn: OUT may not be it */
    bool html;              /* drawn for the HTML page: IDs on boxes, edges and value cells */
    const Node *root;       /* the node differentiated (the loss, --of), or NULL */
    double lr;              /* the optimize steps' learning rate, for the page */
    bool collapse_all;      /* --collapse: every call drawn as one box */
    const char *const *collapse;  /* --collapse NAME: those calls (a function's or a call's name) */
    int ncollapse;
    const int *column;      /* a deep graph in columns (render_plan.h): each node's, or NULL */
    int col, columns;       /* the column being built, and how many there are */
    bool straight;          /* a deep graph: ops in one dot group, so a chain runs straight */
} RenderOptions;

/* What the builder left out to keep a large graph usable. */
typedef struct RenderNotes {
    bool dropped_values;    /* values and gradients not drawn */
    bool dropped_labels;    /* edge labels not drawn */
    bool tuned_layout;      /* faster, less polished layout settings */
    bool split_leaves;      /* a widely shared leaf drawn beside each use */
} RenderNotes;

/* Builds the diagram of G.  V holds values and gradients (NULL for a
 * shapes-only file); AFTER the values after the optimize steps (NULL if
 * none).  The caller closes the graph with agclose. */
Agraph_t *gvl_render_build(const Graph *g, const Values *v, const Values *after, const RenderOptions *ro,
                       RenderNotes *notes);

/* Renders G (with values V, AFTER as above) to OUT ("-" for standard
 * output).  Returns the exit status: 0, 1 (the layout failed), or 2 (OUT
 * cannot be written, Graphviz's plugins are missing). */
int gvl_render_run(const Graph *g, const Values *v, const Values *after, const RenderOptions *ro, const char *out);

/* The HTML page around SVG (the diagram drawn with RO->html): the
 * diagram, the data of eval, dims and explain --json, the page's style and
 * scripts, into PAGE (render_html.c). */
void gvl_render_html_page(StrBuf *page, const Graph *g, const Values *v, const Values *after,
                          const RenderOptions *ro, const char *svg, size_t svg_len);

/* The format OUT's extension names (svg, png, pdf, dot, json, html), or NULL. */
const char *gvl_render_format_of(const char *out);
/* True when render writes format NAME (-T NAME). */
bool gvl_render_format_known(const char *name);

#endif
