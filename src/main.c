/*
 * main.c - runs the pipeline for one command and maps the outcome to an
 * exit status: 0 success, 1 the graph has errors, 2 usage or I/O errors.
 * No logic of its own lives here.
 */
#include "autodiff.h"
#include "cli.h"
#include "explain.h"
#include "export_torch.h"
#include "frontend.h"
#include "kernels.h"
#include "grade.h"
#include "output.h"
#include "quiz.h"
#include "render.h"
#include "render_calls.h"
#include "report.h"
#include "report_ops.h"
#include "report_values.h"
#include "terminal.h"
#include "train.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A name written more than once has versions c, c', c'', ...: says which
 * one FLAG NAME took (N), and how to name the others. */
static void note_version(const Graph *g, const char *flag, const char *name, const Node *n)
{
    size_t len = strlen(name);
    while (len > 0 && name[len - 1] == '\'') len--;
    const Node *newest = gvl_graph_lookup(g, name, len);
    if (!newest || !n->named || newest->version == 0) return;
    StrBuf all = {0};
    for (uint32_t v = 0; v <= newest->version; v++) {
        gvl_sb_printf(&all, "%s%.*s", v ? ", " : "", (int)len, name);
        for (uint32_t k = 0; k < v; k++) gvl_sb_putc(&all, '\'');
    }
    gvl_say("note", "%s %s is version %u of %u of '%.*s' (%s, in the order they are assigned); "
                    "name another with its primes", flag, name, n->version + 1, newest->version + 1,
            (int)len, name, gvl_sb_str(&all));
    gvl_sb_free(&all);
}

/* Resolves --of NODE: NODE is a name as the tables print it, so "c'" is
 * the second version of c.  It must hold one element.  NULL after a usage
 * error. */
static const Node *find_of(const Graph *g, const char *name, int *status)
{
    const Node *n = gvl_graph_find(g, name);
    if (!n) {
        gvl_say("error", "--of %s: no node is called %s", name, name);
        *status = 2;
        return NULL;
    }
    if (!gvl_shape_is_one(g, &n->shape)) {
        StrBuf b = {0};
        gvl_fmt_shape(&b, g, &n->shape, true);
        gvl_say("error", "--of %s: %s is %s, but --of needs a node with one element",
                name, name, gvl_sb_str(&b));
        gvl_sb_free(&b);
        *status = 2;
        return NULL;
    }
    note_version(g, "--of", name, n);
    return n;
}

/* A problem with the whole file rather than one place in it: printed
 * with the other diagnostics, and in the JSON ones. */
static int file_error(const Graph *g, const char *msg)
{
    gvl_diag_file_error(g->diag, "%s", msg);
    gvl_diag_flush(g->diag, stderr);
    return 1;
}

static EvalOptions eval_options(const Options *o)
{
    EvalOptions eo = {o->has_random, o->random_seed, o->max_elements, o->max_total, o->has_variant, o->variant};
    return eo;
}

/* eval, train and gradcheck: allocate values, then run the command. */
static int run_numbers(const Graph *g, const Options *o, const Node *root)
{
    if (o->cmd == CMD_TRAIN) {
        if (!g->loss) return file_error(g, "train needs a loss: add 'loss NAME' or 'optimize NAME lr=...' "
                                           "for a node with one element");
        bool any = false;
        for (size_t i = 0; i < g->count; i++) any |= g->nodes[i]->kind == NK_PARAM;
        if (!any) return file_error(g, "train changes params, and this file declares none (declare the "
                                       "weights with 'param')");
    }
    if (o->cmd == CMD_GRADCHECK && !root)
        return file_error(g, "gradcheck needs a loss: add 'loss NAME', or use --of NODE");
    EvalOptions eo = eval_options(o);
    Values v;
    int status = 0;
    if (!gvl_values_init(&v, g, &eo)) {
        status = 1;
    } else if (o->cmd == CMD_EVAL) {
        gvl_values_forward(&v);
        if (root && !gvl_values_backward(&v, root)) status = 1;
        else status = gvl_report_eval(&v, o, gvl_stdout());
    } else if (o->cmd == CMD_TRAIN) {
        double lr = o->has_lr ? o->lr : g->lr;
        int64_t steps = o->has_steps ? o->steps : g->steps;
        status = gvl_report_train(&v, g->loss, lr, steps, o, gvl_stdout());
    } else {
        status = gvl_report_gradcheck(&v, root, o, gvl_stdout());
    }
    gvl_diag_flush(g->diag, stderr);
    gvl_values_free(&v);
    return status;
}

/* True when every size is known and every leaf has values (or --random
 * will give them): then the diagram can show numbers. */
static bool can_evaluate(const Graph *g, const Options *o)
{
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->kind != NK_OP && !n->init && !o->has_random) return false;
        for (int k = 0; k < n->shape.ndim; k++)
            if (!gvl_dim_value(&g->dims, n->shape.d[k], NULL)) return false;
    }
    return true;
}

/* render: values when the file has them, the optimize steps' result for
 * the params, then the diagram. */
static int run_render(const Graph *g, const Options *o, const Node *root)
{
    RenderOptions ro = {0};
    ro.format = o->render_format ? o->render_format : gvl_render_format_of(o->out);
    if (!ro.format) {
        gvl_say("error", "cannot tell the format of '%s': name it .svg, .png, .pdf, .dot, "
                        ".json or .html, or give -T FORMAT", o->out);
        return 2;
    }
    bool needs_layout = strcmp(ro.format, "dot") != 0 && strcmp(ro.format, "json") != 0;
    if (needs_layout && (int64_t)g->count > o->max_render_nodes) {
        fprintf(stderr, "%s: error: %zu nodes are too many to draw sensibly (the limit is %lld; raise it with "
                        "--max-render-nodes N, or use dims and eval for the numbers)\n",
                g->src->name, g->count, (long long)o->max_render_nodes);
        return 1;
    }
    ro.engine = o->engine;
    /* a page has its panel on the right: a graph drawn downwards fills it */
    ro.rankdir = o->rankdir ? o->rankdir : strcmp(ro.format, "html") == 0 ? "TB" : NULL;   /* NULL: render_plan.c chooses */
    ro.values = !o->no_values;
    ro.grads = !o->no_grads;
    ro.jacobians = !o->no_jacobians;
    ro.backward = o->backward;
    ro.ascii = o->ascii;
    ro.input = o->file;
    ro.root = root;
    ro.collapse_all = o->collapse_all;
    ro.collapse = o->collapse;
    ro.ncollapse = o->ncollapse;
    for (int k = 0; k < o->ncollapse; k++) {
        bool named = false;
        for (size_t c = 0; c < g->ncalls && !named; c++) named = gvl_render_call_named(g, g->calls[c], o->collapse[k]);
        if (!named) {
            gvl_say("error", "--collapse %s: no call and no called function is named %s", o->collapse[k],
                    o->collapse[k]);
            return 2;
        }
    }
    /* boxes show 4 digits unless --precision says otherwise; tooltips have every digit */
    ro.precision = o->precision ? o->precision : 4;
    EvalOptions eo = eval_options(o);
    Values v = {0}, after = {0};
    bool have_values = false, have_after = false;
    int status = 0;
    bool wants_values = ro.values || ro.grads || ro.backward || !strcmp(ro.format, "json");
    if (wants_values && can_evaluate(g, o)) {
        if (!gvl_values_init(&v, g, &eo)) {
            status = 1;
        } else {
            have_values = true;
            gvl_values_forward(&v);
            if (root && !gvl_values_backward(&v, root)) status = 1;
            /* a file that says optimize, or --steps/--lr as train takes them,
             * shows each param before and after the steps */
            bool steps = g->has_optimize || o->has_steps || o->has_lr;
            if (!status && steps && g->loss && strcmp(ro.format, "json") != 0) {
                if (!gvl_values_init(&after, g, &eo)) {
                    status = 1;
                } else {
                    have_after = true;
                    ro.steps = o->has_steps ? o->steps : g->steps;
                    ro.lr = o->has_lr ? o->lr : g->lr;
                    status = gvl_train_run(&after, g->loss, ro.lr, ro.steps, NULL, NULL) ? 0 : 1;
                }
            }
        }
    } else if (wants_values) {
        gvl_say("note", "%s gives shapes only, so the diagram shows no values "
                        "(--random SEED fills them)", g->src->name);
    }
    if (!status) status = gvl_render_run(g, have_values ? &v : NULL, have_after ? &after : NULL, &ro, o->out);
    gvl_diag_flush(g->diag, stderr);
    if (after.val) gvl_values_free(&after);
    if (v.val) gvl_values_free(&v);
    return status;
}

/* explain: the paths from --wrt V to the root, with values when the file
 * has them (or --random gives them). */
static int run_explain(const Graph *g, const Options *o, const Node *root)
{
    const char *d = o->ascii ? "d" : "\xe2\x88\x82";
    if (!root) return file_error(g, "explain needs a loss to differentiate: add 'loss NAME', or use --of NODE");
    const Node *wrt = gvl_graph_find(g, o->wrt);
    if (!wrt) {
        gvl_say("error", "--wrt %s: no node is called %s", o->wrt, o->wrt);
        return 2;
    }
    note_version(g, "--wrt", o->wrt, wrt);
    bool *depends = gvl_graph_ancestors(g, root), *grads = gvl_graph_gradient_nodes(g, root);
    bool on_path = grads[wrt->id] && wrt != root, no_gradient = depends[wrt->id] && !on_path && wrt != root;
    free(depends);
    free(grads);
    if (!on_path) {
        StrBuf a = {0}, b = {0};
        gvl_fmt_display_name(&a, g, root);
        gvl_fmt_display_name(&b, g, wrt);
        if (no_gradient)
            gvl_say("error", "--wrt %s: %s takes no gradient (a number, or only the classes of a cross_entropy), "
                            "so %s%s/%s%s has no chain rule", o->wrt, gvl_sb_str(&b), d, gvl_sb_str(&a), d,
                    gvl_sb_str(&b));
        else
            gvl_say("error", "--wrt %s: %s does not depend on %s, so %s%s/%s%s is 0 and has no "
                            "chain rule", o->wrt, gvl_sb_str(&a), gvl_sb_str(&b), d, gvl_sb_str(&a), d, gvl_sb_str(&b));
        if (wrt == root) gvl_say("note", "%s is the node being differentiated itself", o->wrt);
        gvl_sb_free(&a);
        gvl_sb_free(&b);
        return 2;
    }
    EvalOptions eo = eval_options(o);
    Values v = {0};
    bool have_values = false;
    int status = 0;
    if (can_evaluate(g, o)) {
        if (!gvl_values_init(&v, g, &eo)) {
            status = 1;
        } else {
            gvl_values_forward(&v);
            if (!gvl_values_backward(&v, root)) status = 1;
            have_values = !status;
        }
    }
    if (!status) {
        Explanation e;
        StrBuf err = {0};
        if (!gvl_explain_build(&e, g, have_values ? &v : NULL, root, wrt, o->max_paths, EXPLAIN_MAX_ENTRIES, &err)) {
            gvl_say("error", "%s", gvl_sb_str(&err));
            status = 2;
        } else {
            status = gvl_explain_report(&e, o, gvl_stdout());
        }
        gvl_explain_free(&e);
        gvl_sb_free(&err);
    }
    gvl_diag_flush(g->diag, stderr);
    if (v.val) gvl_values_free(&v);
    return status;
}

/* export --torch: the script, from the leaves' values (the file's, or
 * --random ones), to -o OUT or standard output. */
static int run_export(const Graph *g, const Options *o, const Node *root)
{
    EvalOptions eo = eval_options(o);
    Values v;
    int status = 0;
    if (!gvl_values_init(&v, g, &eo)) {
        status = 1;
    } else {
        ExportOptions xo = {root, g->has_optimize || o->has_lr || o->has_steps, o->has_lr ? o->lr : g->lr,
                            o->has_steps ? o->steps : g->steps};
        if (xo.train && !g->loss) {
            status = file_error(g, "export cannot train without a loss: add 'loss NAME' or 'optimize NAME lr=...'");
        } else {
            StrBuf script = {0}, err = {0};
            gvl_export_torch(&script, g, &v, &xo);
            if (gvl_output_write(o->out ? o->out : "-", o->file, script.s, script.len, &err) != 0) {
                gvl_say("error", "%s", gvl_sb_str(&err));
                status = 2;
            }
            gvl_sb_free(&script);
            gvl_sb_free(&err);
        }
    }
    gvl_diag_flush(g->diag, stderr);
    gvl_values_free(&v);
    return status;
}

/* quiz and grade: the key's values (the file's, or the variant's), its
 * params after the optimize steps, and its questions. */
typedef struct KeyValues {
    Values v, after;
    bool have_values, have_after;
} KeyValues;

static int key_values(const Graph *g, const Options *o, const Node *root, KeyValues *kv)
{
    memset(kv, 0, sizeof *kv);
    if (!can_evaluate(g, o)) return 0;
    EvalOptions eo = eval_options(o);
    if (!gvl_values_init(&kv->v, g, &eo)) return 1;
    kv->have_values = true;
    gvl_values_forward(&kv->v);
    if (root && !gvl_values_backward(&kv->v, root)) return 1;
    if (g->has_optimize && g->loss) {
        if (!gvl_values_init(&kv->after, g, &eo)) return 1;
        kv->have_after = true;
        double lr = o->has_lr ? o->lr : g->lr;
        int64_t steps = o->has_steps ? o->steps : g->steps;
        if (!gvl_train_run(&kv->after, g->loss, lr, steps, NULL, NULL)) return 1;
    }
    return 0;
}

static void key_values_free(KeyValues *kv)
{
    if (kv->v.val) gvl_values_free(&kv->v);
    if (kv->after.val) gvl_values_free(&kv->after);
}

static unsigned question_kinds(const Options *o)
{
    return o->question_kinds ? o->question_kinds : (1u << QK_COUNT) - 1;
}

/* quiz: the worksheet to -o OUT (or standard output), the key to --key. */
static int run_quiz(const Graph *g, const Options *o, const Node *root)
{
    KeyValues kv;
    int status = key_values(g, o, root, &kv);
    Quiz qz;
    StrBuf err = {0};
    if (!status && !gvl_quiz_build(&qz, g, kv.have_values ? &kv.v : NULL, kv.have_after ? &kv.after : NULL, root,
                                   question_kinds(o), o->only, false, &err)) {
        gvl_say("error", "%s", gvl_sb_str(&err));
        status = 2;
        gvl_quiz_free(&qz);
    } else if (!status) {
        qz.has_variant = o->has_variant;
        qz.variant = o->variant;
        StrBuf sheet = {0}, key = {0};
        if (!strcmp(o->format_name, "json")) gvl_quiz_json(&qz, &sheet);
        else gvl_quiz_worksheet(&qz, o->format_name, &sheet);
        if (o->key_out) gvl_quiz_key(&qz, &key);
        /* the key first: a worksheet is never handed out without its key */
        if (o->key_out && gvl_output_write(o->key_out, o->file, key.s, key.len, &err) != 0) status = 2;
        else if (gvl_output_write(o->out ? o->out : "-", o->file, sheet.s, sheet.len, &err) != 0) status = 2;
        if (status) gvl_say("error", "%s", gvl_sb_str(&err));
        gvl_sb_free(&sheet);
        gvl_sb_free(&key);
        gvl_quiz_free(&qz);
    }
    gvl_sb_free(&err);
    gvl_diag_flush(g->diag, stderr);
    key_values_free(&kv);
    return status;
}

/* grade KEY.graph ANSWERS...: the key's questions, then each file. */
static int run_grade(const Graph *g, const Options *o, const Node *root)
{
    KeyValues kv;
    int status = key_values(g, o, root, &kv);
    if (status) {
        gvl_diag_flush(g->diag, stderr);
        key_values_free(&kv);
        return status == 1 ? 1 : status;
    }
    const Values *v = kv.have_values ? &kv.v : NULL, *after = kv.have_after ? &kv.after : NULL;
    Quiz questions, by_node;
    StrBuf err = {0};
    bool ok = gvl_quiz_build(&questions, g, v, after, root, question_kinds(o), o->only, false, &err);
    gvl_quiz_build(&by_node, g, v, NULL, root, 1u << QK_SHAPE | 1u << QK_VALUE | 1u << QK_GRAD, NULL, true, &err);
    if (!ok) {
        gvl_say("error", "%s", gvl_sb_str(&err));
        status = 2;
    } else {
        GradeOptions go = {o->has_tol ? o->tol : 1e-3, o->show_answers, o->format_name, o->max_line,
                           eval_options(o), NULL, 0, o->has_variant, o->variant, o->out, o->file};
        status = gvl_grade_run(&questions, &by_node, o->answers, o->nanswers, &go, gvl_stdout());
    }
    gvl_quiz_free(&questions);
    gvl_quiz_free(&by_node);
    gvl_sb_free(&err);
    gvl_diag_flush(g->diag, stderr);
    key_values_free(&kv);
    return status;
}

/* Everything after a successful check, for the commands that need more. */
static int run_command(const Graph *g, const Options *o)
{
    if (o->cmd == CMD_CHECK) return gvl_report_check(g, o, gvl_stdout());
    int status = 0;
    const Node *root = g->loss;
    if (o->of) root = find_of(g, o->of, &status);
    if (status) return status;
    if (o->cmd == CMD_DIMS) return gvl_report_dims(g, o, root, gvl_stdout());
    if (o->cmd == CMD_RENDER) return run_render(g, o, root);
    if (o->cmd == CMD_EXPLAIN) return run_explain(g, o, root);
    if (o->cmd == CMD_EXPORT) return run_export(g, o, root);
    if (o->cmd == CMD_QUIZ) return run_quiz(g, o, root);
    if (o->cmd == CMD_GRADE) return run_grade(g, o, root);
    return run_numbers(g, o, root);
}

/* A --set that names no symbol of the file is a typo on the command line. */
static int check_sets(const Graph *g)
{
    for (int i = 0; i < g->nsets; i++)
        if (!g->sets[i].used) {
            gvl_say("error", "--set %s=%lld: %s has no size symbol '%s'", g->sets[i].name,
                    (long long)g->sets[i].value, g->src->name, g->sets[i].name);
            return 2;
        }
    return 0;
}

static int run(const Options *op);

int main(int argc, char **argv)
{
    Options o;
    gvl_cli_style(argc, argv);   /* --color and --diagnostics-format, for every message */
    int status = gvl_cli_parse(argc, argv, &o);
    if (!status) status = run(&o);
    gvl_cli_free(&o);
    return status;
}

/* The command, once the command line is read. */
static int run(const Options *op)
{
    const Options o = *op;   /* a copy: the body reads o.field */
    int status = 0;
    if (o.version || o.help || o.cmd == CMD_OPS) {
        /* the commands that read no file: their output must still get through */
        if (o.version) fprintf(gvl_stdout(), "graphviz-lab " PACKAGE_VERSION "\ndense kernels: %s\n", gvl_gemm_backend());
        else if (o.help) gvl_cli_help(o.cmd, gvl_stdout());
        else gvl_report_ops(&o, gvl_stdout());
        StrBuf err = {0};
        if (gvl_output_finish_stdout(&err) != 0) {
            gvl_say("error", "%s", gvl_sb_str(&err));
            status = 2;
        }
        gvl_sb_free(&err);
        return status;
    }
    Source src;
    if (gvl_source_read(&src, o.file, o.max_line) != 0) {
        StrBuf msg = {0};
        gvl_source_read_error(&msg, o.file, errno);
        gvl_say("error", "%s", gvl_sb_str(&msg));
        gvl_sb_free(&msg);
        return 2;
    }
    DiagSink diag;
    gvl_diag_init(&diag, &src);
    diag.no_warnings = o.no_warnings;
    Graph g;
    gvl_graph_open(&g, &src, &diag);
    g.max_nodes = o.max_nodes;
    g.max_line = o.max_line;
    g.training = o.cmd == CMD_TRAIN || o.has_lr || o.has_steps;
    g.sets = o.sets;
    g.nsets = o.nsets;
    g.has_variant = o.has_variant;
    g.variant_left = o.variant;
    bool ok = gvl_frontend_build(&g);
    gvl_diag_sort(&diag);
    gvl_diag_flush(&diag, stderr);
    if (!ok) {
        if (o.format == FMT_JSON) gvl_report_json_errors(&g, &o, gvl_stdout());
        status = 1;
    } else if (!(status = check_sets(&g))) {
        status = run_command(&g, &o);
        /* a command that failed before writing its JSON still writes an
         * object with the diagnostics, so a script always has JSON */
        if (status == 1 && o.format == FMT_JSON && !gvl_stdout_written()) gvl_report_json_errors(&g, &o, gvl_stdout());
    }
    StrBuf err = {0};
    if (gvl_output_finish_stdout(&err) != 0 && status != 2) {
        gvl_say("error", "%s", gvl_sb_str(&err));
        status = 2;
    }
    gvl_sb_free(&err);
    gvl_diag_summary(&diag, stderr);
    gvl_graph_free(&g);
    gvl_diag_free(&diag);
    gvl_source_free(&src);
    return status;
}
