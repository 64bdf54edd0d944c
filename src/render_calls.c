/*
 * render_calls.c - function calls in the diagram: each call is a cluster
 * labelled with its function's name (nested calls nest), or, collapsed
 * (render --collapse), one box standing for the whole block: its inputs'
 * and output's shapes and the Jacobian size of the block for each input.
 *
 * render_dot.c asks where each node goes (gvl_render_call_box: hidden in
 * a box; gvl_render_call_cluster: inside which cluster) and draws the
 * edges; the clusters and boxes are made here.
 */
#include "render_calls.h"

#include "format.h"
#include "report_values.h"

#include <string.h>

static void set(void *obj, const char *key, const char *value)
{
    agsafeset(obj, (char *)key, (char *)value, "");
}

/* Violet for functions: a dashed frame around a call, a bold box for a collapsed one. */
typedef struct Attr {
    const char *key, *value;
} Attr;
static const Attr cluster_style[] = {
    {"labeljust", "l"}, {"fontsize", "11"}, {"fontcolor", "#6d28d9"}, {"style", "rounded,dashed,filled"},
    {"color", "#7c3aed"}, {"fillcolor", "#faf5ff"}, {NULL, NULL},
};
static const Attr box_style[] = {
    {"shape", "box"}, {"style", "rounded,filled,bold"}, {"margin", "0.08,0.05"},
    {"fillcolor", "#ede9fe"}, {"color", "#7c3aed"}, {NULL, NULL},
};

static void set_all(void *obj, const Attr *attrs)
{
    for (; attrs->key; attrs++) set(obj, attrs->key, attrs->value);
}

bool gvl_render_call_named(const Graph *g, const CallSite *c, const char *name)
{
    if (strlen(name) == c->fn.len && !memcmp(name, gvl_graph_text(g, c->fn), c->fn.len)) return true;
    StrBuf own = {0};
    gvl_fmt_call_name(&own, g, c);
    bool hit = !strcmp(name, gvl_sb_str(&own));
    gvl_sb_free(&own);
    return hit;
}

bool gvl_render_collapses(const Graph *g, const RenderOptions *ro, const CallSite *c)
{
    bool hit = ro->collapse_all;
    for (int i = 0; i < ro->ncollapse && !hit; i++) hit = gvl_render_call_named(g, c, ro->collapse[i]);
    return hit;
}

const CallSite *gvl_render_call_box(const CallDrawing *cd, const Node *n)
{
    return n->call ? cd->box[n->call->index] : NULL;
}

Agraph_t *gvl_render_call_cluster(const CallDrawing *cd, const CallSite *c)
{
    for (; c; c = c->parent)
        if (cd->cluster[c->index]) return cd->cluster[c->index];
    return NULL;
}

/* The nodes outside box B that its nodes take as operands, in first-use
 * order: the arguments, and declared tensors the body uses directly. */
static const Node **box_inputs(const CallDrawing *cd, const Graph *g, const CallSite *b, int *count)
{
    const Node **in = NULL;
    size_t n = 0, cap = 0;
    for (uint32_t i = b->first; i < b->end; i++) {
        const Node *v = g->nodes[i];
        if (gvl_render_call_box(cd, v) != b) continue;
        for (int k = 0; k < v->nsrc; k++) {
            const Node *u = v->src[k];
            if (gvl_render_call_box(cd, u) == b) continue;
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++) seen = in[j] == u;
            if (!seen) VEC_PUSH(in, n, cap, u);
        }
    }
    *count = (int)n;
    return in;
}

/* What stands for U outside its box: the box's result (a node inside a
 * collapsed call can only be seen outside as the call's result). */
const Node *gvl_render_call_output(const CallDrawing *cd, const Node *u)
{
    const CallSite *b = gvl_render_call_box(cd, u);
    return b ? b->result : u;
}

void gvl_render_block_label(StrBuf *out, const Graph *g, const Node *to, const Node *from, bool ascii)
{
    const char *d = ascii ? "d" : "\xe2\x88\x82";
    gvl_fmt_partial(out, g, to, from, d);
    Numel a = gvl_shape_numel(g, &to->shape), b = gvl_shape_numel(g, &from->shape);
    gvl_sb_add(out, ": ");
    gvl_fmt_numel(out, g, &a, ascii);
    gvl_sb_add(out, ascii ? "x" : "\xc3\x97");
    gvl_fmt_numel(out, g, &b, ascii);
}

/* The box of a collapsed call: the call's name, the function and the
 * output's shape, then a row per input with its shape and the block's
 * Jacobian size with respect to it. */
static void box_label(StrBuf *label, StrBuf *tip, const CallDrawing *cd, const Graph *g, const CallSite *b,
                      const RenderOptions *ro)
{
    StrBuf name = {0}, shape = {0}, row = {0};
    gvl_fmt_call_name(&name, g, b);
    gvl_fmt_shape(&shape, g, &b->result->shape, ro->ascii);
    gvl_sb_add(label, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">");
    gvl_sb_add(label, "<TR><TD COLSPAN=\"2\"><B>");
    gvl_sb_add_html(label, gvl_sb_str(&name));
    gvl_sb_add(label, "</B></TD></TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"10\" COLOR=\"#4b5563\">");
    gvl_sb_addn(label, gvl_graph_text(g, b->fn), b->fn.len);
    gvl_sb_add(label, " · ");
    gvl_sb_add_html(label, gvl_sb_str(&shape));
    gvl_sb_printf(label, " · %u nodes</FONT></TD></TR>", b->end - b->first);
    gvl_sb_printf(tip, "%s = %.*s(...), %s, %u nodes inside", gvl_sb_str(&name), (int)b->fn.len,
                  gvl_graph_text(g, b->fn), gvl_sb_str(&shape), b->end - b->first);
    int nin;
    const Node **in = box_inputs(cd, g, b, &nin);
    for (int k = 0; k < nin; k++) {
        const Node *u = gvl_render_call_output(cd, in[k]);
        gvl_sb_clear(&shape);
        gvl_fmt_shape(&shape, g, &u->shape, ro->ascii);
        gvl_sb_clear(&row);
        gvl_render_block_label(&row, g, b->result, u, ro->ascii);
        gvl_sb_add(label, "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">");
        gvl_sb_add_html(label, gvl_sb_str(&row));
        gvl_sb_add(label, "</FONT></TD><TD ALIGN=\"RIGHT\"><FONT POINT-SIZE=\"10\" COLOR=\"#4b5563\">");
        gvl_sb_add_html(label, gvl_sb_str(&shape));
        gvl_sb_add(label, "</FONT></TD></TR>");
        gvl_sb_printf(tip, "\n%s (input %s)", gvl_sb_str(&row), gvl_sb_str(&shape));
    }
    free(in);
    gvl_sb_add(label, "</TABLE>");
    gvl_sb_free(&name);
    gvl_sb_free(&shape);
    gvl_sb_free(&row);
}

/* The column call C is drawn in: every node of a call, at any depth, is
 * in its outermost call's column (render_plan.c). */
static int call_column(const RenderOptions *ro, const CallSite *c)
{
    while (c->parent) c = c->parent;
    return ro->column[c->end > c->first ? c->first : c->result->id];
}

const CallSite **gvl_render_call_boxes(const Graph *g, const RenderOptions *ro)
{
    const CallSite **box = gvl_xcalloc(g->ncalls ? g->ncalls : 1, sizeof *box);
    /* a call is inlined before the calls in its body: parents come first */
    for (size_t i = 0; i < g->ncalls; i++) {
        const CallSite *c = g->calls[i];
        const CallSite *outer = c->parent ? box[c->parent->index] : NULL;
        box[i] = outer ? outer : gvl_render_collapses(g, ro, c) ? c : NULL;
    }
    return box;
}

void gvl_render_calls_open(CallDrawing *cd, Agraph_t *ag, const Graph *g, const RenderOptions *ro)
{
    size_t n = g->ncalls ? g->ncalls : 1;
    cd->box = gvl_render_call_boxes(g, ro);
    cd->cluster = gvl_xcalloc(n, sizeof *cd->cluster);
    cd->box_node = gvl_xcalloc(n, sizeof *cd->box_node);
    StrBuf id = {0}, label = {0}, tip = {0};
    for (size_t i = 0; i < g->ncalls; i++) {
        const CallSite *c = g->calls[i];
        if (cd->box[i] && cd->box[i] != c) continue;
        if (ro->column && call_column(ro, c) != ro->col) continue;   /* drawn in another column */
        Agraph_t *parent = gvl_render_call_cluster(cd, c->parent);
        if (!parent) parent = ag;
        gvl_sb_clear(&id);
        gvl_sb_clear(&label);
        gvl_sb_clear(&tip);
        if (cd->box[i]) {
            /* drawn as one box, in the cluster of the call around it */
            gvl_sb_printf(&id, "call%zu", i);
            Agnode_t *a = cd->box_node[i] = agnode(ag, (char *)gvl_sb_str(&id), 1);
            if (parent != ag) agsubnode(parent, a, 1);
            box_label(&label, &tip, cd, g, c, ro);
            char *h = agstrdup_html(ag, (char *)gvl_sb_str(&label));
            agsafeset(a, "label", h, "");
            agstrfree(ag, h);
            set(a, "tooltip", gvl_sb_str(&tip));
            set_all(a, box_style);
            if (ro->html) {
                gvl_sb_clear(&id);
                gvl_sb_printf(&id, "gvl-call-%zu", i);
                set(a, "id", gvl_sb_str(&id));
            }
            continue;
        }
        gvl_sb_printf(&id, "cluster_call%zu", i);
        Agraph_t *sub = cd->cluster[i] = agsubg(parent, (char *)gvl_sb_str(&id), 1);
        StrBuf name = {0};
        gvl_fmt_call_name(&name, g, c);
        gvl_sb_printf(&label, "%.*s: %s", (int)c->fn.len, gvl_graph_text(g, c->fn), gvl_sb_str(&name));
        gvl_sb_free(&name);
        set(sub, "label", gvl_sb_str(&label));
        set(sub, "tooltip", gvl_sb_str(&label));
        set_all(sub, cluster_style);
    }
    gvl_sb_free(&id);
    gvl_sb_free(&label);
    gvl_sb_free(&tip);
}

void gvl_render_calls_close(CallDrawing *cd)
{
    free(cd->box);
    free(cd->cluster);
    free(cd->box_node);
    memset(cd, 0, sizeof *cd);
}
