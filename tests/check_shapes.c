/*
 * check_shapes.c - the shape rule of every op in ops.def: the result shape
 * on success and the exact message on each failure path.
 *
 * Each case is a few declarations and one statement `y = EXPR` on the last
 * line; calls report at the call's name (column 5), binary operators at the
 * operator.  Conv and pool sizes are hand-computed with
 * H' = floor((H + 2p - d(k-1) - 1)/s) + 1.
 */
#include "testutil.h"

static int nlines(const char *s)
{
    int n = 1;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* `DECLS` then `y = EXPR`: y has shape WANT and op OP. */
#define OK(decls, expr, want, op)                                                                  \
    do {                                                                                           \
        char t_[4096];                                                                             \
        snprintf(t_, sizeof t_, "%s\ny = %s\n", (decls), (expr));                                   \
        GraphRun *r_ = build(t_);                                                                  \
        ck_assert_clean(r_);                                                                       \
        ck_assert_msg(strcmp(shape_of(r_, "y"), (want)) == 0, "y = %s: shape %s, expected %s",     \
                      (expr), shape_of(r_, "y"), (want));                                          \
        ck_assert_msg(strcmp(op_of(r_, "y"), (op)) == 0, "y = %s: op %s, expected %s", (expr),      \
                      op_of(r_, "y"), (op));                                                       \
        build_free(r_);                                                                            \
    } while (0)

/* `DECLS` then `y = EXPR`: exactly one error, at column COL of the last line. */
#define ERR(decls, expr, col, msg)                                                                 \
    do {                                                                                           \
        char t_[4096];                                                                             \
        snprintf(t_, sizeof t_, "%s\ny = %s\n", (decls), (expr));                                   \
        ck_assert_shape_error(t_, "y", nlines(decls) + 1, (col), (msg));                           \
    } while (0)

/* ---- elementwise and broadcasting ----------------------------------------------- */

static const char *const BC = "input a[2,3]\ninput b[3]\ninput c[2,1]\ninput d[1,3]\n"
                              "input e[4,1,3]\ninput s\ninput f[2]";

START_TEST(test_broadcast_same_shape)
{
    OK(BC, "a + a", "2x3", "add");
    OK(BC, "a - a", "2x3", "sub");
    OK(BC, "a * a", "2x3", "mul");
    OK(BC, "a / a", "2x3", "div");
    OK(BC, "a ** a", "2x3", "pow");
    OK(BC, "s + s", "scalar", "add");
}
END_TEST

START_TEST(test_broadcast_rank_extension)
{
    OK(BC, "a + b", "2x3", "add");        /* [2,3] + [3] */
    OK(BC, "b - a", "2x3", "sub");
    OK(BC, "e / c", "4x2x3", "div");      /* [4,1,3] / [2,1] */
    OK(BC, "d + e", "4x1x3", "add");      /* [1,3] + [4,1,3] */
    OK(BC, "e * a", "4x2x3", "mul");
}
END_TEST

START_TEST(test_broadcast_ones)
{
    OK(BC, "c * d", "2x3", "mul");        /* [2,1] * [1,3] */
    OK(BC, "c + f", "2x2", "add");        /* [2,1] + [2] */
    OK(BC, "d ** c", "2x3", "pow");
}
END_TEST

START_TEST(test_broadcast_scalars)
{
    OK(BC, "a ** s", "2x3", "pow");
    OK(BC, "s * e", "4x1x3", "mul");
    OK(BC, "a ** 2", "2x3", "pow");
    OK(BC, "2 / a", "2x3", "div");
    OK(BC, "-a", "2x3", "neg");
    OK(BC, "a", "2x3", "identity");       /* y = a is a named copy */
}
END_TEST

START_TEST(test_broadcast_failures)
{
    ERR(BC, "a + f", 7, "add: cannot broadcast 'a' (2x3) with 'f' ([2]): their last dimensions are 3 and 2; "
                        "sizes must be equal or 1");
    ERR(BC, "f - a", 7, "sub: cannot broadcast 'f' ([2]) with 'a' (2x3): their last dimensions are 2 and 3; "
                        "sizes must be equal or 1");
    ERR(BC, "e * f", 7, "mul: cannot broadcast 'e' (4x1x3) with 'f' ([2]): their last dimensions are 3 and 2; "
                        "sizes must be equal or 1");
    ERR(BC, "a / c^T", 7, "div: cannot broadcast 'a' (2x3) with 'c^T' (1x2): their last dimensions are 3 and 2; "
                          "sizes must be equal or 1");
    ERR(BC, "a ** f", 7, "pow: cannot broadcast 'a' (2x3) with 'f' ([2]): their last dimensions are 3 and 2; "
                         "sizes must be equal or 1");
    /* dimensions are counted from the right, as broadcasting aligns them */
    ERR("input a[2,3]\ninput g[5,3]", "a + g", 7, "add: cannot broadcast 'a' (2x3) with 'g' (5x3): their 2nd-to-last "
                                                  "dimensions are 2 and 5; sizes must be equal or 1");
    ERR("input a[4,1,3]\ninput g[5,1,3]", "a + g", 7, "add: cannot broadcast 'a' (4x1x3) with 'g' (5x1x3): their "
                                                      "3rd-to-last dimensions are 4 and 5; sizes must be equal or 1");
    ERR("input a[2,4,1,1]\ninput g[3,1,1]", "g * a", 7, "mul: cannot broadcast 'g' (3x1x1) with 'a' (2x4x1x1): their "
                                                        "3rd-to-last dimensions are 3 and 4; sizes must be equal or 1");
    ERR("input a[2,1,1,1]\ninput g[3,1,1,1]", "g * a", 7, "mul: cannot broadcast 'g' (3x1x1x1) with 'a' (2x1x1x1): their "
                                                          "4th-to-last dimensions are 3 and 2; sizes must be equal or 1");
}
END_TEST

START_TEST(test_failed_operand_fails_quietly)
{
    GraphRun *r = build("input a[2]\ninput b[3]\nc = a + b\nd = sin(c)\ne = d @ d\n");
    ck_assert(!r->ok);
    static const DiagRow want[] = {
        {SEV_ERROR, 3, 7, "add: cannot broadcast 'a' ([2]) with 'b' ([3]): their last "
            "dimensions are 2 and 3; sizes must be equal or 1"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_str_eq(shape_of(r, "c"), "FAILED");
    ck_assert_str_eq(shape_of(r, "d"), "FAILED");
    ck_assert_str_eq(shape_of(r, "e"), "FAILED");
    build_free(r);
}
END_TEST

START_TEST(test_unnamed_operand_named_by_its_text)
{
    ERR("input A[4,6]\ninput x[5,1]", "A @ (x  +  1)", 7,
        "matmul: 'A' is 4x6 and '(x + 1)' is 5x1: the inner dimensions 6 and 5 must be equal");
}
END_TEST

/* ---- unary elementwise ------------------------------------------------------------- */

START_TEST(test_unary_ops_keep_shape)
{
    /* every elementwise function of the registry: a call of one tensor
     * with a diagonal Jacobian and nothing required */
    int seen = 0;
    for (int op = 0; op < OP_COUNT; op++) {
        const OpInfo *o = &gvl_op_table[op];
        bool required = false;
        for (int k = 0; k < o->nparams; k++) required |= gvl_param_is_required(&o->params[k]);
        if (o->form != FORM_CALL || o->max_args != 1 || o->jac[0] != JAC_DIAG || required) continue;
        char expr[64];
        snprintf(expr, sizeof expr, "%s(a)", o->name);
        OK("input a[2,3]", expr, "2x3", o->name);
        snprintf(expr, sizeof expr, "%s(s)", o->name);
        OK("input s", expr, "scalar", o->name);
        seen++;
    }
    ck_assert_int_ge(seen, 12);   /* sin cos tan exp log log1p sqrt abs tanh sigmoid relu leaky_relu */
}
END_TEST

START_TEST(test_unary_ops_arity)
{
    ERR("input a[2,3]", "sin(a, a)", 5, "sin takes 1 argument, but 2 were given");
    ERR("input a[2,3]", "relu()", 5, "relu takes 1 argument, but 0 were given");
    ERR("input a[2,3]", "exp(a, base=2)", 5, "exp takes no options, but was given 'base'");
    /* an optional parameter that may also be given by place */
    OK("input a[2,3]", "leaky_relu(a, 0.2)", "2x3", "leaky_relu");
    OK("input a[2,3]", "leaky_relu(a, negative_slope=-1e-3)", "2x3", "leaky_relu");
    ERR("input a[2,3]", "leaky_relu(a, 0.2, 3)", 5, "leaky_relu takes 1 to 2 arguments, but 3 were given");
    ERR("input a[2,3]", "leaky_relu(a, slope=0.2)", 5, "leaky_relu has no option 'slope' (its options: negative_slope)");
    ERR("input a[2,3]", "leaky_relu(a, negative_slope=a)", 5, "leaky_relu: 'negative_slope' must be a number, found 'a'");
    ERR("input a[2,3]", "leaky_relu(a, 0.1, negative_slope=0.2)", 5, "leaky_relu: 'negative_slope' is given twice");
}
END_TEST

/* ---- matmul, transpose, dot ------------------------------------------------------ */

static const char *const MM = "input A[4,6]\ninput x[6,1]\ninput v[6]\ninput B[5,4,6]\ninput C[1,6,2]\n"
                              "input M[6,2]\ninput u[3]\ninput s\ninput D[2,1,4,6]\ninput E[3,6,2]";

START_TEST(test_matmul_2d)
{
    OK(MM, "A @ x", "4x1", "matmul");
    OK(MM, "A @ M", "4x2", "matmul");
    OK(MM, "matmul(A, x)", "4x1", "matmul");
    OK(MM, "x^T @ A^T", "1x4", "matmul");
}
END_TEST

START_TEST(test_matmul_1d)
{
    OK(MM, "A @ v", "[4]", "matmul");        /* matrix-vector */
    OK(MM, "v @ M", "[2]", "matmul");        /* vector-matrix */
    OK(MM, "v @ v", "scalar", "matmul");   /* inner product */
}
END_TEST

START_TEST(test_matmul_batched)
{
    OK(MM, "B @ M", "5x4x2", "matmul");     /* [5,4,6] @ [6,2] */
    OK(MM, "B @ C", "5x4x2", "matmul");     /* batch 5 with 1 */
    OK(MM, "B @ v", "5x4", "matmul");       /* batched matrix-vector */
    OK(MM, "v @ E", "3x2", "matmul");       /* vector-batched matrix */
    OK(MM, "D @ E", "2x3x4x2", "matmul");   /* batch [2,1] with [3] */
}
END_TEST

START_TEST(test_matmul_failures)
{
    ERR(MM, "A @ u", 7, "matmul: 'A' is 4x6 and 'u' is [3]: the inner dimensions 6 and 3 must be equal");
    ERR(MM, "A @ A", 7, "matmul: 'A' is 4x6 and 'A' is 4x6: the inner dimensions 6 and 4 must be equal");
    ERR(MM, "v @ B", 7, "matmul: 'v' is [6] and 'B' is 5x4x6: the inner dimensions 6 and 4 must be equal");
    ERR(MM, "matmul(x, A)", 5, "matmul: 'x' is 6x1 and 'A' is 4x6: the inner dimensions 1 and 4 must be equal");
    ERR(MM, "s @ A", 7, "matmul: 's' is a scalar ('A' is 4x6); both operands need at least one dimension "
                        "(use * to scale by a scalar)");
    ERR(MM, "A @ s", 7, "matmul: 's' is a scalar ('A' is 4x6); both operands need at least one dimension "
                        "(use * to scale by a scalar)");
    ERR(MM, "2 @ x", 7, "matmul: '2' is a scalar ('x' is 6x1); both operands need at least one dimension "
                        "(use * to scale by a scalar)");
    ERR(MM, "matmul(A)", 5, "matmul takes 2 arguments, but 1 was given");
}
END_TEST

START_TEST(test_matmul_batch_failure)
{
    /* B @ E: inner sizes agree (6), batch sizes 5 and 3 do not.  The message
     * must name each operand with its own shape, not just its batch part. */
    char t[2048];
    snprintf(t, sizeof t, "%s\ny = B @ E\n", MM);
    GraphRun *r = build(t);
    ck_assert(!r->ok);
    ck_assert_ndiags(&r->diag, 1);
    const Diag *d = &r->diag.items[0];
    ck_assert_int_eq(d->sev, SEV_ERROR);
    ck_assert_int_eq(d->line, 11);
    ck_assert_int_eq(d->col, 7);
    ck_assert_msg(strncmp(d->msg, "matmul: cannot broadcast ", 25) == 0, "%s", d->msg);
    ck_assert_msg(strstr(d->msg, "in their batch dimensions") != NULL, "%s", d->msg);
    ck_assert_msg(strstr(d->msg, " 5 and 3") != NULL, "%s", d->msg);
    ck_assert_msg(strstr(d->msg, "'B' (5x4x6)") != NULL, "B's shape is 5x4x6: %s", d->msg);
    ck_assert_msg(strstr(d->msg, "'E' (3x6x2)") != NULL, "E's shape is 3x6x2: %s", d->msg);
    ck_assert_str_eq(shape_of(r, "y"), "FAILED");
    build_free(r);
}
END_TEST

START_TEST(test_transpose)
{
    OK(MM, "A^T", "6x4", "transpose");
    OK(MM, "transpose(A)", "6x4", "transpose");
    OK(MM, "x^T", "1x6", "transpose");
    OK(MM, "v^T", "[6]", "transpose");          /* 1-D: unchanged */
    OK(MM, "s^T", "scalar", "transpose");
    OK(MM, "B^T", "5x6x4", "transpose");      /* 3-D: the last two dims */
    OK(MM, "D^T", "2x1x6x4", "transpose");
    OK(MM, "A^T^T", "4x6", "transpose");
    OK("input T[2,3]", "T^T", "3x2", "transpose");
    ERR(MM, "transpose(A, x)", 5, "transpose takes 1 argument, but 2 were given");
}
END_TEST

START_TEST(test_dot)
{
    OK("input a[2,3]\ninput b[6]", "dot(a, b)", "scalar", "dot");
    OK("input a[6,1]\ninput b[3,2]", "dot(a, b)", "scalar", "dot");
    OK("input a[4]", "dot(a, a)", "scalar", "dot");
    ERR("input a[2,3]\ninput u[5]", "dot(a, u)", 5,
        "dot: 'a' (2x3, 6 elements) and 'u' ([5], 5 elements) must have the same number of elements");
    ERR("input a[2,3]\ninput u[5]", "dot(u, a)", 5,
        "dot: 'u' ([5], 5 elements) and 'a' (2x3, 6 elements) must have the same number of elements");
}
END_TEST

START_TEST(test_dot_message_singular)
{
    /* one element is "1 element", as in the initialiser messages */
    ERR("input a[2,3]\ninput s", "dot(s, a)", 5,
        "dot: 's' (scalar, 1 element) and 'a' (2x3, 6 elements) must have the same number of elements");
    ERR("input a[2,3]", "dot(a)", 5, "dot takes 2 arguments, but 1 was given");
}
END_TEST

START_TEST(test_dot_solves_unknown)
{
    GraphRun *r = build("input a[2,3]\ninput p[?]\ny = dot(p, a)\n");
    ck_assert_clean(r);
    ck_assert_str_eq(shape_of(r, "y"), "scalar");
    ck_assert_str_eq(shape_of(r, "p"), "[6]");
    build_free(r);
}
END_TEST

/* ---- reductions ------------------------------------------------------------------- */

static const char *const RD = "input A[2,3]\ninput B[2,3,4]\ninput v[3]\ninput s";

START_TEST(test_sum_mean_all)
{
    OK(RD, "sum(A)", "scalar", "sum");
    OK(RD, "mean(B)", "scalar", "mean");
    OK(RD, "sum(s)", "scalar", "sum");
}
END_TEST

START_TEST(test_sum_mean_dim)
{
    OK(RD, "sum(A, dim=0)", "[3]", "sum");
    OK(RD, "sum(A, dim=1)", "[2]", "sum");
    OK(RD, "mean(B, dim=1)", "2x4", "mean");
    OK(RD, "mean(B, dim=2)", "2x3", "mean");
    OK(RD, "sum(v, dim=0)", "scalar", "sum");
    OK(RD, "sum(s, dim=0)", "scalar", "sum");
}
END_TEST

START_TEST(test_sum_mean_negative_dim)
{
    OK(RD, "sum(A, dim=-1)", "[2]", "sum");
    OK(RD, "mean(A, dim=-2)", "[3]", "mean");
    OK(RD, "sum(B, dim=-3)", "3x4", "sum");
    OK(RD, "mean(v, dim=-1)", "scalar", "mean");
    OK(RD, "sum(s, dim=-1)", "scalar", "sum");
}
END_TEST

START_TEST(test_reduce_failures)
{
    ERR(RD, "sum(A, dim=2)", 5,
        "sum: dim=2 is out of range for 'A', which has 2 dimensions (2x3); expected a value from -2 to 1");
    ERR(RD, "mean(B, dim=-4)", 5,
        "mean: dim=-4 is out of range for 'B', which has 3 dimensions (2x3x4); expected a value from -3 to 2");
    ERR(RD, "mean(v, dim=-2)", 5,
        "mean: dim=-2 is out of range for 'v', which has 1 dimension ([3]); expected a value from -1 to 0");
    ERR(RD, "sum(s, dim=1)", 5,
        "sum: dim=1 is out of range for 's', which has 0 dimensions (scalar); expected a value from -1 to 0");
    ERR(RD, "sum(A, dim=1.5)", 5, "sum: 'dim' must be a whole number, found '1.5'");
    ERR(RD, "sum(A, axis=0)", 5, "sum has no option 'axis' (its options: dim)");
    ERR(RD, "sum(A, dim=0, dim=1)", 5, "sum: 'dim' is given twice");
    ERR(RD, "mean(A, 0)", 5, "mean takes 1 argument, but 2 were given");
}
END_TEST

START_TEST(test_max_and_norm)
{
    OK(RD, "max(A)", "scalar", "max");
    OK(RD, "max(B)", "scalar", "max");
    OK(RD, "norm(B)", "scalar", "norm");
    OK(RD, "norm(v)", "scalar", "norm");
    ERR(RD, "norm(A, A)", 5, "norm takes 1 argument, but 2 were given");
    ERR(RD, "max()", 5, "max takes 1 argument, but 0 were given");
}
END_TEST

START_TEST(test_max_with_kernel_pools)
{
    /* lab exercise 2: max(x, 2x2) with stride = kernel */
    OK("input x[3,3]", "max(x, 2x2)", "1x1", "maxpool2d");
    OK("input x[4,6]", "max(x, 2x3)", "2x2", "maxpool2d");
    OK("input x[3,3]", "max(x, 2x2, stride=1)", "2x2", "maxpool2d");
    OK("input x[1,2]", "max(x, 1x2)", "1x1", "maxpool2d");
    ERR("input x[3,3]", "max(x, x)", 5, "maxpool2d: 'kernel_size' must be a positive whole number or a size like "
                                        "2x2, found 'x'");
}
END_TEST

/* ---- reshape, vec, hom, dehom ---------------------------------------------------------- */

START_TEST(test_reshape)
{
    OK("input A[2,3]", "reshape(A, [3, 2])", "3x2", "reshape");
    OK("input A[2,3]", "reshape(A, [6])", "[6]", "reshape");
    OK("input A[2,3]", "reshape(A, 6x1)", "6x1", "reshape");
    OK("input A[2,3]", "reshape(A, 1x2x3)", "1x2x3", "reshape");
    OK("input A[2,3]", "reshape(A, [-1])", "[6]", "reshape");
    OK("input A[2,3]", "reshape(A, [3, -1])", "3x2", "reshape");
    OK("input A[2,3]", "reshape(A, [1, -1, 2])", "1x3x2", "reshape");
    OK("input A[2,3]", "reshape(A, shape=[2, 3])", "2x3", "reshape");
}
END_TEST

START_TEST(test_reshape_failures)
{
    ERR("input A[2,3]", "reshape(A, [4, 1])", 5, "reshape: cannot reshape 'A' (2x3, 6 elements) to 4x1 (4 elements): "
                                                 "the number of elements must stay the same");
    ERR("input A[2,3]", "reshape(A, 7x1)", 5, "reshape: cannot reshape 'A' (2x3, 6 elements) to 7x1 (7 elements): "
                                              "the number of elements must stay the same");
    ERR("input A[2,3]", "reshape(A, [-1, -1])", 5, "reshape: only one dimension can be -1");
    ERR("input A[2,3]", "reshape(A, [4, -1])", 5, "reshape: cannot reshape 'A' (2x3, 6 elements): 6 is not a "
                                                  "multiple of 4");
    ERR("input A[2,3]", "reshape(A, [0, 6])", 5, "reshape: dimension 0 is not allowed: use sizes >= 1, or -1 for "
                                                 "one inferred size");
    ERR("input A[2,3]", "reshape(A, [-2, -3])", 5, "reshape: dimension -2 is not allowed: use sizes >= 1, or -1 for "
                                                   "one inferred size");
    ERR("input A[2,3]", "reshape(A)", 5, "reshape needs its 'shape' argument, as in reshape(a, [4, 1])");
    ERR("input A[2,3]", "reshape(A, 6)", 5, "reshape: 'shape' must be a shape like [4, 1] or 4x1, found '6'");
    ERR("input A[2,3]", "reshape(A, [2.5, 1])", 5, "reshape: 'shape' must be a shape like [4, 1] or 4x1, "
                                                   "found '[2.5, 1]'");
}
END_TEST

START_TEST(test_vec)
{
    OK("input A[4,6]", "vec(A)", "24x1", "vec");
    OK("input v[3]", "vec(v)", "3x1", "vec");
    OK("input x[3,1]", "vec(x)", "3x1", "vec");
    OK("input s", "vec(s)", "1x1", "vec");
    OK("input B[2,3,4]", "vec(B)", "24x1", "vec");
    ERR("input A[4,6]", "vec(A, A)", 5, "vec takes 1 argument, but 2 were given");
}
END_TEST

START_TEST(test_hom)
{
    OK("input v[3]", "hom(v)", "[4]", "hom");
    OK("input A[3,5]", "hom(A)", "4x5", "hom");
    OK("input p[5,1]", "hom(p)", "6x1", "hom");
    ERR("input s", "hom(s)", 5, "hom: 's' is a scalar; hom expects a vector [n] or a matrix [n,k] of points in columns");
    ERR("input B[2,3,4]", "hom(B)", 5, "hom: 'B' is 2x3x4; hom expects a vector [n] or a matrix [n,k] of points "
                                       "in columns");
}
END_TEST

START_TEST(test_dehom)
{
    OK("input h[4,5]", "dehom(h)", "3x5", "dehom");
    OK("input g[4]", "dehom(g)", "[3]", "dehom");
    OK("input v[3]", "dehom(hom(v))", "[3]", "dehom");
    OK("input t[2,1]", "dehom(t)", "1x1", "dehom");
    ERR("input r[1,5]", "dehom(r)", 5, "dehom: 'r' has 1 row; dehom needs at least 2 (the last row is the divisor)");
    ERR("input o[1]", "dehom(o)", 5, "dehom: 'o' has 1 row; dehom needs at least 2 (the last row is the divisor)");
    ERR("input s", "dehom(s)", 5, "dehom: 's' is a scalar; dehom expects a vector [n+1] or a matrix [n+1,k] of "
                                  "points in columns");
    ERR("input B[2,3,4]", "dehom(B)", 5, "dehom: 'B' is 2x3x4; dehom expects a vector [n+1] or a matrix [n+1,k] of "
                                         "points in columns");
}
END_TEST

/* ---- conv2d ------------------------------------------------------------------------------ */

START_TEST(test_conv2d_lab_values)
{
    /* lab exercise 2: x 3x3, w 2x2 */
    OK("input x[3,3]\nparam w[2,2]", "conv(x, w, stride=1, padding=0)", "2x2", "conv2d");
    /* floor((3 + 2 - 1 - 1)/3) + 1 = 2 */
    OK("input x[3,3]\nparam w[2,2]", "conv(x, w, stride=3, padding=1)", "2x2", "conv2d");
    /* lab exercise 3: x = [2 1 2], w = [1 0] */
    OK("input x[1,3]\nparam w[1,2]", "conv(x, w)", "1x2", "conv2d");
    OK("input x[1,3]\nparam w[1,2]", "max(conv(x, w), 1x2)", "1x1", "maxpool2d");
}
END_TEST

START_TEST(test_conv2d_2d)
{
    OK("input x[5,7]\nparam w[3,3]", "conv2d(x, w)", "3x5", "conv2d");
    OK("input x[5,7]\nparam w[3,3]", "conv2d(x, w, padding=1)", "5x7", "conv2d");
    /* floor((5 + 2 - 2 - 1)/2) + 1 = 3, floor((7 + 2 - 2 - 1)/2) + 1 = 4 */
    OK("input x[5,7]\nparam w[3,3]", "conv2d(x, w, stride=2, padding=1)", "3x4", "conv2d");
    /* dilation 2: floor((7 - 2*2 - 1)/1) + 1 = 3 */
    OK("input x[7,7]\nparam w[3,3]", "conv2d(x, w, dilation=2)", "3x3", "conv2d");
    OK("input x[3,3]\nparam w[3,3]", "conv2d(x, w)", "1x1", "conv2d");
}
END_TEST

START_TEST(test_conv2d_3d)
{
    OK("input x[3,8,8]\nparam w[16,3,3,3]", "conv2d(x, w)", "16x6x6", "conv2d");
    OK("input x[3,8,8]\nparam w[16,3,3,3]", "conv2d(x, w, padding=1)", "16x8x8", "conv2d");
    /* floor((8 + 2 - 2 - 1)/2) + 1 = 4 */
    OK("input x[3,8,8]\nparam w[16,3,3,3]", "conv2d(x, w, stride=2, padding=1)", "16x4x4", "conv2d");
}
END_TEST

START_TEST(test_conv2d_4d)
{
    /* floor((32 - 4 - 1)/2) + 1 = 14 */
    OK("input x[2,3,32,32]\nparam w[8,3,5,5]", "conv2d(x, w, stride=2)", "2x8x14x14", "conv2d");
    /* floor((9 + 2 - 2*2 - 1)/2) + 1 = 4 */
    OK("input x[1,1,9,9]\nparam w[1,1,3,3]", "conv2d(x, w, stride=2, padding=1, dilation=2)", "1x1x4x4", "conv2d");
}
END_TEST

START_TEST(test_conv2d_pair_options)
{
    /* stride 2x3: floor((10 - 2 - 1)/2) + 1 = 4, floor((12 - 2 - 1)/3) + 1 = 4 */
    OK("input x[10,12]\nparam w[3,3]", "conv2d(x, w, stride=2x3)", "4x4", "conv2d");
    /* padding 1x0: 5 + 2 - 2 = 5 high, 5 - 2 = 3 wide */
    OK("input x[5,5]\nparam w[3,3]", "conv2d(x, w, padding=1x0)", "5x3", "conv2d");
    /* dilation 1x2: 6 - 1 = 5 high, 6 - 2 = 4 wide */
    OK("input x[6,6]\nparam w[2,2]", "conv2d(x, w, dilation=1x2)", "5x4", "conv2d");
    /* a non-square kernel */
    OK("input x[6,6]\nparam w[1,3]", "conv2d(x, w)", "6x4", "conv2d");
}
END_TEST

START_TEST(test_conv2d_padding_strings)
{
    OK("input x[5,6]\nparam w[3,3]", "conv2d(x, w, padding=\"same\")", "5x6", "conv2d");
    OK("input x[5,6]\nparam w[2,2]", "conv2d(x, w, padding=\"same\")", "5x6", "conv2d");      /* even kernel */
    OK("input x[5,6]\nparam w[4,4]", "conv2d(x, w, padding=\"same\", dilation=2)", "5x6", "conv2d");
    OK("input x[2,5,6]\nparam w[4,2,3,3]", "conv(x, w, padding=\"same\")", "4x5x6", "conv2d");
    OK("input x[5,6]\nparam w[3,3]", "conv2d(x, w, padding=\"valid\")", "3x4", "conv2d");
}
END_TEST

START_TEST(test_conv2d_output_too_small)
{
    ERR("input x[3,3]\nparam w[4,4]", "conv(x, w)", 5,
        "conv2d: output height floor((3 + 2*0 - 1*(4-1) - 1)/1) + 1 = 0 < 1 ('x' is 3x3, 'w' is 4x4)");
    ERR("input x[5,3]\nparam w[2,4]", "conv(x, w)", 5,
        "conv2d: output width floor((3 + 2*0 - 1*(4-1) - 1)/1) + 1 = 0 < 1 ('x' is 5x3, 'w' is 2x4)");
    ERR("input x[3,3]\nparam w[5,5]", "conv(x, w)", 5,
        "conv2d: output height floor((3 + 2*0 - 1*(5-1) - 1)/1) + 1 = -1 < 1 ('x' is 3x3, 'w' is 5x5)");
    ERR("input x[5,5]\nparam w[3,3]", "conv(x, w, dilation=3)", 5,
        "conv2d: output height floor((5 + 2*0 - 3*(3-1) - 1)/1) + 1 = -1 < 1 ('x' is 5x5, 'w' is 3x3)");
}
END_TEST

START_TEST(test_conv2d_rank_failures)
{
    ERR("input v[3]\nparam w[2,2]", "conv(v, w)", 5,
        "conv2d: the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but 'v' is [3]");
    ERR("input s\nparam w[2,2]", "conv(s, w)", 5,
        "conv2d: the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but 's' is a scalar");
    ERR("input q[1,1,1,3,3]\nparam w[2,2]", "conv(q, w)", 5,
        "conv2d: the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but 'q' is 1x1x1x3x3");
    ERR("input x[3,8,8]\nparam k[3,3]", "conv(x, k)", 5,
        "conv2d: 'x' is 3-D, so the kernel must be 4-D [O,C,kh,kw], but 'k' is 3x3");
    ERR("input x[3,3]\nparam w[1,1,2,2]", "conv(x, w)", 5,
        "conv2d: 'x' is 2-D, so the kernel must be 2-D [kh,kw], but 'w' is 1x1x2x2");
    ERR("input x[3,3]\nparam b", "conv(x, b)", 5,
        "conv2d: 'x' is 2-D, so the kernel must be 2-D [kh,kw], but 'b' is a scalar");
    ERR("input x[3,8,8]\nparam w[16,4,3,3]", "conv(x, w)", 5,
        "conv2d: 'x' has 3 input channels but 'w' expects 4 ('x' is 3x8x8, 'w' is 16x4x3x3)");
    ERR("input x[2,3,8,8]\nparam w[16,1,3,3]", "conv(x, w)", 5,
        "conv2d: 'x' has 3 input channels but 'w' expects 1 ('x' is 2x3x8x8, 'w' is 16x1x3x3)");
}
END_TEST

START_TEST(test_conv2d_option_failures)
{
    static const char *const D = "input x[5,5]\nparam w[3,3]";
    ERR(D, "conv(x, w, stride=2, padding=\"same\")", 5,
        "conv2d: padding=\"same\" needs stride 1 (as in PyTorch), but stride is 2x2");
    ERR(D, "conv(x, w, stride=0)", 5, "conv2d: 'stride' must be a positive whole number or a size like 2x2, found '0'");
    ERR(D, "conv(x, w, dilation=0)", 5,
        "conv2d: 'dilation' must be a positive whole number or a size like 2x2, found '0'");
    ERR(D, "conv(x, w, stride=1x2x3)", 5,
        "conv2d: 'stride' must be a positive whole number or a size like 2x2, found '1x2x3'");
    ERR(D, "conv(x, w, padding=-1)", 5,
        "conv2d: 'padding' must be a whole number >= 0, a size like 1x0, or \"same\" or \"valid\", found '-1'");
    ERR(D, "conv(x, w, padding=\"full\")", 5,
        "conv2d: 'padding' must be a whole number >= 0, a size like 1x0, or \"same\" or \"valid\", found '\"full\"'");
    ERR(D, "conv(x, w, groups=2)", 5, "conv2d has no option 'groups' (its options: stride, padding, dilation)");
    ERR(D, "conv(x)", 5, "conv2d takes 2 arguments, but 1 was given");
    ERR(D, "conv2d(x, w, 1)", 5, "conv2d takes 2 arguments, but 3 were given");
    ERR(D, "conv(x, w, stride=1, stride=2)", 5, "conv2d: 'stride' is given twice");
}
END_TEST

/* ---- pooling --------------------------------------------------------------------------------- */

START_TEST(test_pool)
{
    OK("input x[4,4]", "maxpool2d(x, 2x2)", "2x2", "maxpool2d");
    OK("input x[4,4]", "maxpool2d(x, 2)", "2x2", "maxpool2d");
    OK("input x[5,5]", "maxpool2d(x, 3, stride=1)", "3x3", "maxpool2d");
    /* floor((5 + 2 - 1 - 1)/1) + 1 = 6 */
    OK("input x[5,5]", "maxpool2d(x, 2, stride=1, padding=1)", "6x6", "maxpool2d");
    /* the explicit stride wins whichever order it is written in */
    OK("input x[5,5]", "maxpool2d(x, stride=1, kernel_size=3)", "3x3", "maxpool2d");
    OK("input x[6,9]", "maxpool2d(x, 2x3, stride=2x3)", "3x3", "maxpool2d");
    OK("input x[4,4]", "max_pool2d(x, 2)", "2x2", "maxpool2d");
    /* ex4: 17 rows pooled by 3x1 */
    OK("input y0[17,1]", "maxpool2d(y0, 3x1)", "5x1", "maxpool2d");
}
END_TEST

START_TEST(test_avgpool)
{
    OK("input x[6,6]", "avgpool2d(x, 3)", "2x2", "avgpool2d");
    /* floor((7 - 1 - 1)/2) + 1 = 3 */
    OK("input x[2,7,7]", "avgpool2d(x, 2x2)", "2x3x3", "avgpool2d");
    /* floor((6 + 2 - 1 - 1)/2) + 1 = 4 */
    OK("input x[1,2,6,6]", "avgpool2d(x, 2, padding=1)", "1x2x4x4", "avgpool2d");
    OK("input x[4,4]", "avg_pool2d(x, 2)", "2x2", "avgpool2d");
}
END_TEST

START_TEST(test_pool_failures)
{
    ERR("input x[5,5]", "maxpool2d(x, 2, padding=2)", 5,
        "maxpool2d: padding 2 is more than half the kernel size 2 (PyTorch requires padding <= kernel/2)");
    ERR("input x[5,5]", "avgpool2d(x, 3x1, padding=1)", 5,
        "avgpool2d: padding 1 is more than half the kernel size 1 (PyTorch requires padding <= kernel/2)");
    ERR("input x[5,5]", "maxpool2d(x)", 5, "maxpool2d needs its 'kernel_size' argument, as in maxpool2d(x, 2x2)");
    ERR("input v[3]", "maxpool2d(v, 2)", 5,
        "maxpool2d: the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but 'v' is [3]");
    ERR("input s", "avgpool2d(s, 2)", 5,
        "avgpool2d: the input must be 2-D [H,W], 3-D [C,H,W] or 4-D [N,C,H,W], but 's' is a scalar");
    ERR("input x[2,2]", "maxpool2d(x, 3)", 5,
        "maxpool2d: output height floor((2 + 2*0 - 1*(3-1) - 1)/3) + 1 = 0 < 1 ('x' is 2x2, kernel 3x3, stride 3x3)");
    ERR("input x[4,4]", "avgpool2d(x, 2, padding=\"same\")", 5, "avgpool2d: padding=\"same\" is only for conv2d");
    ERR("input x[4,4]", "maxpool2d(x, 0)", 5,
        "maxpool2d: 'kernel_size' must be a positive whole number or a size like 2x2, found '0'");
    ERR("input x[4,4]", "maxpool2d(x, 2, dilation=2)", 5,
        "maxpool2d has no option 'dilation' (its options: stride, padding)");
}
END_TEST

START_TEST(test_avgpool_missing_kernel_message)
{
    /* the example in the message is the op the user called */
    ERR("input x[5,5]", "avgpool2d(x)", 5, "avgpool2d needs its 'kernel_size' argument, as in avgpool2d(x, 2x2)");
}
END_TEST

/* ---- softmax, losses ------------------------------------------------------------------------ */

START_TEST(test_softmax)
{
    OK("input v[5]", "softmax(v)", "[5]", "softmax");
    OK("input A[2,3]", "softmax(A, dim=0)", "2x3", "softmax");
    OK("input A[2,3]", "log_softmax(A)", "2x3", "log_softmax");
    OK("input A[2,3]", "log_softmax(A, dim=-2)", "2x3", "log_softmax");
    OK("input s", "softmax(s)", "scalar", "softmax");
    ERR("input A[2,3]", "softmax(A, dim=2)", 5,
        "softmax: dim=2 is out of range for 'A', which has 2 dimensions (2x3); expected a value from -2 to 1");
    ERR("input v[5]", "log_softmax(v, dim=-2)", 5,
        "log_softmax: dim=-2 is out of range for 'v', which has 1 dimension ([5]); expected a value from -1 to 0");
    ERR("input v[5]", "softmax(v, dim=\"x\")", 5, "softmax: 'dim' must be a whole number, found '\"x\"'");
}
END_TEST

START_TEST(test_mse_sse)
{
    OK("input q[4,1]\nlabel t[4,1]", "mse(q, t)", "scalar", "mse");
    OK("input q[4,1]\nlabel t[4,1]", "sse(q, t)", "scalar", "sse");
    OK("input q[4,1]", "mse(q, 0)", "scalar", "mse");
    OK("input q[4,1]\nlabel t[4]", "sse(q, t)", "scalar", "sse");   /* broadcasts as PyTorch does */
    ERR("input q[4,1]\nlabel t[3,1]", "mse(q, t)", 5, "mse: cannot broadcast 'q' (4x1) with 't' (3x1): their 2nd-to-last "
                                                      "dimensions are 4 and 3; sizes must be equal or 1");
    ERR("input q[4,1]\nlabel t[3,1]", "sse(q, t)", 5, "sse: cannot broadcast 'q' (4x1) with 't' (3x1): their 2nd-to-last "
                                                      "dimensions are 4 and 3; sizes must be equal or 1");
    ERR("input q[4,1]", "mse(q)", 5, "mse takes 2 arguments, but 1 was given");
}
END_TEST

START_TEST(test_cross_entropy)
{
    OK("input z[10]", "cross_entropy(z, 3)", "scalar", "cross_entropy");
    OK("input z[1,10]", "cross_entropy(z, 9)", "scalar", "cross_entropy");
    OK("input z[10]\nlabel c", "cross_entropy(z, c)", "scalar", "cross_entropy");
    OK("input Z[5,10]\nlabel c[5]", "cross_entropy(Z, c)", "scalar", "cross_entropy");
    OK("input Z[n,10]\nlabel c[?]", "cross_entropy(Z, c)", "scalar", "cross_entropy");
    OK("input Z[1,3]\nconst c = 2", "cross_entropy(Z, c)", "scalar", "cross_entropy");
    ERR("input z[10]", "cross_entropy(z, 10)", 5, "cross_entropy: class 10 is out of range: 'z' has 10 classes (0 to 9)");
    ERR("input Z[2,10]", "cross_entropy(Z, 1)", 5,
        "cross_entropy: 'Z' is 2x10, a batch of 2 samples, so the classes must be a label [2], but '1' is a scalar");
    ERR("input s", "cross_entropy(s, 0)", 5,
        "cross_entropy: the logits must be [C] for one sample or [N,C] for a batch, but 's' is a scalar");
    ERR("input z[10]", "cross_entropy(z, -1)", 5, "cross_entropy: the class '-1' is not a class index, a whole number >= 0");
    ERR("input z[10]", "cross_entropy(z, 1.5)", 5, "cross_entropy: the class '1.5' is not a class index, a whole number >= 0");
    ERR("input z[10]", "cross_entropy(z)", 5, "cross_entropy takes 2 arguments, but 1 was given");
    ERR("input Z[3,4]\nlabel c[2]", "cross_entropy(Z, c)", 5,
        "cross_entropy: 'Z' holds 3 samples but 'c' holds 2 classes ('Z' is 3x4, 'c' is [2])");
    ERR("input Z[3,4]\nparam c[3]", "cross_entropy(Z, c)", 5,
        "cross_entropy: the classes must be a number or a label of class indices, but 'c' is a param (train would change it)");
    ERR("input Z[3,4]\ninput c[3]", "cross_entropy(Z, c)", 5,
        "cross_entropy: the classes must be a number or a label of class indices, but 'c' is an input (gradcheck would perturb it)");
    ERR("input Z[3,4]\nlabel c[3]", "cross_entropy(Z, c + 1)", 5,
        "cross_entropy: the classes must be a number or a label of class indices, but 'c + 1' is computed");
    ERR("input Z[3,4]\nlabel c[3,1]", "cross_entropy(Z, c)", 5,
        "cross_entropy: the classes must be a scalar for logits [C], or [N] for logits [N,C], but 'c' is 3x1 and 'Z' is 3x4");
}
END_TEST

/* ---- names and ops -------------------------------------------------------------------------- */

START_TEST(test_unknown_ops_and_names)
{
    ERR("input x[2]", "foo(x)", 5, "unknown op 'foo'");
    ERR("input x[2]", "sine(x)", 5, "unknown op 'sine'; did you mean 'sin'?");
    ERR("input x[2]", "conv3d(x, x)", 5, "unknown op 'conv3d'; did you mean 'conv2d'?");
    ERR("input x[2]", "x(1)", 5, "'x' is a tensor, not an op: it cannot be called");
    ERR("input x[2]", "qqq + x", 5, "unknown name 'qqq'");
    ERR("input weight[2]", "wieght + 1", 5, "unknown name 'wieght'; did you mean 'weight'?");
    /* a one- or two-letter name is one edit from any other: no guess */
    ERR("input xx[2]", "xy + 1", 5, "unknown name 'xy'");
    ERR("input x[2]", "sin + x", 5, "'sin' is an op: call it, as in sin(x)");
    ERR("input x[2]", "x + [1, 2]", 9,
        "a list cannot be used as a tensor inside an expression; declare it first, e.g. const c[2] = [1, 2]");
    ERR("input x[2]", "x * 2x2", 9, "a size literal like '2x2' only goes where an op expects a size, as in max(x, 2x2)");
    ERR("input x[2]", "x + \"a\"", 9, "a string only goes in an option, as in padding=\"same\"");
}
END_TEST

/* A message is as long as it needs to be: two 600-character names once
 * cut it at 1024 bytes, mid-word. */
START_TEST(test_long_message_is_whole)
{
    char a[601], b[601], decls[1400], msg[1500];
    memset(a, 'A', 600);
    a[600] = '\0';
    memset(b, 'B', 600);
    b[600] = '\0';
    snprintf(decls, sizeof decls, "input %s[4,6]\ninput %s[5,1]", a, b);
    char expr[1300];
    snprintf(expr, sizeof expr, "%s @ %s", a, b);
    snprintf(msg, sizeof msg, "matmul: '%s' is 4x6 and '%s' is 5x1: the inner dimensions 6 and 5 must be equal", a, b);
    ERR(decls, expr, 606, msg);
}
END_TEST

START_TEST(test_alias_and_symbol_are_not_tensors)
{
    ERR("param W[4,6] as w", "w + 1", 5,
        "'w' is only the name tables use for vec(W); in an expression write vec(W), or W itself");
    ERR("input a[n]", "n + 1", 5, "'n' is a size symbol from a shape, not a tensor");
}
END_TEST

/* ---- sizes at the limit of int64 ---------------------------------------------------------- */

/* Sizes that cannot be represented must be refused with an error (whatever
 * its wording), never wrap around into a negative or small size. */
#define ck_assert_refused(text_, name_)                                                            \
    do {                                                                                           \
        GraphRun *r_ = build(text_);                                                               \
        ck_assert_msg(!r_->ok && r_->diag.errors >= 1, "no error; %s is %s", (name_),              \
                      shape_of(r_, (name_)));                                                      \
        build_free(r_);                                                                            \
    } while (0)

START_TEST(test_hom_at_int64_max)
{
    ck_assert_refused("input v[9223372036854775807]\ny = hom(v)\n", "y");
}
END_TEST

START_TEST(test_conv_padding_at_int64_max)
{
    ck_assert_refused("input x[9223372036854775807,1]\nparam w[1,1]\ny = conv(x, w, padding=1)\n", "y");
    ck_assert_refused("input x[9223372036854775807,1]\ny = maxpool2d(x, 2x1, padding=1x0)\n", "y");
}
END_TEST

START_TEST(test_symbol_offset_at_int64_max)
{
    ck_assert_refused("input a[n]\ninput b[n+5]\ninput c[9223372036854775807]\nd = a + c\n", "b");
}
END_TEST

START_TEST(test_too_many_elements_refused)
{
    ck_assert_shape_error("input x[4294967296,4294967296]\n", NULL, 1, 8,
                          "'x' would have more elements than a 64-bit count can hold");
    ck_assert_shape_error("input A[2,3]\ny = reshape(A, [4294967296, 4294967296])\n", "y", 2, 5,
                          "reshape: the target shape has more elements than a 64-bit count can hold");
}
END_TEST

static Suite *shapes_suite(void)
{
    Suite *s = suite_create("shapes");
    TCase *tc = tcase_create("elementwise");
    tcase_add_test(tc, test_broadcast_same_shape);
    tcase_add_test(tc, test_broadcast_rank_extension);
    tcase_add_test(tc, test_broadcast_ones);
    tcase_add_test(tc, test_broadcast_scalars);
    tcase_add_test(tc, test_broadcast_failures);
    tcase_add_test(tc, test_failed_operand_fails_quietly);
    tcase_add_test(tc, test_unnamed_operand_named_by_its_text);
    tcase_add_test(tc, test_unary_ops_keep_shape);
    tcase_add_test(tc, test_unary_ops_arity);
    suite_add_tcase(s, tc);

    tc = tcase_create("linear algebra");
    tcase_add_test(tc, test_matmul_2d);
    tcase_add_test(tc, test_matmul_1d);
    tcase_add_test(tc, test_matmul_batched);
    tcase_add_test(tc, test_matmul_failures);
    tcase_add_test(tc, test_matmul_batch_failure);
    tcase_add_test(tc, test_transpose);
    tcase_add_test(tc, test_dot);
    tcase_add_test(tc, test_dot_message_singular);
    tcase_add_test(tc, test_dot_solves_unknown);
    suite_add_tcase(s, tc);

    tc = tcase_create("reductions and reshaping");
    tcase_add_test(tc, test_sum_mean_all);
    tcase_add_test(tc, test_sum_mean_dim);
    tcase_add_test(tc, test_sum_mean_negative_dim);
    tcase_add_test(tc, test_reduce_failures);
    tcase_add_test(tc, test_max_and_norm);
    tcase_add_test(tc, test_max_with_kernel_pools);
    tcase_add_test(tc, test_reshape);
    tcase_add_test(tc, test_reshape_failures);
    tcase_add_test(tc, test_vec);
    tcase_add_test(tc, test_hom);
    tcase_add_test(tc, test_dehom);
    suite_add_tcase(s, tc);

    tc = tcase_create("convolution and pooling");
    tcase_add_test(tc, test_conv2d_lab_values);
    tcase_add_test(tc, test_conv2d_2d);
    tcase_add_test(tc, test_conv2d_3d);
    tcase_add_test(tc, test_conv2d_4d);
    tcase_add_test(tc, test_conv2d_pair_options);
    tcase_add_test(tc, test_conv2d_padding_strings);
    tcase_add_test(tc, test_conv2d_output_too_small);
    tcase_add_test(tc, test_conv2d_rank_failures);
    tcase_add_test(tc, test_conv2d_option_failures);
    tcase_add_test(tc, test_pool);
    tcase_add_test(tc, test_avgpool);
    tcase_add_test(tc, test_pool_failures);
    tcase_add_test(tc, test_avgpool_missing_kernel_message);
    suite_add_tcase(s, tc);

    tc = tcase_create("softmax and losses");
    tcase_add_test(tc, test_softmax);
    tcase_add_test(tc, test_mse_sse);
    tcase_add_test(tc, test_cross_entropy);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_unknown_ops_and_names);
    tcase_add_test(tc, test_alias_and_symbol_are_not_tensors);
    tcase_add_test(tc, test_long_message_is_whole);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_hom_at_int64_max);
    tcase_add_test(tc, test_conv_padding_at_int64_max);
    tcase_add_test(tc, test_symbol_offset_at_int64_max);
    tcase_add_test(tc, test_too_many_elements_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(shapes_suite());
}
