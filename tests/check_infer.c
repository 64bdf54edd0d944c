/*
 * check_infer.c - inference of unknown sizes: '?', symbols (n, n+1),
 * propagation from later statements, conflicts with "fixed here" notes,
 * initialisers, the second pass, and choosing the loss.
 */
#include "testutil.h"

/* ---- '?' and symbols solved by later statements ------------------------------------- */

/* Every number is finite as written, so an initialiser that is NaN or
 * infinite was computed that way: warned at the first such value of each
 * declaration, with the expression that made it. */
START_TEST(test_initialiser_nan_or_infinity_warned)
{
    GraphRun *r = build("const m = -1e308*10\ninput x[2,2] = [[0/0, 1], [log(0), 0/0]]\n"
                        "param w[3] = [1, sqrt(-1), 2]\nconst ok = 1e308\nL = sum(x) + m + sum(w) + ok\n");
    static const DiagRow want[] = {
        {SEV_WARNING, 1, 11, "'-1e308*10' evaluates to -infinity (past the largest double, about 1.8e308)"},
        {SEV_WARNING, 2, 18, "'0/0' evaluates to NaN"},
        {SEV_WARNING, 3, 18, "'sqrt(-1)' evaluates to NaN"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_hom_solves_unknown)
{
    /* the lab's exercise 4: x = hom(p) must be 6 rows for W[4,6] */
    GraphRun *r = build("param W[4,6]\ninput p[?,1]\nz = W @ hom(p)\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "p"), "5x1");
    ck_assert_str_eq(shape_of(r, "z"), "4x1");
    ck_assert_str_eq(numel_of(r, "p"), "5");
    build_free(r);
}
END_TEST

START_TEST(test_symbol_plus_one_solved)
{
    GraphRun *r = build("param W[4,6]\ninput p[n,1]\nz = W @ hom(p)\ninput q[n+1, n-1]\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "p"), "5x1");
    ck_assert_str_eq(shape_of(r, "q"), "6x4");
    build_free(r);
}
END_TEST

START_TEST(test_declared_offset_solved)
{
    /* n+1 = 6 gives n = 5 everywhere n appears */
    GraphRun *r = build("input a[n+1]\ninput b[6]\nc = a + b\ninput d[n, n-1]\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "a"), "[6]");
    ck_assert_str_eq(shape_of(r, "c"), "[6]");
    ck_assert_str_eq(shape_of(r, "d"), "5x4");
    build_free(r);
}
END_TEST

START_TEST(test_one_symbol_one_size)
{
    GraphRun *r = build("input a[n]\ninput b[n,n]\nc = b @ a\ninput k[3]\nd = a + k\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "a"), "[3]");
    ck_assert_str_eq(shape_of(r, "b"), "3x3");
    ck_assert_str_eq(shape_of(r, "c"), "[3]");
    ck_assert_str_eq(shape_of(r, "d"), "[3]");
    build_free(r);
}
END_TEST

START_TEST(test_linked_symbols_share_a_size)
{
    /* a + b makes n and m equal; d then fixes both */
    GraphRun *r = build("input a[n,1]\ninput b[m,1]\nc = a + b\ninput d[4,1]\ne = b + d\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "a"), "4x1");
    ck_assert_str_eq(shape_of(r, "b"), "4x1");
    ck_assert_str_eq(shape_of(r, "c"), "4x1");
    build_free(r);
}
END_TEST

START_TEST(test_later_statement_fixes_earlier_nodes)
{
    GraphRun *r = build("input p[?,1]\nx = hom(p)\ny = x^T\nparam W[4,6]\nz = W @ x\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "p"), "5x1");
    ck_assert_str_eq(shape_of(r, "x"), "6x1");
    ck_assert_str_eq(shape_of(r, "y"), "1x6");
    ck_assert_str_eq(shape_of(r, "z"), "4x1");
    build_free(r);
}
END_TEST

START_TEST(test_unknown_stays_unknown)
{
    /* a '?' nothing pins down is kept, with one warning per declaration */
    GraphRun *r = build("input p[?,1]\nx = hom(p)\ninput c[?,4]\n");
    ck_assert(r->ok);
    static const DiagRow want[] = {
        {SEV_WARNING, 1, 7, "the shape of 'p' stays ?x1: nothing in the file fixes its '?' "
            "sizes, so tables show them as ?"},
        {SEV_WARNING, 3, 7, "the shape of 'c' stays ?x4: nothing in the file fixes its '?' "
            "sizes, so tables show them as ?"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "p"), "?x1");
    ck_assert_str_eq(shape_of(r, "x"), "(?+1)x1");   /* hom adds a row to the unknown */
    ck_assert_str_eq(numel_of(r, "c"), "4*?");   /* 4n reads as algebra, 4? would not */
    build_free(r);
}
END_TEST

/* ---- unresolved symbols print symbolically --------------------------------------------------- */

START_TEST(test_unresolved_symbols_print_symbolically)
{
    GraphRun *r = build("input a[n,1]\ninput m[n,3]\nb = hom(a)\nh = hom(m)\ninput A[n,k]\nc = a - 1\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "a"), "nx1");
    ck_assert_str_eq(shape_of(r, "b"), "(n+1)x1");
    ck_assert_str_eq(shape_of(r, "m"), "nx3");
    ck_assert_str_eq(shape_of(r, "h"), "(n+1)x3");
    ck_assert_str_eq(shape_of(r, "c"), "nx1");
    ck_assert_str_eq(numel_of(r, "a"), "n");
    ck_assert_str_eq(numel_of(r, "b"), "n+1");
    ck_assert_str_eq(numel_of(r, "m"), "3n");
    ck_assert_str_eq(numel_of(r, "h"), "3(n+1)");
    ck_assert_str_eq(numel_of(r, "A"), "n*k");
    /* the Unicode forms */
    const Node *n = node_named(r, "A");
    Numel m = gvl_shape_numel(&r->g, &n->shape);
    ck_assert_int_eq(m.coef, 1);
    ck_assert_int_eq(m.nvars, 2);
    ck_assert_str_eq(gvl_numel_text(&r->text, &r->g, &m, false), "n\xc2\xb7k");
    ck_assert_str_eq(gvl_shape_text(&r->text, &r->g, &n->shape, false), "n\xc3\x97k");
    ck_assert(!gvl_shape_is_one(&r->g, &n->shape));
    build_free(r);
}
END_TEST

START_TEST(test_unresolved_conv_sizes)
{
    GraphRun *r = build("input x[n,n]\nparam k[3,3]\ny = conv(x, k)\nz = conv(x, k, padding=1)\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "y"), "(n-2)x(n-2)");
    ck_assert_str_eq(shape_of(r, "z"), "nxn");
    ck_assert_str_eq(numel_of(r, "y"), "(n-2)*(n-2)");
    build_free(r);
}
END_TEST

START_TEST(test_symbolic_jacobian_sizes)
{
    GraphRun *r = build("input a[n,1]\nparam W[3,n]\nz = W @ a\nL = sum(z)\n");
    ck_assert_clean(r);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "L"));
    Options o;
    memset(&o, 0, sizeof o);
    o.format = FMT_TEXT;
    o.ascii = true;
    Capture c;
    capture_open(&c);
    ck_assert_int_eq(gvl_report_dims(&r->g, &o, r->g.loss, c.f), 0);
    const char *out = capture_close(&c);
    char cell[256];
    ck_assert_msg(table_cell(out, "dz/dvec(W)", 1, cell, sizeof cell), "no dz/dvec(W) row in:\n%s", out);
    ck_assert_str_eq(cell, "3x3n");
    ck_assert(table_cell(out, "dz/da", 1, cell, sizeof cell));
    ck_assert_str_eq(cell, "3xn");
    ck_assert(table_cell(out, "dL/da", 1, cell, sizeof cell));
    ck_assert_str_eq(cell, "1xn");
    ck_assert(table_cell(out, "dL/dvec(W)", 1, cell, sizeof cell));
    ck_assert_str_eq(cell, "1x3n");
    /* the loss was not named: the title says how it was chosen */
    ck_assert_msg(strstr(out, "\nGradients of the loss L, the last one-element node assigned (dL/dv is 1 x numel(v))\n")
                  != NULL, "%s", out);
    ck_assert(table_cell(out, "W", 3, cell, sizeof cell));   /* the nodes table: shape */
    ck_assert_str_eq(cell, "3xn");
    capture_free(&c);
    build_free(r);
}
END_TEST

/* ---- conflicts, with notes at the place a size was fixed ------------------------------------- */

START_TEST(test_conflict_symbol_fixed_earlier)
{
    GraphRun *r = build("input a[n,1]\ninput b[3,1]\nc = a + b\ninput d[4,1]\ne = a + d\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 5, 7, "add: cannot broadcast 'a' (3x1) with 'd' (4x1): their 2nd-to-last "
            "dimensions are 3 and 4; sizes must be equal or 1"},
        {SEV_NOTE, 3, 7, "n was inferred as 3 here"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "e"), "FAILED");
    ck_assert_str_eq(shape_of(r, "c"), "3x1");
    build_free(r);
}
END_TEST

START_TEST(test_conflict_unknown_fixed_earlier)
{
    GraphRun *r = build("param W[4,6]\ninput p[?,1]\nz = W @ hom(p)\nparam V[3,7]\ny = V @ hom(p)\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 5, 7, "matmul: 'V' is 3x7 and 'hom(p)' is 6x1: the inner dimensions 7 and 6 must be equal"},
        {SEV_NOTE, 3, 7, "this size was inferred as 5 here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_conflict_through_linked_symbols)
{
    /* n and m are joined on line 3, fixed to 2 on line 5, then contradicted */
    GraphRun *r = build("input a[n,1]\ninput b[m,1]\nc = a + b\ninput d[2,1]\ne = a + d\n"
                        "input f[3,1]\ng = b + f\nh = a * f\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 7, 7, "add: cannot broadcast 'b' (2x1) with 'f' (3x1): their 2nd-to-last "
            "dimensions are 2 and 3; sizes must be equal or 1"},
        {SEV_NOTE, 5, 7, "m was inferred as 2 here"},
        {SEV_ERROR, 8, 7, "mul: cannot broadcast 'a' (2x1) with 'f' (3x1): their 2nd-to-last "
            "dimensions are 2 and 3; sizes must be equal or 1"},
        {SEV_NOTE, 5, 7, "n was inferred as 2 here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_conflict_symbol_with_itself)
{
    GraphRun *r = build("input a[n]\ninput b[n+1]\nc = a + b\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 7, "add: cannot broadcast 'a' ([n]) with 'b' ([n+1]): their last "
            "dimensions are n and n+1; sizes must be equal or 1"},
        {SEV_NOTE, 1, 9, "n is declared here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_conflict_matmul_inner_symbol)
{
    GraphRun *r = build("input x[n,1]\ninput y[5,1]\ns = x + y\nparam W[3,4]\nz = W @ x\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 5, 7, "matmul: 'W' is 3x4 and 'x' is 5x1: the inner dimensions 4 and 5 must be equal"},
        {SEV_NOTE, 3, 7, "n was inferred as 5 here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

/* ---- initialisers ------------------------------------------------------------------------------ */

START_TEST(test_flat_initialiser_solves_unknown)
{
    GraphRun *r = build("const c[?,2] = [1, 2, 3, 4, 5, 6]\nconst v[?] = [1, 2, 3]\n"
                        "const m[?,2] = [[1, 2], [3, 4]]\ninput x[2,1]\ny = c @ x\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "c"), "3x2");
    ck_assert_str_eq(shape_of(r, "v"), "[3]");
    ck_assert_str_eq(shape_of(r, "m"), "2x2");
    ck_assert_str_eq(shape_of(r, "y"), "3x1");
    const Node *c = node_named(r, "c");
    ck_assert_ptr_nonnull(c->init);
    ck_assert_int_eq(c->init->nvals, 6);
    ck_assert(!c->init->fill);
    ck_assert_double_eq(c->init->vals[5], 6.0);
    build_free(r);
}
END_TEST

START_TEST(test_initialiser_symbol_solved)
{
    GraphRun *r = build("const c[n,4] = [1, 2, 3, 4, 5, 6, 7, 8]\ninput d[n]\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "d"), "[2]");
    build_free(r);
}
END_TEST

START_TEST(test_initialiser_fill_and_nested)
{
    GraphRun *r = build("const c[2,3] = 7\nparam w[2,1] = [pi/2, pi]\nconst m[2,2] = [[1, 2], [3, 4]]\n");
    ck_assert_clean(r);
    const Node *c = node_named(r, "c");
    ck_assert(c->init->fill);
    ck_assert_int_eq(c->init->nvals, 1);
    ck_assert_double_eq(c->init->vals[0], 7.0);
    const Node *w = node_named(r, "w");
    ck_assert_int_eq(w->init->nvals, 2);
    ck_assert_double_eq_tol(w->init->vals[1], 3.14159265358979, 1e-12);
    const Node *m = node_named(r, "m");
    ck_assert_int_eq(m->init->nvals, 4);
    ck_assert_double_eq(m->init->vals[2], 3.0);   /* row-major */
    build_free(r);
}
END_TEST

START_TEST(test_initialiser_count_mismatch)
{
    GraphRun *r = build("const c[2,2] = [1, 2, 3]\nconst d[n,4] = [1, 2, 3, 4, 5, 6]\n"
                        "const m[2,3] = [[1, 2], [3, 4]]\nconst u[?,?] = [1, 2, 3, 4]\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 16, "'c' is declared 2x2 (4 elements), but its initialiser has 3 values"},
        {SEV_ERROR, 2, 16, "'d' is declared nx4 (4n elements), but its initialiser has 6 values"},
        {SEV_ERROR, 3, 16, "the initialiser is a 2x2 nested list, but 'm' is declared 2x3"},
        {SEV_ERROR, 4, 16, "cannot tell the shape ?x? of 'u' from a flat list of 4 values: "
            "give all but one dimension, or write a nested list"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_initialiser_for_scalar)
{
    GraphRun *r = build("const s = [1, 2]\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 11, "'s' is declared scalar (1 element), but its initialiser has 2 values"},
        {SEV_NOTE, 1, 7, "a declaration without [SHAPE] is a scalar; write s[2] for a vector"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_initialiser_not_constant)
{
    GraphRun *r = build("input x[2]\nconst c[2] = [x, 1]\nconst e2 = e\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 15, "'x' is not a constant: initialisers use numbers, pi, + - * / **, "
            "and sqrt sin cos exp log"},
        {SEV_ERROR, 3, 12, "'e' is not a constant: initialisers use numbers, pi, + - * / **, "
            "and sqrt sin cos exp log (Euler's number is exp(1))"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

/* ---- the second pass ---------------------------------------------------------------------------- */

START_TEST(test_strided_conv_resolved_by_second_pass)
{
    /* floor((9 - 2 - 1)/2) + 1 = 4, known only once line 5 fixes x */
    GraphRun *r = build("input x[?,?]\nparam w[3,3]\ny = conv(x, w, stride=2)\ninput t[9,9]\ns = x + t\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "x"), "9x9");
    ck_assert_str_eq(shape_of(r, "y"), "4x4");
    build_free(r);
}
END_TEST

START_TEST(test_unknown_kernel_resolved_by_second_pass)
{
    /* the kernel's size k is fixed only on line 5 */
    GraphRun *r = build("input x[5,5]\nparam w[k,k]\ny = conv(x, w, padding=1)\ninput t[3,3]\ns = w + t\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "w"), "3x3");
    ck_assert_str_eq(shape_of(r, "y"), "5x5");
    build_free(r);

    r = build("input x[5,5]\nparam w[k,k]\ny = conv(x, w)\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "y"), "?x?");
    build_free(r);
}
END_TEST

START_TEST(test_reshape_keeps_symbol)
{
    GraphRun *r = build("input a[n,3]\ny = reshape(a, [3, -1])\nz = reshape(a, [1, 3, -1])\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "y"), "3xn");
    ck_assert_str_eq(shape_of(r, "z"), "1x3xn");
    build_free(r);
}
END_TEST

START_TEST(test_strided_conv_result_flows_on)
{
    /* nodes built from the deferred result are fixed by the second pass too */
    GraphRun *r = build("input x[?,?]\nparam w[3,3]\ny = conv(x, w, stride=2)\nv = vec(y)\n"
                        "input t[9,9]\ns = x + t\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "y"), "4x4");
    ck_assert_str_eq(shape_of(r, "v"), "16x1");
    build_free(r);
}
END_TEST

START_TEST(test_strided_conv_unresolved)
{
    GraphRun *r = build("input x[?,?]\nparam w[3,3]\ny = conv(x, w, stride=2)\n");
    ck_assert(r->ok);
    static const DiagRow want[] = {
        {SEV_WARNING, 1, 7, "the shape of 'x' stays ?x?: nothing in the file fixes its '?' "
            "sizes, so tables show them as ?"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "y"), "?x?");
    build_free(r);
}
END_TEST

START_TEST(test_second_pass_conflict)
{
    /* y is used as 5x5 on line 5, but is 4x4 once x is known to be 9x9 */
    GraphRun *r = build("input x[?,?]\nparam w[3,3]\ny = conv(x, w, stride=2)\ninput k[5,5]\nu = y + k\n"
                        "input t[9,9]\ns = x + t\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 5, "conv2d: the result is 4x4 once every size is known, but it was "
            "used as 5x5"},
        {SEV_NOTE, 5, 7, "this size was inferred as 5 here"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "y"), "FAILED");
    build_free(r);
}
END_TEST

/* ---- size symbols: pooling formulas, size statements, --set ------------- */

START_TEST(test_pool_over_symbol_stays_symbolic)
{
    /* maxpool 2x2 of H: floor((H - 2)/2) + 1 = floor(H/2); avgpool 3,
     * stride 2, padding 1: floor((H + 2 - 3)/2) + 1 = floor((H+1)/2) */
    GraphRun *r = build("input x[H,W]\np = maxpool2d(x, 2x2)\nq = avgpool2d(x, 3, stride=2, padding=1)\n"
                        "v = vec(p)\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "p"), "floor(H/2)xfloor(W/2)");
    ck_assert_str_eq(shape_of(r, "q"), "floor((H+1)/2)xfloor((W+1)/2)");
    ck_assert_str_eq(numel_of(r, "p"), "floor(H/2)*floor(W/2)");
    build_free(r);
}
END_TEST

START_TEST(test_pool_formula_known_later)
{
    /* H is fixed after the pooling: p's formula is then 7 / 2 -> 3 */
    GraphRun *r = build("input x[H,1]\np = maxpool2d(x, 2x1)\nsize H = 7\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "p"), "3x1");
    build_free(r);
}
END_TEST

START_TEST(test_pool_formula_conflict)
{
    /* W @ p makes p 3 rows; H = 10 makes it 5 */
    GraphRun *r = build("input x[H,1]\np = maxpool2d(x, 2x1)\nparam W[4,3]\nz = W @ p\nsize H = 10\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 5, "maxpool2d: the result is 5x1 once every size is known, but it was used as 3x1"},
        {SEV_NOTE, 4, 7, "this size was inferred as 3 here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_size_statements)
{
    GraphRun *r = build("size n = 5\nsize m in 2..6\ninput X[n,m]\nsize size = 3\nsize = 2\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "X"), "5xm");
    ck_assert_str_eq(shape_of(r, "size"), "scalar");
    build_free(r);
}
END_TEST

START_TEST(test_size_errors)
{
    GraphRun *r = build("input X[4,1]\nsize m in 3..6\ninput Y[m]\nz = sum(X) + sum(Y)\nsize m = 2\n"
                        "size k in 5..2\nsize j\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 6, 11, "the range 5..2 of 'k' is empty: write the smaller size first"},
        {SEV_ERROR, 7, 7, "expected '=' or 'in' after 'size j' (size j = 5, or size j in 2..6), found the end of the line"},
        {SEV_ERROR, 2, 11, "m is 2, outside its range 3..6"},
        {SEV_NOTE, 5, 10, "m is fixed here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_size_conflict)
{
    GraphRun *r = build("param W[4,6]\ninput x[n,1]\nz = W @ x\nsize n = 5\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 4, 10, "size n = 5, but n is already 6"},
        {SEV_NOTE, 3, 7, "n was fixed here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_set_wins_over_the_file)
{
    static SizeSetting sets[] = {{"n", 3, false}, {"k", 2, false}};
    GraphRun *r = calloc(1, sizeof *r);
    const char *text = "size n = 5\ninput X[n,k]\n";
    gvl_source_from_string(&r->src, "test.graph", text, strlen(text));
    gvl_diag_init(&r->diag, &r->src);
    gvl_graph_open(&r->g, &r->src, &r->diag);
    r->g.no_lint = true;
    r->g.sets = sets;
    r->g.nsets = 2;
    r->ok = gvl_frontend_build(&r->g);
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "X"), "3x2");
    ck_assert(sets[0].used && sets[1].used);
    build_free(r);
}
END_TEST

/* Checks that need a known size must run once the size is known, whether
 * or not a rule asked for the second pass. */

START_TEST(test_unit_stride_conv_too_small_once_known)
{
    GraphRun *r = build("input x[n,n]\nparam k[3,3]\ny = conv(x, k)\ninput t[2,2]\ns = x + t\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 5, "conv2d: output height floor((2 + 2*0 - 1*(3-1) - 1)/1) + 1 = 0 < 1 "
            "('x' is 2x2, 'k' is 3x3)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_unit_stride_pool_too_small_once_known)
{
    GraphRun *r = build("input x[?,?]\ny = maxpool2d(x, 3, stride=1)\ninput t[2,2]\ns = x + t\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 5, "maxpool2d: output height floor((2 + 2*0 - 1*(3-1) - 1)/1) + 1 = 0 < 1 "
            "('x' is 2x2, kernel 3x3, stride 1x1)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_strided_conv_too_small_once_known)
{
    GraphRun *r = build("input x[?,?]\nparam k[3,3]\ny = conv(x, k, stride=2)\ninput t[2,2]\ns = x + t\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 5, "conv2d: output height floor((2 + 2*0 - 1*(3-1) - 1)/2) + 1 = 0 < 1 "
            "('x' is 2x2, 'k' is 3x3)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_cross_entropy_class_checked_once_known)
{
    GraphRun *r = build("input z[?]\ny = cross_entropy(z, 5)\ninput t[3]\ns = z + t\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 5, "cross_entropy: class 5 is out of range: 'z' has 3 classes (0 to 2)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_dehom_rows_checked_once_known)
{
    GraphRun *r = build("input h[?,2]\ny = dehom(h)\ninput o[1,2]\nz = o^T @ h\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 5, "dehom: 'h' has 1 row; dehom needs at least 2 (the last row is the divisor)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_symbol_offset_cannot_reach_zero)
{
    /* n = 1 would make the declared n-1 a dimension of 0: that is an error,
     * whatever its wording */
    GraphRun *r = build("input a[n]\ninput b[n-1]\nparam W[2,1]\nz = W @ a\n");
    ck_assert_msg(!r->ok && r->diag.errors >= 1, "no error, and b is %s", shape_of(r, "b"));
    build_free(r);
}
END_TEST

START_TEST(test_symbol_value_zero_refused)
{
    /* n+1 = 1 would need n = 0 */
    GraphRun *r = build("input p[n+1]\nparam W[3,1]\nz = W @ p\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 7, "matmul: 'W' is 3x1 and 'p' is [n+1]: the inner dimensions 1 and n+1 must be equal"},
        {SEV_NOTE, 1, 9, "n is declared here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

/* ---- the loss ----------------------------------------------------------------------------------- */

START_TEST(test_default_loss_last_one_element)
{
    GraphRun *r = build("input x[3]\nc = mean(x)\nd = x * 2\ninput v[1,1]\ne = v * 3\nf = x + 1\n");
    ck_assert_clean(r);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "e"));
    ck_assert(!r->g.loss_explicit);
    build_free(r);
}
END_TEST

START_TEST(test_default_loss_shapes_of_one)
{
    GraphRun *r = build("input x[3]\nc = sum(x)\ninput o[1]\ng = o * 2\n");
    ck_assert_clean(r);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "g"));   /* shape [1] holds one element */
    build_free(r);
}
END_TEST

START_TEST(test_no_default_loss)
{
    /* leaves and unnamed sub-expressions are never the default loss */
    GraphRun *r = build("input s\ninput x[3]\nb = sum(x) * x\n");
    ck_assert_clean(r);
    ck_assert_ptr_null(r->g.loss);
    build_free(r);
}
END_TEST

START_TEST(test_explicit_loss)
{
    GraphRun *r = build("input x[3]\ny = sum(x)\nz = mean(x)\nloss y\n");
    ck_assert_clean(r);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "y"));
    ck_assert(r->g.loss_explicit);
    build_free(r);
}
END_TEST

START_TEST(test_loss_means_newest_version)
{
    GraphRun *r = build("input x[3]\nc = sum(x)\nc = c * 2\nloss c\n");
    ck_assert_clean(r);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "c"));
    ck_assert_int_eq(r->g.loss->version, 1);
    ck_assert_str_eq(gvl_name_text(&r->text, &r->g, r->g.loss), "c'");
    ck_assert_str_eq(gvl_plain_text(&r->text, &r->g, r->g.loss), "c");
    build_free(r);
}
END_TEST

START_TEST(test_explicit_loss_not_one_element)
{
    GraphRun *r = build("input x[3]\ny = x * 2\nloss y\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 6, "the loss must hold exactly one element, but 'y' is [3] (3 elements)"},
        {SEV_NOTE, 2, 1, "'y' is computed here; reduce it to one element with sum(), mean() "
            "or mse()"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_optimize_loss_not_one_element)
{
    GraphRun *r = build("input A[2,3]\nz = A * 2\noptimize z lr=0.1\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 10, "the loss must hold exactly one element, but 'z' is 2x3 (6 elements)"},
        {SEV_NOTE, 2, 1, "'z' is computed here; reduce it to one element with sum(), mean() "
            "or mse()"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_symbolic_loss_not_one_element)
{
    GraphRun *r = build("input a[n]\ny = a * 2\nloss y\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 6, "the loss must hold exactly one element, but 'y' is [n] (n elements)"},
        {SEV_NOTE, 2, 1, "'y' is computed here; reduce it to one element with sum(), mean() "
            "or mse()"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_declared_loss_not_one_element)
{
    GraphRun *r = build("input x[3]\nloss x\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 6, "the loss must hold exactly one element, but 'x' is [3] (3 elements)"},
        {SEV_NOTE, 1, 7, "'x' is declared here; reduce it to one element with sum(), mean() "
            "or mse()"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_loss_errors)
{
    GraphRun *r = build("input x[3]\na = sum(x)\nb = mean(x)\nloss a\nloss a\nloss b\nloss zz\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 6, 6, "the loss is already set"},
        {SEV_NOTE, 5, 6, "it was set here"},
        {SEV_ERROR, 7, 6, "unknown name 'zz'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "a"));
    build_free(r);
}
END_TEST

START_TEST(test_optimize_options)
{
    GraphRun *r = build("input x[3]\nL = sum(x)\noptimize L lr=1/2 steps=3\n");
    ck_assert_clean(r);
    ck_assert(r->g.has_optimize);
    ck_assert_ptr_eq(r->g.loss, node_named(r, "L"));
    ck_assert_double_eq(r->g.lr, 0.5);
    ck_assert_int_eq(r->g.steps, 3);
    build_free(r);

    r = build("input x[3]\nL = sum(x)\noptimize L\n");
    ck_assert_clean(r);
    ck_assert_double_eq(r->g.lr, 0.1);
    ck_assert_int_eq(r->g.steps, 1);
    build_free(r);
}
END_TEST

START_TEST(test_optimize_option_errors)
{
    GraphRun *r = build("input x[3]\nL = sum(x)\noptimize L lr=-1 steps=0 momentum=0.9\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 15, "the learning rate must be a positive number, found -1"},
        {SEV_ERROR, 3, 24, "steps must be a whole number from 1 to 100000000"},
        {SEV_ERROR, 3, 26, "optimize has no option 'momentum' (its options: lr, steps)"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

/* ---- names ---------------------------------------------------------------------------------------- */

START_TEST(test_redeclaration)
{
    GraphRun *r = build("input x[2]\nparam x[3]\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 7, "'x' is already defined"},
        {SEV_NOTE, 1, 7, "'x' was defined here"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "x"), "[2]");
    build_free(r);
}
END_TEST

START_TEST(test_reassignment_makes_versions)
{
    GraphRun *r = build("input a[2,2]\nc = a * 2\nc = c + a\nc = c @ a\n");
    ck_assert_clean(r);
    const Node *c = node_named(r, "c");
    ck_assert_int_eq(c->version, 2);
    ck_assert_int_eq(c->op, OP_MATMUL);
    /* the old c keeps its edges: the newest c reads the previous one */
    ck_assert_int_eq(c->src[0]->version, 1);
    ck_assert_int_eq(c->src[0]->op, OP_ADD);
    ck_assert_int_eq(c->src[0]->src[0]->version, 0);
    ck_assert_str_eq(gvl_name_text(&r->text, &r->g, c), "c''");
    build_free(r);
}
END_TEST

START_TEST(test_alias_clashes)
{
    GraphRun *r = build("param W[4,6] as w\nw = W * 2\ninput x[2]\nparam V[2,2] as x\nparam U[2,2] as w\n"
                        "input w[3]\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 1, "'w' already names vec(W) in tables; pick another name"},
        {SEV_NOTE, 1, 17, "the alias is given here"},
        {SEV_ERROR, 4, 17, "the alias 'x' is already a name in this file; tables would show "
            "two different tensors the same way"},
        {SEV_NOTE, 3, 7, "'x' is defined here"},
        {SEV_ERROR, 5, 17, "the alias 'w' is already a name in this file; tables would show "
            "two different tensors the same way"},
        {SEV_NOTE, 1, 17, "'w' is defined here"},
        {SEV_ERROR, 6, 7, "'w' already names vec(W) in tables; pick another name"},
        {SEV_NOTE, 1, 17, "the alias is given here"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

START_TEST(test_too_many_elements)
{
    GraphRun *r = build("input x[4294967296,4294967296]\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 8, "'x' would have more elements than a 64-bit count can hold"},
        {0}};
    expect_diags(&r->diag, want);
    build_free(r);
}
END_TEST

static Suite *infer_suite(void)
{
    Suite *s = suite_create("infer");
    TCase *tc = tcase_create("solving");
    tcase_add_test(tc, test_initialiser_nan_or_infinity_warned);
    tcase_add_test(tc, test_hom_solves_unknown);
    tcase_add_test(tc, test_symbol_plus_one_solved);
    tcase_add_test(tc, test_declared_offset_solved);
    tcase_add_test(tc, test_one_symbol_one_size);
    tcase_add_test(tc, test_linked_symbols_share_a_size);
    tcase_add_test(tc, test_later_statement_fixes_earlier_nodes);
    tcase_add_test(tc, test_unknown_stays_unknown);
    tcase_add_test(tc, test_unresolved_symbols_print_symbolically);
    tcase_add_test(tc, test_unresolved_conv_sizes);
    tcase_add_test(tc, test_symbolic_jacobian_sizes);
    suite_add_tcase(s, tc);

    tc = tcase_create("conflicts");
    tcase_add_test(tc, test_conflict_symbol_fixed_earlier);
    tcase_add_test(tc, test_conflict_unknown_fixed_earlier);
    tcase_add_test(tc, test_conflict_through_linked_symbols);
    tcase_add_test(tc, test_conflict_symbol_with_itself);
    tcase_add_test(tc, test_conflict_matmul_inner_symbol);
    suite_add_tcase(s, tc);

    tc = tcase_create("initialisers");
    tcase_add_test(tc, test_flat_initialiser_solves_unknown);
    tcase_add_test(tc, test_initialiser_symbol_solved);
    tcase_add_test(tc, test_initialiser_fill_and_nested);
    tcase_add_test(tc, test_initialiser_count_mismatch);
    tcase_add_test(tc, test_initialiser_for_scalar);
    tcase_add_test(tc, test_initialiser_not_constant);
    suite_add_tcase(s, tc);

    tc = tcase_create("second pass");
    tcase_add_test(tc, test_strided_conv_resolved_by_second_pass);
    tcase_add_test(tc, test_unknown_kernel_resolved_by_second_pass);
    tcase_add_test(tc, test_reshape_keeps_symbol);
    tcase_add_test(tc, test_strided_conv_result_flows_on);
    tcase_add_test(tc, test_strided_conv_unresolved);
    tcase_add_test(tc, test_second_pass_conflict);
    tcase_add_test(tc, test_unit_stride_conv_too_small_once_known);
    tcase_add_test(tc, test_unit_stride_pool_too_small_once_known);
    tcase_add_test(tc, test_strided_conv_too_small_once_known);
    tcase_add_test(tc, test_cross_entropy_class_checked_once_known);
    tcase_add_test(tc, test_dehom_rows_checked_once_known);
    tcase_add_test(tc, test_symbol_offset_cannot_reach_zero);
    tcase_add_test(tc, test_symbol_value_zero_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("size symbols");
    tcase_add_test(tc, test_pool_over_symbol_stays_symbolic);
    tcase_add_test(tc, test_pool_formula_known_later);
    tcase_add_test(tc, test_pool_formula_conflict);
    tcase_add_test(tc, test_size_statements);
    tcase_add_test(tc, test_size_errors);
    tcase_add_test(tc, test_size_conflict);
    tcase_add_test(tc, test_set_wins_over_the_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("loss");
    tcase_add_test(tc, test_default_loss_last_one_element);
    tcase_add_test(tc, test_default_loss_shapes_of_one);
    tcase_add_test(tc, test_no_default_loss);
    tcase_add_test(tc, test_explicit_loss);
    tcase_add_test(tc, test_loss_means_newest_version);
    tcase_add_test(tc, test_explicit_loss_not_one_element);
    tcase_add_test(tc, test_optimize_loss_not_one_element);
    tcase_add_test(tc, test_symbolic_loss_not_one_element);
    tcase_add_test(tc, test_declared_loss_not_one_element);
    tcase_add_test(tc, test_loss_errors);
    tcase_add_test(tc, test_optimize_options);
    tcase_add_test(tc, test_optimize_option_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_redeclaration);
    tcase_add_test(tc, test_reassignment_makes_versions);
    tcase_add_test(tc, test_alias_clashes);
    tcase_add_test(tc, test_too_many_elements);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(infer_suite());
}
