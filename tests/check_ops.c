/*
 * check_ops.c - the op registry itself: every row of ops.def is complete
 * and consistent, so a new row cannot be half-written.
 *
 * For every op: its name (and alias, and symbol) finds its own row; its
 * arity, Jacobian structures and parameters agree with each other; every
 * default reads as its parameter's type; its usage example parses as a
 * call that binds to the op without a diagnostic; its PyTorch spelling
 * names only operands and parameters it has.  The registry's name tables
 * have an entry for every value of their enums.
 */
#include "bind.h"
#include "suggest.h"
#include "testutil.h"

#include <ctype.h>

/* Parses TEXT (an expression) as `y = TEXT` and returns its syntax tree,
 * kept alive by R. */
static const Expr *parse_expr_text(ParseRun **r, const char *text)
{
    char line[512];
    snprintf(line, sizeof line, "y = %s\n", text);
    *r = parse(line);
    ck_assert_msg((*r)->n == 1 && (*r)->diag.count == 0, "'%s' does not parse", text);
    return (*r)->stmt[0]->value;
}

START_TEST(test_names_find_their_rows)
{
    const OpInfo *o = &gvl_op_table[_i];
    ck_assert_int_eq(gvl_op_lookup(o->name, strlen(o->name)), _i);
    if (o->alias) ck_assert_int_eq(gvl_op_lookup(o->alias, strlen(o->alias)), _i);
    /* a name is an identifier: users call it */
    for (const char *p = o->name; *p; p++) ck_assert(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_');
    if (o->form == FORM_CALL) {
        ck_assert_ptr_null(o->symbol);
    } else {
        ck_assert_ptr_nonnull(o->symbol);
        ck_assert_int_eq(gvl_op_by_symbol(o->form, o->symbol, strlen(o->symbol)), _i);
        int arity = o->form == FORM_INFIX ? 2 : 1;
        ck_assert_int_eq(o->min_args, arity);
        ck_assert_int_eq(o->max_args, arity);
    }
    ck_assert_ptr_nonnull(o->usage);
    ck_assert_ptr_nonnull(o->torch);
    ck_assert_ptr_nonnull(o->doc);
    ck_assert(o->doc[0] != '\0');
}
END_TEST

START_TEST(test_arity_and_jacobians_agree)
{
    const OpInfo *o = &gvl_op_table[_i];
    ck_assert_int_ge(o->min_args, 1);
    ck_assert_int_le(o->min_args, o->max_args);
    ck_assert_int_le(o->max_args, OP_MAX_ARGS);
    ck_assert_int_le(o->nparams, OP_MAX_PARAMS);
    /* a structure for each operand the op can have, none beyond */
    for (int k = 0; k < OP_MAX_ARGS; k++) {
        if (k < o->max_args) ck_assert_msg(o->jac[k] != JAC_NONE, "%s: operand %d has no Jacobian structure", o->name, k);
        else ck_assert_msg(o->jac[k] == JAC_NONE, "%s: a Jacobian structure for a missing operand %d", o->name, k);
    }
    if (o->overload_op >= 0) {
        ck_assert_int_ne(o->overload_op, _i);
        ck_assert_int_gt(o->overload_npos, o->max_args);
    }
}
END_TEST

START_TEST(test_parameters_are_well_formed)
{
    const OpInfo *o = &gvl_op_table[_i];
    OpAttrs at;
    memset(&at, 0, sizeof at);
    for (int k = 0; k < o->nparams; k++) {
        const ParamSpec *p = &o->params[k];
        ck_assert_int_lt(p->type, PT_COUNT);
        ck_assert_msg(p->offset + gvl_param_type_size[p->type] <= sizeof(OpAttrs), "%s: %s is outside OpAttrs",
                      o->name, p->name);
        /* positional parameters come after the tensors, in order */
        if (p->position >= 0) ck_assert_int_ge(p->position, o->max_args);
        /* a required parameter can be given without a name */
        if (gvl_param_is_required(p)) ck_assert_int_ge(p->position, 0);
        ck_assert_msg(gvl_bind_default(p, &at), "%s: the default '%s' of %s does not read as %s", o->name, p->def,
                      p->name, gvl_param_type_desc[p->type]);
        if (p->def && p->def[0] == '=') {
            bool found = false;
            for (int j = 0; j < o->nparams; j++)
                found |= j != k && !strcmp(o->params[j].name, p->def + 1) && o->params[j].type == p->type;
            ck_assert_msg(found, "%s: %s defaults to '%s', which is not a parameter of the same type", o->name,
                          p->name, p->def);
        }
        for (int j = 0; j < k; j++) ck_assert_str_ne(o->params[j].name, p->name);
    }
}
END_TEST

/* The usage example reads as a call (or operator) that binds to this op. */
START_TEST(test_usage_binds)
{
    const OpInfo *o = &gvl_op_table[_i];
    ParseRun *r;
    const Expr *e = parse_expr_text(&r, o->usage);
    if (o->form == FORM_CALL) {
        ck_assert_int_eq(e->kind, EX_CALL);
        int op = gvl_op_lookup(r->src.text + e->op_span.off, e->op_span.len);
        ck_assert_int_eq(op, _i);
        Arena a;
        gvl_arena_init(&a);
        Binding b;
        BindStatus st = gvl_bind_call(&r->diag, &r->src, &a, op, e, &b);
        ck_assert_msg(st == BIND_OK, "%s: its usage '%s' does not bind: %s", o->name, o->usage,
                      r->diag.count ? r->diag.items[0].msg : "");
        ck_assert_int_eq(b.op, _i);
        ck_assert_int_ge(b.ntensors, o->min_args);
        gvl_arena_free(&a);
    } else {
        ck_assert_ptr_nonnull(strstr(o->usage, o->symbol));
    }
    parse_free(r);
}
END_TEST

/* The Jacobian notes name only the operands the op has. */
START_TEST(test_jacobian_notes_name_its_operands)
{
    const OpInfo *o = &gvl_op_table[_i];
    for (int k = 0; k < OP_MAX_ARGS; k++) {
        const char *note = o->jac_note[k];
        if (k >= o->max_args) ck_assert_ptr_null(note);
        if (!note) continue;
        for (const char *p = strchr(note, '{'); p; p = strchr(p + 1, '{'))
            ck_assert_msg(isdigit((unsigned char)p[1]) && p[2] == '}' && p[1] - '0' < o->max_args,
                          "%s: the note '%s' names something it does not have", o->name, note);
    }
}
END_TEST

/* {0}, {1}, {name} and {,name} in the PyTorch spelling name what the op has. */
START_TEST(test_torch_spelling_names_what_the_op_has)
{
    const OpInfo *o = &gvl_op_table[_i];
    bool used[OP_MAX_ARGS] = {false};
    for (const char *p = strchr(o->torch, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        ck_assert_msg(end != NULL, "%s: unclosed { in '%s'", o->name, o->torch);
        const char *name = p + 1 + (p[1] == ',');
        size_t len = (size_t)(end - name);
        if (len == 1 && isdigit((unsigned char)name[0])) {
            int k = name[0] - '0';
            ck_assert_msg(k < o->max_args, "%s: '%s' uses operand %d", o->name, o->torch, k);
            used[k] = true;
            continue;
        }
        bool found = false;
        for (int k = 0; k < o->nparams; k++)
            found |= strlen(o->params[k].name) == len && !memcmp(o->params[k].name, name, len);
        ck_assert_msg(found, "%s: '%s' names a parameter '%.*s' it does not have", o->name, o->torch, (int)len, name);
    }
    for (int k = 0; k < o->min_args; k++) ck_assert_msg(used[k], "%s: '%s' never uses operand %d", o->name, o->torch, k);
}
END_TEST

START_TEST(test_name_tables_are_complete)
{
    for (int k = 0; k < JAC_COUNT; k++) ck_assert_ptr_nonnull(gvl_jac_names[k]);
    for (int k = 0; k < PT_COUNT; k++) {
        ck_assert_ptr_nonnull(gvl_param_type_desc[k]);
        ck_assert_uint_gt(gvl_param_type_size[k], 0);
    }
    for (int k = 0; k < NK_COUNT; k++) ck_assert_ptr_nonnull(gvl_node_kind_names[k]);
    for (int k = 0; k < SEV_COUNT; k++) ck_assert_ptr_nonnull(gvl_severity_names[k]);
    ck_assert_int_eq(gvl_op_lookup("conv", 4), OP_CONV2D);
    ck_assert_int_eq(gvl_op_lookup("max_pool2d", 10), OP_MAXPOOL2D);
    ck_assert_int_eq(gvl_op_lookup("avg_pool2d", 10), OP_AVGPOOL2D);
    ck_assert_int_eq(gvl_op_lookup("conv1d", 6), -1);
    ck_assert_int_eq(gvl_op_by_symbol(FORM_INFIX, "-", 1), OP_SUB);
    ck_assert_int_eq(gvl_op_by_symbol(FORM_PREFIX, "-", 1), OP_NEG);
    ck_assert_int_eq(gvl_op_by_symbol(FORM_INFIX, "**", 2), OP_POW);
    ck_assert_int_eq(gvl_op_by_symbol(FORM_INFIX, "^", 1), -1);
    ck_assert_int_eq(gvl_edit_distance("sine", 4, "sin", 3, 2), 1);
    ck_assert_int_eq(gvl_edit_distance("kitten", 6, "sitting", 7, 5), 3);
    ck_assert_str_eq(gvl_op_suggest("sine", 4), "sin");
}
END_TEST

/* A parameter whose field holds the wrong C type would not compile (the
 * check in ops.c); here: the field each parameter names is where the
 * binder writes, read back through the typed field. */
START_TEST(test_binding_fills_the_named_fields)
{
    GraphRun *r = build("input x[1,6,6]\nparam w[2,1,3,3]\n"
                        "c = conv2d(x, w, stride=2x1, padding=1, dilation=1x2)\n"
                        "p = maxpool2d(x, 3x2, padding=1x0)\ns = softmax(x)\nt = sum(x, dim=-2)\n"
                        "m = max(x, 2x2)\nr = reshape(x, [2, -1])\n");
    ck_assert_clean(r);
    const OpAttrs *c = node_named(r, "c")->attrs, *p = node_named(r, "p")->attrs;
    ck_assert_int_eq(c->stride[0], 2);
    ck_assert_int_eq(c->stride[1], 1);
    ck_assert_int_eq(c->padding.v[0], 1);
    ck_assert_int_eq(c->padding.v[1], 1);
    ck_assert_int_eq(c->dilation[0], 1);
    ck_assert_int_eq(c->dilation[1], 2);
    ck_assert_int_eq(p->kernel_size[0], 3);
    ck_assert_int_eq(p->kernel_size[1], 2);
    ck_assert_int_eq(p->stride[0], 3);   /* the stride follows the kernel */
    ck_assert_int_eq(p->stride[1], 2);
    ck_assert_int_eq(p->padding.v[0], 1);
    ck_assert_int_eq(p->padding.v[1], 0);
    ck_assert(node_named(r, "s")->attrs->dim.set);   /* softmax's default dim=-1 */
    ck_assert_int_eq(node_named(r, "s")->attrs->dim.v, -1);
    ck_assert(node_named(r, "t")->attrs->dim.set);
    ck_assert_int_eq(node_named(r, "t")->attrs->dim.v, -2);
    ck_assert_int_eq(node_named(r, "m")->op, OP_MAXPOOL2D);   /* max with two arguments pools */
    ck_assert_int_eq(node_named(r, "r")->attrs->shape.n, 2);
    ck_assert_int_eq(node_named(r, "r")->attrs->shape.d[1], -1);
    build_free(r);
    /* an explicit stride wins whichever side of the kernel it is written */
    r = build("input x[6,6]\np = maxpool2d(x, stride=1, kernel_size=2x2)\n");
    ck_assert_clean(r);
    ck_assert_int_eq(node_named(r, "p")->attrs->stride[0], 1);
    ck_assert_str_eq(shape_of(r, "p"), "5x5");
    build_free(r);
    /* sum without dim= leaves it unset: every element */
    r = build("input x[2,3]\ns = sum(x)\n");
    ck_assert(!node_named(r, "s")->attrs->dim.set);
    ck_assert_str_eq(shape_of(r, "s"), "scalar");
    build_free(r);
}
END_TEST

static Suite *ops_suite(void)
{
    Suite *s = suite_create("ops");
    TCase *tc = tcase_create("every row");
    tcase_add_loop_test(tc, test_names_find_their_rows, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_arity_and_jacobians_agree, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_parameters_are_well_formed, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_usage_binds, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_torch_spelling_names_what_the_op_has, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_jacobian_notes_name_its_operands, 0, OP_COUNT);
    suite_add_tcase(s, tc);
    tc = tcase_create("tables and binding");
    tcase_add_test(tc, test_name_tables_are_complete);
    tcase_add_test(tc, test_binding_fills_the_named_fields);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(ops_suite());
}
