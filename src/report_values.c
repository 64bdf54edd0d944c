/*
 * report_values.c - printing values, gradients, training steps and
 * gradient checks.
 *
 * Text shows numbers with --precision significant digits (%g), aligned in
 * columns like NumPy; JSON always prints doubles so they read back exactly.
 */
#include "report_values.h"

#include "report.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PRINT_FULL_LIMIT = 100 };

void gvl_format_number(char *buf, size_t cap, double x, int precision)
{
    if (isnan(x)) snprintf(buf, cap, "nan");
    else if (isinf(x)) snprintf(buf, cap, x > 0 ? "inf" : "-inf");
    else snprintf(buf, cap, "%.*g", precision, x);
}

void gvl_format_summary(char *buf, size_t cap, const Tensor *t, int precision)
{
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int64_t i = 0; i < t->numel; i++) {
        lo = fmin(lo, t->data[i]);
        hi = fmax(hi, t->data[i]);
        sum += t->data[i];
    }
    char a[64], c[64], m[64];
    gvl_format_number(a, sizeof a, lo, precision);
    gvl_format_number(c, sizeof c, hi, precision);
    gvl_format_number(m, sizeof m, sum / (double)t->numel, precision);
    snprintf(buf, cap, "min %s, max %s, mean %s", a, c, m);
}

/* Prints dims [k..] of T starting at OFF; WIDTH aligns every number. */
static void print_block(FILE *out, const Tensor *t, int k, int64_t off, int64_t stride, int precision, int width,
                        int indent)
{
    char b[64];
    if (k == t->ndim - 1) {
        fputc('[', out);
        for (int64_t i = 0; i < t->dims[k]; i++) {
            gvl_format_number(b, sizeof b, t->data[off + i], precision);
            fprintf(out, "%s%*s", i ? ", " : "", width, b);
        }
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
        print_block(out, t, k + 1, off + i * inner, inner, precision, width, indent);
    }
    fputc(']', out);
}

void gvl_print_tensor(FILE *out, const Tensor *t, int precision, int indent)
{
    char b[64];
    if (t->ndim == 0) {
        gvl_format_number(b, sizeof b, t->data[0], precision);
        fputs(b, out);
        return;
    }
    if (t->numel > PRINT_FULL_LIMIT) {
        char sum[256];
        gvl_format_summary(sum, sizeof sum, t, precision);
        fprintf(out, "(%lld values: %s; --json prints them all)", (long long)t->numel, sum);
        return;
    }
    int width = 0;
    for (int64_t i = 0; i < t->numel; i++) {
        gvl_format_number(b, sizeof b, t->data[i], precision);
        int w = (int)strlen(b);
        if (w > width) width = w;
    }
    print_block(out, t, 0, 0, t->numel, precision, width, indent);
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

static void json_print(cJSON *root, FILE *out)
{
    char *s = cJSON_PrintUnformatted(root);
    if (!s) gvl_out_of_memory();
    fprintf(out, "%s\n", s);
    cJSON_free(s);
    cJSON_Delete(root);
}

static const char *partial(const Options *o)
{
    return o->ascii ? "d" : "\xe2\x88\x82";
}

/* ---- eval ---------------------------------------------------------------- */

cJSON *gvl_eval_json(Graph *g, const Values *v)
{
    char name[512];
    cJSON *j = cJSON_CreateObject();
    cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
    for (size_t i = 0; i < g->count; i++) {
        cJSON *e = gvl_report_json_node(g, g->nodes[i]);
        if (v) cJSON_AddItemToObject(e, "value", gvl_json_tensor(v->val[i]));
        else cJSON_AddNullToObject(e, "value");
        if (v && v->grad[i]) cJSON_AddItemToObject(e, "grad", gvl_json_tensor(v->grad[i]));
        else cJSON_AddNullToObject(e, "grad");
        cJSON_AddItemToArray(nodes, e);
    }
    if (g->loss) {
        cJSON_AddStringToObject(j, "loss", gvl_node_plain_name(g, g->loss, name, sizeof name));
        if (v) cJSON_AddItemToObject(j, "loss_value", json_number(gvl_values_scalar(v, g->loss)));
        else cJSON_AddNullToObject(j, "loss_value");
    } else {
        cJSON_AddNullToObject(j, "loss");
        cJSON_AddNullToObject(j, "loss_value");
    }
    if (v && v->root) cJSON_AddStringToObject(j, "of", gvl_node_display_name(g, v->root, name, sizeof name));
    else cJSON_AddNullToObject(j, "of");
    cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));   /* warnings, if any */
    return j;
}

int gvl_report_eval(const Values *v, const Options *o, FILE *out)
{
    Graph *g = v->g;
    char name[512], rname[512], shape[256];
    const Node *root = v->root;
    if (root) gvl_node_display_name(g, root, rname, sizeof rname);
    if (o->format == FMT_JSON) {
        json_print(gvl_eval_json(v->g, v), out);
        return 0;
    }
    fprintf(out, "Values of %s\n", g->src->name);
    if (root) {
        char b[64];
        gvl_format_number(b, sizeof b, gvl_values_scalar(v, root), o->precision);
        fprintf(out, "%s%s = %s; grad is %s%s/%sv, shaped like v\n", root == g->loss && !o->of ? "Loss " : "",
                rname, b, partial(o), rname, partial(o));
    }
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        gvl_node_display_name(g, n, name, sizeof name);
        gvl_shape_format(g, &n->shape, o->ascii, shape, sizeof shape);
        fprintf(out, "\n%s  (%s%s%s, %s)\n", name, gvl_node_kind_names[n->kind], n->op >= 0 ? " " : "",
                n->op >= 0 ? gvl_node_op_name(n) : "", shape);
        fputs("  value  ", out);
        gvl_print_tensor(out, v->val[i], o->precision, 9);
        fputc('\n', out);
        if (root && v->grad[i]) {
            fputs("  grad   ", out);
            gvl_print_tensor(out, v->grad[i], o->precision, 9);
            fputc('\n', out);
        }
    }
    if (!root)
        fputs("\nNo gradients: the graph has no one-element loss (add 'loss NAME', or use --of NODE).\n", out);
    return 0;
}

/* ---- train ---------------------------------------------------------------- */

typedef struct TrainCtx {
    const Options *o;
    FILE *out;
    const Node *loss;
    cJSON *steps;   /* JSON: the "steps" array being built */
} TrainCtx;

static void on_step(void *p, int64_t step, double loss_before, const Values *v)
{
    TrainCtx *c = p;
    Graph *g = v->g;
    char name[512];
    if (c->steps) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "step", (double)step);
        cJSON_AddItemToObject(s, "loss", json_number(loss_before));
        cJSON *params = cJSON_AddObjectToObject(s, "params");
        for (size_t i = 0; i < g->count; i++)
            if (g->nodes[i]->kind == NK_PARAM)
                cJSON_AddItemToObject(params, gvl_node_plain_name(g, g->nodes[i], name, sizeof name), gvl_json_tensor(v->val[i]));
        cJSON_AddItemToArray(c->steps, s);
        return;
    }
    char b[64];
    gvl_format_number(b, sizeof b, loss_before, c->o->precision);
    fprintf(c->out, "\nstep %lld: %s = %s before the step; after it:\n", (long long)step,
            gvl_node_display_name(g, c->loss, name, sizeof name), b);
    for (size_t i = 0; i < g->count; i++) {
        if (g->nodes[i]->kind != NK_PARAM) continue;
        gvl_node_display_name(g, g->nodes[i], name, sizeof name);
        fprintf(c->out, "  %s = ", name);
        gvl_print_tensor(c->out, v->val[i], c->o->precision, 5 + gvl_text_width(name));
        fputc('\n', c->out);
    }
}

int gvl_report_train(Values *v, const Node *loss, double lr, int64_t steps, const Options *o, FILE *out)
{
    Graph *g = v->g;
    char name[512];
    TrainCtx c = {o, out, loss, NULL};
    cJSON *j = NULL;
    if (o->format == FMT_JSON) {
        j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "lr", lr);
        c.steps = cJSON_AddArrayToObject(j, "steps");
    } else {
        fprintf(out, "Gradient descent on %s: %lld step%s of p -= %g * %s%s/%sp for every param\n", g->src->name,
                (long long)steps, steps == 1 ? "" : "s", lr, partial(o),
                gvl_node_display_name(g, loss, name, sizeof name), partial(o));
        fputs("\nbefore training:\n", out);
        for (size_t i = 0; i < g->count; i++) {
            if (g->nodes[i]->kind != NK_PARAM) continue;
            gvl_node_display_name(g, g->nodes[i], name, sizeof name);
            fprintf(out, "  %s = ", name);
            gvl_print_tensor(out, v->val[i], o->precision, 5 + gvl_text_width(name));
            fputc('\n', out);
        }
    }
    if (!gvl_train_run(v, loss, lr, steps, on_step, &c)) {
        cJSON_Delete(j);
        return 1;
    }
    double final = gvl_values_scalar(v, loss);
    if (j) {
        cJSON_AddItemToObject(j, "final_loss", json_number(final));
        cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));
        json_print(j, out);
    } else {
        char b[64];
        gvl_format_number(b, sizeof b, final, o->precision);
        fprintf(out, "\n%s = %s after the last step\n", gvl_node_display_name(g, loss, name, sizeof name), b);
    }
    return 0;
}

/* ---- gradcheck ---------------------------------------------------------- */

int gvl_report_gradcheck(Values *v, const Node *root, const Options *o, FILE *out)
{
    Graph *g = v->g;
    GradcheckResult *res = calloc(g->count ? g->count : 1, sizeof *res);
    if (!res) gvl_out_of_memory();
    int n = gvl_gradcheck_run(v, root, o->eps, o->tol, res);
    if (n < 0) {
        free(res);
        return 1;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) ok &= res[i].ok;
    char name[512], rname[512];
    gvl_node_display_name(g, root, rname, sizeof rname);
    if (o->format == FMT_JSON) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "eps", o->eps);
        cJSON_AddNumberToObject(j, "tol", o->tol);
        cJSON_AddBoolToObject(j, "ok", ok);
        cJSON_AddStringToObject(j, "of", rname);
        cJSON *arr = cJSON_AddArrayToObject(j, "results");
        for (int i = 0; i < n; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "wrt", gvl_node_plain_name(g, res[i].wrt, name, sizeof name));
            cJSON_AddItemToObject(e, "max_abs_err", json_number(res[i].max_abs_err));
            cJSON_AddItemToObject(e, "max_rel_err", json_number(res[i].max_rel_err));
            cJSON_AddBoolToObject(e, "ok", res[i].ok);
            cJSON_AddNumberToObject(e, "checked", (double)res[i].checked);
            cJSON_AddNumberToObject(e, "numel", (double)res[i].numel);
            cJSON_AddItemToArray(arr, e);
        }
        cJSON_AddItemToObject(j, "diagnostics", gvl_diag_to_json(g->diag));
        json_print(j, out);
    } else {
        fprintf(out, "Gradient check of %s: %s%s/%sv by backpropagation against central differences\n"
                     "(eps %g; error = |analytic - numeric| / max(1, |numeric|), allowed %g)\n\n",
                g->src->name, partial(o), rname, partial(o), o->eps, o->tol);
        static const char *const head[] = {"wrt", "max abs error", "max rel error", "result"};
        Table t;
        gvl_table_init(&t, NULL, 4, head);
        for (int i = 0; i < n; i++) {
            char a[64], r[64];
            snprintf(a, sizeof a, "%.3g", res[i].max_abs_err);
            snprintf(r, sizeof r, "%.3g", res[i].max_rel_err);
            char result[96];
            snprintf(result, sizeof result, "%s%s", res[i].ok ? "ok" : "FAILED", "");
            if (res[i].checked < res[i].numel)
                snprintf(result, sizeof result, "%s (%lld of %lld elements)", res[i].ok ? "ok" : "FAILED",
                         (long long)res[i].checked, (long long)res[i].numel);
            const char *row[] = {gvl_node_display_name(g, res[i].wrt, name, sizeof name), a, r, result};
            gvl_table_add(&t, row);
        }
        if (n) gvl_table_print(&t, FMT_TEXT, out);
        gvl_table_free(&t);
        if (!n) fprintf(out, "%s depends on no param or input: nothing to check.\n", rname);
        else fprintf(out, "\n%s\n", ok ? "All gradients agree." : "Some gradients disagree with finite differences.");
    }
    free(res);
    return ok ? 0 : 1;
}
