/*
 * explain.c - building the chain rule of dROOT/dV and printing it.
 *
 * The paths are those of the subgraph between V and ROOT: nodes that
 * depend on V and that ROOT depends on.  Their number comes from one sweep
 * (paths(u) = sum of paths(v) over u's users v), the listed ones from a
 * depth-first walk in node order.  A path's product is computed the way
 * backpropagation does it, a row vector pushed back through each edge's
 * vector-Jacobian product, so it costs one backward kernel per edge even
 * when the factors are too large to show.
 */
#include "explain.h"

#include "report_values.h"
#include "json_writer.h"

#include <cjson/cJSON.h>
#include <string.h>

/* ---- building ----------------------------------------------------------------- */

typedef struct Users {
    const Node **v;
    int n, cap;
} Users;

/* D: nodes that depend on WRT; combined with ROOT's ancestors, the subgraph. */
static bool *between(const Graph *g, const Node *root, const Node *wrt)
{
    bool *in = gvl_graph_gradient_nodes(g, root);
    bool *dep = gvl_xcalloc(g->count ? g->count : 1, sizeof *dep);
    dep[wrt->id] = true;
    for (size_t i = wrt->id + 1; i <= root->id; i++)
        for (int k = 0; k < g->nodes[i]->nsrc; k++)
            if (dep[g->nodes[i]->src[k]->id]) dep[i] = true;
    for (size_t i = 0; i < g->count; i++) in[i] = in[i] && dep[i];
    free(dep);
    return in;
}

static void add_path(Explanation *e, const Node **stack, int depth)
{
    ExplainPath *p = &e->paths[e->npaths++];
    p->nnodes = depth;
    p->nodes = gvl_arena_alloc(&e->arena, sizeof *p->nodes * (size_t)depth);
    memcpy(p->nodes, stack, sizeof *p->nodes * (size_t)depth);
}

/* The factor of the edge U -> V; its matrix when values are known. */
static void make_factor(Explanation *e, ExplainFactor *f, const Node *v, const Node *u)
{
    f->of = v;
    f->wrt = u;
    StrBuf note = {0};
    f->structure = gvl_jac_structure(e->g, v, u, &note);
    f->note = note.len ? gvl_sb_arena(&note, &e->arena) : NULL;
    gvl_sb_free(&note);
    if (e->values) f->has_value = gvl_jac_matrix(e->values, v, u, e->max_entries, &f->value);
}

/* The row vector dROOT/dV along P: 1 pushed back through every edge. */
static bool path_product(Explanation *e, ExplainPath *p)
{
    const Values *vals = e->values;
    double *row = gvl_xmalloc(sizeof *row);
    row[0] = 1.0;
    for (int k = p->nnodes - 1; k > 0; k--) {
        const Node *v = p->nodes[k], *u = p->nodes[k - 1];
        double *next = gvl_xcalloc((size_t)vals->val[u->id]->numel, sizeof *next);
        bool ok = gvl_jac_vjp(vals, v, u, row, next);
        free(row);
        row = next;
        if (!ok) {
            free(row);
            return false;
        }
    }
    p->product = gvl_arena_alloc(&e->arena, sizeof *row * (size_t)vals->val[p->nodes[0]->id]->numel);
    memcpy(p->product, row, sizeof *row * (size_t)vals->val[p->nodes[0]->id]->numel);
    free(row);
    return true;
}

bool gvl_explain_build(Explanation *e, const Graph *g, const Values *values, const Node *root, const Node *wrt,
                       int max_paths, int64_t max_entries, StrBuf *err)
{
    memset(e, 0, sizeof *e);
    e->max_entries = max_entries;
    gvl_arena_init(&e->arena);
    e->g = g;
    e->values = values;
    e->root = root;
    e->wrt = wrt;
    bool *in = between(g, root, wrt);
    /* who uses each node of the subgraph, each user once, in node order */
    Users *users = gvl_xcalloc(g->count ? g->count : 1, sizeof *users);
    for (size_t i = wrt->id + 1; i <= root->id; i++) {
        const Node *v = g->nodes[i];
        if (!in[i]) continue;
        for (int k = 0; k < v->nsrc; k++) {
            const Node *u = v->src[k];
            if (!in[u->id] || !gvl_node_first_use(v, k)) continue;
            Users *us = &users[u->id];
            VEC_PUSH(us->v, us->n, us->cap, v);
        }
    }
    /* the number of paths from each node to ROOT, saturating */
    const unsigned __int128 top = ~(unsigned __int128)0;
    unsigned __int128 *count = gvl_xcalloc(g->count ? g->count : 1, sizeof *count);
    count[root->id] = 1;
    for (size_t i = root->id; i-- > wrt->id;) {
        if (!in[i]) continue;
        for (int j = 0; j < users[i].n; j++) {
            unsigned __int128 c = count[users[i].v[j]->id];
            if (count[i] > top - c) { count[i] = top; e->saturated = true; }
            else count[i] += c;
        }
    }
    e->total_paths = count[wrt->id];
    /* the first MAX_PATHS paths, depth first */
    int limit = max_paths > 0 ? max_paths : EXPLAIN_DEFAULT_PATHS;
    if ((unsigned __int128)limit > e->total_paths) limit = (int)e->total_paths;
    e->paths = gvl_arena_alloc(&e->arena, sizeof *e->paths * (size_t)(limit ? limit : 1));
    size_t span = root->id - wrt->id + 1;
    const Node **stack = gvl_xmalloc(sizeof *stack * span);
    int *next = gvl_xcalloc(span, sizeof *next);
    int depth = 1;
    stack[0] = wrt;
    while (depth > 0 && e->npaths < limit) {
        const Node *top_node = stack[depth - 1];
        if (top_node == root) {
            add_path(e, stack, depth);
            depth--;
            continue;
        }
        Users *us = &users[top_node->id];
        int *at = &next[depth - 1];
        if (*at < us->n) {
            stack[depth] = us->v[(*at)++];
            next[depth] = 0;
            depth++;
        } else {
            depth--;
        }
    }
    free(stack);
    free(next);
    for (size_t i = 0; i < g->count; i++) free(users[i].v);
    free(users);
    free(count);
    free(in);
    /* the factors, ROOT's first, and with values the products */
    bool ok = true;
    for (int i = 0; i < e->npaths; i++) {
        ExplainPath *p = &e->paths[i];
        p->factors = gvl_arena_alloc(&e->arena, sizeof *p->factors * (size_t)(p->nnodes > 1 ? p->nnodes - 1 : 1));
        for (int k = p->nnodes - 1; k > 0; k--) make_factor(e, &p->factors[p->nnodes - 1 - k], p->nodes[k], p->nodes[k - 1]);
        if (values && !path_product(e, p)) ok = false;
    }
    if (values && ok) {
        const Tensor *gr = values->grad[wrt->id];
        int64_t *map = gvl_xmalloc(sizeof *map * (size_t)gr->numel);
        gvl_colmajor_map(gr->ndim, gr->dims, gr->numel, map);
        e->total = gvl_arena_alloc(&e->arena, sizeof *e->total * (size_t)gr->numel);
        for (int64_t r = 0; r < gr->numel; r++) e->total[map[r]] = gr->data[r];
        free(map);
    }
    if (!ok) gvl_sb_add(err, "out of memory for the Jacobians");
    return ok;
}

void gvl_explain_free(Explanation *e)
{
    for (int i = 0; i < e->npaths; i++)
        for (int k = 0; k + 1 < e->paths[i].nnodes; k++) gvl_jac_matrix_free(&e->paths[i].factors[k].value);
    gvl_arena_free(&e->arena);
    memset(e, 0, sizeof *e);
}

/* ---- shared pieces of the reports -------------------------------------------------- */

/* "12", or "more than 340282366920938463463374607431768211455". */
static void fmt_count(StrBuf *out, unsigned __int128 c, bool saturated)
{
    char digits[48];
    int k = (int)sizeof digits;
    digits[--k] = '\0';
    do digits[--k] = (char)('0' + (int)(c % 10));
    while ((c /= 10) != 0);
    gvl_sb_printf(out, "%s%s", saturated ? "more than " : "", digits + k);
}

static int64_t numel_of(const Explanation *e, const Node *n)
{
    return e->values->val[n->id]->numel;
}

/* "1×24": the size of the factor of V -> U, or of dROOT/dV for V NULL. */
static void fmt_size(StrBuf *out, const Graph *g, const Node *v, const Node *u, bool ascii)
{
    const char *times = ascii ? "x" : "\xc3\x97";
    Numel mu = gvl_shape_numel(g, &u->shape);
    StrBuf a = {0}, b = {0};
    if (v) {
        Numel mv = gvl_shape_numel(g, &v->shape);
        gvl_fmt_numel(&a, g, &mv, ascii);
    } else {
        gvl_sb_add(&a, "1");
    }
    gvl_fmt_numel(&b, g, &mu, ascii);
    bool pa = strpbrk(gvl_sb_str(&a), "+-") != NULL, pb = strpbrk(gvl_sb_str(&b), "+-") != NULL;
    gvl_sb_printf(out, pa ? "(%s)%s" : "%s%s", gvl_sb_str(&a), times);
    gvl_sb_printf(out, pb ? "(%s)" : "%s", gvl_sb_str(&b));
    gvl_sb_free(&a);
    gvl_sb_free(&b);
}

/* A ROWS x COLS matrix (row-major DATA) as a Tensor to print. */
static Tensor matrix_view(int64_t *dims, int64_t rows, int64_t cols, double *data)
{
    dims[0] = rows;
    dims[1] = cols;
    Tensor t = {2, dims, rows * cols, data};
    return t;
}

static Tensor row_view(int64_t *dims, int64_t n, double *data)
{
    dims[0] = n;
    Tensor t = {1, dims, n, data};
    return t;
}

/* --- text --- */

enum { TEXT_FULL_LIMIT = 64 };

static void text_matrix(FILE *out, const Tensor *t, int precision, int indent)
{
    if (t->numel > TEXT_FULL_LIMIT) {
        StrBuf s = {0};
        gvl_fmt_summary(&s, t, precision);
        fprintf(out, "(%lld entries: %s; --json has them all)", (long long)t->numel, gvl_sb_str(&s));
        gvl_sb_free(&s);
    } else {
        gvl_print_tensor(out, t, precision, indent);
    }
}

/* The product with each factor's size under it, and the structures under
 * those: three aligned lines. */
static void text_product(FILE *out, const Explanation *e, const ExplainPath *p, const char *d, bool ascii)
{
    const Graph *g = e->g;
    StrBuf l1 = {0}, l2 = {0}, l3 = {0}, cell = {0}, lhs = {0};
    gvl_fmt_partial(&lhs, g, e->root, e->wrt, d);
    gvl_sb_printf(&l1, "  %s = ", gvl_sb_str(&lhs));
    int indent = gvl_text_width(gvl_sb_str(&l1));
    int nf = p->nnodes - 1;
    for (int k = 0; k < nf; k++) {
        const ExplainFactor *f = &p->factors[k];
        StrBuf name = {0}, size = {0};
        gvl_fmt_partial(&name, g, f->of, f->wrt, d);
        gvl_sb_add(&size, "(");
        fmt_size(&size, g, f->of, f->wrt, ascii);
        gvl_sb_add(&size, ")");
        const char *kind = gvl_jac_names[f->structure];
        int w = gvl_text_width(gvl_sb_str(&name));
        if (gvl_text_width(gvl_sb_str(&size)) > w) w = gvl_text_width(gvl_sb_str(&size));
        if ((int)strlen(kind) > w) w = (int)strlen(kind);
        bool last = k == nf - 1;
        gvl_sb_printf(&l1, "%s%*s", gvl_sb_str(&name), last ? 0 : w - gvl_text_width(gvl_sb_str(&name)) + 1, "");
        if (!last) gvl_sb_add(&l1, "\xc2\xb7 ");
        gvl_sb_printf(&l2, "%s%*s", gvl_sb_str(&size), w - gvl_text_width(gvl_sb_str(&size)) + 3, "");
        gvl_sb_printf(&l3, "%s%*s", kind, last ? 0 : w - (int)strlen(kind) + 3, "");
        gvl_sb_free(&name);
        gvl_sb_free(&size);
    }
    fmt_size(&cell, g, NULL, e->wrt, ascii);
    gvl_sb_printf(&l2, "= %s", gvl_sb_str(&cell));
    if (e->wrt->shape.ndim > 0) {
        gvl_sb_clear(&cell);
        gvl_fmt_shape(&cell, g, &e->wrt->shape, ascii);
        StrBuf vn = {0};
        gvl_fmt_display_name(&vn, g, e->wrt);
        gvl_sb_printf(&l2, ",  reshaped like %s: %s", gvl_sb_str(&vn), gvl_sb_str(&cell));
        gvl_sb_free(&vn);
    }
    fprintf(out, "%s\n%*s%s\n%*s%s\n", gvl_sb_str(&l1), indent, "", gvl_sb_str(&l2), indent, "", gvl_sb_str(&l3));
    gvl_sb_free(&l1);
    gvl_sb_free(&l2);
    gvl_sb_free(&l3);
    gvl_sb_free(&cell);
    gvl_sb_free(&lhs);
}

static void text_path_nodes(StrBuf *out, const Graph *g, const ExplainPath *p, const char *arrow)
{
    for (int k = 0; k < p->nnodes; k++) {
        if (k) gvl_sb_printf(out, " %s ", arrow);
        gvl_fmt_display_name(out, g, p->nodes[k]);
    }
}

static int explain_text(const Explanation *e, const Options *o, FILE *out)
{
    const Graph *g = e->g;
    const char *d = o->ascii ? "d" : "\xe2\x88\x82";
    int prec = gvl_cli_precision(o);
    StrBuf s = {0}, count = {0};
    gvl_fmt_partial(&s, g, e->root, e->wrt, d);
    fmt_count(&count, e->total_paths, e->saturated);
    fprintf(out, "Chain rule for %s in %s: %s path%s from ", gvl_sb_str(&s), g->src->name, gvl_sb_str(&count),
            e->total_paths == 1 ? "" : "s");
    gvl_sb_clear(&s);
    gvl_fmt_display_name(&s, g, e->wrt);
    fprintf(out, "%s to ", gvl_sb_str(&s));
    gvl_sb_clear(&s);
    gvl_fmt_display_name(&s, g, e->root);
    fprintf(out, "%s\nNumerator layout: a factor %sv/%su is numel(v)%snumel(u); vec(.) stacks columns.\n",
            gvl_sb_str(&s), d, d, o->ascii ? " x " : "\xc3\x97");
    int64_t dims[2];
    for (int i = 0; i < e->npaths; i++) {
        const ExplainPath *p = &e->paths[i];
        gvl_sb_clear(&s);
        text_path_nodes(&s, g, p, o->ascii ? "->" : "\xe2\x86\x92");
        fprintf(out, "\nPath %d of %s: %s\n", i + 1, gvl_sb_str(&count), gvl_sb_str(&s));
        text_product(out, e, p, d, o->ascii);
        fputc('\n', out);
        static const char *const head[] = {"factor", "size", "structure", "the matrix"};
        Table t;
        gvl_table_init(&t, NULL, 4, head);
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            StrBuf name = {0}, size = {0};
            gvl_fmt_partial(&name, g, f->of, f->wrt, d);
            fmt_size(&size, g, f->of, f->wrt, o->ascii);
            const char *row[] = {gvl_sb_str(&name), gvl_sb_str(&size), gvl_jac_names[f->structure],
                                 f->note ? f->note : ""};
            gvl_table_add(&t, row);
            gvl_sb_free(&name);
            gvl_sb_free(&size);
        }
        gvl_table_print(&t, FMT_TEXT, out);
        gvl_table_free(&t);
        if (!e->values) continue;
        fputc('\n', out);
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            StrBuf name = {0};
            gvl_fmt_partial(&name, g, f->of, f->wrt, d);
            fprintf(out, "  %s = ", gvl_sb_str(&name));
            if (f->has_value) {
                Tensor m = matrix_view(dims, f->value.rows, f->value.cols, f->value.data);
                text_matrix(out, &m, prec, 5 + gvl_text_width(gvl_sb_str(&name)));
            } else {
                fprintf(out, "(not shown: more than %lld entries)", (long long)e->max_entries);
            }
            fputc('\n', out);
            gvl_sb_free(&name);
        }
        Tensor prod = row_view(dims, numel_of(e, e->wrt), p->product);
        fputs("  the product: ", out);
        text_matrix(out, &prod, prec, 15);
        fputc('\n', out);
    }
    if ((unsigned __int128)e->npaths < e->total_paths || e->saturated) {
        gvl_sb_clear(&s);
        gvl_sb_printf(&s, "%d", e->npaths);
        fprintf(out, "\n%s of the %s paths are listed (--max-paths N lists more); the total below is over all of "
                     "them, as backpropagation sums them.\n", gvl_sb_str(&s), gvl_sb_str(&count));
    }
    gvl_sb_clear(&s);
    gvl_fmt_partial(&s, g, e->root, e->wrt, d);
    StrBuf size = {0}, shape = {0}, vn = {0};
    fmt_size(&size, g, NULL, e->wrt, o->ascii);
    gvl_fmt_shape(&shape, g, &e->wrt->shape, o->ascii);
    gvl_fmt_display_name(&vn, g, e->wrt);
    if (e->values) {
        fprintf(out, "\n%s = ", gvl_sb_str(&s));
        Tensor tot = row_view(dims, numel_of(e, e->wrt), e->total);
        text_matrix(out, &tot, prec, 5 + gvl_text_width(gvl_sb_str(&s)));
        fprintf(out, "  (%s%s)", gvl_sb_str(&size), e->total_paths > 1 ? ", the sum over the paths" : "");
        if (e->wrt->shape.ndim > 0) {
            StrBuf prefix = {0};
            gvl_sb_printf(&prefix, "reshaped like %s (%s): ", gvl_sb_str(&vn), gvl_sb_str(&shape));
            fprintf(out, "\n%s", gvl_sb_str(&prefix));
            text_matrix(out, e->values->grad[e->wrt->id], prec, gvl_text_width(gvl_sb_str(&prefix)));
            gvl_sb_free(&prefix);
        }
        fputc('\n', out);
    } else {
        fprintf(out, "\n%s is %s%s%s%s%s.  The file gives shapes only: with values (or --random SEED) every factor "
                     "is shown as a matrix.\n",
                gvl_sb_str(&s), gvl_sb_str(&size), e->wrt->shape.ndim ? ", reshaped like " : "",
                e->wrt->shape.ndim ? gvl_sb_str(&vn) : "", e->wrt->shape.ndim ? ": " : "",
                e->wrt->shape.ndim ? gvl_sb_str(&shape) : "");
    }
    gvl_sb_free(&s);
    gvl_sb_free(&count);
    gvl_sb_free(&size);
    gvl_sb_free(&shape);
    gvl_sb_free(&vn);
    return 0;
}

/* --- Markdown and LaTeX --- */

/* \frac{\partial V}{\partial U} */
static void math_partial(StrBuf *out, const Graph *g, const Node *v, const Node *u)
{
    gvl_sb_add(out, "\\frac{\\partial ");
    gvl_fmt_math_name(out, g, v, true);
    gvl_sb_add(out, "}{\\partial ");
    gvl_fmt_math_name(out, g, u, true);
    gvl_sb_add(out, "}");
}

static void math_size(StrBuf *out, const Graph *g, const Node *v, const Node *u)
{
    StrBuf s = {0};
    fmt_size(&s, g, v, u, true);
    for (const char *c = gvl_sb_str(&s); *c; c++) {
        if (*c == 'x') gvl_sb_add(out, " \\times ");
        else if (*c == '*') gvl_sb_add(out, " ");
        else gvl_sb_putc(out, *c);
    }
    gvl_sb_free(&s);
}

/* The product as one display equation, each factor's size under a brace. */
static void math_product(StrBuf *out, const Explanation *e, const ExplainPath *p)
{
    const Graph *g = e->g;
    math_partial(out, g, e->root, e->wrt);
    gvl_sb_add(out, " = ");
    for (int k = 0; k + 1 < p->nnodes; k++) {
        const ExplainFactor *f = &p->factors[k];
        gvl_sb_add(out, k ? " \\, \\underbrace{" : "\\underbrace{");
        math_partial(out, g, f->of, f->wrt);
        gvl_sb_add(out, "}_{");
        math_size(out, g, f->of, f->wrt);
        gvl_sb_add(out, "}");
    }
    gvl_sb_add(out, " \\in \\mathbb{R}^{");
    math_size(out, g, NULL, e->wrt);
    gvl_sb_add(out, "}");
}

/* A small matrix as a LaTeX bmatrix (or its summary). */
static void latex_matrix(StrBuf *out, const Tensor *t, int precision)
{
    StrBuf num = {0};
    if (t->numel > TEXT_FULL_LIMIT) {
        gvl_fmt_summary(&num, t, precision);
        gvl_sb_printf(out, "\\text{(%lld entries: %s)}", (long long)t->numel, gvl_sb_str(&num));
        gvl_sb_free(&num);
        return;
    }
    int64_t rows = t->ndim == 2 ? t->dims[0] : 1, cols = t->numel / (rows ? rows : 1);
    gvl_sb_add(out, "\\begin{bmatrix}");
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t c = 0; c < cols; c++) {
            gvl_sb_clear(&num);
            gvl_fmt_number(&num, t->data[r * cols + c], precision);
            gvl_sb_printf(out, "%s%s", c ? " & " : " ", gvl_sb_str(&num));
        }
        gvl_sb_add(out, r + 1 < rows ? " \\\\" : " ");
    }
    gvl_sb_add(out, "\\end{bmatrix}");
    gvl_sb_free(&num);
}

/* A small matrix on one line for a Markdown table: [[1, 0], [0, 1]]. */
static void inline_matrix(StrBuf *out, const Tensor *t, int precision)
{
    if (t->numel > TEXT_FULL_LIMIT) {
        gvl_sb_printf(out, "(%lld entries: ", (long long)t->numel);
        gvl_fmt_summary(out, t, precision);
        gvl_sb_add(out, ")");
        return;
    }
    int64_t rows = t->ndim == 2 ? t->dims[0] : 1, cols = t->numel / (rows ? rows : 1);
    if (t->ndim == 2) gvl_sb_add(out, "[");
    for (int64_t r = 0; r < rows; r++) {
        gvl_sb_add(out, r ? ", [" : "[");
        for (int64_t c = 0; c < cols; c++) {
            if (c) gvl_sb_add(out, ", ");
            gvl_fmt_number(out, t->data[r * cols + c], precision);
        }
        gvl_sb_add(out, "]");
    }
    if (t->ndim == 2) gvl_sb_add(out, "]");
}

static int explain_md(const Explanation *e, const Options *o, FILE *out)
{
    const Graph *g = e->g;
    int prec = gvl_cli_precision(o);
    StrBuf s = {0}, count = {0};
    int64_t dims[2];
    gvl_fmt_partial(&s, g, e->root, e->wrt, "\xe2\x88\x82");
    fmt_count(&count, e->total_paths, e->saturated);
    fprintf(out, "### Chain rule for %s in `%s`\n\nNumerator layout: a factor \xe2\x88\x82v/\xe2\x88\x82u is "
                 "numel(v)\xc3\x97numel(u); vec(.) stacks columns.  %s path%s.\n",
            gvl_sb_str(&s), g->src->name, gvl_sb_str(&count), e->total_paths == 1 ? "" : "s");
    for (int i = 0; i < e->npaths; i++) {
        const ExplainPath *p = &e->paths[i];
        gvl_sb_clear(&s);
        text_path_nodes(&s, g, p, "\xe2\x86\x92");
        fprintf(out, "\n#### Path %d of %s: %s\n\n", i + 1, gvl_sb_str(&count), gvl_sb_str(&s));
        gvl_sb_clear(&s);
        math_product(&s, e, p);
        fprintf(out, "$$%s$$\n\n", gvl_sb_str(&s));
        static const char *const head[] = {"factor", "size", "structure", "the matrix", "value"};
        Table t;
        gvl_table_init(&t, NULL, e->values ? 5 : 4, head);
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            StrBuf name = {0}, size = {0}, val = {0};
            gvl_fmt_partial(&name, g, f->of, f->wrt, "\xe2\x88\x82");
            fmt_size(&size, g, f->of, f->wrt, false);
            if (f->has_value) {
                Tensor m = matrix_view(dims, f->value.rows, f->value.cols, f->value.data);
                inline_matrix(&val, &m, prec);
            }
            const char *row[] = {gvl_sb_str(&name), gvl_sb_str(&size), gvl_jac_names[f->structure],
                                 f->note ? f->note : "", gvl_sb_str(&val)};
            gvl_table_add(&t, row);
            gvl_sb_free(&name);
            gvl_sb_free(&size);
            gvl_sb_free(&val);
        }
        gvl_table_print(&t, FMT_MD, out);
        gvl_table_free(&t);
        if (e->values) {
            gvl_sb_clear(&s);
            Tensor prod = row_view(dims, numel_of(e, e->wrt), p->product);
            inline_matrix(&s, &prod, prec);
            fprintf(out, "\nThe product: %s\n", gvl_sb_str(&s));
        }
    }
    gvl_sb_clear(&s);
    gvl_fmt_partial(&s, g, e->root, e->wrt, "\xe2\x88\x82");
    StrBuf size = {0}, val = {0};
    fmt_size(&size, g, NULL, e->wrt, false);
    if (e->values) {
        Tensor tot = row_view(dims, numel_of(e, e->wrt), e->total);
        inline_matrix(&val, &tot, prec);
        fprintf(out, "\n**%s = %s** (%s%s)\n", gvl_sb_str(&s), gvl_sb_str(&val), gvl_sb_str(&size),
                e->total_paths > 1 ? ", the sum over all the paths" : "");
    } else {
        fprintf(out, "\n**%s is %s.**\n", gvl_sb_str(&s), gvl_sb_str(&size));
    }
    gvl_sb_free(&s);
    gvl_sb_free(&count);
    gvl_sb_free(&size);
    gvl_sb_free(&val);
    return 0;
}

static int explain_latex(const Explanation *e, const Options *o, FILE *out)
{
    const Graph *g = e->g;
    int prec = gvl_cli_precision(o);
    StrBuf s = {0}, count = {0};
    int64_t dims[2];
    fmt_count(&count, e->total_paths, e->saturated);
    fprintf(out, "%% the chain rule in %s: numerator layout, vec stacks columns; %s path%s\n", g->src->name,
            gvl_sb_str(&count), e->total_paths == 1 ? "" : "s");
    for (int i = 0; i < e->npaths; i++) {
        const ExplainPath *p = &e->paths[i];
        gvl_sb_clear(&s);
        for (int k = 0; k < p->nnodes; k++) {
            if (k) gvl_sb_add(&s, " \\to ");
            gvl_fmt_math_name(&s, g, p->nodes[k], false);
        }
        fprintf(out, "\\paragraph{Path %d of %s: $%s$}\n", i + 1, gvl_sb_str(&count), gvl_sb_str(&s));
        gvl_sb_clear(&s);
        math_product(&s, e, p);
        fprintf(out, "\\[ %s \\]\n", gvl_sb_str(&s));
        fputs("\\begin{tabular}{llll}\n\\toprule\nfactor & size & structure & the matrix \\\\\n\\midrule\n", out);
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            gvl_sb_clear(&s);
            gvl_sb_add(&s, "$");
            math_partial(&s, g, f->of, f->wrt);
            gvl_sb_add(&s, "$ & $");
            math_size(&s, g, f->of, f->wrt);
            gvl_sb_printf(&s, "$ & %s & ", gvl_jac_names[f->structure]);
            if (f->note) {
                gvl_sb_add(&s, "$");
                gvl_fmt_math_text(&s, f->note);
                gvl_sb_add(&s, "$");
            }
            fprintf(out, "%s \\\\\n", gvl_sb_str(&s));
        }
        fputs("\\bottomrule\n\\end{tabular}\n", out);
        if (!e->values) continue;
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            if (!f->has_value) continue;
            gvl_sb_clear(&s);
            math_partial(&s, g, f->of, f->wrt);
            gvl_sb_add(&s, " = ");
            Tensor m = matrix_view(dims, f->value.rows, f->value.cols, f->value.data);
            latex_matrix(&s, &m, prec);
            fprintf(out, "\\[ %s \\]\n", gvl_sb_str(&s));
        }
    }
    gvl_sb_clear(&s);
    math_partial(&s, g, e->root, e->wrt);
    if (e->values) {
        gvl_sb_add(&s, " = ");
        Tensor tot = row_view(dims, numel_of(e, e->wrt), e->total);
        latex_matrix(&s, &tot, prec);
    } else {
        gvl_sb_add(&s, " \\in \\mathbb{R}^{");
        math_size(&s, g, NULL, e->wrt);
        gvl_sb_add(&s, "}");
    }
    fprintf(out, "\\[ %s \\]\n", gvl_sb_str(&s));
    gvl_sb_free(&s);
    gvl_sb_free(&count);
    return 0;
}

/* --- JSON --- */

static cJSON *json_matrix(int64_t rows, int64_t cols, const double *data)
{
    int64_t dims[2];
    Tensor t = matrix_view(dims, rows, cols, (double *)data);
    return gvl_json_tensor(&t);
}

static cJSON *json_dims(const Graph *g, const Node *v, const Node *u)
{
    cJSON *a = cJSON_CreateArray();
    Numel mu = gvl_shape_numel(g, &u->shape);
    if (v) {
        Numel mv = gvl_shape_numel(g, &v->shape);
        StrBuf b = {0};
        gvl_fmt_numel(&b, g, &mv, true);
        cJSON_AddItemToArray(a, mv.nvars ? cJSON_CreateString(gvl_sb_str(&b)) : cJSON_CreateNumber((double)mv.coef));
        gvl_sb_free(&b);
    } else {
        cJSON_AddItemToArray(a, cJSON_CreateNumber(1));
    }
    StrBuf b = {0};
    gvl_fmt_numel(&b, g, &mu, true);
    cJSON_AddItemToArray(a, mu.nvars ? cJSON_CreateString(gvl_sb_str(&b)) : cJSON_CreateNumber((double)mu.coef));
    gvl_sb_free(&b);
    return a;
}

static void add_text(cJSON *o, const char *key, const Graph *g, const Node *n,
                     void (*fmt)(StrBuf *, const Graph *, const Node *))
{
    StrBuf b = {0};
    fmt(&b, g, n);
    cJSON_AddStringToObject(o, key, gvl_sb_str(&b));
    gvl_sb_free(&b);
}

struct cJSON *gvl_explain_json(const Explanation *e)
{
    const Graph *g = e->g;
    cJSON *j = cJSON_CreateObject();
    add_text(j, "of", g, e->root, gvl_fmt_display_name);
    add_text(j, "wrt", g, e->wrt, gvl_fmt_display_name);
    cJSON_AddStringToObject(j, "layout", "numerator");
    cJSON_AddStringToObject(j, "vec", "column-major");
    cJSON *paths = cJSON_AddArrayToObject(j, "paths");
    for (int i = 0; i < e->npaths; i++) {
        const ExplainPath *p = &e->paths[i];
        cJSON *pj = cJSON_CreateObject();
        cJSON *nodes = cJSON_AddArrayToObject(pj, "nodes");
        for (int k = 0; k < p->nnodes; k++) {
            StrBuf b = {0};
            gvl_fmt_display_name(&b, g, p->nodes[k]);
            cJSON_AddItemToArray(nodes, cJSON_CreateString(gvl_sb_str(&b)));
            gvl_sb_free(&b);
        }
        cJSON *factors = cJSON_AddArrayToObject(pj, "factors");
        for (int k = 0; k + 1 < p->nnodes; k++) {
            const ExplainFactor *f = &p->factors[k];
            cJSON *fj = cJSON_CreateObject();
            add_text(fj, "of", g, f->of, gvl_fmt_vec_name);
            add_text(fj, "wrt", g, f->wrt, gvl_fmt_vec_name);
            cJSON_AddItemToObject(fj, "jacobian", json_dims(g, f->of, f->wrt));
            cJSON_AddStringToObject(fj, "structure", gvl_jac_names[f->structure]);
            if (f->note) cJSON_AddStringToObject(fj, "matrix", f->note);
            else cJSON_AddNullToObject(fj, "matrix");
            if (f->has_value) cJSON_AddItemToObject(fj, "value", json_matrix(f->value.rows, f->value.cols, f->value.data));
            else cJSON_AddNullToObject(fj, "value");
            cJSON_AddNumberToObject(fj, "of_id", f->of->id);
            cJSON_AddNumberToObject(fj, "wrt_id", f->wrt->id);
            cJSON_AddItemToArray(factors, fj);
        }
        cJSON_AddItemToObject(pj, "product", json_dims(g, NULL, e->wrt));
        if (p->product) cJSON_AddItemToObject(pj, "value", json_matrix(1, numel_of(e, e->wrt), p->product));
        else cJSON_AddNullToObject(pj, "value");
        cJSON_AddItemToArray(paths, pj);
    }
    StrBuf omitted = {0};
    fmt_count(&omitted, e->total_paths - (unsigned __int128)e->npaths, e->saturated);
    if (e->saturated || e->total_paths - (unsigned __int128)e->npaths > ((unsigned __int128)1 << 53))
        cJSON_AddStringToObject(j, "paths_omitted", gvl_sb_str(&omitted));
    else
        cJSON_AddNumberToObject(j, "paths_omitted", (double)(e->total_paths - (unsigned __int128)e->npaths));
    gvl_sb_free(&omitted);
    cJSON *total = cJSON_AddObjectToObject(j, "total");
    cJSON_AddItemToObject(total, "dims", json_dims(g, NULL, e->wrt));
    if (e->total) {
        cJSON_AddItemToObject(total, "value", json_matrix(1, numel_of(e, e->wrt), e->total));
        cJSON_AddItemToObject(total, "grad", gvl_json_tensor(e->values->grad[e->wrt->id]));
    } else {
        cJSON_AddNullToObject(total, "value");
        cJSON_AddNullToObject(total, "grad");
    }
    cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));
    return j;
}

static int explain_json(const Explanation *e, FILE *out)
{
    cJSON *j = gvl_explain_json(e);
    gvl_jw_print_tree(out, j, true);
    return 0;
}

int gvl_explain_report(const Explanation *e, const Options *o, FILE *out)
{
    switch (o->format) {
    case FMT_JSON: return explain_json(e, out);
    case FMT_MD: return explain_md(e, o, out);
    case FMT_LATEX: return explain_latex(e, o, out);
    default: return explain_text(e, o, out);
    }
}
