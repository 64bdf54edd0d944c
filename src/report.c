/*
 * report.c - building the check and dims reports.
 *
 * Each report is a list of tables built once per format; cells are made in
 * the markup of the target format (∂ or d, × or x, LaTeX math), so the
 * table printer stays format-agnostic.  JSON goes through cJSON with the
 * keys the CLI contract fixes, plus ids that tell versions (c, c') apart.
 */
#include "report.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct Style {
    Format f;
    bool ascii;
} Style;

static Style style_of(const Options *o)
{
    Style s = {o->format, o->ascii};
    return s;
}

static const char *sym_partial(Style s) { return s.f == FMT_LATEX ? "$\\partial$" : s.ascii ? "d" : "\xe2\x88\x82"; }
static const char *sym_times(Style s) { return s.f == FMT_LATEX ? "$\\times$" : s.ascii ? "x" : "\xc3\x97"; }

/* Escapes TEXT for LaTeX's text mode. */
static const char *tex_escape(const char *text, char *buf, size_t cap)
{
    size_t k = 0;
    for (const char *p = text; *p && k + 20 < cap; p++) {
        const char *r = NULL;
        switch (*p) {
        case '_': r = "\\_"; break;
        case '#': r = "\\#"; break;
        case '$': r = "\\$"; break;
        case '%': r = "\\%"; break;
        case '&': r = "\\&"; break;
        case '{': r = "\\{"; break;
        case '}': r = "\\}"; break;
        case '^': r = "\\^{}"; break;
        case '~': r = "\\~{}"; break;
        case '\\': r = "\\textbackslash{}"; break;
        case '\'': r = "$'$"; break;
        default: break;
        }
        if (r) { strcpy(buf + k, r); k += strlen(r); }
        else buf[k++] = *p;
    }
    buf[k] = '\0';
    return buf;
}

/* TEXT in the style's markup: escaped for LaTeX, unchanged otherwise. */
static const char *esc(Style s, const char *text, char *buf, size_t cap)
{
    return s.f == FMT_LATEX ? tex_escape(text, buf, cap) : text;
}

static const char *shape_cell(Graph *g, Style s, const Shape *sh, char *buf, size_t cap)
{
    return gvl_shape_format_sep(g, sh, sym_times(s), s.f == FMT_LATEX ? tex_escape : NULL, buf, cap);
}

const char *gvl_node_vec_name(Graph *g, const Node *n, char *buf, size_t cap)
{
    if (n->alias.len) {
        snprintf(buf, cap, "%.*s", (int)n->alias.len, g->src->text + n->alias.off);
        return buf;
    }
    char name[256];
    gvl_node_display_name(g, n, name, sizeof name);
    int64_t last;
    bool column = n->shape.ndim == 2 && gvl_dim_known(&g->dims, n->shape.d[1], &last) && last == 1;
    if (n->shape.ndim >= 2 && !column) snprintf(buf, cap, "vec(%s)", name);
    else snprintf(buf, cap, "%s", name);
    return buf;
}

/* "z" stays z; "w^T @ x" becomes "(w^T @ x)" inside a fraction. */
static const char *wrap(const char *name, char *buf, size_t cap)
{
    bool simple = true;
    for (const char *p = name; *p; p++)
        if (*p == ' ' || *p == '+' || *p == '-' || *p == '*' || *p == '/' || *p == '@') simple = false;
    snprintf(buf, cap, simple ? "%s" : "(%s)", name);
    return buf;
}

static const char *jac_cell(Graph *g, Style s, const Node *v, const Node *u, char *buf, size_t cap)
{
    char a[300], b[300], wa[310], wb[310], ea[700], eb[700];
    gvl_node_vec_name(g, v, a, sizeof a);
    gvl_node_vec_name(g, u, b, sizeof b);
    snprintf(buf, cap, "%s%s/%s%s", sym_partial(s), esc(s, wrap(a, wa, sizeof wa), ea, sizeof ea), sym_partial(s),
             esc(s, wrap(b, wb, sizeof wb), eb, sizeof eb));
    return buf;
}

static const char *size_cell(Graph *g, Style s, const Node *v, const Node *u, char *buf, size_t cap)
{
    char ra[200] = "1", rb[200], ta[420], tb[420];
    bool ascii = s.ascii || s.f == FMT_LATEX;
    if (v) {
        Numel mv = gvl_shape_numel(g, &v->shape);
        gvl_numel_format(g, &mv, ascii, ra, sizeof ra);
    }
    Numel mu = gvl_shape_numel(g, &u->shape);
    gvl_numel_format(g, &mu, ascii, rb, sizeof rb);
    const char *a = esc(s, ra, ta, sizeof ta), *b = esc(s, rb, tb, sizeof tb);
    /* n+1 next to a times sign needs parentheses: (n+1)×5, not n+1×5 */
    bool pa = strpbrk(a, "+-") && a[0] != '(', pb = strpbrk(b, "+-") && b[0] != '(' && !isdigit((unsigned char)b[0]);
    pa = pa && !isdigit((unsigned char)a[0]);
    snprintf(buf, cap, "%s%s%s%s%s%s%s", pa ? "(" : "", a, pa ? ")" : "", sym_times(s), pb ? "(" : "", b,
             pb ? ")" : "");
    return buf;
}

/* ---- JSON helpers ------------------------------------------------------- */

static cJSON *json_dim(Graph *g, Dim d)
{
    int64_t v;
    if (gvl_dim_known(&g->dims, d, &v)) return cJSON_CreateNumber((double)v);
    char buf[64];
    return cJSON_CreateString(gvl_dim_format(&g->dims, d, buf, sizeof buf));
}

static cJSON *json_shape(Graph *g, const Shape *s)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < s->ndim; i++) cJSON_AddItemToArray(a, json_dim(g, s->d[i]));
    return a;
}

static cJSON *json_numel(Graph *g, const Shape *s)
{
    Numel m = gvl_shape_numel(g, s);
    if (m.nvars == 0 && !m.overflow) return cJSON_CreateNumber((double)m.coef);
    char buf[128];
    return cJSON_CreateString(gvl_numel_format(g, &m, true, buf, sizeof buf));
}

cJSON *gvl_report_json_node(Graph *g, const Node *n)
{
    char buf[512];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", n->id);
    cJSON_AddStringToObject(o, "name", gvl_node_plain_name(g, n, buf, sizeof buf));
    cJSON_AddStringToObject(o, "display_name", gvl_node_display_name(g, n, buf, sizeof buf));
    cJSON_AddStringToObject(o, "kind", gvl_node_kind_names[n->kind]);
    if (n->op >= 0) cJSON_AddStringToObject(o, "op", gvl_node_op_name(n));
    else cJSON_AddNullToObject(o, "op");
    cJSON_AddItemToObject(o, "shape", json_shape(g, &n->shape));
    return o;
}

static void json_print(cJSON *root, FILE *out)
{
    char *s = cJSON_Print(root);
    if (!s) gvl_out_of_memory();
    fprintf(out, "%s\n", s);
    cJSON_free(s);
    cJSON_Delete(root);
}

/* ---- check --------------------------------------------------------------- */

static cJSON *json_check_nodes(Graph *g)
{
    cJSON *nodes = cJSON_CreateArray();
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->failed) continue;
        cJSON *o = gvl_report_json_node(g, n);
        int line, col;
        gvl_source_loc(g->src, (n->named ? n->name : n->loc).off, &line, &col);
        cJSON_AddNumberToObject(o, "line", line);
        cJSON_AddNumberToObject(o, "col", col);
        cJSON_AddItemToArray(nodes, o);
    }
    return nodes;
}

void gvl_report_json_errors(Graph *g, const Options *o, FILE *out)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "nodes", json_check_nodes(g));
    cJSON_AddItemToObject(root, "diagnostics", gvl_diag_to_json(g->diag));
    json_print(root, out);
}

int gvl_report_check(Graph *g, const Options *o, FILE *out)
{
    if (o->format == FMT_JSON) {
        gvl_report_json_errors(g, o, out);
        return 0;
    }
    Style s = style_of(o);
    static const char *const head[] = {"name", "kind", "op", "shape", "line:col"};
    Table t;
    gvl_table_init(&t, NULL, 5, head);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        char name[512], ename[1200], shape[512], where[32];
        int line, col;
        /* a named node is where its name is written; a sub-expression is at its operator */
        gvl_source_loc(g->src, (n->named ? n->name : n->loc).off, &line, &col);
        snprintf(where, sizeof where, "%d:%d", line, col);
        const char *row[] = {esc(s, gvl_node_display_name(g, n, name, sizeof name), ename, sizeof ename),
                             gvl_node_kind_names[n->kind], n->op >= 0 ? gvl_node_op_name(n) : "-",
                             shape_cell(g, s, &n->shape, shape, sizeof shape), where};
        gvl_table_add(&t, row);
    }
    gvl_table_print(&t, o->format, out);
    gvl_table_free(&t);
    return 0;
}

/* ---- dims ----------------------------------------------------------------- */

/* Marks ROOT and everything it depends on: one sweep in reverse order. */
static bool *ancestors(Graph *g, const Node *root)
{
    bool *mark = gvl_xcalloc(g->count ? g->count : 1, sizeof *mark);
    mark[root->id] = true;
    for (size_t i = root->id + 1; i-- > 0;)
        if (mark[i])
            for (int k = 0; k < g->nodes[i]->nsrc; k++) mark[g->nodes[i]->src[k]->id] = true;
    return mark;
}

/* True when operand K of N is the first occurrence of that node. */
static bool first_use(const Node *n, int k)
{
    for (int j = 0; j < k; j++)
        if (n->src[j] == n->src[k]) return false;
    return true;
}

cJSON *gvl_report_json_edges(Graph *g)
{
    char buf[512], b2[1500];
    cJSON *edges = cJSON_CreateArray();
    Style ascii = {FMT_TEXT, true};
    for (size_t i = 0; i < g->count; i++) {
        const Node *v = g->nodes[i];
        for (int k = 0; k < v->nsrc; k++) {
            if (!first_use(v, k)) continue;
            const Node *u = v->src[k];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "from", gvl_node_plain_name(g, u, buf, sizeof buf));
            cJSON_AddStringToObject(e, "to", gvl_node_plain_name(g, v, buf, sizeof buf));
            cJSON_AddStringToObject(e, "wrt", gvl_node_vec_name(g, u, buf, sizeof buf));
            cJSON_AddStringToObject(e, "of", gvl_node_vec_name(g, v, buf, sizeof buf));
            cJSON *jac = cJSON_AddArrayToObject(e, "jacobian");
            cJSON_AddItemToArray(jac, json_numel(g, &v->shape));
            cJSON_AddItemToArray(jac, json_numel(g, &u->shape));
            cJSON_AddStringToObject(e, "label", jac_cell(g, ascii, v, u, b2, sizeof b2));
            cJSON_AddNumberToObject(e, "from_id", u->id);
            cJSON_AddNumberToObject(e, "to_id", v->id);
            cJSON_AddItemToArray(edges, e);
        }
    }
    return edges;
}

const char *gvl_report_edge_label(Graph *g, const Node *v, const Node *u, bool ascii, char *buf, size_t cap)
{
    Style s = {FMT_TEXT, ascii};
    char jac[1500], size[300];
    jac_cell(g, s, v, u, jac, sizeof jac);
    size_cell(g, s, v, u, size, sizeof size);
    snprintf(buf, cap, "%s: %s", jac, size);
    return buf;
}

bool gvl_report_first_use(const Node *n, int k)
{
    return first_use(n, k);
}

static int dims_json(Graph *g, const Options *o, Node *root, FILE *out)
{
    char buf[512], b2[512];
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "layout", "numerator");
    cJSON_AddStringToObject(j, "vec", "column-major");
    cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        cJSON *e = gvl_report_json_node(g, n);
        cJSON_AddItemToObject(e, "numel", json_numel(g, &n->shape));
        cJSON_AddStringToObject(e, "vec_name", gvl_node_vec_name(g, n, buf, sizeof buf));
        cJSON_AddItemToArray(nodes, e);
    }
    cJSON_AddItemToObject(j, "edges", gvl_report_json_edges(g));
    if (g->loss) cJSON_AddStringToObject(j, "loss", gvl_node_plain_name(g, g->loss, buf, sizeof buf));
    else cJSON_AddNullToObject(j, "loss");
    cJSON *grads = cJSON_AddArrayToObject(j, "gradients");
    if (root) {
        bool *mark = ancestors(g, root);
        gvl_node_plain_name(g, root, b2, sizeof b2);
        for (size_t i = 0; i < g->count; i++) {
            if (!mark[i] || i == root->id) continue;
            const Node *u = g->nodes[i];
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "of", b2);
            cJSON_AddStringToObject(e, "wrt", gvl_node_plain_name(g, u, buf, sizeof buf));
            cJSON *d = cJSON_AddArrayToObject(e, "dims");
            cJSON_AddItemToArray(d, cJSON_CreateNumber(1));
            cJSON_AddItemToArray(d, json_numel(g, &u->shape));
            cJSON_AddNumberToObject(e, "wrt_id", u->id);
            cJSON_AddStringToObject(e, "wrt_vec_name", gvl_node_vec_name(g, u, buf, sizeof buf));
            cJSON_AddItemToArray(grads, e);
        }
        free(mark);
    }
    cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));   /* warnings, if any */
    json_print(j, out);
    return 0;
}

/* A sentence between tables: a paragraph, or a comment where the format
 * has no paragraphs (CSV has neither, so it gets nothing). */
static void note(Format f, FILE *out, const char *text)
{
    if (f == FMT_TEXT || f == FMT_MD) fprintf(out, "\n%s\n", text);
    else if (f == FMT_LATEX) fprintf(out, "\n%% %s\n", text);
}

int gvl_report_dims(Graph *g, const Options *o, Node *root, FILE *out)
{
    if (o->format == FMT_JSON) return dims_json(g, o, root, out);
    Style s = style_of(o);
    char title[4096], numel_tex[400], name[512], ename[1200], vname[512], evname[1200], shape[512], numel[128], jac[2048],
        size[300], from[1500], to[1500], s1[512], s2[512];
    if (o->format == FMT_TEXT)
        fprintf(out, "Jacobian sizes for %s\nConvention: numerator layout, so the Jacobian %sv/%su of an edge u -> v "
               "is numel(v)%snumel(u); vec(.) stacks columns.\n\n",
               g->src->name, sym_partial(s), sym_partial(s), s.ascii ? " x " : sym_times(s));
    else if (o->format == FMT_MD)
        fprintf(out, "Jacobian sizes for `%s`. Numerator layout: the Jacobian %sv/%su of an edge u -> v is "
               "numel(v)%snumel(u); vec(.) stacks columns.\n\n",
               g->src->name, sym_partial(s), sym_partial(s), sym_times(s));
    else if (o->format == FMT_LATEX)
        fprintf(out, "%% Jacobian sizes; numerator layout: the Jacobian of an edge u -> v is numel(v) x numel(u); "
               "vec stacks columns.\n");

    static const char *const node_head[] = {"name", "kind", "op", "shape", "numel", "in tables"};
    Table t;
    gvl_table_init(&t, "Nodes", 6, node_head);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        Numel m = gvl_shape_numel(g, &n->shape);
        const char *row[] = {esc(s, gvl_node_display_name(g, n, name, sizeof name), ename, sizeof ename),
                             gvl_node_kind_names[n->kind], n->op >= 0 ? gvl_node_op_name(n) : "-",
                             shape_cell(g, s, &n->shape, shape, sizeof shape),
                             esc(s, gvl_numel_format(g, &m, s.ascii || s.f == FMT_LATEX, numel, sizeof numel),
                                 numel_tex, sizeof numel_tex),
                             esc(s, gvl_node_vec_name(g, n, vname, sizeof vname), evname, sizeof evname)};
        gvl_table_add(&t, row);
    }
    gvl_table_print(&t, o->format, out);
    gvl_table_free(&t);
    fputc('\n', out);

    static const char *const edge_head[] = {"Jacobian", "size", "from", "to"};
    gvl_table_init(&t, "Edge Jacobians", 4, edge_head);
    for (size_t i = 0; i < g->count; i++) {
        const Node *v = g->nodes[i];
        for (int k = 0; k < v->nsrc; k++) {
            if (!first_use(v, k)) continue;
            const Node *u = v->src[k];
            snprintf(from, sizeof from, "%s (%s)", esc(s, gvl_node_display_name(g, u, name, sizeof name), ename, sizeof ename),
                     shape_cell(g, s, &u->shape, s1, sizeof s1));
            snprintf(to, sizeof to, "%s (%s)", esc(s, gvl_node_display_name(g, v, vname, sizeof vname), evname, sizeof evname),
                     shape_cell(g, s, &v->shape, s2, sizeof s2));
            const char *row[] = {jac_cell(g, s, v, u, jac, sizeof jac), size_cell(g, s, v, u, size, sizeof size),
                                 from, to};
            gvl_table_add(&t, row);
        }
    }
    if (t.nrows > 1) gvl_table_print(&t, o->format, out);
    else note(o->format, out, "No edge Jacobians: the graph has no ops.");
    gvl_table_free(&t);

    if (root) {
        fputc('\n', out);
        char rname[512], ername[1200];
        gvl_node_vec_name(g, root, rname, sizeof rname);
        const char *er = esc(s, rname, ername, sizeof ername);
        /* say how the loss was chosen when the file did not name it */
        snprintf(title, sizeof title, "Gradients of %s%s%s (%s%s/%sv is 1%snumel(v))", o->of ? "" : "the loss ", er,
                 !o->of && !g->loss_explicit ? ", the last one-element node assigned" : "", sym_partial(s), er,
                 sym_partial(s), s.ascii ? " x " : sym_times(s));
        static const char *const grad_head[] = {"gradient", "size", "shape of v"};
        gvl_table_init(&t, title, 3, grad_head);
        bool *mark = ancestors(g, root);
        for (size_t i = 0; i < g->count; i++) {
            if (!mark[i] || i == root->id) continue;
            const Node *u = g->nodes[i];
            const char *row[] = {jac_cell(g, s, root, u, jac, sizeof jac), size_cell(g, s, NULL, u, size, sizeof size),
                                 shape_cell(g, s, &u->shape, shape, sizeof shape)};
            gvl_table_add(&t, row);
        }
        free(mark);
        if (t.nrows > 1) gvl_table_print(&t, o->format, out);
        else note(o->format, out, gvl_arena_printf(&g->arena, "%s depends on no other node.", rname));
        gvl_table_free(&t);
    } else {
        note(o->format, out, "No gradient table: the graph has no one-element loss (add 'loss NAME', "
                             "or use --of NODE).");
    }
    return 0;
}
