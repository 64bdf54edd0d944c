/*
 * check_tables.c - the table printer in every format, text widths, how
 * tensors are named in Jacobian tables, and the dims report of the lab's
 * exercise 4 in text and JSON (the keys fixed by cli.md).
 */
#include "testutil.h"

#include <cjson/cJSON.h>

/* ---- gvl_table_print ------------------------------------------------------------------ */

static void small_table(Table *t, const char *title)
{
    static const char *const head[] = {"a", "bb"};
    static const char *const r1[] = {"xxx", "y"};
    static const char *const r2[] = {"\xe2\x88\x82z", "1"};   /* ∂z: 2 columns wide */
    gvl_table_init(t, title, 2, head);
    gvl_table_add(t, r1);
    gvl_table_add(t, r2);
}

/* Prints T in format F into a string; the caller frees it. */
static char *printed(const Table *t, Format f)
{
    Capture c;
    capture_open(&c);
    gvl_table_print(t, f, c.f);
    capture_close(&c);
    return c.buf;
}

START_TEST(test_table_text)
{
    Table t;
    small_table(&t, "T");
    char *s = printed(&t, FMT_TEXT);
    ck_assert_str_eq(s, "T\n"
                        "  a    bb\n"
                        "  xxx  y\n"
                        "  \xe2\x88\x82z   1\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_table_text_without_title)
{
    Table t;
    static const char *const head[] = {"name", "shape", "n"};
    static const char *const r1[] = {"W", ("4\xc3\x97" "6"), "24"};
    static const char *const r2[] = {"x", NULL, "6"};   /* NULL prints as empty */
    gvl_table_init(&t, NULL, 3, head);
    gvl_table_add(&t, r1);
    gvl_table_add(&t, r2);
    char *s = printed(&t, FMT_TEXT);
    ck_assert_str_eq(s, "  name  shape  n\n"
                        "  W     4\xc3\x97" "6    24\n"
                        "  x            6\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_table_markdown)
{
    Table t;
    small_table(&t, "T");
    static const char *const r3[] = {"a|b", "c"};
    static const char *const r4[] = {"x_1 * y", "`<b>`\\"};
    gvl_table_add(&t, r3);
    gvl_table_add(&t, r4);
    char *s = printed(&t, FMT_MD);
    ck_assert_str_eq(s, "### T\n"
                        "\n"
                        "| a | bb |\n"
                        "|---|---|\n"
                        "| xxx | y |\n"
                        "| \xe2\x88\x82z | 1 |\n"
                        "| a\\|b | c |\n"
                        "| x\\_1 \\* y | \\`\\<b>\\`\\\\ |\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_table_csv)
{
    Table t;
    small_table(&t, "T");   /* CSV has no title */
    static const char *const r3[] = {"say \"hi\", x", "two\nlines"};
    gvl_table_add(&t, r3);
    char *s = printed(&t, FMT_CSV);
    ck_assert_str_eq(s, "a,bb\n"
                        "xxx,y\n"
                        "\xe2\x88\x82z,1\n"
                        "\"say \"\"hi\"\", x\",\"two\nlines\"\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_table_latex)
{
    Table t;
    small_table(&t, "T");
    char *s = printed(&t, FMT_LATEX);
    ck_assert_str_eq(s, "% T\n"
                        "\\begin{tabular}{ll}\n"
                        "\\toprule\n"
                        "a & bb \\\\\n"
                        "\\midrule\n"
                        "xxx & y \\\\\n"
                        "\xe2\x88\x82z & 1 \\\\\n"
                        "\\bottomrule\n"
                        "\\end{tabular}\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_table_grows)
{
    /* more rows than the first allocation holds */
    Table t;
    static const char *const head[] = {"i"};
    gvl_table_init(&t, NULL, 1, head);
    for (int i = 0; i < 100; i++) {
        char b[16];
        snprintf(b, sizeof b, "%d", i);
        const char *row[] = {b};
        gvl_table_add(&t, row);
    }
    ck_assert_int_eq(t.nrows, 101);
    ck_assert_str_eq(t.cells[100], "99");
    char *s = printed(&t, FMT_CSV);
    ck_assert_int_eq(strlen(s), 2 + 10 * 2 + 90 * 3);
    ck_assert_str_eq(s + strlen(s) - 6, "98\n99\n");
    free(s);
    gvl_table_free(&t);
}
END_TEST

START_TEST(test_text_width)
{
    ck_assert_int_eq(gvl_text_width(""), 0);
    ck_assert_int_eq(gvl_text_width("abc"), 3);
    ck_assert_int_eq(gvl_text_width("\xe2\x88\x82L/\xe2\x88\x82w"), 5);   /* ∂L/∂w */
    ck_assert_int_eq(gvl_text_width("4\xc3\x97" "6"), 3);                 /* 4×6 */
    ck_assert_int_eq(gvl_text_width("\xc3\xa9"), 1);                      /* é */
    ck_assert_int_eq(gvl_text_width("\xf0\x9f\x98\x80!"), 2);             /* a 4-byte code point */
    ck_assert_int_eq(gvl_text_width("n\xc2\xb7m"), 3);                    /* n·m */
}
END_TEST

/* ---- gvl_fmt_vec_name ------------------------------------------------------------------- */

static const char *vec_name(GraphRun *r, const Node *n)
{
    return gvl_vec_name_text(&r->text, &r->g, n);
}

START_TEST(test_node_vec_name)
{
    GraphRun *r = build("param W[4,6] as w\nparam M[4,6]\ninput x[6,1]\ninput v[6]\ninput T3[2,3,4]\n"
                        "input r[1,6]\ninput s\ninput q[3,k]\ninput a[2,2]\nc = a * 2\nc = c + a\n"
                        "z = W @ x\nu = x^T\np = sum(x @ x^T)\nparam A[2,2] as alpha\n");
    ck_assert_clean(r);
    ck_assert_str_eq(vec_name(r, node_named(r, "W")), "w");          /* the alias */
    ck_assert_str_eq(vec_name(r, node_named(r, "A")), "alpha");
    ck_assert_str_eq(vec_name(r, node_named(r, "M")), "vec(M)");     /* a matrix */
    ck_assert_str_eq(vec_name(r, node_named(r, "x")), "x");          /* a column */
    ck_assert_str_eq(vec_name(r, node_named(r, "z")), "z");
    ck_assert_str_eq(vec_name(r, node_named(r, "v")), "v");          /* 1-D */
    ck_assert_str_eq(vec_name(r, node_named(r, "s")), "s");          /* a scalar */
    ck_assert_str_eq(vec_name(r, node_named(r, "T3")), "vec(T3)");   /* rank 3 */
    ck_assert_str_eq(vec_name(r, node_named(r, "r")), "vec(r)");     /* a row is not a column */
    ck_assert_str_eq(vec_name(r, node_named(r, "u")), "vec(u)");
    ck_assert_str_eq(vec_name(r, node_named(r, "q")), "vec(q)");     /* not known to be a column */
    ck_assert_str_eq(vec_name(r, node_named(r, "c")), "vec(c')");    /* the newest version */
    /* an unnamed node is named by its text */
    const Node *outer = NULL;
    for (size_t i = 0; i < r->g.count; i++)
        if (!strcmp(gvl_name_text(&r->text, &r->g, r->g.nodes[i]), "x @ x^T")) outer = r->g.nodes[i];
    ck_assert_ptr_nonnull(outer);
    ck_assert_str_eq(vec_name(r, outer), "vec(x @ x^T)");
    build_free(r);
}
END_TEST

/* ---- gvl_report_dims on the lab's exercise 4 --------------------------------------------------- */

/* graphs/ex4.graph */
static const char *const EX4 =
    "# Lab exercise 4: the sizes in a small network (shapes only, no values).\n"
    "#\n"
    "# This is a reconstruction: the lab's figure is not reproduced here, so this\n"
    "# is one consistent reading of it that gives every size the sheet asks for.\n"
    "# W is 4x6, u is 4x1, y is 17x1, x is in homogeneous coordinates, w = vec(W).\n"
    "#   y (17x1) -> max pool 3x1, stride 3 -> p (5x1) -> hom -> x (6x1)\n"
    "#   z = W x (4x1) -> q = sigmoid(z) (4x1) -> L = sum of squares of q - u\n"
    "input y[17,1]                  # the input signal\n"
    "param W[4,6] as w              # the weights; tables call vec(W) \"w\"\n"
    "label u[4,1]                   # the target\n"
    "p = maxpool2d(y, 3x1)          # 17 -> 5 rows\n"
    "x = hom(p)                     # homogeneous coordinates: append a 1\n"
    "z = W @ x\n"
    "q = sigmoid(z)\n"
    "L = sse(q, u)                  # squared error, one element\n"
    "loss L\n";

/* Runs gvl_report_dims on TEXT with FORMAT (and --ascii); returns the output. */
static char *dims_report(GraphRun *r, Format f, bool ascii, Node *root)
{
    Options o;
    memset(&o, 0, sizeof o);
    o.cmd = CMD_DIMS;
    o.format = f;
    o.ascii = ascii;
    o.precision = 6;
    Capture c;
    capture_open(&c);
    ck_assert_int_eq(gvl_report_dims(&r->g, &o, root, c.f), 0);
    capture_close(&c);
    return c.buf;
}

/* Cell COL of the row starting with FIRST, searching from SECTION's title on. */
#define ck_assert_cell(out, section, first, col, want)                                               \
    do {                                                                                             \
        const char *sec_ = strstr((out), (section));                                                 \
        ck_assert_msg(sec_ != NULL, "no section '%s' in:\n%s", (section), (out));                     \
        char cell_[256];                                                                             \
        ck_assert_msg(table_cell(sec_, (first), (col), cell_, sizeof cell_), "no row '%s' under '%s' in:\n%s", \
                      (first), (section), (out));                                                    \
        ck_assert_msg(strcmp(cell_, (want)) == 0, "row '%s' column %d is '%s', expected '%s'", (first), \
                      (col), cell_, (want));                                                         \
    } while (0)

static int count_rows(const char *from, const char *until, const char *prefix)
{
    int n = 0;
    size_t len = strlen(prefix);
    for (const char *p = from; p && *p && (!until || p < until); p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, prefix, len) == 0;
    return n;
}

START_TEST(test_ex4_builds)
{
    GraphRun *r = build(EX4);
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "x"), "6x1");
    ck_assert_str_eq(numel_of(r, "W"), "24");
    ck_assert_str_eq(shape_of(r, "z"), "4x1");
    ck_assert_str_eq(shape_of(r, "q"), "4x1");
    ck_assert_str_eq(shape_of(r, "p"), "5x1");
    ck_assert_str_eq(numel_of(r, "L"), "1");
    ck_assert_ptr_eq(r->g.loss, node_named(r, "L"));
    ck_assert(r->g.loss_explicit);
    build_free(r);
}
END_TEST

START_TEST(test_ex4_dims_text)
{
    GraphRun *r = build(EX4);
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_TEXT, false, r->g.loss);
    /* the header states the convention */
    ck_assert_msg(strncmp(out, "Jacobian sizes for test.graph\n", 30) == 0, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "numerator layout"));
    ck_assert_ptr_nonnull(strstr(out, "is numel(v)\xc3\x97numel(u); vec(.) stacks columns."));
    /* nodes: name, kind, op, shape, numel, in tables */
    ck_assert_cell(out, "Nodes", "x", 3, "6\xc3\x97" "1");
    ck_assert_cell(out, "Nodes", "x", 4, "6");
    ck_assert_cell(out, "Nodes", "W", 1, "param");
    ck_assert_cell(out, "Nodes", "W", 3, "4\xc3\x97" "6");
    ck_assert_cell(out, "Nodes", "W", 4, "24");
    ck_assert_cell(out, "Nodes", "W", 5, "w");
    ck_assert_cell(out, "Nodes", "z", 3, "4\xc3\x97" "1");
    ck_assert_cell(out, "Nodes", "q", 2, "sigmoid");
    ck_assert_cell(out, "Nodes", "q", 3, "4\xc3\x97" "1");
    ck_assert_cell(out, "Nodes", "L", 3, "scalar");
    ck_assert_cell(out, "Nodes", "L", 4, "1");
    ck_assert_cell(out, "Nodes", "p", 2, "maxpool2d");
    /* edge Jacobians: numel(v) x numel(u), with the two shapes */
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82z/\xe2\x88\x82w", 1, "4\xc3\x97" "24");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82z/\xe2\x88\x82w", 2, "W (4\xc3\x97" "6)");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82z/\xe2\x88\x82w", 3, "z (4\xc3\x97" "1)");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82q/\xe2\x88\x82z", 1, "4\xc3\x97" "4");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82L/\xe2\x88\x82q", 1, "1\xc3\x97" "4");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82z/\xe2\x88\x82x", 1, "4\xc3\x97" "6");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82p/\xe2\x88\x82y", 1, "5\xc3\x97" "17");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82x/\xe2\x88\x82p", 1, "6\xc3\x97" "5");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82L/\xe2\x88\x82u", 1, "1\xc3\x97" "4");
    /* gradients of the loss: 1 x numel(v) for every node L depends on */
    const char *grads = strstr(out, "Gradients of the loss L (\xe2\x88\x82L/\xe2\x88\x82v is 1\xc3\x97numel(v))\n");
    ck_assert_msg(grads != NULL, "no gradient title in:\n%s", out);
    ck_assert_cell(out, "Gradients", "\xe2\x88\x82L/\xe2\x88\x82y", 1, "1\xc3\x97" "17");
    ck_assert_cell(out, "Gradients", "\xe2\x88\x82L/\xe2\x88\x82w", 1, "1\xc3\x97" "24");
    ck_assert_cell(out, "Gradients", "\xe2\x88\x82L/\xe2\x88\x82w", 2, "4\xc3\x97" "6");
    ck_assert_cell(out, "Gradients", "\xe2\x88\x82L/\xe2\x88\x82q", 1, "1\xc3\x97" "4");
    ck_assert_cell(out, "Gradients", "\xe2\x88\x82L/\xe2\x88\x82x", 1, "1\xc3\x97" "6");
    /* 8 nodes, 7 edges, 7 gradients */
    const char *edges = strstr(out, "Edge Jacobians");
    ck_assert_int_eq(count_rows(strstr(out, "Nodes"), edges, "  "), 9);
    ck_assert_int_eq(count_rows(edges, grads, "  \xe2\x88\x82"), 7);
    ck_assert_int_eq(count_rows(grads, NULL, "  \xe2\x88\x82L/"), 7);
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_ex4_dims_ascii)
{
    GraphRun *r = build(EX4);
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_TEXT, true, r->g.loss);
    ck_assert_ptr_null(strstr(out, "\xe2\x88\x82"));   /* no ∂ */
    ck_assert_ptr_null(strstr(out, "\xc3\x97"));       /* no × */
    ck_assert_cell(out, "Nodes", "x", 3, "6x1");
    ck_assert_cell(out, "Edge Jacobians", "dz/dw", 1, "4x24");
    ck_assert_cell(out, "Edge Jacobians", "dq/dz", 1, "4x4");
    ck_assert_cell(out, "Edge Jacobians", "dL/dq", 1, "1x4");
    ck_assert_cell(out, "Gradients", "dL/dy", 1, "1x17");
    ck_assert_cell(out, "Gradients", "dL/dw", 1, "1x24");
    ck_assert_ptr_nonnull(strstr(out, "\nGradients of the loss L (dL/dv is 1 x numel(v))\n"));
    ck_assert_ptr_nonnull(strstr(out, "is numel(v) x numel(u); vec(.) stacks columns.\n"));
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_ex4_dims_csv_and_latex)
{
    GraphRun *r = build(EX4);
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_CSV, false, r->g.loss);
    ck_assert_ptr_nonnull(strstr(out, "\nJacobian,size,from,to\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n\xe2\x88\x82z/\xe2\x88\x82w,4\xc3\x97" "24,W (4\xc3\x97" "6),z (4\xc3\x97" "1)\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n\xe2\x88\x82L/\xe2\x88\x82w,1\xc3\x97" "24,4\xc3\x97" "6\n"));
    free(out);
    out = dims_report(r, FMT_LATEX, false, r->g.loss);
    ck_assert_ptr_nonnull(strstr(out, "\n$\\partial z / \\partial w$ & $4 \\times 24$ & $W$ ($4 \\times 6$) & "
                                      "$z$ ($4 \\times 1$) \\\\\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n$\\partial L / \\partial y$ & $1 \\times 17$ & $17 \\times 1$ \\\\\n"));
    free(out);
    out = dims_report(r, FMT_MD, false, r->g.loss);
    ck_assert_ptr_nonnull(strstr(out, "\n| \xe2\x88\x82q/\xe2\x88\x82z | 4\xc3\x97" "4 | z (4\xc3\x97" "1) | "
                                      "q (4\xc3\x97" "1) |\n"));
    free(out);
    build_free(r);
}
END_TEST

/* The object in array ARR whose string KEY is VALUE (and KEY2 is VALUE2, if given). */
static cJSON *find_obj(cJSON *arr, const char *key, const char *value, const char *key2, const char *value2)
{
    cJSON *e;
    cJSON_ArrayForEach(e, arr) {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, key);
        if (!cJSON_IsString(k) || strcmp(k->valuestring, value) != 0) continue;
        if (key2) {
            const cJSON *k2 = cJSON_GetObjectItemCaseSensitive(e, key2);
            if (!cJSON_IsString(k2) || strcmp(k2->valuestring, value2) != 0) continue;
        }
        return e;
    }
    return NULL;
}

/* Asserts that J[KEY] is an array of exactly the N integers given. */
static void assert_int_array(const cJSON *j, const char *key, int n, const int *want)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);
    ck_assert_msg(cJSON_IsArray(a), "'%s' is not an array", key);
    ck_assert_int_eq(cJSON_GetArraySize(a), n);
    for (int i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(a, i);
        ck_assert_msg(cJSON_IsNumber(v), "'%s'[%d] is not a number", key, i);
        ck_assert_int_eq((int)v->valuedouble, want[i]);
    }
}

static const char *str_of(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    ck_assert_msg(cJSON_IsString(v), "'%s' is not a string", key);
    return v->valuestring;
}

START_TEST(test_ex4_dims_json)
{
    GraphRun *r = build(EX4);
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_JSON, false, r->g.loss);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "not JSON:\n%s", out);
    ck_assert_str_eq(str_of(j, "layout"), "numerator");
    ck_assert_str_eq(str_of(j, "vec"), "column-major");
    ck_assert_str_eq(str_of(j, "loss"), "L");

    cJSON *nodes = cJSON_GetObjectItemCaseSensitive(j, "nodes");
    ck_assert(cJSON_IsArray(nodes));
    ck_assert_int_eq(cJSON_GetArraySize(nodes), 8);
    cJSON *e;
    cJSON_ArrayForEach(e, nodes) {
        static const char *const keys[] = {"name", "kind", "op", "shape", "numel", "vec_name"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            ck_assert_msg(cJSON_HasObjectItem(e, keys[k]), "a node has no '%s'", keys[k]);
    }
    cJSON *x = find_obj(nodes, "name", "x", NULL, NULL);
    ck_assert_ptr_nonnull(x);
    assert_int_array(x, "shape", 2, (int[]){6, 1});
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(x, "numel")->valuedouble, 6);
    ck_assert_str_eq(str_of(x, "kind"), "op");
    ck_assert_str_eq(str_of(x, "op"), "hom");
    ck_assert_str_eq(str_of(x, "vec_name"), "x");
    cJSON *W = find_obj(nodes, "name", "W", NULL, NULL);
    ck_assert_ptr_nonnull(W);
    assert_int_array(W, "shape", 2, (int[]){4, 6});
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(W, "numel")->valuedouble, 24);
    ck_assert_str_eq(str_of(W, "kind"), "param");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(W, "op")));
    ck_assert_str_eq(str_of(W, "vec_name"), "w");
    cJSON *L = find_obj(nodes, "name", "L", NULL, NULL);
    ck_assert_ptr_nonnull(L);
    assert_int_array(L, "shape", 0, NULL);   /* a scalar: [] */
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(L, "numel")->valuedouble, 1);
    ck_assert_str_eq(str_of(L, "op"), "sse");
    ck_assert_str_eq(str_of(find_obj(nodes, "name", "u", NULL, NULL), "kind"), "label");
    ck_assert_str_eq(str_of(find_obj(nodes, "name", "y", NULL, NULL), "kind"), "input");

    cJSON *edges = cJSON_GetObjectItemCaseSensitive(j, "edges");
    ck_assert(cJSON_IsArray(edges));
    ck_assert_int_eq(cJSON_GetArraySize(edges), 7);
    cJSON_ArrayForEach(e, edges) {
        static const char *const keys[] = {"from", "to", "wrt", "jacobian"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            ck_assert_msg(cJSON_HasObjectItem(e, keys[k]), "an edge has no '%s'", keys[k]);
    }
    cJSON *ed = find_obj(edges, "from", "W", "to", "z");
    ck_assert_ptr_nonnull(ed);
    ck_assert_str_eq(str_of(ed, "wrt"), "w");
    assert_int_array(ed, "jacobian", 2, (int[]){4, 24});
    ed = find_obj(edges, "from", "z", "to", "q");
    ck_assert_ptr_nonnull(ed);
    assert_int_array(ed, "jacobian", 2, (int[]){4, 4});
    ed = find_obj(edges, "from", "q", "to", "L");
    ck_assert_ptr_nonnull(ed);
    ck_assert_str_eq(str_of(ed, "wrt"), "q");
    assert_int_array(ed, "jacobian", 2, (int[]){1, 4});
    ed = find_obj(edges, "from", "y", "to", "p");
    ck_assert_ptr_nonnull(ed);
    assert_int_array(ed, "jacobian", 2, (int[]){5, 17});
    ed = find_obj(edges, "from", "x", "to", "z");
    ck_assert_ptr_nonnull(ed);
    assert_int_array(ed, "jacobian", 2, (int[]){4, 6});

    cJSON *grads = cJSON_GetObjectItemCaseSensitive(j, "gradients");
    ck_assert(cJSON_IsArray(grads));
    ck_assert_int_eq(cJSON_GetArraySize(grads), 7);
    cJSON_ArrayForEach(e, grads) ck_assert_str_eq(str_of(e, "of"), "L");
    cJSON *gr = find_obj(grads, "wrt", "y", NULL, NULL);
    ck_assert_ptr_nonnull(gr);
    assert_int_array(gr, "dims", 2, (int[]){1, 17});
    gr = find_obj(grads, "wrt", "W", NULL, NULL);
    ck_assert_ptr_nonnull(gr);
    assert_int_array(gr, "dims", 2, (int[]){1, 24});
    gr = find_obj(grads, "wrt", "q", NULL, NULL);
    ck_assert_ptr_nonnull(gr);
    assert_int_array(gr, "dims", 2, (int[]){1, 4});
    ck_assert_ptr_null(find_obj(grads, "wrt", "L", NULL, NULL));   /* not of itself */
    cJSON_Delete(j);
    free(out);
    build_free(r);
}
END_TEST

/* ---- other roots, no loss, and check ------------------------------------------------------------ */

START_TEST(test_dims_of_other_node)
{
    /* lab exercise 1 asks for dy/dw as well as dL/dw */
    GraphRun *r = build("input x[2,1]\nparam w[2,1]\nconst b = 0\nlabel t = 2\ny = sin(w^T @ x) - b\n"
                        "L = (y - t) ** 2\n");
    ck_assert_clean(r);
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_TEXT;
    o.ascii = true;
    o.of = "y";
    Capture c;
    capture_open(&c);
    gvl_report_dims(&r->g, &o, node_named(r, "y"), c.f);
    const char *out = capture_close(&c);
    ck_assert_ptr_nonnull(strstr(out, "\nGradients of y (dy/dv is 1 x numel(v))\n"));
    ck_assert_cell(out, "Gradients of y", "dy/dw", 1, "1x2");
    ck_assert_cell(out, "Gradients of y", "dy/d(w^T @ x)", 1, "1x1");
    ck_assert_cell(out, "Gradients of y", "dy/dx", 1, "1x2");
    ck_assert_int_eq(count_rows(strstr(out, "Gradients of y"), NULL, "  dL/"), 0);
    capture_free(&c);
    build_free(r);
}
END_TEST

START_TEST(test_dims_without_loss)
{
    GraphRun *r = build("input x[3]\ny = x * 2\n");
    ck_assert_clean(r);
    ck_assert_ptr_null(r->g.loss);
    char *out = dims_report(r, FMT_TEXT, true, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\nNo gradient table: the graph has no one-element loss (add 'loss NAME', "
                                      "or use --of NODE).\n"));
    ck_assert_ptr_null(strstr(out, "Gradients"));
    free(out);
    out = dims_report(r, FMT_JSON, true, NULL);
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "loss")));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "gradients")), 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "edges")), 2);
    cJSON_Delete(j);
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_dims_no_ops)
{
    GraphRun *r = build("input x[3]\n");
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_TEXT, true, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\nNo edge Jacobians: the graph has no ops.\n"));
    ck_assert_ptr_null(strstr(out, "Edge Jacobians\n"));
    free(out);
    out = dims_report(r, FMT_LATEX, true, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\n% No edge Jacobians: the graph has no ops.\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n% No gradient table: the graph has no one-element loss (add 'loss NAME', "
                                      "or use --of NODE).\n"));
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_dims_symbolic_json)
{
    GraphRun *r = build("input a[n,1]\nb = hom(a)\nL = sum(b)\n");
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_JSON, true, r->g.loss);
    cJSON *j = cJSON_Parse(out);
    ck_assert_ptr_nonnull(j);
    cJSON *nodes = cJSON_GetObjectItemCaseSensitive(j, "nodes");
    cJSON *b = find_obj(nodes, "name", "b", NULL, NULL);
    ck_assert_ptr_nonnull(b);
    /* a symbolic dim is a string such as "n+1" */
    cJSON *shape = cJSON_GetObjectItemCaseSensitive(b, "shape");
    ck_assert_int_eq(cJSON_GetArraySize(shape), 2);
    ck_assert_str_eq(cJSON_GetArrayItem(shape, 0)->valuestring, "n+1");
    ck_assert_int_eq(cJSON_GetArrayItem(shape, 1)->valuedouble, 1);
    ck_assert_str_eq(str_of(b, "numel"), "n+1");
    cJSON *ed = find_obj(cJSON_GetObjectItemCaseSensitive(j, "edges"), "from", "a", "to", "b");
    ck_assert_ptr_nonnull(ed);
    cJSON *jac = cJSON_GetObjectItemCaseSensitive(ed, "jacobian");
    ck_assert_str_eq(cJSON_GetArrayItem(jac, 0)->valuestring, "n+1");
    ck_assert_str_eq(cJSON_GetArrayItem(jac, 1)->valuestring, "n");
    cJSON_Delete(j);
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_shape_cell_keeps_symbol_letters)
{
    /* only the separators become times signs, not an 'x' inside a symbol */
    GraphRun *r = build("input a[xs,2]\nb = sum(a)\n");
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_TEXT, false, r->g.loss);
    ck_assert_cell(out, "Nodes", "a", 3, "xs\xc3\x97" "2");
    ck_assert_cell(out, "Edge Jacobians", "\xe2\x88\x82" "b/\xe2\x88\x82vec(a)", 2, "a (xs\xc3\x97" "2)");
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_latex_escapes_symbols)
{
    /* a symbol's '_' is a subscript in LaTeX math cells, never bare text */
    GraphRun *r = build("input a[n_x,2]\nb = sum(a)\n");
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_LATEX, false, r->g.loss);
    ck_assert_msg(strstr(out, "n_x") == NULL, "a bare '_' in:\n%s", out);
    ck_assert_msg(strstr(out, "$a$ & input & - & $n_{x} \\times 2$ & $2n_{x}$ & $\\operatorname{vec}(a)$ \\\\\n") != NULL,
                  "no escaped node row in:\n%s", out);
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_dims_symbolic_text)
{
    GraphRun *r = build("input a[n,1]\nb = hom(a)\nL = sum(b)\n");
    ck_assert_clean(r);
    char *out = dims_report(r, FMT_TEXT, true, r->g.loss);
    /* n+1 next to a times sign is parenthesised */
    ck_assert_cell(out, "Nodes", "b", 3, "(n+1)x1");
    ck_assert_cell(out, "Nodes", "b", 4, "n+1");
    ck_assert_cell(out, "Edge Jacobians", "db/da", 1, "(n+1)xn");
    ck_assert_cell(out, "Edge Jacobians", "db/da", 2, "a (nx1)");
    ck_assert_cell(out, "Edge Jacobians", "dL/db", 1, "1x(n+1)");
    ck_assert_cell(out, "Gradients", "dL/da", 1, "1xn");
    free(out);
    build_free(r);
}
END_TEST

START_TEST(test_dims_root_without_inputs)
{
    GraphRun *r = build("input s\ny = s * 2\n");
    ck_assert_clean(r);
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_TEXT;
    o.ascii = true;
    o.of = "s";
    Capture c;
    capture_open(&c);
    gvl_report_dims(&r->g, &o, node_named(r, "s"), c.f);
    const char *out = capture_close(&c);
    ck_assert_msg(strstr(out, "\ns depends on no other node.\n") != NULL, "%s", out);
    ck_assert_ptr_null(strstr(out, "Gradients of"));
    capture_free(&c);
    build_free(r);
}
END_TEST

START_TEST(test_report_check_text)
{
    GraphRun *r = build("input x[2,1]\nparam W[3,2]\nz = W @ x + 1\n");
    ck_assert_clean(r);
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_TEXT;
    o.ascii = true;
    Capture c;
    capture_open(&c);
    ck_assert_int_eq(gvl_report_check(&r->g, &o, c.f), 0);
    const char *out = capture_close(&c);
    ck_assert_cell(out, "name", "x", 1, "input");
    ck_assert_cell(out, "name", "x", 3, "2x1");
    ck_assert_cell(out, "name", "x", 4, "1:7");
    ck_assert_cell(out, "name", "W", 1, "param");
    ck_assert_cell(out, "name", "W", 2, "-");
    /* a named node is listed where its name is written, a sub-expression at its operator */
    ck_assert_cell(out, "name", "W @ x", 2, "matmul");
    ck_assert_cell(out, "name", "W @ x", 3, "3x1");
    ck_assert_cell(out, "name", "W @ x", 4, "3:7");
    ck_assert_cell(out, "name", "1", 1, "const");
    ck_assert_cell(out, "name", "1", 3, "scalar");
    ck_assert_cell(out, "name", "z", 2, "add");
    ck_assert_cell(out, "name", "z", 3, "3x1");
    ck_assert_cell(out, "name", "z", 4, "3:1");
    capture_free(&c);
    build_free(r);
}
END_TEST

/* Names and size symbols of any length are written whole, in every
 * table and in JSON (they were cut at 251 and 63 characters). */
START_TEST(test_long_names_and_symbols_are_whole)
{
    char name[301], sym[201], text[1024];
    memset(name, 'w', 300);
    name[300] = '\0';
    memset(sym, 'n', 200);
    sym[200] = '\0';
    snprintf(text, sizeof text, "param %s[%s+1, 3]\nL = sum(%s)\n", name, sym, name);
    GraphRun *r = build(text);
    ck_assert_clean(r);
    const Node *w = node_named(r, name);
    ck_assert_str_eq(gvl_name_text(&r->text, &r->g, w), name);
    char shape[256];
    snprintf(shape, sizeof shape, "(%s+1)x3", sym);
    ck_assert_str_eq(shape_of(r, name), shape);
    Options o;
    memset(&o, 0, sizeof o);
    static const Format formats[] = {FMT_TEXT, FMT_JSON};
    for (int f = 0; f < 2; f++) {
        o.format = formats[f];
        Capture c;
        capture_open(&c);
        gvl_report_dims(&r->g, &o, r->g.loss, c.f);
        const char *out = capture_close(&c);
        /* the whole name, the whole symbol: "(nnn...n+1)x3" in text, "nnn...n+1" in JSON */
        char want[256];
        snprintf(want, sizeof want, f == 0 ? "(%s+1)\xc3\x97" "3" : "\"%s+1\"", sym);
        ck_assert_msg(strstr(out, want) != NULL, "%s output lacks %s", f ? "JSON" : "text", want);
        snprintf(want, sizeof want, f == 0 ? "vec(%s)" : "\"%s\"", name);
        ck_assert_msg(strstr(out, want) != NULL, "%s output lacks the whole name", f ? "JSON" : "text");
        capture_free(&c);
    }
    build_free(r);
}
END_TEST

static Suite *tables_suite(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_table_text);
    tcase_add_test(tc, test_table_text_without_title);
    tcase_add_test(tc, test_table_markdown);
    tcase_add_test(tc, test_table_csv);
    tcase_add_test(tc, test_table_latex);
    tcase_add_test(tc, test_table_grows);
    tcase_add_test(tc, test_text_width);
    tcase_add_test(tc, test_node_vec_name);
    suite_add_tcase(s, tc);

    tc = tcase_create("exercise 4");
    tcase_add_test(tc, test_ex4_builds);
    tcase_add_test(tc, test_ex4_dims_text);
    tcase_add_test(tc, test_ex4_dims_ascii);
    tcase_add_test(tc, test_ex4_dims_csv_and_latex);
    tcase_add_test(tc, test_ex4_dims_json);
    suite_add_tcase(s, tc);

    tc = tcase_create("reports");
    tcase_add_test(tc, test_dims_of_other_node);
    tcase_add_test(tc, test_dims_without_loss);
    tcase_add_test(tc, test_dims_no_ops);
    tcase_add_test(tc, test_dims_symbolic_json);
    tcase_add_test(tc, test_report_check_text);
    tcase_add_test(tc, test_dims_symbolic_text);
    tcase_add_test(tc, test_dims_root_without_inputs);
    tcase_add_test(tc, test_shape_cell_keeps_symbol_letters);
    tcase_add_test(tc, test_latex_escapes_symbols);
    tcase_add_test(tc, test_long_names_and_symbols_are_whole);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(tables_suite());
}
