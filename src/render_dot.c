/*
 * render_dot.c - the diagram as an Agraph_t: one box per node with its
 * name, op, shape, value and gradient, one edge per operand with the size
 * of its Jacobian, colours by kind, and a legend.
 *
 * Labels are Graphviz HTML-like labels; a small tensor is drawn as a
 * matrix (a table whose outer cells carry the brackets), a large one as a
 * one-line summary.  Every value also goes in full into the node's tooltip,
 * which SVG viewers show on hover.
 */
#include "render.h"

#include "jacobian.h"
#include "render_calls.h"
#include "report.h"
#include "report_values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fill colours by kind: pale, so black text stays readable in print. */
static const struct {
    const char *fill, *border;
} kind_colours[] = {
    [NK_INPUT] = {"#dbeafe", "#3b82f6"},   /* blue: data */
    [NK_PARAM] = {"#fde68a", "#d97706"},   /* amber: trained */
    [NK_CONST] = {"#e5e7eb", "#6b7280"},   /* grey: fixed */
    [NK_LABEL] = {"#d1fae5", "#059669"},   /* green: targets */
    [NK_OP] = {"#ffffff", "#374151"},      /* white: computed */
};
_Static_assert(sizeof kind_colours / sizeof kind_colours[0] == NK_COUNT, "a colour per kind");
static const char *const loss_fill = "#fecaca", *const loss_border = "#dc2626";

/* Tensors up to this size are drawn in full. */
enum { MATRIX_MAX_ROWS = 6, MATRIX_MAX_COLS = 6 };
/* A backward edge's factor is written out when it has at most this many entries. */
enum { BACK_VALUE_MAX = 6 };


/* The tensor as rows x cols for drawing: 0-D and 1-D are one row. */
static bool as_matrix(const Tensor *t, int64_t *rows, int64_t *cols)
{
    if (t->ndim == 0) { *rows = *cols = 1; }
    else if (t->ndim == 1) { *rows = 1; *cols = t->dims[0]; }
    else if (t->ndim == 2) { *rows = t->dims[0]; *cols = t->dims[1]; }
    else return false;
    return *rows <= MATRIX_MAX_ROWS && *cols <= MATRIX_MAX_COLS;
}

/* X with PRECISION digits, in B (emptied first). */
static const char *number(StrBuf *b, double x, int precision)
{
    gvl_sb_clear(b);
    gvl_fmt_number(b, x, precision);
    return gvl_sb_str(b);
}

/* A small tensor as a matrix in a monospace font: the columns line up,
 * and the bracket glyphs of consecutive lines join into one tall bracket. */
static void html_tensor(StrBuf *b, const Tensor *t, int precision)
{
    StrBuf num = {0};
    int64_t rows, cols;
    if (t->ndim == 0) {
        gvl_sb_add(b, number(&num, t->data[0], precision));
    } else if (!as_matrix(t, &rows, &cols)) {
        gvl_sb_add(b, "<FONT POINT-SIZE=\"10\">");
        gvl_fmt_summary(b, t, precision);
        gvl_sb_add(b, "</FONT>");
    } else {
        int width[MATRIX_MAX_COLS] = {0};
        for (int64_t r = 0; r < rows; r++)
            for (int64_t c = 0; c < cols; c++) {
                int w = (int)strlen(number(&num, t->data[r * cols + c], precision));
                if (w > width[c]) width[c] = w;
            }
        /* U+23A1..23A6: the upper, middle and lower pieces of [ and ] */
        static const char *const left[3] = {"\xe2\x8e\xa1", "\xe2\x8e\xa2", "\xe2\x8e\xa3"};
        static const char *const right[3] = {"\xe2\x8e\xa4", "\xe2\x8e\xa5", "\xe2\x8e\xa6"};
        gvl_sb_add(b, "<FONT FACE=\"DejaVu Sans Mono\" POINT-SIZE=\"11\">");
        for (int64_t r = 0; r < rows; r++) {
            int piece = r == 0 ? 0 : r == rows - 1 ? 2 : 1;
            if (r) gvl_sb_add(b, "<BR ALIGN=\"LEFT\"/>");
            gvl_sb_add(b, rows == 1 ? "[" : left[piece]);
            for (int64_t c = 0; c < cols; c++)
                gvl_sb_printf(b, " %*s", width[c], number(&num, t->data[r * cols + c], precision));
            gvl_sb_printf(b, " %s", rows == 1 ? "]" : right[piece]);
        }
        gvl_sb_add(b, "</FONT>");
    }
    gvl_sb_free(&num);
}

/* A small matrix on one line: [[1, 0], [0, 1]]. */
static void inline_tensor(StrBuf *b, const Tensor *t, int precision)
{
    int64_t rows = t->dims[0], cols = t->dims[1];
    gvl_sb_add(b, "[");
    for (int64_t r = 0; r < rows; r++) {
        gvl_sb_add(b, r ? ", [" : "[");
        for (int64_t c = 0; c < cols; c++) {
            if (c) gvl_sb_add(b, ", ");
            gvl_fmt_number(b, t->data[r * cols + c], precision);
        }
        gvl_sb_add(b, "]");
    }
    gvl_sb_add(b, "]");
}

/* How many values a tooltip carries: every value of a 2^20-element tensor
 * would make the diagram hundreds of megabytes and take seconds to write. */
enum { TOOLTIP_MAX_VALUES = 1000 };

/* The values for the tooltip: "value = [[1, 2], [3, 4]]", exact, and cut
 * after TOOLTIP_MAX_VALUES with a note saying so and where the rest is. */
static void text_tensor(StrBuf *b, const Tensor *t)
{
    if (t->ndim == 0) {
        gvl_fmt_exact(b, t->data[0]);
        return;
    }
    int64_t shown = t->numel < TOOLTIP_MAX_VALUES ? t->numel : TOOLTIP_MAX_VALUES;
    int64_t idx[TENSOR_MAX_RANK] = {0};
    int open = t->ndim;
    for (int k = 0; k < t->ndim; k++) gvl_sb_add(b, "[");
    for (int64_t i = 0; i < shown; i++) {
        gvl_fmt_exact(b, t->data[i]);
        int closed = 0;
        for (int k = t->ndim - 1; k >= 0; k--) {
            if (++idx[k] < t->dims[k]) break;
            idx[k] = 0;
            closed++;
        }
        for (int k = 0; k < closed; k++) gvl_sb_add(b, "]");
        open = t->ndim - closed;
        if (i + 1 < shown) {
            gvl_sb_add(b, ", ");
            for (int k = 0; k < closed; k++) gvl_sb_add(b, "[");
            open = t->ndim;
        }
    }
    if (shown < t->numel) {
        gvl_sb_add(b, ", ...");
        for (int k = 0; k < open; k++) gvl_sb_add(b, "]");
        gvl_sb_printf(b, " (the first %lld of %lld values; eval --json and render -o FILE.json have them all)",
                      (long long)shown, (long long)t->numel);
    }
}

static void set(void *obj, const char *key, const char *value)
{
    agsafeset(obj, (char *)key, (char *)value, "");
}

static void set_html(Agraph_t *ag, void *obj, const char *key, const char *html)
{
    char *h = agstrdup_html(ag, (char *)html);
    agsafeset(obj, (char *)key, h, "");
    agstrfree(ag, h);
}

/* The legend: one node holding a row of swatches, one per kind. */
static void add_legend(Agraph_t *ag, bool has_loss)
{
    StrBuf html = {0};
    gvl_sb_add(&html, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"4\" CELLPADDING=\"3\">"
                      "<TR><TD BORDER=\"0\"><FONT POINT-SIZE=\"10\">legend</FONT></TD>");
    for (int k = 0; k <= (has_loss ? NK_COUNT : NK_COUNT - 1); k++)
        gvl_sb_printf(&html, "<TD BGCOLOR=\"%s\" COLOR=\"%s\" STYLE=\"rounded\"><FONT POINT-SIZE=\"10\">%s</FONT></TD>",
                      k == NK_COUNT ? loss_fill : kind_colours[k].fill,
                      k == NK_COUNT ? loss_border : kind_colours[k].border,
                      k == NK_COUNT ? "loss" : gvl_node_kind_names[k]);
    gvl_sb_add(&html, "</TR></TABLE>");
    Agnode_t *n = agnode(ag, "legend", 1);
    set_html(ag, n, "label", gvl_sb_str(&html));
    set(n, "shape", "plain");
    set(n, "tooltip", "node colours: inputs, params, consts, labels, ops, and the loss");
    gvl_sb_free(&html);
}

/* FROM -> TO through a node NAME that is the label TEXT, for the engines
 * that place a label at its edge's middle, over whatever box is there: as
 * a node, their overlap removal keeps it off the boxes.  Returns the edge
 * into TO, which has the arrow; *HALF is the one out of FROM. */
static Agedge_t *split_edge(Agraph_t *ag, Agnode_t *from, Agnode_t *to, const char *name, const char *text,
                            Agedge_t **half)
{
    Agnode_t *l = agnode(ag, (char *)name, 1);
    set(l, "label", text);
    set(l, "shape", "plaintext");
    set(l, "fontsize", "10");
    set(l, "fontcolor", "#374151");
    set(l, "margin", "0.02");
    set(l, "width", "0");
    set(l, "height", "0");
    set(l, "tooltip", text);
    *half = agedge(ag, from, l, NULL, 1);
    set(*half, "arrowhead", "none");
    return agedge(ag, l, to, NULL, 1);
}

/* True when node I is drawn in the column being built (every node is,
 * unless the graph is drawn in columns). */
static bool in_column(const RenderOptions *ro, size_t i)
{
    return !ro->column || ro->column[i] == ro->col;
}

/* The stand-in, in the column being built, for node U drawn in an
 * earlier one: its name and shape in a dashed box, and which column; USE
 * is the node it is drawn beside, or 0 for the column's one stand-in. */
static Agnode_t *column_ghost(Agraph_t *ag, const Graph *g, const Node *u, const RenderOptions *ro, size_t use)
{
    StrBuf id = {0}, name = {0}, shape = {0}, label = {0};
    gvl_sb_printf(&id, "n%u_c%d", u->id, ro->col);
    if (use) gvl_sb_printf(&id, "_%zu", use);
    Agnode_t *a = agnode(ag, (char *)gvl_sb_str(&id), 1);
    gvl_fmt_display_name(&name, g, u);
    gvl_fmt_shape(&shape, g, &u->shape, ro->ascii);
    int from = ro->column[u->id] + 1;
    gvl_sb_add(&label, "<B>");
    gvl_sb_add_html(&label, gvl_sb_str(&name));
    gvl_sb_add(&label, "</B><BR/><FONT POINT-SIZE=\"9\" COLOR=\"#6b7280\">");
    gvl_sb_add_html(&label, gvl_sb_str(&shape));
    gvl_sb_printf(&label, " · from column %d</FONT>", from);
    set_html(ag, a, "label", gvl_sb_str(&label));
    gvl_sb_clear(&label);
    gvl_sb_printf(&label, "%s %s, drawn in column %d of %d", gvl_sb_str(&name), gvl_sb_str(&shape), from,
                  ro->columns);
    set(a, "tooltip", gvl_sb_str(&label));
    if (ro->html) {
        gvl_sb_clear(&id);
        gvl_sb_printf(&id, "gvl-node-%u-col-%d", u->id, ro->col);
        if (use) gvl_sb_printf(&id, "-at-%zu", use);
        set(a, "id", gvl_sb_str(&id));
    }
    set(a, "shape", "box");
    set(a, "style", "rounded,dashed");
    set(a, "color", kind_colours[u->kind].border);
    gvl_sb_free(&id);
    gvl_sb_free(&name);
    gvl_sb_free(&shape);
    gvl_sb_free(&label);
    return a;
}

/* The two cells of a value row of node I: its caption ("=", "before",
 * "∇") and the matrix.  For the HTML page each cell gets an ID (and the
 * HREF Graphviz needs to write that ID into the SVG), so the page can
 * hide a value until its step of the forward or backward pass: ROW is
 * val, after or grad. */
static void row_open(StrBuf *label, const RenderOptions *ro, const char *row, size_t i, const char *caption_colour,
                     const char *caption)
{
    gvl_sb_add(label, "<TR><TD ALIGN=\"RIGHT\"");
    if (ro->html) gvl_sb_printf(label, " ID=\"gvl-%s-%zu-l\" HREF=\"#\"", row, i);
    gvl_sb_printf(label, "><FONT COLOR=\"%s\">%s</FONT></TD><TD ALIGN=\"LEFT\"", caption_colour, caption);
    if (ro->html) gvl_sb_printf(label, " ID=\"gvl-%s-%zu\" HREF=\"#\"", row, i);
    gvl_sb_add(label, ">");
}

/* The box of node I: its label (name, op, shape, values) into LABEL and
 * every number in full into TIP. */
static void node_box(const Graph *g, size_t i, const Values *v, const Values *after, const RenderOptions *ro,
                     bool show_values, StrBuf *label, StrBuf *tip)
{
    const Node *n = g->nodes[i];
    StrBuf name = {0}, shape = {0};
    gvl_fmt_display_name(&name, g, n);
    gvl_fmt_shape(&shape, g, &n->shape, ro->ascii);
    const char *what = n->op >= 0 ? gvl_node_op_name(n) : gvl_node_kind_names[n->kind];
    gvl_sb_add(label, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">");
    gvl_sb_add(label, "<TR><TD COLSPAN=\"2\"><B>");
    gvl_sb_add_html(label, gvl_sb_str(&name));
    gvl_sb_add(label, "</B></TD></TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"10\" COLOR=\"#4b5563\">");
    gvl_sb_add_html(label, what);
    gvl_sb_add(label, " · ");
    gvl_sb_add_html(label, gvl_sb_str(&shape));
    gvl_sb_add(label, "</FONT></TD></TR>");
    gvl_sb_printf(tip, "%s (%s, %s)", gvl_sb_str(&name), what, gvl_sb_str(&shape));
    if (v) {
        gvl_sb_add(tip, "\nvalue = ");
        text_tensor(tip, v->val[i]);
        if (v->grad[i]) {
            const char *d = ro->ascii ? "d" : "∂";
            gvl_sb_printf(tip, "\ngrad %s", d);
            gvl_fmt_display_name(tip, g, v->root);
            gvl_sb_printf(tip, "/%s%s = ", d, gvl_sb_str(&name));
            text_tensor(tip, v->grad[i]);
        }
        if (after && n->kind == NK_PARAM) {
            gvl_sb_printf(tip, "\nafter %lld step%s = ", (long long)ro->steps, ro->steps == 1 ? "" : "s");
            text_tensor(tip, after->val[i]);
        }
    }
    if (show_values) {
        row_open(label, ro, "val", i, "#4b5563", after && n->kind == NK_PARAM ? "before" : "=");
        html_tensor(label, v->val[i], ro->precision);
        gvl_sb_add(label, "</TD></TR>");
        if (after && n->kind == NK_PARAM) {
            StrBuf caption = {0};
            if (ro->steps == 1) gvl_sb_add(&caption, "after");
            else gvl_sb_printf(&caption, "after %lld steps", (long long)ro->steps);
            row_open(label, ro, "after", i, "#4b5563", gvl_sb_str(&caption));
            gvl_sb_free(&caption);
            html_tensor(label, after->val[i], ro->precision);
            gvl_sb_add(label, "</TD></TR>");
        }
        if (ro->grads && v->grad[i]) {
            row_open(label, ro, "grad", i, "#b91c1c", "∇");
            gvl_sb_add(label, "<FONT COLOR=\"#b91c1c\">");
            html_tensor(label, v->grad[i], ro->precision);
            gvl_sb_add(label, "</FONT></TD></TR>");
        }
    }
    gvl_sb_add(label, "</TABLE>");
    gvl_sb_free(&name);
    gvl_sb_free(&shape);
}

Agraph_t *gvl_render_build(const Graph *g, const Values *v, const Values *after, const RenderOptions *ro,
                           RenderNotes *notes)
{
    memset(notes, 0, sizeof *notes);
    size_t n_nodes = g->count;
    /* large graphs: what keeps them drawable in seconds (bench/render.sh) */
    bool show_values = ro->values && v && n_nodes <= RENDER_VALUES_MAX_NODES;
    bool show_labels = ro->jacobians && n_nodes <= RENDER_LABELS_MAX_NODES;
    /* dot gives a label a rank of its own, so it never covers a box; a
     * large graph cannot afford the ranks: there the labels go beside the
     * edges, where Graphviz finds room, and are dropped where it finds
     * none (forcelabels=false; render.c counts them).  The other engines
     * put a label at its edge's middle, wherever that is: there it is a
     * node on the edge (see split_edge) */
    bool label_nodes = strcmp(ro->engine, "dot") != 0;
    const char *label_key = n_nodes > RENDER_XLABEL_FROM ? "xlabel" : "label";
    notes->dropped_values = ro->values && v && !show_values;
    notes->dropped_labels = ro->jacobians && !show_labels;

    Agraph_t *ag = agopen("graph", Agdirected, NULL);
    set(ag, "rankdir", ro->rankdir);
    if (!strcmp(label_key, "xlabel")) set(ag, "forcelabels", "false");
    set(ag, "fontname", "Helvetica");
    set(ag, "nodesep", "0.3");
    set(ag, "ranksep", "0.5");
    if (strcmp(ro->engine, "dot") != 0) {
        /* the force-directed and radial layouts place boxes by their
         * centres and let them overlap (neato, sfdp, twopi did, on mlp):
         * Graphviz's own overlap removal, with a margin */
        set(ag, "overlap", "prism");
        set(ag, "sep", "+6");
        /* edges routed around the boxes, not straight through them (the
         * router's cost grows quickly with the boxes: small graphs only) */
        if (n_nodes <= 300) set(ag, "splines", "true");
    }
    agattr(ag, AGNODE, "fontname", "Helvetica");
    agattr(ag, AGNODE, "fontsize", "12");
    agattr(ag, AGEDGE, "fontname", "Helvetica");
    agattr(ag, AGEDGE, "fontsize", "10");
    agattr(ag, AGEDGE, "fontcolor", "#374151");
    agattr(ag, AGEDGE, "color", "#6b7280");

    const Node *root = v ? v->root : NULL;
    Agnode_t **an = gvl_xcalloc(n_nodes ? n_nodes : 1, sizeof *an);
    CallDrawing cd;
    gvl_render_calls_open(&cd, ag, g, ro);
    StrBuf label = {0}, tip = {0}, id = {0};
    for (size_t i = 0; i < n_nodes; i++) {
        const Node *n = g->nodes[i];
        if (gvl_render_call_box(&cd, n)) continue;   /* inside a collapsed call's box */
        if (!in_column(ro, i)) continue;
        gvl_sb_clear(&id);
        gvl_sb_printf(&id, "n%zu", i);
        Agnode_t *a = an[i] = agnode(ag, (char *)gvl_sb_str(&id), 1);
        bool is_loss = n == g->loss;
        gvl_sb_clear(&label);
        gvl_sb_clear(&tip);
        node_box(g, i, v, after, ro, show_values, &label, &tip);
        set_html(ag, a, "label", gvl_sb_str(&label));
        if (ro->html) {
            /* the page's panel shows the numbers; a tooltip would wrap the
             * box in a link and hide its cells' IDs */
            gvl_sb_clear(&id);
            gvl_sb_printf(&id, "gvl-node-%zu", i);
            set(a, "id", gvl_sb_str(&id));
        } else {
            set(a, "tooltip", gvl_sb_str(&tip));
        }
        set(a, "shape", "box");
        set(a, "style", "rounded,filled");
        set(a, "margin", "0.05,0.03");
        set(a, "fillcolor", is_loss ? loss_fill : kind_colours[n->kind].fill);
        set(a, "color", is_loss ? loss_border : kind_colours[n->kind].border);
        if (is_loss) set(a, "penwidth", "2");
        if (ro->straight && n->kind == NK_OP) set(a, "group", "ops");
        Agraph_t *cluster = gvl_render_call_cluster(&cd, n->call);
        if (cluster) agsubnode(cluster, a, 1);
    }
    /* A leaf used all over (a weight shared by every layer) would draw
     * edges across many ranks, and dot's cost grows with their total
     * length: 76 s for a chain of 80 matmuls sharing one W, tens of seconds
     * for a thousand nodes.  Such a leaf is drawn once beside each of its
     * uses instead: one with more than 4 uses in any graph, more than 2 in
     * a large one. */
    const int split_uses = n_nodes > 150 ? 2 : 4;
    int *uses = gvl_graph_use_counts(g);
    bool *split = gvl_xcalloc(n_nodes ? n_nodes : 1, sizeof *split);
    for (size_t i = 0; i < n_nodes; i++)
        if (g->nodes[i]->kind != NK_OP && uses[i] > split_uses) {
            split[i] = true;
            notes->split_leaves = true;
        }
    free(uses);
    StrBuf text = {0}, back = {0}, back_tip = {0};
    /* per node, 1 + the collapsed call whose box it already has an edge
     * into: a box's nodes are one run of ids, so one mark serves them all */
    uint32_t *fed = gvl_xcalloc(n_nodes ? n_nodes : 1, sizeof *fed);
    Agnode_t **ghost = ro->column ? gvl_xcalloc(n_nodes ? n_nodes : 1, sizeof *ghost) : NULL;
    for (size_t i = 0; i < n_nodes; i++) {
        const Node *n = g->nodes[i];
        if (!in_column(ro, i)) continue;
        const CallSite *tb = gvl_render_call_box(&cd, n);
        Agnode_t *to = tb ? cd.box_node[tb->index] : an[i];
        for (int k = 0; k < n->nsrc; k++) {
            if (!gvl_node_first_use(n, k)) continue;
            const Node *u = n->src[k];
            const CallSite *ub = gvl_render_call_box(&cd, u);
            if (tb && ub == tb) continue;   /* inside the box */
            const Node *shown = gvl_render_call_output(&cd, u);
            gvl_sb_clear(&text);
            if (tb) {
                /* into a box: once per input, with the whole block's Jacobian */
                if (fed[shown->id] == tb->index + 1) continue;
                fed[shown->id] = tb->index + 1;
                gvl_render_block_label(&text, g, tb->result, shown, ro->ascii);
            } else {
                gvl_report_edge_label(&text, g, n, u, ro->ascii);
            }
            Agnode_t *from = ub ? cd.box_node[ub->index] : an[u->id];
            if (!in_column(ro, u->id)) {
                /* drawn in another column: a stand-in here, once (beside
                 * each use for a leaf drawn so, as below) */
                if (!ub && split[u->id]) from = column_ghost(ag, g, shown, ro, i);
                else from = ghost[shown->id] ? ghost[shown->id] : (ghost[shown->id] = column_ghost(ag, g, shown, ro, 0));
            } else if (!ub && split[u->id]) {
                /* a copy of the leaf beside each use: see below */
                gvl_sb_clear(&id);
                gvl_sb_printf(&id, "n%u_%zu", u->id, i);
                from = agnode(ag, (char *)gvl_sb_str(&id), 1);
                agcopyattr(an[u->id], from);
                if (ro->html) {
                    gvl_sb_clear(&id);
                    gvl_sb_printf(&id, "gvl-node-%u-at-%zu", u->id, i);
                    set(from, "id", gvl_sb_str(&id));
                }
            }
            Agedge_t *half = NULL, *e;
            if (show_labels && label_nodes) {
                gvl_sb_clear(&id);
                gvl_sb_printf(&id, "l%u_%zu", u->id, i);
                e = split_edge(ag, from, to, gvl_sb_str(&id), gvl_sb_str(&text), &half);
            } else {
                e = agedge(ag, from, to, NULL, 1);
                if (show_labels) set(e, label_key, gvl_sb_str(&text));
            }
            if (ro->html) {
                gvl_sb_clear(&id);
                gvl_sb_printf(&id, "gvl-edge-%u-%zu", u->id, i);
                set(e, "id", gvl_sb_str(&id));
            }
            set(e, "tooltip", gvl_sb_str(&text));
            if (!tb && ro->backward && v && v->grad[i] && v->grad[u->id]) {
                /* the chain rule's factor for this edge, drawn against the flow,
                 * named as the tables name it, with its matrix when small */
                const char *d = ro->ascii ? "d" : "∂";
                gvl_sb_clear(&back);
                if (n != root) {
                    gvl_fmt_partial(&back, g, root, n, d);
                    gvl_sb_add(&back, " · ");
                }
                gvl_fmt_partial(&back, g, n, u, d);
                gvl_sb_clear(&back_tip);
                gvl_sb_add(&back_tip, gvl_sb_str(&back));
                JacMatrix J;
                if (gvl_jac_matrix(v, n, u, BACK_VALUE_MAX, &J)) {
                    /* a second line: the factor's value ("\n" breaks a DOT label) */
                    int64_t dims[2] = {J.rows, J.cols};
                    Tensor t = {2, dims, J.rows * J.cols, J.data};
                    StrBuf value = {0};
                    gvl_fmt_partial(&value, g, n, u, d);
                    gvl_sb_add(&value, " = ");
                    inline_tensor(&value, &t, ro->precision);
                    gvl_sb_printf(&back, "\\n%s", gvl_sb_str(&value));
                    gvl_sb_printf(&back_tip, "\n%s", gvl_sb_str(&value));
                    gvl_sb_free(&value);
                    gvl_jac_matrix_free(&J);
                }
                Agedge_t *b;
                half = NULL;
                if (show_labels && label_nodes) {
                    gvl_sb_clear(&id);
                    gvl_sb_printf(&id, "b%u_%zu", u->id, i);
                    b = split_edge(ag, an[i], from, gvl_sb_str(&id), gvl_sb_str(&back), &half);
                    set(agtail(b), "fontcolor", "#b91c1c");
                } else {
                    b = agedge(ag, an[i], from, NULL, 1);
                    if (show_labels) set(b, label_key, gvl_sb_str(&back));
                }
                if (ro->html) {
                    gvl_sb_clear(&id);
                    gvl_sb_printf(&id, "gvl-back-%u-%zu", u->id, i);
                    set(b, "id", gvl_sb_str(&id));
                }
                for (Agedge_t *part = b; part; part = part == b ? half : NULL) {
                    set(part, "style", "dashed");
                    set(part, "color", "#dc2626");
                    set(part, "fontcolor", "#b91c1c");
                    set(part, "constraint", "false");
                    set(part, "tooltip", gvl_sb_str(&back_tip));
                }
            }
        }
    }
    for (size_t i = 0; i < n_nodes; i++)
        if (split[i] && an[i]) agdelnode(ag, an[i]);
    free(split);
    free(fed);
    free(ghost);
    gvl_render_calls_close(&cd);
    if (ro->col == 0) add_legend(ag, g->loss != NULL);
    gvl_sb_free(&label);
    gvl_sb_free(&tip);
    gvl_sb_free(&id);
    gvl_sb_free(&text);
    gvl_sb_free(&back);
    gvl_sb_free(&back_tip);
    free(an);
    return ag;
}
