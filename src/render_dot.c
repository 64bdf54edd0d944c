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

#include "report.h"
#include "report_values.h"

#include <math.h>
#include <stdarg.h>
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
static const char *const loss_fill = "#fecaca", *const loss_border = "#dc2626";

/* Tensors up to this size are drawn in full. */
enum { MATRIX_MAX_ROWS = 6, MATRIX_MAX_COLS = 6 };

typedef struct Buf {
    char *s;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_add(Buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = gvl_xrealloc(b->s, b->cap);
    }
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
}

/* Text with &, <, >, " escaped for an HTML-like label. */
static void buf_html(Buf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': buf_add(b, "&amp;"); break;
        case '<': buf_add(b, "&lt;"); break;
        case '>': buf_add(b, "&gt;"); break;
        case '"': buf_add(b, "&quot;"); break;
        default: buf_add(b, "%c", *p); break;
        }
    }
}


/* The tensor as rows x cols for drawing: 0-D and 1-D are one row. */
static bool as_matrix(const Tensor *t, int64_t *rows, int64_t *cols)
{
    if (t->ndim == 0) { *rows = *cols = 1; }
    else if (t->ndim == 1) { *rows = 1; *cols = t->dims[0]; }
    else if (t->ndim == 2) { *rows = t->dims[0]; *cols = t->dims[1]; }
    else return false;
    return *rows <= MATRIX_MAX_ROWS && *cols <= MATRIX_MAX_COLS;
}

/* A small tensor as a matrix in a monospace font: the columns line up,
 * and the bracket glyphs of consecutive lines join into one tall bracket. */
static void html_tensor(Buf *b, const Tensor *t, int precision)
{
    char num[64];
    int64_t rows, cols;
    if (t->ndim == 0) {
        gvl_format_number(num, sizeof num, t->data[0], precision);
        buf_add(b, "%s", num);
        return;
    }
    if (!as_matrix(t, &rows, &cols)) {
        char sum[256];
        gvl_format_summary(sum, sizeof sum, t, precision);
        buf_add(b, "<FONT POINT-SIZE=\"10\">%s</FONT>", sum);
        return;
    }
    int width[MATRIX_MAX_COLS] = {0};
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++) {
            gvl_format_number(num, sizeof num, t->data[r * cols + c], precision);
            int w = (int)strlen(num);
            if (w > width[c]) width[c] = w;
        }
    /* U+23A1..23A6: the upper, middle and lower pieces of [ and ] */
    static const char *const left[3] = {"\xe2\x8e\xa1", "\xe2\x8e\xa2", "\xe2\x8e\xa3"};
    static const char *const right[3] = {"\xe2\x8e\xa4", "\xe2\x8e\xa5", "\xe2\x8e\xa6"};
    buf_add(b, "<FONT FACE=\"DejaVu Sans Mono\" POINT-SIZE=\"11\">");
    for (int64_t r = 0; r < rows; r++) {
        int piece = r == 0 ? 0 : r == rows - 1 ? 2 : 1;
        if (r) buf_add(b, "<BR ALIGN=\"LEFT\"/>");
        buf_add(b, "%s", rows == 1 ? "[" : left[piece]);
        for (int64_t c = 0; c < cols; c++) {
            gvl_format_number(num, sizeof num, t->data[r * cols + c], precision);
            buf_add(b, " %*s", width[c], num);
        }
        buf_add(b, " %s", rows == 1 ? "]" : right[piece]);
    }
    buf_add(b, "</FONT>");
}

/* The shortest decimal that reads back as X, as Python's repr prints it. */
static void fmt_exact(char *buf, size_t cap, double x)
{
    if (!isfinite(x)) {
        gvl_format_number(buf, cap, x, 17);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, cap, "%.*g", p, x);
        if (strtod(buf, NULL) == x) return;
    }
}

/* Every value in full, for the tooltip: "value = [[1, 2], [3, 4]]". */
static void text_tensor(Buf *b, const Tensor *t)
{
    char num[64];
    if (t->ndim == 0) {
        fmt_exact(num, sizeof num, t->data[0]);
        buf_add(b, "%s", num);
        return;
    }
    int64_t idx[TENSOR_MAX_RANK] = {0};
    for (int k = 0; k < t->ndim; k++) buf_add(b, "[");
    for (int64_t i = 0; i < t->numel; i++) {
        fmt_exact(num, sizeof num, t->data[i]);
        buf_add(b, "%s", num);
        int closed = 0;
        for (int k = t->ndim - 1; k >= 0; k--) {
            if (++idx[k] < t->dims[k]) break;
            idx[k] = 0;
            closed++;
        }
        for (int k = 0; k < closed; k++) buf_add(b, "]");
        if (i + 1 < t->numel) {
            buf_add(b, ", ");
            for (int k = 0; k < closed; k++) buf_add(b, "[");
        }
    }
}

static void set(void *obj, const char *key, const char *value)
{
    agsafeset(obj, (char *)key, (char *)value, "");
}

static void set_html(Agraph_t *ag, void *obj, const char *key, char *html)
{
    char *h = agstrdup_html(ag, html);
    agsafeset(obj, (char *)key, h, "");
    agstrfree(ag, h);
}

/* The legend: one node holding a row of swatches, one per kind. */
static void add_legend(Agraph_t *ag, bool has_loss)
{
    static const char *const names[] = {"input", "param", "const", "label", "op"};
    Buf html = {0};
    buf_add(&html, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"4\" CELLPADDING=\"3\">"
                   "<TR><TD BORDER=\"0\"><FONT POINT-SIZE=\"10\">legend</FONT></TD>");
    for (int k = 0; k <= (has_loss ? 5 : 4); k++)
        buf_add(&html, "<TD BGCOLOR=\"%s\" COLOR=\"%s\" STYLE=\"rounded\"><FONT POINT-SIZE=\"10\">%s</FONT></TD>",
                k == 5 ? loss_fill : kind_colours[k].fill, k == 5 ? loss_border : kind_colours[k].border,
                k == 5 ? "loss" : names[k]);
    buf_add(&html, "</TR></TABLE>");
    Agnode_t *n = agnode(ag, "legend", 1);
    set_html(ag, n, "label", html.s);
    set(n, "shape", "plain");
    set(n, "tooltip", "node colours: inputs, params, consts, labels, ops, and the loss");
    free(html.s);
}

Agraph_t *gvl_render_build(Graph *g, const Values *v, const Values *after, const RenderOptions *ro,
                       RenderNotes *notes)
{
    memset(notes, 0, sizeof *notes);
    size_t n_nodes = g->count;
    /* large graphs: what keeps them drawable in seconds (bench/render.sh) */
    bool show_values = ro->values && v && n_nodes <= 400;
    bool show_labels = ro->jacobians && n_nodes <= 2000;
    notes->dropped_values = ro->values && v && !show_values;
    notes->dropped_labels = ro->jacobians && !show_labels;

    Agraph_t *ag = agopen("graph", Agdirected, NULL);
    set(ag, "rankdir", ro->rankdir);
    set(ag, "fontname", "Helvetica");
    set(ag, "nodesep", "0.3");
    set(ag, "ranksep", "0.5");
    agattr(ag, AGNODE, "fontname", "Helvetica");
    agattr(ag, AGNODE, "fontsize", "12");
    agattr(ag, AGEDGE, "fontname", "Helvetica");
    agattr(ag, AGEDGE, "fontsize", "10");
    agattr(ag, AGEDGE, "fontcolor", "#374151");
    agattr(ag, AGEDGE, "color", "#6b7280");

    const Node *root = v ? v->root : NULL;
    Agnode_t **an = gvl_xcalloc(n_nodes ? n_nodes : 1, sizeof *an);
    Buf label = {0}, tip = {0};
    char name[512], shape[256], id[32];
    for (size_t i = 0; i < n_nodes; i++) {
        const Node *n = g->nodes[i];
        snprintf(id, sizeof id, "n%zu", i);
        Agnode_t *a = an[i] = agnode(ag, id, 1);
        bool is_loss = n == g->loss;
        gvl_node_display_name(g, n, name, sizeof name);
        gvl_shape_format(g, &n->shape, ro->ascii, shape, sizeof shape);
        label.len = tip.len = 0;
        buf_add(&label, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">");
        buf_add(&label, "<TR><TD COLSPAN=\"2\"><B>");
        buf_html(&label, name);
        buf_add(&label, "</B></TD></TR><TR><TD COLSPAN=\"2\"><FONT POINT-SIZE=\"10\" COLOR=\"#4b5563\">");
        buf_html(&label, n->op >= 0 ? gvl_node_op_name(n) : gvl_node_kind_names[n->kind]);
        buf_add(&label, " · ");
        buf_html(&label, shape);
        buf_add(&label, "</FONT></TD></TR>");
        buf_add(&tip, "%s (%s, %s)", name, n->op >= 0 ? gvl_node_op_name(n) : gvl_node_kind_names[n->kind], shape);
        if (v) {
            buf_add(&tip, "\nvalue = ");
            text_tensor(&tip, v->val[i]);
            if (v->grad[i]) {
                char rn[512];
                buf_add(&tip, "\ngrad %s%s/%s%s = ", ro->ascii ? "d" : "∂", gvl_node_display_name(g, root, rn, sizeof rn),
                        ro->ascii ? "d" : "∂", name);
                text_tensor(&tip, v->grad[i]);
            }
            if (after && n->kind == NK_PARAM) {
                buf_add(&tip, "\nafter %lld step%s = ", (long long)ro->steps, ro->steps == 1 ? "" : "s");
                text_tensor(&tip, after->val[i]);
            }
        }
        if (show_values) {
            buf_add(&label, "<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"#4b5563\">%s</FONT></TD><TD ALIGN=\"LEFT\">",
                    after && n->kind == NK_PARAM ? "before" : "=");
            html_tensor(&label, v->val[i], ro->precision);
            buf_add(&label, "</TD></TR>");
            if (after && n->kind == NK_PARAM) {
                if (ro->steps == 1)
                    buf_add(&label, "<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"#4b5563\">after</FONT></TD><TD ALIGN=\"LEFT\">");
                else
                    buf_add(&label, "<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"#4b5563\">after %lld steps</FONT></TD>"
                                    "<TD ALIGN=\"LEFT\">", (long long)ro->steps);
                html_tensor(&label, after->val[i], ro->precision);
                buf_add(&label, "</TD></TR>");
            }
            if (ro->grads && v->grad[i]) {
                buf_add(&label, "<TR><TD ALIGN=\"RIGHT\"><FONT COLOR=\"#b91c1c\">∇</FONT></TD><TD ALIGN=\"LEFT\">"
                                "<FONT COLOR=\"#b91c1c\">");
                html_tensor(&label, v->grad[i], ro->precision);
                buf_add(&label, "</FONT></TD></TR>");
            }
        }
        buf_add(&label, "</TABLE>");
        set_html(ag, a, "label", label.s);
        set(a, "tooltip", tip.s);
        set(a, "shape", "box");
        set(a, "style", "rounded,filled");
        set(a, "margin", "0.05,0.03");
        set(a, "fillcolor", is_loss ? loss_fill : kind_colours[n->kind].fill);
        set(a, "color", is_loss ? loss_border : kind_colours[n->kind].border);
        if (is_loss) set(a, "penwidth", "2");
    }
    /* In a large graph a leaf used all over (a weight shared by every
     * layer) would draw edges across hundreds of ranks, and dot's cost
     * grows with their total length: tens of seconds for a thousand nodes.
     * Such a leaf is drawn once beside each of its uses instead. */
    bool *split = NULL;
    if (n_nodes > 150) {
        int *uses = gvl_xcalloc(n_nodes, sizeof *uses);
        for (size_t i = 0; i < n_nodes; i++)
            for (int k = 0; k < g->nodes[i]->nsrc; k++)
                if (gvl_report_first_use(g->nodes[i], k)) uses[g->nodes[i]->src[k]->id]++;
        split = gvl_xcalloc(n_nodes, sizeof *split);
        for (size_t i = 0; i < n_nodes; i++)
            if (g->nodes[i]->kind != NK_OP && uses[i] > 2) {
                split[i] = true;
                notes->split_leaves = true;
            }
        free(uses);
    }
    for (size_t i = 0; i < n_nodes; i++) {
        const Node *n = g->nodes[i];
        for (int k = 0; k < n->nsrc; k++) {
            if (!gvl_report_first_use(n, k)) continue;
            const Node *u = n->src[k];
            char text[2048];
            gvl_report_edge_label(g, n, u, ro->ascii, text, sizeof text);
            Agnode_t *from = an[u->id];
            if (split && split[u->id]) {
                /* a copy of the leaf beside each use: see below */
                char cid[48];
                snprintf(cid, sizeof cid, "n%u_%zu", u->id, i);
                from = agnode(ag, cid, 1);
                agcopyattr(an[u->id], from);
            }
            Agedge_t *e = agedge(ag, from, an[i], NULL, 1);
            if (show_labels) set(e, n_nodes > 150 ? "xlabel" : "label", text);
            set(e, "tooltip", text);
            if (ro->backward && v && v->grad[i] && v->grad[u->id]) {
                /* the chain rule's factor for this edge, drawn against the flow */
                char rn[512], vn[512], un[512], back[2200];
                gvl_node_display_name(g, root, rn, sizeof rn);
                gvl_node_display_name(g, n, vn, sizeof vn);
                gvl_node_display_name(g, u, un, sizeof un);
                const char *d = ro->ascii ? "d" : "∂";
                snprintf(back, sizeof back, "%s%s/%s%s · %s%s/%s%s", d, rn, d, vn, d, vn, d, un);
                Agedge_t *b = agedge(ag, an[i], an[u->id], NULL, 1);
                set(b, "style", "dashed");
                set(b, "color", "#dc2626");
                set(b, "fontcolor", "#b91c1c");
                set(b, "constraint", "false");
                if (show_labels) set(b, n_nodes > 150 ? "xlabel" : "label", back);
                set(b, "tooltip", back);
            }
        }
    }
    if (split)
        for (size_t i = 0; i < n_nodes; i++)
            if (split[i]) agdelnode(ag, an[i]);
    free(split);
    add_legend(ag, g->loss != NULL);
    free(label.s);
    free(tip.s);
    free(an);
    return ag;
}
