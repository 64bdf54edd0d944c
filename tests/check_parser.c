/*
 * check_parser.c - statements, precedence, calls, lists, and the parser's
 * error messages and recovery.
 */
#include "testutil.h"

#include <math.h>

/* The value of the only statement of TEXT, fully parenthesised. */
#define ck_assert_expr(text_, want_)                                                                \
    do {                                                                                            \
        ParseRun *r_ = parse(text_);                                                                \
        ck_assert_ndiags(&r_->diag, 0);                                                             \
        ck_assert_int_eq(r_->n, 1);                                                                 \
        ck_assert_int_eq(r_->stmt[0]->kind, ST_ASSIGN);                                             \
        ck_assert_str_eq(expr_str(r_, r_->stmt[0]->value), (want_));                                \
        parse_free(r_);                                                                             \
    } while (0)

/* ---- declarations ---------------------------------------------------------------- */

START_TEST(test_decl_input_with_shape_and_init)
{
    ParseRun *r = parse("input x[2,1] = [2, 1]\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    Stmt *s = r->stmt[0];
    ck_assert_int_eq(s->kind, ST_DECL);
    ck_assert_int_eq(s->decl, DECL_INPUT);
    ck_assert_str_eq(span_str(r, s->span), "input x[2,1] = [2, 1]");
    ck_assert_str_eq(span_str(r, s->name), "x");
    ck_assert(s->has_shape);
    ck_assert_int_eq(s->ndims, 2);
    ck_assert_str_eq(span_str(r, s->shape_span), "[2,1]");
    ck_assert_int_eq(s->dims[0].kind, DIM_INT);
    ck_assert_int_eq(s->dims[0].value, 2);
    ck_assert_str_eq(span_str(r, s->dims[0].span), "2");
    ck_assert_int_eq(s->dims[1].kind, DIM_INT);
    ck_assert_int_eq(s->dims[1].value, 1);
    ck_assert_int_eq(s->alias.len, 0);
    ck_assert_ptr_nonnull(s->init);
    ck_assert_int_eq(s->init->kind, EX_LIST);
    ck_assert_str_eq(expr_str(r, s->init), "[2, 1]");
    parse_free(r);
}
END_TEST

START_TEST(test_decl_each_kind_without_shape)
{
    ParseRun *r = parse("param w\nconst b = 0\nlabel y_t = 2\ninput s\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_int_eq(r->stmt[0]->kind, ST_DECL);
    ck_assert_int_eq(r->stmt[0]->decl, DECL_PARAM);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "w");
    ck_assert(!r->stmt[0]->has_shape);
    ck_assert_int_eq(r->stmt[0]->ndims, 0);
    ck_assert_ptr_null(r->stmt[0]->init);
    ck_assert_int_eq(r->stmt[1]->decl, DECL_CONST);
    ck_assert_str_eq(span_str(r, r->stmt[1]->name), "b");
    ck_assert(!r->stmt[1]->has_shape);
    ck_assert_int_eq(r->stmt[1]->init->kind, EX_NUMBER);
    ck_assert_double_eq(r->stmt[1]->init->num, 0.0);
    ck_assert_int_eq(r->stmt[2]->decl, DECL_LABEL);
    ck_assert_str_eq(span_str(r, r->stmt[2]->name), "y_t");
    ck_assert_int_eq(r->stmt[2]->init->ival, 2);
    ck_assert_int_eq(r->stmt[3]->decl, DECL_INPUT);
    ck_assert_str_eq(span_str(r, r->stmt[3]->span), "input s");
    parse_free(r);
}
END_TEST

START_TEST(test_decl_alias)
{
    ParseRun *r = parse("param W[4,6] as w\nparam V[2,3] as v = 1");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 2);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "W");
    ck_assert_str_eq(span_str(r, r->stmt[0]->alias), "w");
    ck_assert_int_eq(r->stmt[0]->ndims, 2);
    ck_assert_int_eq(r->stmt[0]->dims[0].value, 4);
    ck_assert_int_eq(r->stmt[0]->dims[1].value, 6);
    ck_assert_ptr_null(r->stmt[0]->init);
    ck_assert_str_eq(span_str(r, r->stmt[1]->alias), "v");
    ck_assert_str_eq(expr_str(r, r->stmt[1]->init), "1");
    parse_free(r);
}
END_TEST

START_TEST(test_decl_unknown_and_symbolic_dims)
{
    ParseRun *r = parse("input p[?, n, n+1, m-1, 3]");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    Stmt *s = r->stmt[0];
    ck_assert_int_eq(s->ndims, 5);
    ck_assert_int_eq(s->dims[0].kind, DIM_ANY);
    ck_assert_str_eq(span_str(r, s->dims[0].span), "?");
    ck_assert_int_eq(s->dims[1].kind, DIM_SYM);
    ck_assert_str_eq(span_str(r, s->dims[1].sym), "n");
    ck_assert_int_eq(s->dims[1].offset, 0);
    ck_assert_int_eq(s->dims[2].kind, DIM_SYM);
    ck_assert_str_eq(span_str(r, s->dims[2].sym), "n");
    ck_assert_int_eq(s->dims[2].offset, 1);
    ck_assert_str_eq(span_str(r, s->dims[2].span), "n+1");
    ck_assert_int_eq(s->dims[3].kind, DIM_SYM);
    ck_assert_str_eq(span_str(r, s->dims[3].sym), "m");
    ck_assert_int_eq(s->dims[3].offset, -1);
    ck_assert_str_eq(span_str(r, s->dims[3].span), "m-1");
    ck_assert_int_eq(s->dims[4].kind, DIM_INT);
    ck_assert_int_eq(s->dims[4].value, 3);
    ck_assert_str_eq(span_str(r, s->shape_span), "[?, n, n+1, m-1, 3]");
    parse_free(r);
}
END_TEST

START_TEST(test_decl_init_expressions)
{
    ParseRun *r = parse("param w[2,1] = [pi/2, -pi,]\nconst c = sqrt(2) * exp(1)");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 2);
    /* a trailing comma is allowed */
    ck_assert_int_eq(r->stmt[0]->init->nitems, 2);
    ck_assert_str_eq(expr_str(r, r->stmt[0]->init), "[(pi / 2), (-pi)]");
    ck_assert(r->stmt[0]->init->items[0]->a->is_pi);
    ck_assert_double_eq_tol(r->stmt[0]->init->items[0]->a->num, M_PI, 1e-15);
    ck_assert_str_eq(expr_str(r, r->stmt[1]->init), "(sqrt(2) * exp(1))");
    parse_free(r);
}
END_TEST

/* ---- other statements ------------------------------------------------------------ */

START_TEST(test_assignment)
{
    ParseRun *r = parse("y = sin(w^T @ x) - b\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    Stmt *s = r->stmt[0];
    ck_assert_int_eq(s->kind, ST_ASSIGN);
    ck_assert_str_eq(span_str(r, s->name), "y");
    ck_assert_str_eq(span_str(r, s->span), "y = sin(w^T @ x) - b");
    ck_assert_str_eq(expr_str(r, s->value), "(sin(((w^T) @ x)) - b)");
    ck_assert_str_eq(span_str(r, s->value->span), "sin(w^T @ x) - b");
    ck_assert_str_eq(span_str(r, s->value->op_span), "-");
    ck_assert_int_eq(s->value->op, TK_MINUS);
    parse_free(r);
}
END_TEST

START_TEST(test_loss)
{
    ParseRun *r = parse("loss L");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    ck_assert_int_eq(r->stmt[0]->kind, ST_LOSS);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "L");
    ck_assert_str_eq(span_str(r, r->stmt[0]->span), "loss L");
    parse_free(r);
}
END_TEST

START_TEST(test_optimize_with_options)
{
    ParseRun *r = parse("optimize L lr=0.5 steps=1\noptimize M lr=1e-3, steps=10\noptimize N\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 3);
    Stmt *s = r->stmt[0];
    ck_assert_int_eq(s->kind, ST_OPTIMIZE);
    ck_assert_str_eq(span_str(r, s->name), "L");
    ck_assert_int_eq(s->nopts, 2);
    ck_assert_str_eq(span_str(r, s->opts[0].key), "lr");
    ck_assert_double_eq(s->opts[0].value->num, 0.5);
    ck_assert_str_eq(span_str(r, s->opts[1].key), "steps");
    ck_assert_int_eq(s->opts[1].value->ival, 1);
    s = r->stmt[1];
    ck_assert_str_eq(span_str(r, s->name), "M");
    ck_assert_int_eq(s->nopts, 2);   /* options may be separated by commas */
    ck_assert_double_eq(s->opts[0].value->num, 1e-3);
    ck_assert_int_eq(s->opts[1].value->ival, 10);
    ck_assert_int_eq(r->stmt[2]->nopts, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_semicolons_separate_statements)
{
    ParseRun *r = parse("a = 1; b = a * 2;loss b");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 3);
    ck_assert_str_eq(span_str(r, r->stmt[0]->span), "a = 1");
    ck_assert_str_eq(span_str(r, r->stmt[1]->span), "b = a * 2");
    ck_assert_int_eq(r->stmt[2]->kind, ST_LOSS);
    parse_free(r);
}
END_TEST

START_TEST(test_blank_lines_and_comments)
{
    ParseRun *r = parse("\n\n# only a comment\n   \nx = 1 # trailing\n\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "x");
    parse_free(r);
}
END_TEST

/* ---- precedence and associativity -------------------------------------------------- */

START_TEST(test_unary_minus_below_power)
{
    ck_assert_expr("y = -x**2", "(-(x ** 2))");
    ck_assert_expr("y = -x**2**3", "(-(x ** (2 ** 3)))");
}
END_TEST

START_TEST(test_additive_vs_multiplicative)
{
    ck_assert_expr("y = a + b * c @ d", "(a + ((b * c) @ d))");
    ck_assert_expr("y = a * b + c", "((a * b) + c)");
    ck_assert_expr("y = a - b / c - d", "((a - (b / c)) - d)");
}
END_TEST

START_TEST(test_left_associativity)
{
    ck_assert_expr("y = a - b - c", "((a - b) - c)");
    ck_assert_expr("y = a / b * c @ d", "(((a / b) * c) @ d)");
    ck_assert_expr("y = A @ B @ C", "((A @ B) @ C)");
}
END_TEST

START_TEST(test_power_right_associative)
{
    ck_assert_expr("y = 2 ** 3 ** 2", "(2 ** (3 ** 2))");
    ck_assert_expr("y = x**-2", "(x ** (-2))");
    ck_assert_expr("y = 2 ** -x ** 2", "(2 ** (-(x ** 2)))");
}
END_TEST

START_TEST(test_transpose_binds_tightest)
{
    ck_assert_expr("y = w^T @ x", "((w^T) @ x)");
    ck_assert_expr("y = a^T^T", "((a^T)^T)");
    ck_assert_expr("y = -a^T", "(-(a^T))");
    ck_assert_expr("y = a ** b^T", "(a ** (b^T))");
    ck_assert_expr("y = T^T", "(T^T)");
    ck_assert_expr("y = (a + b)^T", "((a + b)^T)");
}
END_TEST

START_TEST(test_unary_minus_above_multiplicative)
{
    ck_assert_expr("y = -x @ y", "((-x) @ y)");
    ck_assert_expr("y = - -a", "(-(-a))");
    ck_assert_expr("y = a * -b", "(a * (-b))");
}
END_TEST

START_TEST(test_parentheses)
{
    ck_assert_expr("y = (a + b) * c", "((a + b) * c)");
    ck_assert_expr("y = a * (b + c)", "(a * (b + c))");
    ck_assert_expr("y = ((x))", "x");
    ck_assert_expr("y = sin(x)**2", "(sin(x) ** 2)");
}
END_TEST

START_TEST(test_spans_of_operators)
{
    ParseRun *r = parse("y = w^T @ x");
    ck_assert_ndiags(&r->diag, 0);
    Expr *e = r->stmt[0]->value;
    ck_assert_int_eq(e->kind, EX_BINARY);
    ck_assert_int_eq(e->op, TK_AT);
    ck_assert_int_eq(e->op_span.off, 8);
    ck_assert_int_eq(e->op_span.len, 1);
    ck_assert_int_eq(e->a->kind, EX_TRANSPOSE);
    ck_assert_str_eq(span_str(r, e->a->span), "w^T");
    ck_assert_int_eq(e->a->op_span.off, 5);
    ck_assert_int_eq(e->b->kind, EX_NAME);
    ck_assert_str_eq(span_str(r, e->b->span), "x");
    parse_free(r);
}
END_TEST

START_TEST(test_parenthesised_span)
{
    /* the parenthesised text names the node, as written */
    ParseRun *r = parse("y = (a + b) * c");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_str_eq(span_str(r, r->stmt[0]->value->a->span), "(a + b)");
    ck_assert_str_eq(span_str(r, r->stmt[0]->value->span), "(a + b) * c");
    parse_free(r);
}
END_TEST

START_TEST(test_number_literals)
{
    ParseRun *r = parse("y = 2 * 0.5 + pi");
    ck_assert_ndiags(&r->diag, 0);
    Expr *e = r->stmt[0]->value;        /* ((2 * 0.5) + pi) */
    ck_assert_int_eq(e->a->a->kind, EX_NUMBER);
    ck_assert(e->a->a->is_int);
    ck_assert_int_eq(e->a->a->ival, 2);
    ck_assert(!e->a->b->is_int);
    ck_assert_double_eq(e->a->b->num, 0.5);
    ck_assert_int_eq(e->b->kind, EX_NUMBER);
    ck_assert(e->b->is_pi);
    ck_assert_double_eq_tol(e->b->num, M_PI, 1e-15);
    parse_free(r);
}
END_TEST

/* ---- calls and lists ---------------------------------------------------------------- */

START_TEST(test_call_positional_and_keyword)
{
    ParseRun *r = parse("y = conv(x, w, stride=1, padding=0)");
    ck_assert_ndiags(&r->diag, 0);
    Expr *e = r->stmt[0]->value;
    ck_assert_int_eq(e->kind, EX_CALL);
    ck_assert_str_eq(span_str(r, e->op_span), "conv");
    ck_assert_str_eq(span_str(r, e->span), "conv(x, w, stride=1, padding=0)");
    ck_assert_int_eq(e->nargs, 4);
    ck_assert_int_eq(e->args[0].key.len, 0);
    ck_assert_int_eq(e->args[1].key.len, 0);
    ck_assert_str_eq(span_str(r, e->args[2].key), "stride");
    ck_assert_int_eq(e->args[2].value->ival, 1);
    ck_assert_str_eq(span_str(r, e->args[3].key), "padding");
    ck_assert_str_eq(expr_str(r, e), "conv(x, w, stride=1, padding=0)");
    parse_free(r);
}
END_TEST

START_TEST(test_call_size_and_string_args)
{
    ParseRun *r = parse("a = max(x, 2x2)\nb = conv2d(x, w, padding=\"same\", stride=1x2)\nc = f()");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 3);
    Expr *e = r->stmt[0]->value;
    ck_assert_int_eq(e->nargs, 2);
    ck_assert_int_eq(e->args[1].value->kind, EX_SIZE);
    ck_assert_int_eq(e->args[1].value->nsize, 2);
    ck_assert_int_eq(e->args[1].value->size[0], 2);
    ck_assert_int_eq(e->args[1].value->size[1], 2);
    e = r->stmt[1]->value;
    ck_assert_int_eq(e->args[2].value->kind, EX_STRING);
    ck_assert_str_eq(span_str(r, e->args[2].value->span), "\"same\"");
    ck_assert_int_eq(e->args[3].value->kind, EX_SIZE);
    ck_assert_int_eq(e->args[3].value->size[1], 2);
    ck_assert_int_eq(r->stmt[2]->value->kind, EX_CALL);
    ck_assert_int_eq(r->stmt[2]->value->nargs, 0);
    ck_assert_str_eq(expr_str(r, r->stmt[2]->value), "f()");
    parse_free(r);
}
END_TEST

START_TEST(test_nested_calls)
{
    ck_assert_expr("y = sum(sin(W @ x) ** 2, dim=0)", "sum((sin((W @ x)) ** 2), dim=0)");
    ck_assert_expr("y = reshape(a, [4, -1])", "reshape(a, [4, (-1)])");
}
END_TEST

START_TEST(test_nested_list)
{
    ParseRun *r = parse("const m[2,2] = [[1, 2], [3, 4]]");
    ck_assert_ndiags(&r->diag, 0);
    Expr *e = r->stmt[0]->init;
    ck_assert_int_eq(e->kind, EX_LIST);
    ck_assert_int_eq(e->nitems, 2);
    ck_assert_int_eq(e->items[0]->kind, EX_LIST);
    ck_assert_int_eq(e->items[0]->nitems, 2);
    ck_assert_int_eq(e->items[1]->items[1]->ival, 4);
    ck_assert_str_eq(span_str(r, e->span), "[[1, 2], [3, 4]]");
    ck_assert_str_eq(expr_str(r, e), "[[1, 2], [3, 4]]");
    parse_free(r);
}
END_TEST

START_TEST(test_nested_list_over_lines)
{
    ParseRun *r = parse("const m[3,2] = [[1, 2],   # first row\n"
                        "                [3, 4],\n"
                        "\n"
                        "                [5, 6]]\n"
                        "loss m\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 2);
    ck_assert_int_eq(r->stmt[0]->init->nitems, 3);
    ck_assert_str_eq(expr_str(r, r->stmt[0]->init), "[[1, 2], [3, 4], [5, 6]]");
    ck_assert_int_eq(r->stmt[1]->kind, ST_LOSS);
    parse_free(r);
}
END_TEST

START_TEST(test_expression_over_lines_in_parentheses)
{
    ParseRun *r = parse("y = (a +\n     b)\nz = conv(x,\n  w,\n  stride=2)\n");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 2);
    ck_assert_str_eq(expr_str(r, r->stmt[0]->value), "(a + b)");
    ck_assert_str_eq(expr_str(r, r->stmt[1]->value), "conv(x, w, stride=2)");
    parse_free(r);
}
END_TEST

/* ---- errors and recovery ------------------------------------------------------------- */

START_TEST(test_caret_power_error)
{
    ParseRun *r = parse("y = x^2\nz = 1\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 6, "'^' is only for transpose (a^T); write a power as '**', e.g. x**2"},
        {0}};
    expect_diags(&r->diag, want);
    /* the next statement is still parsed */
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    /* and the broken one comes back, marked, with its name */
    ck_assert_int_eq(r->nbroken, 1);
    ck_assert_int_eq(r->broken[0]->kind, ST_ASSIGN);
    ck_assert_str_eq(span_str(r, r->broken[0]->name), "y");
    parse_free(r);
}
END_TEST

START_TEST(test_missing_close_paren_in_call)
{
    ParseRun *r = parse("y = sin(x\nz = x");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 10, "expected ',' or ')' in the call, found the end of the line"},
        {SEV_NOTE, 1, 8, "to match this '('"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_int_eq(r->stmt[0]->kind, ST_ASSIGN);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    ck_assert_str_eq(expr_str(r, r->stmt[0]->value), "x");
    parse_free(r);
}
END_TEST

START_TEST(test_missing_close_paren_at_eof)
{
    ParseRun *r = parse("y = (a + b\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 11, "expected ')', found end of file"},
        {SEV_NOTE, 1, 5, "to match this '('"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_missing_close_bracket)
{
    ParseRun *r = parse("const c[2] = [1, 2\nz = 1");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 19, "expected ',' or ']' in the list, found the end of the line"},
        {SEV_NOTE, 1, 14, "to match this '['"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    parse_free(r);
}
END_TEST

START_TEST(test_missing_close_bracket_in_shape)
{
    ParseRun *r = parse("input x[2\ninput y[3]");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 10, "expected ',' or ']' in the shape, found the end of the line"},
        {SEV_NOTE, 1, 8, "to match this '['"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "y");
    parse_free(r);
}
END_TEST

START_TEST(test_dimension_zero)
{
    ParseRun *r = parse("input x[0]\ninput y[2]\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 9, "dimension 0 is not allowed: every dimension must be at least 1"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "y");
    ck_assert_int_eq(r->stmt[0]->dims[0].value, 2);
    parse_free(r);
}
END_TEST

START_TEST(test_dimension_negative)
{
    ParseRun *r = parse("input x[2, -1]\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 12, "dimension -1 is not allowed: every dimension must be at least 1"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.len, 2);
    ck_assert_int_eq(r->n, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_dimension_not_whole)
{
    ParseRun *r = parse("input x[2.5]\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 9, "dimension 2.5 is not a whole number"},
        {0}};
    expect_diags(&r->diag, want);
    parse_free(r);
}
END_TEST

/* Found by fuzzing: 4e99 was cast to an integer before its range was known
 * (undefined behaviour). A whole number written with an exponent or a point
 * gets the plain spelling; one past 2^62 is too large, however written. */
START_TEST(test_dimension_written_with_exponent)
{
    ParseRun *r = parse("input a[4e99]\ninput b[2e0]\ninput c[1e15]\ninput d[5e18]\ninput e[0.0]\n"
                        "input f[2.5e0]\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 9, "dimension 4e99 is too large (the limit is 2^62 = 4611686018427387904)"},
        {SEV_ERROR, 2, 9, "write dimension 2e0 as a whole number, 2"},
        {SEV_ERROR, 3, 9, "write dimension 1e15 as a whole number, 1000000000000000"},
        {SEV_ERROR, 4, 9, "dimension 5e18 is too large (the limit is 2^62 = 4611686018427387904)"},
        {SEV_ERROR, 5, 9, "dimension 0 is not allowed: every dimension must be at least 1"},
        {SEV_ERROR, 6, 9, "dimension 2.5e0 is not a whole number"},
        {0}};
    expect_diags(&r->diag, want);
    parse_free(r);
}
END_TEST

START_TEST(test_symbol_offset_needs_number)
{
    ParseRun *r = parse("input x[n+]\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 11, "expected a whole number after the symbol's '+', found ']'"},
        {0}};
    expect_diags(&r->diag, want);
    parse_free(r);
}
END_TEST

START_TEST(test_too_deep_parentheses)
{
    char text[1024];
    size_t k = 0;
    k += (size_t)sprintf(text, "y = ");
    for (int i = 0; i < 250; i++) text[k++] = '(';
    text[k++] = 'x';
    for (int i = 0; i < 250; i++) text[k++] = ')';
    strcpy(text + k, "\nz = 1\n");
    ParseRun *r = parse(text);
    ck_assert_ndiags(&r->diag, 1);
    /* each '(' is one level and the whole expression one more, so the
     * token after the 200th '(' is refused: column 4 + 200 + 1 */
    ck_assert_diag(&r->diag, 0, SEV_ERROR, 1, 205, "expression nested too deeply (more than 200 levels)");
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    parse_free(r);
}
END_TEST

START_TEST(test_too_deep_lists)
{
    char text[1024];
    size_t k = 0;
    k += (size_t)sprintf(text, "const c = ");
    for (int i = 0; i < 250; i++) text[k++] = '[';
    text[k++] = '1';
    for (int i = 0; i < 250; i++) text[k++] = ']';
    strcpy(text + k, "\nz = 1\n");
    ParseRun *r = parse(text);
    ck_assert_ndiags(&r->diag, 1);
    /* lists nest like parentheses: column 10 + 200 + 1 */
    ck_assert_diag(&r->diag, 0, SEV_ERROR, 1, 211, "expression nested too deeply (more than 200 levels)");
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    parse_free(r);
}
END_TEST

START_TEST(test_too_deep_unary_minus)
{
    char text[1024];
    size_t k = 0;
    k += (size_t)sprintf(text, "y = ");
    for (int i = 0; i < 300; i++) text[k++] = '-';
    strcpy(text + k, "x\n");
    ParseRun *r = parse(text);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 205, "expression nested too deeply (more than 200 levels)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_depth_limit_not_hit_by_long_flat_expression)
{
    /* a long chain of + is iterative, not nested */
    char text[4096];
    size_t k = (size_t)sprintf(text, "y = x");
    for (int i = 0; i < 500; i++) k += (size_t)sprintf(text + k, "+x");
    ParseRun *r = parse(text);
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    parse_free(r);
}
END_TEST

START_TEST(test_too_long_chain)
{
    /* a + a + ... builds a tree as tall as it is long: the 2000th '+' is refused */
    char *text = malloc(8192);
    size_t k = (size_t)sprintf(text, "y = x");
    for (int i = 0; i < 2100; i++) k += (size_t)sprintf(text + k, "+x");
    strcpy(text + k, "\nz = 1\n");
    ParseRun *r = parse(text);
    free(text);
    ck_assert_ndiags(&r->diag, 1);
    /* the k-th '+' is at offset 5 + 2(k-1): 4003 for k = 2000 */
    ck_assert_diag(&r->diag, 0, SEV_ERROR, 1, 4004,
                   "expression too long (more than 2000 operations deep); split it into several statements");
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    parse_free(r);
}
END_TEST

START_TEST(test_several_errors_each_reported)
{
    ParseRun *r = parse("a = )\nb = 1 +\nc = 1\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 5, "expected an expression, found ')'"},
        {SEV_ERROR, 2, 8, "expected an expression, found the end of the line"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "c");
    parse_free(r);
}
END_TEST

START_TEST(test_reserved_word_as_name)
{
    ParseRun *r = parse("input loss\ny = input\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 7, "expected a name after 'input', found 'loss', which is a reserved word"},
        {SEV_ERROR, 2, 5, "expected an expression, found 'input' (a reserved word)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_statement_errors)
{
    ParseRun *r = parse("x y\nx[2] = 1\n= 3\ny = 2 b\noptimize L 5\nok = 1\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 3, "expected '=' after the name, found 'y'"},
        {SEV_ERROR, 2, 1, "expected '=' after 'x': to declare a tensor, start with input, param, const or label"},
        {SEV_ERROR, 3, 1, "expected a statement (a declaration, an assignment, 'loss' or 'optimize'), found '='"},
        {SEV_ERROR, 4, 7, "expected the end of the statement, found 'b' (write '2 * b' to multiply)"},
        {SEV_ERROR, 5, 12, "expected an option like lr=0.5 or steps=10, found '5'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "ok");
    parse_free(r);
}
END_TEST

START_TEST(test_empty_list_and_lone_caret)
{
    ParseRun *r = parse("y = []\nz = ^T\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 6, "empty list: a list needs at least one value"},
        {SEV_ERROR, 2, 5, "expected an expression before '^'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 0);
    parse_free(r);
}
END_TEST

START_TEST(test_lexer_error_inside_statement)
{
    /* one mistake, one message: the parser does not report the text the
     * lexer rejected again; the statement is dropped, the next one parsed */
    ParseRun *r = parse("y = a $ + b\nw = 2y\nz = 1\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 7, "unexpected character '$'"},
        {SEV_ERROR, 2, 5, "malformed number '2y' (write '2 * y' to multiply)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 1);
    ck_assert_str_eq(span_str(r, r->stmt[0]->name), "z");
    parse_free(r);
}
END_TEST

static Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("statements");
    tcase_add_test(tc, test_decl_input_with_shape_and_init);
    tcase_add_test(tc, test_decl_each_kind_without_shape);
    tcase_add_test(tc, test_decl_alias);
    tcase_add_test(tc, test_decl_unknown_and_symbolic_dims);
    tcase_add_test(tc, test_decl_init_expressions);
    tcase_add_test(tc, test_assignment);
    tcase_add_test(tc, test_loss);
    tcase_add_test(tc, test_optimize_with_options);
    tcase_add_test(tc, test_semicolons_separate_statements);
    tcase_add_test(tc, test_blank_lines_and_comments);
    suite_add_tcase(s, tc);

    tc = tcase_create("precedence");
    tcase_add_test(tc, test_unary_minus_below_power);
    tcase_add_test(tc, test_additive_vs_multiplicative);
    tcase_add_test(tc, test_left_associativity);
    tcase_add_test(tc, test_power_right_associative);
    tcase_add_test(tc, test_transpose_binds_tightest);
    tcase_add_test(tc, test_unary_minus_above_multiplicative);
    tcase_add_test(tc, test_parentheses);
    tcase_add_test(tc, test_spans_of_operators);
    tcase_add_test(tc, test_parenthesised_span);
    tcase_add_test(tc, test_number_literals);
    suite_add_tcase(s, tc);

    tc = tcase_create("calls and lists");
    tcase_add_test(tc, test_call_positional_and_keyword);
    tcase_add_test(tc, test_call_size_and_string_args);
    tcase_add_test(tc, test_nested_calls);
    tcase_add_test(tc, test_nested_list);
    tcase_add_test(tc, test_nested_list_over_lines);
    tcase_add_test(tc, test_expression_over_lines_in_parentheses);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_caret_power_error);
    tcase_add_test(tc, test_missing_close_paren_in_call);
    tcase_add_test(tc, test_missing_close_paren_at_eof);
    tcase_add_test(tc, test_missing_close_bracket);
    tcase_add_test(tc, test_missing_close_bracket_in_shape);
    tcase_add_test(tc, test_dimension_zero);
    tcase_add_test(tc, test_dimension_negative);
    tcase_add_test(tc, test_dimension_not_whole);
    tcase_add_test(tc, test_dimension_written_with_exponent);
    tcase_add_test(tc, test_symbol_offset_needs_number);
    tcase_add_test(tc, test_too_deep_parentheses);
    tcase_add_test(tc, test_too_deep_lists);
    tcase_add_test(tc, test_too_deep_unary_minus);
    tcase_add_test(tc, test_depth_limit_not_hit_by_long_flat_expression);
    tcase_add_test(tc, test_too_long_chain);
    tcase_add_test(tc, test_several_errors_each_reported);
    tcase_add_test(tc, test_reserved_word_as_name);
    tcase_add_test(tc, test_statement_errors);
    tcase_add_test(tc, test_empty_list_and_lone_caret);
    tcase_add_test(tc, test_lexer_error_inside_statement);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(parser_suite());
}
