/*
 * report_values.c - printing values, gradients, training steps and
 * gradient checks.
 *
 * Text shows numbers with --precision significant digits (%g), aligned in
 * columns like NumPy; JSON always prints doubles so they read back exactly.
 */
#include "report_values.h"

#include "report.h"
#include "report_value_tables.h"
#include "json_writer.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PRINT_FULL_LIMIT = 100 };

/* X with PRECISION digits, in B (emptied first). */
static const char *number(StrBuf *b, double x, int precision)
{
    gvl_sb_clear(b);
    gvl_fmt_number(b, x, precision);
    return gvl_sb_str(b);
}

/* Prints dims [k..] of T starting at OFF; WIDTH aligns every number. */
static void print_block(FILE *out, const Tensor *t, int k, int64_t off, int64_t stride, int precision, int width,
                        int indent, StrBuf *b)
{
    if (k == t->ndim - 1) {
        fputc('[', out);
        for (int64_t i = 0; i < t->dims[k]; i++)
            fprintf(out, "%s%*s", i ? ", " : "", width, number(b, t->data[off + i], precision));
        fputc(']', out);
        return;
    }
    int64_t inner = stride / t->dims[k];
    fputc('[', out);
    for (int64_t i = 0; i < t->dims[k]; i++) {
        if (i) {
            fputc(',', out);
            for (int blank = 0; blank < t->ndim - k - 1; blank++) fputc('\n', out);
            fprintf(out, "%*s", indent + k + 1, "");
        }
        print_block(out, t, k + 1, off + i * inner, inner, precision, width, indent, b);
    }
    fputc(']', out);
}

void gvl_print_tensor(FILE *out, const Tensor *t, int precision, int indent)
{
    StrBuf b = {0};
    if (t->ndim == 0) {
        fputs(number(&b, t->data[0], precision), out);
    } else if (t->numel > PRINT_FULL_LIMIT) {
        gvl_fmt_summary(&b, t, precision);
        fprintf(out, "(%lld values: %s; --json prints them all)", (long long)t->numel, gvl_sb_str(&b));
    } else {
        int width = 0;
        for (int64_t i = 0; i < t->numel; i++) {
            int w = (int)strlen(number(&b, t->data[i], precision));
            if (w > width) width = w;
        }
        print_block(out, t, 0, 0, t->numel, precision, width, indent, &b);
    }
    gvl_sb_free(&b);
}

static cJSON *json_number(double x)
{
    if (isnan(x)) return cJSON_CreateString("nan");
    if (isinf(x)) return cJSON_CreateString(x > 0 ? "inf" : "-inf");
    return cJSON_CreateNumber(x);
}

static cJSON *json_block(const Tensor *t, int k, int64_t off, int64_t stride)
{
    cJSON *a = cJSON_CreateArray();
    int64_t inner = stride / t->dims[k];
    for (int64_t i = 0; i < t->dims[k]; i++)
        cJSON_AddItemToArray(a, k == t->ndim - 1 ? json_number(t->data[off + i])
                                                 : json_block(t, k + 1, off + i * inner, inner));
    return a;
}

cJSON *gvl_json_tensor(const Tensor *t)
{
    if (t->ndim == 0) return json_number(t->data[0]);
    return json_block(t, 0, 0, t->numel);
}

void gvl_jw_tensor(JsonWriter *w, const Tensor *t)
{
    if (t->ndim == 0) {
        gvl_jw_number(w, t->data[0]);
        return;
    }
    /* the nested lists of tolist(), written element by element: a bracket
     * opens where an index starts over and closes where it runs out */
    int64_t idx[TENSOR_MAX_RANK] = {0};
    for (int k = 0; k < t->ndim; k++) gvl_jw_array_begin(w);
    for (int64_t i = 0; i < t->numel; i++) {
        gvl_jw_number(w, t->data[i]);
        int closed = 0;
        for (int k = t->ndim - 1; k >= 0 && ++idx[k] == t->dims[k]; k--) {
            idx[k] = 0;
            closed++;
        }
        for (int k = 0; k < closed; k++) gvl_jw_array_end(w);
        if (i + 1 < t->numel)
            for (int k = 0; k < closed; k++) gvl_jw_array_begin(w);
    }
}

static const char *partial(const Options *o)
{
    return o->ascii ? "d" : "\xe2\x88\x82";
}

/* ---- eval ---------------------------------------------------------------- */

void gvl_eval_json_write(JsonWriter *w, const Graph *g, const Values *v)
{
    Arena a;
    gvl_arena_init(&a);
    gvl_jw_object_begin(w);
    gvl_jw_key(w, "nodes");
    gvl_jw_array_begin(w);
    for (size_t i = 0; i < g->count; i++) {
        /* one node at a time: only its few fields are ever a cJSON tree */
        cJSON *e = gvl_report_json_node(g, g->nodes[i]);
        gvl_jw_object_begin(w);
        gvl_jw_cjson_members(w, e);
        cJSON_Delete(e);
        gvl_jw_key(w, "value");
        if (v) gvl_jw_tensor(w, v->val[i]);
        else gvl_jw_null(w);
        gvl_jw_key(w, "grad");
        if (v && v->grad[i]) gvl_jw_tensor(w, v->grad[i]);
        else gvl_jw_null(w);
        gvl_jw_object_end(w);
    }
    gvl_jw_array_end(w);
    gvl_jw_key(w, "loss");
    if (g->loss) gvl_jw_string(w, gvl_plain_text(&a, g, g->loss));
    else gvl_jw_null(w);
    gvl_jw_key(w, "loss_value");
    if (g->loss && v) gvl_jw_number(w, gvl_values_scalar(v, g->loss));
    else gvl_jw_null(w);
    gvl_jw_key(w, "of");
    if (v && v->root) gvl_jw_string(w, gvl_name_text(&a, g, v->root));
    else gvl_jw_null(w);
    gvl_jw_key(w, "diagnostics");   /* warnings, if any */
    cJSON *d = gvl_diag_to_json(g->diag);
    gvl_jw_cjson(w, d);
    cJSON_Delete(d);
    gvl_arena_free(&a);
}

int gvl_report_eval(const Values *v, const Options *o, FILE *out)
{
    const Graph *g = v->g;
    const Node *root = v->root;
    if (o->format == FMT_JSON) {
        JsonWriter w;
        gvl_jw_init(&w, out, true);
        gvl_eval_json_write(&w, v->g, v);
        gvl_jw_object_end(&w);
        gvl_jw_finish(&w);
        return 0;
    }
    if (o->format != FMT_TEXT) return gvl_report_eval_table(v, o, out);
    Arena a;
    gvl_arena_init(&a);
    StrBuf b = {0};
    fprintf(out, "Values of %s\n", g->src->name);
    if (root) {
        const char *rname = gvl_name_text(&a, g, root);
        fprintf(out, "%s%s = %s; grad is %s%s/%sv, shaped like v\n", root == g->loss && !o->of ? "Loss " : "",
                rname, number(&b, gvl_values_scalar(v, root), gvl_cli_precision(o)), partial(o), rname, partial(o));
    }
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        fprintf(out, "\n%s  (%s%s%s, %s)\n", gvl_name_text(&a, g, n), gvl_node_kind_names[n->kind],
                n->op >= 0 ? " " : "", n->op >= 0 ? gvl_node_op_name(n) : "", gvl_shape_text(&a, g, &n->shape, o->ascii));
        fputs("  value  ", out);
        gvl_print_tensor(out, v->val[i], gvl_cli_precision(o), 9);
        fputc('\n', out);
        if (root && v->grad[i]) {
            fputs("  grad   ", out);
            gvl_print_tensor(out, v->grad[i], gvl_cli_precision(o), 9);
            fputc('\n', out);
        }
        gvl_arena_reset(&a);
    }
    if (!root)
        fputs("\nNo gradients: the graph has no one-element loss (add 'loss NAME', or use --of NODE).\n", out);
    gvl_sb_free(&b);
    gvl_arena_free(&a);
    return 0;
}

/* ---- train ---------------------------------------------------------------- */

typedef struct TrainCtx {
    const Options *o;
    FILE *out;
    const Node *loss;
    JsonWriter *json;   /* JSON: the steps are written as they are made */
    TrainTable *table;  /* md, csv, latex: rows collected, printed at the end */
    double lr;
    int64_t steps, every;   /* print step k when k % every == 0, and the last */
    bool opened;        /* the document is begun (at the first step, so that a
                         * failure before it prints nothing) */
} TrainCtx;

static void train_json_open(TrainCtx *c)
{
    if (c->opened) return;
    c->opened = true;
    gvl_jw_object_begin(c->json);
    gvl_jw_key(c->json, "lr");
    gvl_jw_number(c->json, c->lr);
    gvl_jw_key(c->json, "steps");
    gvl_jw_array_begin(c->json);
}

/* Ends the document: the steps, final_loss (null after a failure) and
 * the diagnostics. */
static void train_json_close(TrainCtx *c, const Graph *g, double final, bool ok)
{
    JsonWriter *w = c->json;
    gvl_jw_array_end(w);
    gvl_jw_key(w, "final_loss");
    if (ok) gvl_jw_number(w, final);
    else gvl_jw_null(w);
    gvl_jw_key(w, "diagnostics");
    cJSON *d = gvl_diag_to_json(g->diag);
    gvl_jw_cjson(w, d);
    cJSON_Delete(d);
    gvl_jw_object_end(w);
    gvl_jw_finish(w);
}

/* Every param as "  NAME = VALUE", one per line. */
static void print_params(FILE *out, const Values *v, const Options *o)
{
    const Graph *g = v->g;
    Arena a;
    gvl_arena_init(&a);
    for (size_t i = 0; i < g->count; i++) {
        if (g->nodes[i]->kind != NK_PARAM) continue;
        const char *name = gvl_name_text(&a, g, g->nodes[i]);
        fprintf(out, "  %s = ", name);
        gvl_print_tensor(out, v->val[i], gvl_cli_precision(o), 5 + gvl_text_width(name));
        fputc('\n', out);
    }
    gvl_arena_free(&a);
}

static void on_step(void *p, int64_t step, double loss_before, const Values *v)
{
    TrainCtx *c = p;
    if (c->every > 1 && step % c->every != 0 && step != c->steps) return;
    const Graph *g = v->g;
    Arena a;
    gvl_arena_init(&a);
    if (c->table) {
        gvl_train_table_row(c->table, step, loss_before, v);
    } else if (c->json) {
        JsonWriter *w = c->json;
        train_json_open(c);
        gvl_jw_object_begin(w);
        gvl_jw_key(w, "step");
        gvl_jw_int(w, step);
        gvl_jw_key(w, "loss");
        gvl_jw_number(w, loss_before);
        gvl_jw_key(w, "params");
        gvl_jw_object_begin(w);
        for (size_t i = 0; i < g->count; i++)
            if (g->nodes[i]->kind == NK_PARAM) {
                gvl_jw_key(w, gvl_plain_text(&a, g, g->nodes[i]));
                gvl_jw_tensor(w, v->val[i]);
            }
        gvl_jw_object_end(w);
        gvl_jw_object_end(w);
    } else {
        StrBuf b = {0};
        fprintf(c->out, "\nstep %lld: %s = %s before the step; after it:\n", (long long)step,
                gvl_name_text(&a, g, c->loss), number(&b, loss_before, gvl_cli_precision(c->o)));
        gvl_sb_free(&b);
        print_params(c->out, v, c->o);
    }
    gvl_arena_free(&a);
}

int gvl_report_train(Values *v, const Node *loss, double lr, int64_t steps, const Options *o, FILE *out)
{
    const Graph *g = v->g;
    Arena a;
    gvl_arena_init(&a);
    JsonWriter w;
    TrainTable tt;
    TrainCtx c = {o, out, loss, NULL, NULL, lr, steps, o->every, false};
    if (o->format == FMT_JSON) {
        gvl_jw_init(&w, out, true);
        c.json = &w;
    } else if (o->format != FMT_TEXT) {
        gvl_train_table_begin(&tt, v, loss, lr, steps, o, out);
        c.table = &tt;
    } else {
        fprintf(out, "Gradient descent on %s: %lld step%s of p -= %g * %s%s/%sp for every param\n", g->src->name,
                (long long)steps, steps == 1 ? "" : "s", lr, partial(o), gvl_name_text(&a, g, loss), partial(o));
        fputs("\nbefore training:\n", out);
        print_params(out, v, o);
    }
    if (!gvl_train_run(v, loss, lr, steps, on_step, &c)) {
        if (c.table) gvl_train_table_end(c.table, NAN, false);
        /* steps were written: end the document, with what went wrong */
        if (c.json && c.opened) train_json_close(&c, g, NAN, false);
        gvl_arena_free(&a);
        return 1;
    }
    double final = gvl_values_scalar(v, loss);
    if (c.table) {
        gvl_train_table_end(c.table, final, true);
    } else if (c.json) {
        train_json_open(&c);
        train_json_close(&c, g, final, true);
    } else {
        StrBuf b = {0};
        fprintf(out, "\n%s = %s after the last step\n", gvl_name_text(&a, g, loss), number(&b, final, gvl_cli_precision(o)));
        gvl_sb_free(&b);
    }
    gvl_arena_free(&a);
    return 0;
}

/* ---- gradcheck ---------------------------------------------------------- */

int gvl_report_gradcheck(Values *v, const Node *root, const Options *o, FILE *out)
{
    const Graph *g = v->g;
    GradcheckResult *res = gvl_xcalloc(g->count ? g->count : 1, sizeof *res);
    double atol;
    int n = gvl_gradcheck_run(v, root, o->eps, o->tol, o->has_atol ? o->atol : -1, res, &atol);
    if (n < 0) {
        free(res);
        return 1;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) ok &= res[i].ok;
    Arena a;
    gvl_arena_init(&a);
    const char *rname = gvl_name_text(&a, g, root);
    if (o->format == FMT_JSON) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "eps", o->eps);
        cJSON_AddNumberToObject(j, "tol", o->tol);
        cJSON_AddNumberToObject(j, "atol", atol);
        cJSON_AddBoolToObject(j, "ok", ok);
        cJSON_AddStringToObject(j, "of", rname);
        cJSON *arr = cJSON_AddArrayToObject(j, "results");
        for (int i = 0; i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "wrt", gvl_plain_text(&a, g, res[i].wrt));
            cJSON_AddItemToObject(e, "max_abs_err", json_number(res[i].max_abs_err));
            cJSON_AddItemToObject(e, "max_rel_err", json_number(res[i].max_rel_err));
            cJSON_AddBoolToObject(e, "ok", res[i].ok);
            cJSON_AddNumberToObject(e, "checked", (double)res[i].checked);
            cJSON_AddNumberToObject(e, "numel", (double)res[i].numel);
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));
        gvl_jw_print_tree(out, j, true);
    } else if (o->format != FMT_TEXT) {
        gvl_gradcheck_table(g, res, n, atol, o, out);
    } else {
        fprintf(out, "Gradient check of %s: %s%s/%sv by backpropagation against central differences\n"
                     "(eps %g; an element passes when |analytic - numeric| <= atol + tol max(1, |numeric|),\n"
                     "with tol %g and atol %.3g%s)\n\n",
                g->src->name, partial(o), rname, partial(o), o->eps, o->tol, atol,
                o->has_atol ? "" : ", the central difference's own rounding error");
        static const char *const head[] = {"wrt", "max abs error", "max rel error", "result"};
        Table t;
        gvl_table_init(&t, NULL, 4, head);
        for (int i = 0; i < n; i++) {
            const char *verdict = res[i].ok ? "ok" : "FAILED";
            const char *result = res[i].checked < res[i].numel
                                     ? gvl_arena_printf(&a, "%s (%lld of %lld elements)", verdict,
                                                        (long long)res[i].checked, (long long)res[i].numel)
                                     : verdict;
            const char *row[] = {gvl_name_text(&a, g, res[i].wrt), gvl_arena_printf(&a, "%.3g", res[i].max_abs_err),
                                 gvl_arena_printf(&a, "%.3g", res[i].max_rel_err), result};
            gvl_table_add(&t, row);
        }
        if (n) gvl_table_print(&t, FMT_TEXT, out);
        gvl_table_free(&t);
        if (!n) fprintf(out, "%s depends on no param or input: nothing to check.\n", rname);
        else fprintf(out, "\n%s\n", ok ? "All gradients agree." : "Some gradients disagree with finite differences.");
    }
    gvl_arena_free(&a);
    free(res);
    return ok ? 0 : 1;
}
