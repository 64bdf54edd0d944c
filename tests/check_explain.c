/*
 * check_explain.c - the chain rule that explain prints.
 *
 * For every graph in graphs/ and tests/reference/graphs/ that can be
 * evaluated (with --random 1 for the shapes-only ones), and for every node
 * V the loss depends on: the products of the factors along the paths,
 * summed, equal the gradient of the backward pass.  The lab's exercises
 * give the paths, sizes, structures and numbers worked out by hand, and
 * exercise 1's total agrees with PyTorch's gradient in
 * tests/reference/ex1.json.  Path counts are exact beyond 2^64.
 */
#include "autodiff.h"
#include "explain.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>

/* A graph file with values through the production pipeline. */
typedef struct Lab {
    GraphRun *gr;
    Values v;
    bool ok;
} Lab;

static Lab *lab_open_text(const char *text, bool random)
{
    Lab *l = calloc(1, sizeof *l);
    l->gr = build(text);
    EvalOptions eo = {random, 1, (int64_t)1 << 20, (int64_t)1 << 24, false, 0};
    l->ok = l->gr->ok && l->gr->g.loss && gvl_values_init(&l->v, &l->gr->g, &eo);
    if (l->ok) {
        gvl_values_forward(&l->v);
        l->ok = gvl_values_backward(&l->v, l->gr->g.loss);
    }
    return l;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    StrBuf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) gvl_sb_addn(&b, chunk, n);
    fclose(f);
    char *s = strdup(gvl_sb_str(&b));
    gvl_sb_free(&b);
    return s;
}

static void lab_close(Lab *l)
{
    if (l->v.val) gvl_values_free(&l->v);
    build_free(l->gr);
    free(l);
}

static void explain(Explanation *e, Lab *l, const char *wrt, int max_paths)
{
    const Node *w = gvl_graph_find(&l->gr->g, wrt);
    ck_assert_msg(w != NULL, "no node %s", wrt);
    StrBuf err = {0};
    ck_assert(gvl_explain_build(e, &l->gr->g, l->ok ? &l->v : NULL, l->gr->g.loss, w, max_paths, EXPLAIN_MAX_ENTRIES, &err));
    gvl_sb_free(&err);
}

static const char *text_of(Lab *l, const Node *n)
{
    return gvl_name_text(&l->gr->text, &l->gr->g, n);
}

/* ---- the sum over the paths is backpropagation ------------------------------------ */

static int check_file(const char *path)
{
    char *text = slurp(path);
    Lab *l = lab_open_text(text, true);
    free(text);
    int checked = 0;
    if (!l->ok) {
        lab_close(l);
        return 0;   /* symbolic sizes, no loss, too large: nothing to explain with numbers */
    }
    const Graph *g = &l->gr->g;
    for (size_t i = 0; i < g->count; i++) {
        const Node *w = g->nodes[i];
        if (w == g->loss || !l->v.grad[i]) continue;
        Explanation e;
        StrBuf err = {0};
        ck_assert(gvl_explain_build(&e, g, &l->v, g->loss, w, 1000, EXPLAIN_MAX_ENTRIES, &err));
        gvl_sb_free(&err);
        ck_assert_msg(!e.saturated && e.total_paths <= 1000, "%s: too many paths to list", path);
        ck_assert_int_eq((int)e.total_paths, e.npaths);
        ck_assert_int_ge(e.npaths, 1);
        int64_t n = l->v.val[i]->numel;
        for (int64_t k = 0; k < n; k++) {
            double sum = 0, scale = 0;
            for (int p = 0; p < e.npaths; p++) {
                sum += e.paths[p].product[k];
                scale += fabs(e.paths[p].product[k]);
            }
            const double want = e.total[k];
            ck_assert_msg(sum == want || fabs(sum - want) <= 1e-12 + 1e-9 * scale || (isnan(sum) && isnan(want)),
                          "%s: d%s/d%s[%lld]: the %d paths sum to %.17g, backpropagation gives %.17g", path,
                          text_of(l, g->loss), text_of(l, w), (long long)k, e.npaths, sum, want);
            /* every path ends at the loss and starts at V */
            for (int p = 0; p < e.npaths; p++) {
                ck_assert_ptr_eq(e.paths[p].nodes[0], w);
                ck_assert_ptr_eq(e.paths[p].nodes[e.paths[p].nnodes - 1], g->loss);
            }
        }
        gvl_explain_free(&e);
        checked++;
    }
    lab_close(l);
    return checked;
}

START_TEST(test_paths_sum_to_the_gradient)
{
    const char *src = getenv("SRCDIR");
    ck_assert_msg(src != NULL, "set SRCDIR to the source tree");
    static const char *const dirs[] = {"graphs", "tests/reference/graphs"};
    int files = 0, nodes = 0;
    for (size_t d = 0; d < 2; d++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", src, dirs[d]);
        DIR *dp = opendir(dir);
        ck_assert_msg(dp != NULL, "cannot open %s", dir);
        struct dirent *ent;
        while ((ent = readdir(dp))) {
            size_t len = strlen(ent->d_name);
            if (len < 7 || strcmp(ent->d_name + len - 6, ".graph")) continue;
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
            int n = check_file(path);
            files += n > 0;
            nodes += n;
        }
        closedir(dp);
    }
    fprintf(stderr, "check_explain: the paths sum to the gradient for %d nodes of %d graph files\n", nodes, files);
    /* 9 of graphs/ and most of the references evaluate: at least 50 files */
    ck_assert_int_ge(files, 50);
    ck_assert_int_ge(nodes, 500);
}
END_TEST

/* ---- the lab ---------------------------------------------------------------------- */

static const char *const EX1 = "input x[2,1] = [2, 1]\nparam w[2,1] = [pi/2, pi]\nconst b = 0\nlabel y_t = 2\n"
                               "y = sin(w^T @ x) - b\nL = mse(y, y_t)\n";

START_TEST(test_lab_exercise_1)
{
    Lab *l = lab_open_text(EX1, false);
    ck_assert(l->ok);
    Explanation e;
    explain(&e, l, "w", 16);
    ck_assert_int_eq(e.npaths, 1);
    const ExplainPath *p = &e.paths[0];
    /* w -> w^T -> w^T @ x -> sin(w^T @ x) -> y -> L */
    static const char *const names[] = {"w", "w^T", "w^T @ x", "sin(w^T @ x)", "y", "L"};
    ck_assert_int_eq(p->nnodes, 6);
    for (int k = 0; k < 6; k++) ck_assert_str_eq(text_of(l, p->nodes[k]), names[k]);
    /* the factors, the loss's first: dL/dy = 2(y - 2) = -4 (dense, the mse),
     * dy/dsin = 1 (the identity of the subtraction), dsin/du = cos(2 pi) = 1
     * (diag), du/dw^T = x^T = [2, 1] (kron: x^T (x) I with a 1x1 I), and
     * dw^T/dw = I (a column transposed keeps every element in place) */
    static const JacKind kinds[] = {JAC_DENSE, JAC_IDENTITY, JAC_DIAG, JAC_KRON, JAC_IDENTITY};
    static const double first[] = {-4, 1, 1, 2, 1};
    for (int k = 0; k < 5; k++) {
        ck_assert_int_eq(p->factors[k].structure, kinds[k]);
        ck_assert(p->factors[k].has_value);
        ck_assert_msg(fabs(p->factors[k].value.data[0] - first[k]) < 1e-12, "factor %d is %.17g", k,
                      p->factors[k].value.data[0]);
    }
    ck_assert_str_eq(p->factors[3].note, "x^T \xe2\x8a\x97 I");
    ck_assert_double_eq_tol(p->factors[3].value.data[1], 1, 1e-15);
    ck_assert_int_eq(p->factors[4].value.rows, 2);
    ck_assert_double_eq(p->factors[4].value.data[1], 0);
    ck_assert_double_eq(p->factors[4].value.data[3], 1);
    /* the product: -4 * 1 * 1 * [2, 1] * I = [-8, -4] */
    ck_assert_double_eq_tol(p->product[0], -8, 1e-12);
    ck_assert_double_eq_tol(p->product[1], -4, 1e-12);
    ck_assert_double_eq_tol(e.total[0], -8, 1e-12);
    ck_assert_double_eq_tol(e.total[1], -4, 1e-12);
    /* and PyTorch's dL/dw in tests/reference/ex1.json, to 1e-12 */
    const char *src = getenv("SRCDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/reference/ex1.json", src ? src : ".");
    char *json = slurp(path);
    cJSON *ref = cJSON_Parse(json);
    free(json);
    const cJSON *grad = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ref, "nodes"), "w"), "grad");
    ck_assert_ptr_nonnull(grad);
    for (int k = 0; k < 2; k++)   /* w is 2x1: [[dw0], [dw1]] */
        ck_assert_double_eq_tol(e.total[k], cJSON_GetArrayItem(cJSON_GetArrayItem(grad, k), 0)->valuedouble, 1e-12);
    cJSON_Delete(ref);
    gvl_explain_free(&e);
    lab_close(l);
}
END_TEST

START_TEST(test_lab_exercise_4)
{
    /* shapes only: sizes and structures, (1x4)(4x4)(4x24) = 1x24 */
    Lab *l = lab_open_text("input y[17,1]\nparam W[4,6] as w\nlabel u[4,1]\np = maxpool2d(y, 3x1)\nx = hom(p)\n"
                           "z = W @ x\nq = sigmoid(z)\nL = sse(q, u)\nloss L\n", false);
    ck_assert(!l->ok);   /* no values */
    Explanation e;
    explain(&e, l, "w", 16);   /* the alias names W */
    ck_assert_ptr_null(e.total);
    ck_assert_int_eq(e.npaths, 1);
    const ExplainPath *p = &e.paths[0];
    ck_assert_int_eq(p->nnodes, 4);
    ck_assert_str_eq(text_of(l, p->nodes[0]), "W");
    static const JacKind kinds[] = {JAC_DENSE, JAC_DIAG, JAC_KRON};
    static const int64_t rows[] = {1, 4, 4}, cols[] = {4, 4, 24};
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(p->factors[k].structure, kinds[k]);
        ck_assert(!p->factors[k].has_value);
        Numel r = gvl_shape_numel(&l->gr->g, &p->factors[k].of->shape);
        Numel c = gvl_shape_numel(&l->gr->g, &p->factors[k].wrt->shape);
        ck_assert_int_eq(r.coef, rows[k]);
        ck_assert_int_eq(c.coef, cols[k]);
    }
    ck_assert_str_eq(p->factors[1].note, "diag(sigmoid(z) (1 - sigmoid(z)))");
    gvl_explain_free(&e);
    /* dL/dy goes through the pooling: selection */
    explain(&e, l, "y", 16);
    ck_assert_int_eq(e.paths[0].factors[e.paths[0].nnodes - 2].structure, JAC_SELECTION);
    gvl_explain_free(&e);
    lab_close(l);
}
END_TEST

START_TEST(test_lab_exercise_3)
{
    Lab *l = lab_open_text("input x[1,3] = [2, 1, 2]\nparam w[1,2] = [1, 0]\nc = conv(x, w, stride=1, padding=0)\n"
                           "f = max(c, 1x2)\n", false);
    ck_assert(l->ok);
    Explanation e;
    explain(&e, l, "w", 16);
    const ExplainPath *p = &e.paths[0];
    ck_assert_int_eq(p->nnodes, 3);
    /* df/dc: a selection of the first maximum of c = [2, 1]: [1, 0] */
    ck_assert_int_eq(p->factors[0].structure, JAC_SELECTION);
    ck_assert_str_eq(p->factors[0].note, "the first maximum of each window");
    ck_assert_double_eq(p->factors[0].value.data[0], 1);
    ck_assert_double_eq(p->factors[0].value.data[1], 0);
    /* dc/dw: c_j = x_j w_0 + x_(j+1) w_1, so row j is [x_j, x_(j+1)]: [[2, 1], [1, 2]] */
    static const double dc[] = {2, 1, 1, 2};
    for (int k = 0; k < 4; k++) ck_assert_double_eq(p->factors[1].value.data[k], dc[k]);
    /* df/dw = [1, 0] [[2, 1], [1, 2]] = [2, 1] */
    ck_assert_double_eq(p->product[0], 2);
    ck_assert_double_eq(p->product[1], 1);
    gvl_explain_free(&e);
    lab_close(l);
}
END_TEST

/* ---- structures ------------------------------------------------------------------- */

START_TEST(test_structures_follow_the_shapes)
{
    Lab *l = lab_open_text("param a[2,3] = 1\nparam b[3] = 2\nparam c[4,1] = 3\nparam M[2,2] = [1, 2, 3, 4]\n"
                           "s = a + b\nd = a * a\nt = c^T\nm = M^T\nr = reshape(a, [6, 1])\nv = vec(M)\n"
                           "L = sum(s) + sum(d) + sum(t) + sum(m) + sum(r) + sum(v)\n", false);
    ck_assert(l->ok);
    const Graph *g = &l->gr->g;
    struct { const char *v, *u; JacKind want; } cases[] = {
        {"s", "a", JAC_IDENTITY},    /* same shape as the result */
        {"s", "b", JAC_SELECTION},   /* broadcast over the rows */
        {"d", "a", JAC_DIAG},        /* a * a: both operands */
        {"t", "c", JAC_IDENTITY},    /* a transposed column moves nothing in vec */
        {"m", "M", JAC_SELECTION},   /* a transposed matrix does */
        {"r", "a", JAC_SELECTION},   /* row-major reshape of a 2x3 reorders vec */
        {"v", "M", JAC_IDENTITY},    /* vec is the convention itself */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const Node *v = gvl_graph_find(g, cases[k].v), *u = gvl_graph_find(g, cases[k].u);
        StrBuf note = {0};
        ck_assert_msg(gvl_jac_structure(g, v, u, &note) == cases[k].want, "d%s/d%s is a %s", cases[k].v, cases[k].u,
                      gvl_jac_names[gvl_jac_structure(g, v, u, NULL)]);
        gvl_sb_free(&note);
    }
    lab_close(l);
}
END_TEST

START_TEST(test_path_count_is_exact_beyond_64_bits)
{
    /* each level doubles the paths: x1 = sin(x0) + cos(x0), ... 70 levels: 2^70 */
    StrBuf text = {0};
    gvl_sb_add(&text, "param x0 = 0.5\n");
    for (int i = 1; i <= 70; i++) gvl_sb_printf(&text, "x%d = sin(x%d) + cos(x%d)\n", i, i - 1, i - 1);
    gvl_sb_add(&text, "loss x70\n");
    Lab *l = lab_open_text(gvl_sb_str(&text), false);
    gvl_sb_free(&text);
    ck_assert(l->ok);
    Explanation e;
    explain(&e, l, "x0", 16);
    ck_assert(!e.saturated);
    ck_assert(e.total_paths == (unsigned __int128)1 << 70);
    ck_assert_int_eq(e.npaths, 16);
    /* the first path goes through sin at every level */
    ck_assert_str_eq(text_of(l, e.paths[0].nodes[1]), "sin(x0)");
    ck_assert_double_eq(e.total[0], l->v.grad[gvl_graph_find(&l->gr->g, "x0")->id]->data[0]);
    Capture c;
    capture_open(&c);
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_JSON;
    gvl_explain_report(&e, &o, c.f);
    capture_close(&c);
    cJSON *j = cJSON_Parse(c.buf);
    ck_assert_ptr_nonnull(j);
    /* 2^70 - 16 does not fit a double exactly: a string of digits */
    ck_assert_str_eq(cJSON_GetObjectItem(j, "paths_omitted")->valuestring, "1180591620717411303408");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "paths")), 16);
    cJSON_Delete(j);
    capture_free(&c);
    gvl_explain_free(&e);
    lab_close(l);
}
END_TEST

START_TEST(test_json_keys)
{
    Lab *l = lab_open_text(EX1, false);
    Explanation e;
    explain(&e, l, "w", 16);
    Capture c;
    capture_open(&c);
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_JSON;
    gvl_explain_report(&e, &o, c.f);
    capture_close(&c);
    cJSON *j = cJSON_Parse(c.buf);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetObjectItem(j, "of")->valuestring, "L");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "wrt")->valuestring, "w");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "layout")->valuestring, "numerator");
    ck_assert_str_eq(cJSON_GetObjectItem(j, "vec")->valuestring, "column-major");
    ck_assert_int_eq(cJSON_GetObjectItem(j, "paths_omitted")->valueint, 0);
    const cJSON *path = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "paths"), 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(path, "nodes")), 6);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(path, "factors"), 3);
    ck_assert_str_eq(cJSON_GetObjectItem(f, "structure")->valuestring, "kron");
    ck_assert_int_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(f, "jacobian"), 0)->valueint, 1);
    ck_assert_int_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(f, "jacobian"), 1)->valueint, 2);
    const cJSON *row = cJSON_GetArrayItem(cJSON_GetObjectItem(f, "value"), 0);
    ck_assert_double_eq(cJSON_GetArrayItem(row, 0)->valuedouble, 2);
    const cJSON *total = cJSON_GetObjectItem(j, "total");
    ck_assert_int_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(total, "dims"), 1)->valueint, 2);
    const cJSON *grad = cJSON_GetObjectItem(total, "grad");   /* shaped like w: [[-8], [-4]] */
    ck_assert_double_eq_tol(cJSON_GetArrayItem(cJSON_GetArrayItem(grad, 1), 0)->valuedouble, -4, 1e-12);
    cJSON_Delete(j);
    capture_free(&c);
    gvl_explain_free(&e);
    lab_close(l);
}
END_TEST

static Suite *explain_suite(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("chain rule");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_paths_sum_to_the_gradient);
    tcase_add_test(tc, test_lab_exercise_1);
    tcase_add_test(tc, test_lab_exercise_4);
    tcase_add_test(tc, test_lab_exercise_3);
    tcase_add_test(tc, test_structures_follow_the_shapes);
    tcase_add_test(tc, test_path_count_is_exact_beyond_64_bits);
    tcase_add_test(tc, test_json_keys);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(explain_suite());
}
