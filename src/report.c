/*
 * report.c - building the check and dims reports.
 *
 * Each report is a list of tables built once per format; cells are made in
 * the markup of the target format (∂ or d, × or x, LaTeX math), so the
 * table printer stays format-agnostic.  Cell texts live in a scratch arena
 * that is emptied after every row, since the table keeps its own copies.
 * JSON goes through cJSON with the keys the CLI contract fixes, plus ids
 * that tell versions (c, c') apart.
 */
#include "report.h"

#include "report_table.h"
#include "json_writer.h"

#include <cjson/cJSON.h>
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The last shape shape_cell wrote: a table of a million nodes has a few
 * shapes, and formatting them was a tenth of dims's time. */
typedef struct ShapeMemo {
    int ndim;        /* -1: nothing yet */
    Dim d[8];
    StrBuf text;
} ShapeMemo;

/* Each node's name and vec name, made once: dims writes each several
 * times (its row, its edges' rows, their Jacobians). */
typedef struct NameMemo {
    Arena a;
    const char **name, **vec, **numel, **wrapped;   /* wrapped: vec in parentheses where needed */
} NameMemo;

typedef struct Style {
    Format f;
    bool ascii;
    Arena *a;        /* where cell texts are made */
    ShapeMemo *memo; /* or NULL */
    NameMemo *names; /* or NULL */
} Style;

static const char *name_of(const Style *s, const Graph *g, const Node *n)
{
    NameMemo *m = s->names;
    if (!m) return gvl_name_text(s->a, g, n);
    if (!m->name[n->id]) m->name[n->id] = gvl_name_text(&m->a, g, n);
    return m->name[n->id];
}

/* numel(N) as text ("4", "n+1"), ASCII or not as the caller asks. */
static const char *numel_of(const Style *s, const Graph *g, const Node *n, bool ascii)
{
    NameMemo *m = s->names;
    Numel k;
    if (!m) {
        k = gvl_shape_numel(g, &n->shape);
        return gvl_numel_text(s->a, g, &k, ascii);
    }
    if (!m->numel[n->id]) {
        k = gvl_shape_numel(g, &n->shape);
        m->numel[n->id] = gvl_numel_text(&m->a, g, &k, ascii);
    }
    return m->numel[n->id];
}

static const char *vec_name_of(const Style *s, const Graph *g, const Node *n)
{
    NameMemo *m = s->names;
    if (!m) return gvl_vec_name_text(s->a, g, n);
    if (!m->vec[n->id]) m->vec[n->id] = gvl_vec_name_text(&m->a, g, n);
    return m->vec[n->id];
}

static const char *sym_partial(const Style *s) { return s->f == FMT_LATEX ? "$\\partial$" : s->ascii ? "d" : "\xe2\x88\x82"; }
static const char *sym_times(const Style *s) { return s->f == FMT_LATEX ? "$\\times$" : s->ascii ? "x" : "\xc3\x97"; }

/* TEXT (a name, a size) in the style's markup: LaTeX math ($w^\top$),
 * unchanged otherwise. */
static const char *esc(const Style *s, const char *text)
{
    if (s->f != FMT_LATEX) return text;
    StrBuf b = {0};
    gvl_sb_putc(&b, '$');
    gvl_fmt_math_text(&b, text);
    gvl_sb_putc(&b, '$');
    const char *r = gvl_sb_arena(&b, s->a);
    gvl_sb_free(&b);
    return r;
}

static bool memo_holds(const ShapeMemo *m, const Shape *sh)
{
    if (m->ndim != sh->ndim) return false;
    for (int i = 0; i < sh->ndim; i++)
        if (m->d[i].c != sh->d[i].c || m->d[i].v != sh->d[i].v) return false;
    return true;
}

static const char *shape_cell(const Graph *g, const Style *s, const Shape *sh)
{
    ShapeMemo *m = s->memo;
    if (m && memo_holds(m, sh)) return gvl_arena_strndup(s->a, m->text.s, m->text.len);
    StrBuf b = {0};
    bool math = s->f == FMT_LATEX && sh->ndim > 0;
    if (math) gvl_sb_putc(&b, '$');
    gvl_fmt_shape_sep(&b, g, sh, math ? " \\times " : sym_times(s), math ? gvl_fmt_math_text : NULL);
    if (math) gvl_sb_putc(&b, '$');
    const char *r = gvl_sb_arena(&b, s->a);
    if (m && sh->ndim <= (int)(sizeof m->d / sizeof m->d[0])) {
        m->ndim = sh->ndim;
        for (int i = 0; i < sh->ndim; i++) m->d[i] = sh->d[i];
        gvl_sb_clear(&m->text);
        gvl_sb_addn(&m->text, b.s ? b.s : "", b.len);
    }
    gvl_sb_free(&b);
    return r;
}

const char *gvl_report_name_cell(Arena *a, Format f, bool ascii, const Graph *g, const Node *n)
{
    Style s = {f, ascii, a, NULL, NULL};
    return esc(&s, gvl_name_text(a, g, n));
}

const char *gvl_report_shape_cell(Arena *a, Format f, bool ascii, const Graph *g, const Shape *sh)
{
    Style s = {f, ascii, a, NULL, NULL};
    return shape_cell(g, &s, sh);
}

/* The N strings of PARTS end to end, in A. */
static const char *cat(Arena *a, const char *const *parts, int n)
{
    size_t len = 0, k = 0, m[8];
    assert(n <= 8);
    for (int i = 0; i < n; i++) len += m[i] = strlen(parts[i]);
    char *r = gvl_arena_alloc_uninit(a, len + 1);
    for (int i = 0; i < n; i++) {
        memcpy(r + k, parts[i], m[i]);
        k += m[i];
    }
    r[k] = '\0';
    return r;
}

/* "12:5", without printf (check writes one per node). */
static const char *line_col(Arena *a, int line, int col)
{
    char buf[32], *p = buf + sizeof buf;
    *--p = '\0';
    do *--p = (char)('0' + col % 10); while (col /= 10);
    *--p = ':';
    do *--p = (char)('0' + line % 10); while (line /= 10);
    return gvl_arena_strndup(a, p, strlen(p));
}

/* "z" stays z; "w^T @ x" becomes "(w^T @ x)" inside a fraction. */
static const char *wrap(Arena *a, const char *name)
{
    return gvl_fmt_needs_parens(name) ? gvl_arena_printf(a, "(%s)", name) : name;
}

/* N's vec name as a Jacobian writes it: "(w^T @ x)" in "∂(w^T @ x)/∂x". */
static const char *wrapped_vec_of(const Style *s, const Graph *g, const Node *n)
{
    NameMemo *m = s->names;
    if (!m) return wrap(s->a, vec_name_of(s, g, n));
    if (!m->wrapped[n->id]) m->wrapped[n->id] = wrap(&m->a, vec_name_of(s, g, n));
    return m->wrapped[n->id];
}

/* "∂z/∂w" for the edge U -> V. */
static const char *jac_cell(const Graph *g, const Style *s, const Node *v, const Node *u)
{
    if (s->f == FMT_LATEX) {
        StrBuf b = {0};
        gvl_sb_add(&b, "$\\partial ");
        gvl_fmt_math_name(&b, g, v, true);
        gvl_sb_add(&b, " / \\partial ");
        gvl_fmt_math_name(&b, g, u, true);
        gvl_sb_putc(&b, '$');
        const char *r = gvl_sb_arena(&b, s->a);
        gvl_sb_free(&b);
        return r;
    }
    const char *a = esc(s, wrapped_vec_of(s, g, v));
    const char *b = esc(s, wrapped_vec_of(s, g, u));
    /* built by hand: dims writes millions of these, and printf was a fifth of its time */
    const char *parts[] = {sym_partial(s), a, "/", sym_partial(s), b};
    return cat(s->a, parts, 5);
}

/* "4×24": numel(V) × numel(U), with 1 for a missing V. */
static const char *size_cell(const Graph *g, const Style *s, const Node *v, const Node *u)
{
    bool ascii = s->ascii || s->f == FMT_LATEX;
    const char *a = v ? numel_of(s, g, v, ascii) : "1", *b = numel_of(s, g, u, ascii);
    /* n+1 next to a times sign needs parentheses: (n+1)×5, not n+1×5 */
    bool pa = strpbrk(a, "+-") && a[0] != '(' && !isdigit((unsigned char)a[0]);
    bool pb = strpbrk(b, "+-") && b[0] != '(' && !isdigit((unsigned char)b[0]);
    if (s->f == FMT_LATEX) {
        StrBuf m = {0};
        gvl_sb_add(&m, pa ? "$(" : "$");
        gvl_fmt_math_text(&m, a);
        gvl_sb_add(&m, pa ? ") \\times " : " \\times ");
        if (pb) gvl_sb_putc(&m, '(');
        gvl_fmt_math_text(&m, b);
        gvl_sb_add(&m, pb ? ")$" : "$");
        const char *r = gvl_sb_arena(&m, s->a);
        gvl_sb_free(&m);
        return r;
    }
    const char *parts[] = {pa ? "(" : "", a, pa ? ")" : "", sym_times(s), pb ? "(" : "", b, pb ? ")" : ""};
    return cat(s->a, parts, 7);
}

/* ---- JSON helpers ------------------------------------------------------- */

static cJSON *json_string(StrBuf *b)
{
    cJSON *j = cJSON_CreateString(gvl_sb_str(b));
    gvl_sb_free(b);
    return j;
}

static cJSON *json_dim(const Graph *g, Dim d)
{
    int64_t v;
    if (gvl_dim_value(&g->dims, d, &v)) return cJSON_CreateNumber((double)v);
    StrBuf b = {0};
    gvl_fmt_dim(&b, &g->dims, d);
    return json_string(&b);
}

static cJSON *json_shape(const Graph *g, const Shape *s)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < s->ndim; i++) cJSON_AddItemToArray(a, json_dim(g, s->d[i]));
    return a;
}

static cJSON *json_numel(const Graph *g, const Shape *s)
{
    Numel m = gvl_shape_numel(g, s);
    if (m.nvars == 0 && !m.overflow) return cJSON_CreateNumber((double)m.coef);
    StrBuf b = {0};
    gvl_fmt_numel(&b, g, &m, true);
    return json_string(&b);
}

/* Adds KEY: the text that FMT writes for N. */
static void add_name(cJSON *o, const char *key, const Graph *g, const Node *n,
                     void (*fmt)(StrBuf *, const Graph *, const Node *))
{
    StrBuf b = {0};
    fmt(&b, g, n);
    cJSON_AddItemToObject(o, key, json_string(&b));
}

cJSON *gvl_report_json_node(const Graph *g, const Node *n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", n->id);
    add_name(o, "name", g, n, gvl_fmt_plain_name);
    add_name(o, "display_name", g, n, gvl_fmt_display_name);
    cJSON_AddStringToObject(o, "kind", gvl_node_kind_names[n->kind]);
    if (n->op >= 0) cJSON_AddStringToObject(o, "op", gvl_node_op_name(n));
    else cJSON_AddNullToObject(o, "op");
    cJSON_AddItemToObject(o, "shape", json_shape(g, &n->shape));
    if (n->call) {
        /* made by a function call: which call, and of which function */
        StrBuf b = {0};
        gvl_fmt_call_name(&b, g, n->call);
        cJSON_AddItemToObject(o, "call", json_string(&b));
        StrBuf f = {0};
        gvl_sb_addn(&f, gvl_graph_text(g, n->call->fn), n->call->fn.len);
        cJSON_AddItemToObject(o, "function", json_string(&f));
    }
    return o;
}

/* ---- check --------------------------------------------------------------- */

/* Where a node is reported: a named node at its name, a sub-expression at its operator. */
static Span node_place(const Node *n)
{
    /* sum(layer(x)): the call's result is where the call is written */
    if (!n->named && n->call && n->call->result == n) return n->call->fn_at;
    return n->named ? n->name : n->loc;
}

/* The "nodes" of check --json, one node at a time into W. */
static void json_check_nodes(JsonWriter *w, const Graph *g)
{
    gvl_jw_array_begin(w);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->failed) continue;
        cJSON *o = gvl_report_json_node(g, n);
        int line, col;
        gvl_source_loc(g->src, node_place(n).off, &line, &col);
        cJSON_AddNumberToObject(o, "line", line);
        cJSON_AddNumberToObject(o, "col", col);
        gvl_jw_cjson(w, o);
        cJSON_Delete(o);
    }
    gvl_jw_array_end(w);
}

/* The "diagnostics" key and its array, the last of every JSON document. */
static void json_diagnostics(JsonWriter *w, const Graph *g)
{
    gvl_jw_key(w, "diagnostics");
    cJSON *d = gvl_diag_to_json(g->diag);
    gvl_jw_cjson(w, d);
    cJSON_Delete(d);
}

void gvl_report_json_errors(const Graph *g, const Options *o, FILE *out)
{
    (void)o;
    JsonWriter w;
    gvl_jw_init(&w, out, true);
    gvl_jw_object_begin(&w);
    gvl_jw_key(&w, "nodes");
    json_check_nodes(&w, g);
    json_diagnostics(&w, g);
    gvl_jw_object_end(&w);
    gvl_jw_finish(&w);
}

int gvl_report_check(const Graph *g, const Options *o, FILE *out)
{
    if (o->format == FMT_JSON) {
        gvl_report_json_errors(g, o, out);
        return 0;
    }
    Arena a;
    gvl_arena_init(&a);
    ShapeMemo memo = {.ndim = -1};
    Style s = {o->format, o->ascii, &a, &memo, NULL};
    static const char *const head[] = {"name", "kind", "op", "shape", "line:col"};
    Table t;
    gvl_table_init(&t, NULL, 5, head);
    gvl_table_reserve(&t, g->count);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        int line, col;
        gvl_source_loc(g->src, node_place(n).off, &line, &col);
        const char *row[] = {esc(&s, gvl_name_text(&a, g, n)), gvl_node_kind_names[n->kind],
                             n->op >= 0 ? gvl_node_op_name(n) : "-", shape_cell(g, &s, &n->shape),
                             line_col(&a, line, col)};
        gvl_table_add(&t, row);
        gvl_arena_reset(&a);
    }
    gvl_table_print(&t, o->format, out);
    gvl_table_free(&t);
    gvl_sb_free(&memo.text);
    gvl_arena_free(&a);
    return 0;
}

/* ---- dims ----------------------------------------------------------------- */

cJSON *gvl_report_json_edges(const Graph *g)
{
    Arena a;
    gvl_arena_init(&a);
    Style ascii = {FMT_TEXT, true, &a, NULL, NULL};
    cJSON *edges = cJSON_CreateArray();
    for (size_t i = 0; i < g->count; i++) {
        const Node *v = g->nodes[i];
        for (int k = 0; k < v->nsrc; k++) {
            /* cross_entropy's classes have no Jacobian: no edge in the tables */
            if (!gvl_node_first_use(v, k) || !gvl_node_edge_differentiable(v, k)) continue;
            const Node *u = v->src[k];
            cJSON *e = cJSON_CreateObject();
            add_name(e, "from", g, u, gvl_fmt_plain_name);
            add_name(e, "to", g, v, gvl_fmt_plain_name);
            add_name(e, "wrt", g, u, gvl_fmt_vec_name);
            add_name(e, "of", g, v, gvl_fmt_vec_name);
            cJSON *jac = cJSON_AddArrayToObject(e, "jacobian");
            cJSON_AddItemToArray(jac, json_numel(g, &v->shape));
            cJSON_AddItemToArray(jac, json_numel(g, &u->shape));
            cJSON_AddStringToObject(e, "label", jac_cell(g, &ascii, v, u));
            cJSON_AddNumberToObject(e, "from_id", u->id);
            cJSON_AddNumberToObject(e, "to_id", v->id);
            cJSON_AddItemToArray(edges, e);
            gvl_arena_reset(&a);
        }
    }
    gvl_arena_free(&a);
    return edges;
}

void gvl_report_edge_label(StrBuf *out, const Graph *g, const Node *v, const Node *u, bool ascii)
{
    Arena a;
    gvl_arena_init(&a);
    Style s = {FMT_TEXT, ascii, &a, NULL, NULL};
    int k = 0;
    while (k + 1 < v->nsrc && v->src[k] != u) k++;
    if (!gvl_node_edge_differentiable(v, k)) gvl_sb_add(out, "classes: no gradient");
    else gvl_sb_printf(out, "%s: %s", jac_cell(g, &s, v, u), size_cell(g, &s, v, u));
    gvl_arena_free(&a);
}

int gvl_report_dims_json(const Graph *g, const Node *root, FILE *out)
{
    JsonWriter w;
    gvl_jw_init(&w, out, true);
    gvl_jw_object_begin(&w);
    gvl_jw_key(&w, "layout");
    gvl_jw_string(&w, "numerator");
    gvl_jw_key(&w, "vec");
    gvl_jw_string(&w, "column-major");
    gvl_jw_key(&w, "nodes");
    gvl_jw_array_begin(&w);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        cJSON *e = gvl_report_json_node(g, n);
        cJSON_AddItemToObject(e, "numel", json_numel(g, &n->shape));
        add_name(e, "vec_name", g, n, gvl_fmt_vec_name);
        gvl_jw_cjson(&w, e);
        cJSON_Delete(e);
    }
    gvl_jw_array_end(&w);
    gvl_jw_key(&w, "edges");
    cJSON *edges = gvl_report_json_edges(g);
    gvl_jw_cjson(&w, edges);
    cJSON_Delete(edges);
    cJSON *loss = cJSON_CreateObject();
    if (g->loss) add_name(loss, "loss", g, g->loss, gvl_fmt_plain_name);
    else cJSON_AddNullToObject(loss, "loss");
    gvl_jw_cjson_members(&w, loss);
    cJSON_Delete(loss);
    gvl_jw_key(&w, "gradients");
    gvl_jw_array_begin(&w);
    if (root) {
        /* a number literal takes no gradient */
        bool *mark = gvl_graph_gradient_nodes(g, root);
        for (size_t i = 0; i < g->count; i++) {
            if (!mark[i] || i == root->id) continue;
            const Node *u = g->nodes[i];
            cJSON *e = cJSON_CreateObject();
            add_name(e, "of", g, root, gvl_fmt_plain_name);
            add_name(e, "wrt", g, u, gvl_fmt_plain_name);
            cJSON *d = cJSON_AddArrayToObject(e, "dims");
            cJSON_AddItemToArray(d, cJSON_CreateNumber(1));
            cJSON_AddItemToArray(d, json_numel(g, &u->shape));
            cJSON_AddNumberToObject(e, "wrt_id", u->id);
            add_name(e, "wrt_vec_name", g, u, gvl_fmt_vec_name);
            gvl_jw_cjson(&w, e);
            cJSON_Delete(e);
        }
        free(mark);
    }
    gvl_jw_array_end(&w);
    json_diagnostics(&w, g);   /* warnings, if any */
    gvl_jw_object_end(&w);
    gvl_jw_finish(&w);
    return 0;
}

/* A sentence between tables: a paragraph, or a comment where the format
 * has no paragraphs (CSV has neither, so it gets nothing). */
static void note(Format f, FILE *out, const char *text)
{
    if (f == FMT_TEXT || f == FMT_MD) fprintf(out, "\n%s\n", text);
    else if (f == FMT_LATEX) fprintf(out, "\n%% %s\n", text);
}

static void dims_header(const Graph *g, const Style *s, FILE *out)
{
    if (s->f == FMT_TEXT)
        fprintf(out, "Jacobian sizes for %s\nConvention: numerator layout, so the Jacobian %sv/%su of an edge u -> v "
                "is numel(v)%snumel(u); vec(.) stacks columns.\n\n",
                g->src->name, sym_partial(s), sym_partial(s), s->ascii ? " x " : sym_times(s));
    else if (s->f == FMT_MD)
        fprintf(out, "Jacobian sizes for `%s`. Numerator layout: the Jacobian %sv/%su of an edge u -> v is "
                "numel(v)%snumel(u); vec(.) stacks columns.\n\n",
                g->src->name, sym_partial(s), sym_partial(s), sym_times(s));
    else if (s->f == FMT_LATEX)
        fprintf(out, "%% Jacobian sizes; numerator layout: the Jacobian of an edge u -> v is numel(v) x numel(u); "
                "vec stacks columns.\n");
}

static void dims_nodes(const Graph *g, const Style *s, FILE *out)
{
    static const char *const head[] = {"name", "kind", "op", "shape", "numel", "in tables"};
    Table t;
    gvl_table_init(&t, "Nodes", 6, head);
    gvl_table_reserve(&t, g->count);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        const char *row[] = {esc(s, name_of(s, g, n)), gvl_node_kind_names[n->kind],
                             n->op >= 0 ? gvl_node_op_name(n) : "-", shape_cell(g, s, &n->shape),
                             esc(s, numel_of(s, g, n, s->ascii || s->f == FMT_LATEX)),
                             esc(s, vec_name_of(s, g, n))};
        gvl_table_add(&t, row);
        gvl_arena_reset(s->a);
    }
    gvl_table_print(&t, s->f, out);
    gvl_table_free(&t);
}

static void dims_edges(const Graph *g, const Style *s, FILE *out)
{
    static const char *const head[] = {"Jacobian", "size", "from", "to"};
    Table t;
    gvl_table_init(&t, "Edge Jacobians", 4, head);
    for (size_t i = 0; i < g->count; i++) {
        const Node *v = g->nodes[i];
        for (int k = 0; k < v->nsrc; k++) {
            if (!gvl_node_first_use(v, k) || !gvl_node_edge_differentiable(v, k)) continue;
            const Node *u = v->src[k];
            const char *fp[] = {esc(s, name_of(s, g, u)), " (", shape_cell(g, s, &u->shape), ")"};
            const char *from = cat(s->a, fp, 4);
            const char *tp[] = {esc(s, name_of(s, g, v)), " (", shape_cell(g, s, &v->shape), ")"};
            const char *to = cat(s->a, tp, 4);
            const char *row[] = {jac_cell(g, s, v, u), size_cell(g, s, v, u), from, to};
            gvl_table_add(&t, row);
            gvl_arena_reset(s->a);
        }
    }
    if (t.nrows > 1) gvl_table_print(&t, s->f, out);
    else note(s->f, out, "No edge Jacobians: the graph has no ops.");
    gvl_table_free(&t);
}

static void dims_gradients(const Graph *g, const Options *o, const Style *s, const Node *root, FILE *out)
{
    fputc('\n', out);
    const char *rname = gvl_vec_name_text(s->a, g, root);
    /* the title is a LaTeX comment: plain ASCII there */
    Style plain = *s;
    if (s->f == FMT_LATEX) plain = (Style){FMT_TEXT, true, s->a, NULL, NULL};
    const char *er = esc(&plain, rname);
    /* say how the loss was chosen when the file did not name it */
    const char *title = gvl_arena_printf(s->a, "Gradients of %s%s%s (%s%s/%sv is 1%snumel(v))", o->of ? "" : "the loss ",
                                         er, !o->of && !g->loss_explicit ? ", the last one-element node assigned" : "",
                                         sym_partial(&plain), er, sym_partial(&plain),
                                         plain.ascii ? " x " : sym_times(&plain));
    const char *none = gvl_arena_printf(s->a, "%s depends on no other node.", rname);
    static const char *const head[] = {"gradient", "size", "shape of v"};
    Table t;
    gvl_table_init(&t, title, 3, head);
    bool *mark = gvl_graph_gradient_nodes(g, root);
    Arena cells;
    gvl_arena_init(&cells);
    Style cs = *s;
    cs.a = &cells;
    for (size_t i = 0; i < g->count; i++) {
        if (!mark[i] || i == root->id) continue;
        const Node *u = g->nodes[i];
        const char *row[] = {jac_cell(g, &cs, root, u), size_cell(g, &cs, NULL, u), shape_cell(g, &cs, &u->shape)};
        gvl_table_add(&t, row);
        gvl_arena_reset(&cells);
    }
    gvl_arena_free(&cells);
    free(mark);
    if (t.nrows > 1) gvl_table_print(&t, s->f, out);
    else note(s->f, out, none);
    gvl_table_free(&t);
}

int gvl_report_dims(const Graph *g, const Options *o, const Node *root, FILE *out)
{
    if (o->format == FMT_JSON) return gvl_report_dims_json(g, root, out);
    Arena a;
    gvl_arena_init(&a);
    ShapeMemo memo = {.ndim = -1};
    NameMemo names;
    gvl_arena_init(&names.a);
    names.name = gvl_xcalloc(g->count ? g->count : 1, sizeof *names.name);
    names.vec = gvl_xcalloc(g->count ? g->count : 1, sizeof *names.vec);
    names.numel = gvl_xcalloc(g->count ? g->count : 1, sizeof *names.numel);
    names.wrapped = gvl_xcalloc(g->count ? g->count : 1, sizeof *names.wrapped);
    Style s = {o->format, o->ascii, &a, &memo, &names};
    dims_header(g, &s, out);
    dims_nodes(g, &s, out);
    fputc('\n', out);
    dims_edges(g, &s, out);
    if (root)
        dims_gradients(g, o, &s, root, out);
    else
        note(o->format, out, "No gradient table: the graph has no one-element loss (add 'loss NAME', "
                             "or use --of NODE).");
    gvl_sb_free(&memo.text);
    free(names.name);
    free(names.vec);
    free(names.numel);
    free(names.wrapped);
    gvl_arena_free(&names.a);
    gvl_arena_free(&a);
    return 0;
}
