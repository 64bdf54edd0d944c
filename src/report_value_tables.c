/*
 * report_value_tables.c - values, gradients, training steps and gradient
 * checks as tables: Markdown and LaTeX (one row per node or step, a tensor
 * per cell), and CSV (one row per element, for spreadsheets and scripts).
 *
 * The text and JSON forms live in report_values.c; this file only turns
 * the same numbers into cells.  LaTeX cells are math: names as the tables
 * print them (w^\top), tensors as bmatrix, numbers as 2.5 \cdot 10^{-16}.
 */
#include "report_value_tables.h"

#include "report.h"
#include "report_table.h"
#include "numbers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tensors of more elements are summarised in a cell. */
enum { CELL_FULL_LIMIT = 36 };

static const char *partial(Format f, bool ascii)
{
    return f == FMT_LATEX ? "\\partial " : ascii ? "d" : "\xe2\x88\x82";
}

/* One number: %g, or in LaTeX math 2.5 \cdot 10^{-16} and \infty. */
static void number(StrBuf *b, double x, int precision, Format f)
{
    if (f != FMT_LATEX) {
        gvl_fmt_number(b, x, precision);
        return;
    }
    if (isnan(x)) { gvl_sb_add(b, "\\mathrm{NaN}"); return; }
    if (isinf(x)) { gvl_sb_add(b, x > 0 ? "\\infty" : "-\\infty"); return; }
    char buf[48];
    snprintf(buf, sizeof buf, "%.*g", precision, x);
    char *e = strchr(buf, 'e');
    if (!e) {
        gvl_sb_add(b, buf);
        return;
    }
    *e = '\0';
    int exp10 = atoi(e + 1);
    gvl_sb_printf(b, "%s \\cdot 10^{%d}", buf, exp10);
}

/* Dims [k..] of T from OFF: [1, 2] nested, or bmatrix rows in LaTeX. */
static void nested(StrBuf *b, const Tensor *t, int k, int64_t off, int64_t stride, int precision)
{
    int64_t inner = stride / t->dims[k];
    gvl_sb_putc(b, '[');
    for (int64_t i = 0; i < t->dims[k]; i++) {
        if (i) gvl_sb_add(b, ", ");
        if (k == t->ndim - 1) gvl_fmt_number(b, t->data[off + i], precision);
        else nested(b, t, k + 1, off + i * inner, inner, precision);
    }
    gvl_sb_putc(b, ']');
}

/* T as one cell: "4", "[[1, 2], [3, 4]]", a bmatrix, or a summary. */
static const char *tensor_cell(Arena *a, const Tensor *t, int precision, Format f)
{
    StrBuf b = {0};
    if (t->numel > CELL_FULL_LIMIT || (f == FMT_LATEX && t->ndim > 2)) {
        StrBuf s = {0};
        gvl_fmt_summary(&s, t, precision);
        gvl_sb_printf(&b, "%lld values: %s", (long long)t->numel, gvl_sb_str(&s));
        gvl_sb_free(&s);
    } else if (f != FMT_LATEX) {
        if (t->ndim == 0) gvl_fmt_number(&b, t->data[0], precision);
        else nested(&b, t, 0, 0, t->numel, precision);
    } else if (t->ndim == 0) {
        gvl_sb_putc(&b, '$');
        number(&b, t->data[0], precision, f);
        gvl_sb_putc(&b, '$');
    } else {
        /* a 1-D tensor is a row; rows of a 2-D one are rows */
        int64_t cols = t->dims[t->ndim - 1], rows = t->numel / cols;
        gvl_sb_add(&b, "$\\begin{bmatrix} ");
        for (int64_t r = 0; r < rows; r++) {
            if (r) gvl_sb_add(&b, " \\\\ ");
            for (int64_t c = 0; c < cols; c++) {
                if (c) gvl_sb_add(&b, " & ");
                number(&b, t->data[r * cols + c], precision, f);
            }
        }
        gvl_sb_add(&b, " \\end{bmatrix}$");
    }
    const char *r = gvl_sb_arena(&b, a);
    gvl_sb_free(&b);
    return r;
}

/* "[0][1]": element K of T as an index (empty for a scalar). */
static const char *index_cell(Arena *a, const Tensor *t, int64_t k)
{
    StrBuf b = {0};
    int64_t rest = k, stride = t->numel;
    for (int d = 0; d < t->ndim; d++) {
        stride /= t->dims[d];
        gvl_sb_printf(&b, "[%lld]", (long long)(rest / stride));
        rest %= stride;
    }
    const char *r = gvl_sb_arena(&b, a);
    gvl_sb_free(&b);
    return r;
}

static const char *exact(Arena *a, double x)
{
    StrBuf b = {0};
    gvl_fmt_exact(&b, x);
    const char *r = gvl_sb_arena(&b, a);
    gvl_sb_free(&b);
    return r;
}

/* A line above a table: a Markdown paragraph, a LaTeX comment. */
static void caption(Format f, FILE *out, const char *text)
{
    if (f == FMT_MD) fprintf(out, "%s\n\n", text);
    else if (f == FMT_LATEX) fprintf(out, "%% %s\n", text);
}

/* ---- eval --------------------------------------------------------------- */

int gvl_report_eval_table(const Values *v, const Options *o, FILE *out)
{
    const Graph *g = v->g;
    const Node *root = v->root;
    const Format f = o->format;
    const int prec = gvl_cli_precision(o);
    Arena a;
    gvl_arena_init(&a);
    const char *rname = root ? gvl_name_text(&a, g, root) : NULL;
    if (root) {
        StrBuf b = {0};
        gvl_fmt_number(&b, gvl_values_scalar(v, root), prec);
        caption(f, out, gvl_arena_printf(&a, "Values of %s; %s%s = %s, and grad is %s%s/%sv", g->src->name,
                                         root == g->loss && !o->of ? "loss " : "", rname, gvl_sb_str(&b),
                                         partial(f == FMT_LATEX ? FMT_TEXT : f, o->ascii || f == FMT_LATEX), rname,
                                         partial(f == FMT_LATEX ? FMT_TEXT : f, o->ascii || f == FMT_LATEX)));
        gvl_sb_free(&b);
    } else {
        caption(f, out, gvl_arena_printf(&a, "Values of %s (no one-element loss: no gradients)", g->src->name));
    }
    const char *gradhead = root ? gvl_arena_printf(&a, "%s%s/%sv", partial(f, o->ascii), rname, partial(f, o->ascii))
                                : "grad";
    if (f == FMT_LATEX && root) {
        /* the name cell is $...$ already: drop its dollars inside the fraction */
        const char *n = gvl_report_name_cell(&a, f, true, g, root);
        gradhead = gvl_arena_printf(&a, "$\\partial %.*s / \\partial v$", (int)strlen(n) - 2, n + 1);
    }
    Table t;
    if (f == FMT_CSV) {
        const char *head[] = {"name", "kind", "op", "shape", "index", "value", "grad"};
        gvl_table_init(&t, NULL, 7, head);
    } else {
        const char *head[] = {"node", "kind", "shape", "value", gradhead};
        gvl_table_init(&t, NULL, 5, head);
    }
    Arena cells;
    gvl_arena_init(&cells);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        const Tensor *val = v->val[i], *grad = root ? v->grad[i] : NULL;
        if (f == FMT_CSV) {
            const char *name = gvl_plain_text(&cells, g, n);
            const char *shape = gvl_shape_text(&cells, g, &n->shape, true);
            for (int64_t k = 0; k < val->numel; k++) {
                const char *row[] = {name, gvl_node_kind_names[n->kind], n->op >= 0 ? gvl_node_op_name(n) : "",
                                     shape, index_cell(&cells, val, k), exact(&cells, val->data[k]),
                                     grad ? exact(&cells, grad->data[k]) : ""};
                gvl_table_add(&t, row);
            }
        } else {
            const char *kind = n->op >= 0 ? gvl_arena_printf(&cells, "op %s", gvl_node_op_name(n))
                                          : gvl_node_kind_names[n->kind];
            const char *row[] = {gvl_report_name_cell(&cells, f, o->ascii, g, n), kind,
                                 gvl_report_shape_cell(&cells, f, o->ascii, g, &n->shape),
                                 tensor_cell(&cells, val, prec, f), grad ? tensor_cell(&cells, grad, prec, f) : "-"};
            gvl_table_add(&t, row);
        }
        gvl_arena_reset(&cells);
    }
    gvl_table_print(&t, f, out);
    gvl_table_free(&t);
    gvl_arena_free(&cells);
    gvl_arena_free(&a);
    return 0;
}

/* ---- train -------------------------------------------------------------- */

void gvl_train_table_begin(TrainTable *tt, const Values *v, const Node *loss, double lr, int64_t steps,
                           const Options *o, FILE *out)
{
    const Graph *g = v->g;
    memset(tt, 0, sizeof *tt);
    tt->o = o;
    tt->out = out;
    tt->loss = loss;
    gvl_arena_init(&tt->text);
    tt->ncols = 2;
    for (size_t i = 0; i < g->count; i++) tt->ncols += g->nodes[i]->kind == NK_PARAM;
    const char *lname = gvl_name_text(&tt->text, g, loss);
    tt->loss_name = lname;
    caption(o->format, out, gvl_arena_printf(&tt->text, "Gradient descent on %s: %lld step%s of p -= %g * d%s/dp; "
                                             "each row has %s before the step and the params after it",
                                             g->src->name, (long long)steps, steps == 1 ? "" : "s", lr, lname,
                                             lname));
    if (o->format == FMT_CSV) {
        const char *head[] = {"step", "loss", "param", "index", "value"};
        gvl_table_init(&tt->table, NULL, 5, head);
        return;
    }
    const char **head = gvl_xcalloc((size_t)tt->ncols, sizeof *head);
    head[0] = "step";
    head[1] = gvl_report_name_cell(&tt->text, o->format, o->ascii, g, loss);
    int c = 2;
    for (size_t i = 0; i < g->count; i++)
        if (g->nodes[i]->kind == NK_PARAM) head[c++] = gvl_report_name_cell(&tt->text, o->format, o->ascii, g, g->nodes[i]);
    gvl_table_init(&tt->table, NULL, tt->ncols, head);
    free(head);
    /* step 0: the params as the file gives them */
    gvl_train_table_row(tt, 0, NAN, v);
}

void gvl_train_table_row(TrainTable *tt, int64_t step, double loss_before, const Values *v)
{
    const Graph *g = v->g;
    const Options *o = tt->o;
    const int prec = gvl_cli_precision(o);
    Arena cells;
    gvl_arena_init(&cells);
    const char *stepc = gvl_arena_printf(&cells, "%lld", (long long)step);
    if (o->format == FMT_CSV) {
        const char *lossc = step ? exact(&cells, loss_before) : "";
        for (size_t i = 0; i < g->count; i++) {
            if (g->nodes[i]->kind != NK_PARAM) continue;
            const char *name = gvl_plain_text(&cells, g, g->nodes[i]);
            for (int64_t k = 0; k < v->val[i]->numel; k++) {
                const char *row[] = {stepc, lossc, name, index_cell(&cells, v->val[i], k),
                                     exact(&cells, v->val[i]->data[k])};
                gvl_table_add(&tt->table, row);
            }
        }
    } else {
        const char **row = gvl_xcalloc((size_t)tt->ncols, sizeof *row);
        row[0] = stepc;
        if (step) {
            Tensor one = {0};
            one.numel = 1;
            one.data = &loss_before;
            row[1] = tensor_cell(&cells, &one, prec, o->format);
        } else {
            row[1] = "-";
        }
        int c = 2;
        for (size_t i = 0; i < g->count; i++)
            if (g->nodes[i]->kind == NK_PARAM) row[c++] = tensor_cell(&cells, v->val[i], prec, o->format);
        gvl_table_add(&tt->table, row);
        free(row);
    }
    gvl_arena_free(&cells);
}

void gvl_train_table_end(TrainTable *tt, double final_loss, bool print)
{
    if (print) gvl_table_print(&tt->table, tt->o->format, tt->out);
    if (print && tt->o->format != FMT_CSV) {
        StrBuf b = {0};
        gvl_fmt_number(&b, final_loss, gvl_cli_precision(tt->o));
        if (tt->o->format == FMT_MD) fprintf(tt->out, "\n%s = %s after the last step.\n", tt->loss_name, gvl_sb_str(&b));
        else fprintf(tt->out, "%% %s = %s after the last step\n", tt->loss_name, gvl_sb_str(&b));
        gvl_sb_free(&b);
    }
    gvl_table_free(&tt->table);
    gvl_arena_free(&tt->text);
}

/* ---- gradcheck ---------------------------------------------------------- */

void gvl_gradcheck_table(const Graph *g, const GradcheckResult *res, int n, double atol, const Options *o,
                         FILE *out)
{
    const Format f = o->format;
    Arena a;
    gvl_arena_init(&a);
    caption(f, out, gvl_arena_printf(&a, "Gradient check of %s: backpropagation against central differences "
                                     "(eps %g; an element passes when |analytic - numeric| <= %.3g + %g max(1, |numeric|))",
                                     g->src->name, o->eps, atol, o->tol));
    static const char *const head[] = {"wrt", "max abs error", "max rel error", "checked", "numel", "result"};
    Table t;
    gvl_table_init(&t, NULL, 6, head);
    for (int i = 0; i < n; i++) {
        const char *row[] = {f == FMT_CSV ? gvl_plain_text(&a, g, res[i].wrt)
                                          : gvl_report_name_cell(&a, f, o->ascii, g, res[i].wrt),
                             f == FMT_CSV ? exact(&a, res[i].max_abs_err) : gvl_arena_printf(&a, "%.3g", res[i].max_abs_err),
                             f == FMT_CSV ? exact(&a, res[i].max_rel_err) : gvl_arena_printf(&a, "%.3g", res[i].max_rel_err),
                             gvl_arena_printf(&a, "%lld", (long long)res[i].checked),
                             gvl_arena_printf(&a, "%lld", (long long)res[i].numel), res[i].ok ? "ok" : "FAILED"};
        gvl_table_add(&t, row);
    }
    gvl_table_print(&t, f, out);
    gvl_table_free(&t);
    gvl_arena_free(&a);
}
