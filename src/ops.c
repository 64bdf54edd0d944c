/*
 * ops.c - the op registry built from ops.def, and op-name lookup with
 * suggestions.
 */
#include "ops.h"

#include "suggest.h"

#include <string.h>

const char gvl_param_required[] = "(required)";

const char *const gvl_jac_names[] = {
    [JAC_NONE] = "none",       [JAC_IDENTITY] = "identity", [JAC_DIAG] = "diag",
    [JAC_KRON] = "kron",       [JAC_SELECTION] = "selection", [JAC_DENSE] = "dense", [JAC_NO_GRADIENT] = "no gradient",
};
_Static_assert(sizeof gvl_jac_names / sizeof gvl_jac_names[0] == JAC_COUNT, "a name per Jacobian kind");

const char *const gvl_param_type_desc[] = {
    [PT_DIM] = "a whole number",
    [PT_PAIR] = "a positive whole number or a size like 2x2",
    [PT_PAD] = "a whole number >= 0, a size like 1x0, or \"same\" or \"valid\"",
    [PT_SHAPE] = "a shape like [4, 1] or 4x1",
    [PT_REAL] = "a number",
};
_Static_assert(sizeof gvl_param_type_desc / sizeof gvl_param_type_desc[0] == PT_COUNT, "a description per type");

const size_t gvl_param_type_size[] = {
    [PT_DIM] = sizeof(GVL_PTYPE_DIM),     [PT_PAIR] = sizeof(GVL_PTYPE_PAIR), [PT_PAD] = sizeof(GVL_PTYPE_PAD),
    [PT_SHAPE] = sizeof(GVL_PTYPE_SHAPE), [PT_REAL] = sizeof(GVL_PTYPE_REAL),
};
_Static_assert(sizeof gvl_param_type_size / sizeof gvl_param_type_size[0] == PT_COUNT, "a size per type");

/* The row's column macros, expanded into OpInfo fields. */
#define CALL FORM_CALL, NULL
#define INFIX(s) FORM_INFIX, s
#define PREFIX(s) FORM_PREFIX, s
#define POSTFIX(s) FORM_POSTFIX, s
#define JAC1(k, note) {JAC_##k, JAC_NONE}, {note, NULL}
#define JAC2(k0, note0, k1, note1) {JAC_##k0, JAC_##k1}, {note0, note1}
#define NO_NOTE NULL
#define NO_ALIAS NULL
#define NO_OVERLOAD 0, -1
#define OVERLOAD(n, other) n, OP_##other
#define KW (-1)
#define REQUIRED gvl_param_required
#define NO_DEFAULT NULL
/* A parameter's field must have its type's C type: a mismatch makes a
 * negative array size, so the build fails instead of writing the wrong
 * field at run time. */
#define PARAM_FIELD_CHECK(TYPE, field) \
    (0 * sizeof(char[_Generic(&((OpAttrs *)0)->field, GVL_PTYPE_##TYPE *: 1, default: -1)]))
#define PARAM(field, TYPE, pos, def) \
    {#field, PT_##TYPE, pos, def, offsetof(OpAttrs, field) + PARAM_FIELD_CHECK(TYPE, field)}
#define PARAMS(...) (const ParamSpec[]){__VA_ARGS__}, \
    (int)(sizeof((const ParamSpec[]){__VA_ARGS__}) / sizeof(ParamSpec))
#define NO_PARAMS NULL, 0

const OpInfo gvl_op_table[] = {
#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params) \
    {#stem, form, lo, hi, jac, alias, over, usage, torch, doc, params},
#include "ops.def"
#undef OP
};
_Static_assert(sizeof gvl_op_table / sizeof gvl_op_table[0] == OP_COUNT, "a registry entry per op");

int gvl_op_lookup(const char *name, size_t len)
{
    for (int i = 0; i < OP_COUNT; i++) {
        const OpInfo *o = &gvl_op_table[i];
        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0) return i;
        if (o->alias && strlen(o->alias) == len && memcmp(o->alias, name, len) == 0) return i;
    }
    return -1;
}

int gvl_op_by_symbol(OpForm form, const char *symbol, size_t len)
{
    for (int i = 0; i < OP_COUNT; i++) {
        const OpInfo *o = &gvl_op_table[i];
        if (o->form == form && strlen(o->symbol) == len && memcmp(o->symbol, symbol, len) == 0) return i;
    }
    return -1;
}

bool gvl_param_is_required(const ParamSpec *p)
{
    return p->def == gvl_param_required;
}

void *gvl_param_field(OpAttrs *at, const ParamSpec *p)
{
    return (char *)at + p->offset;
}

const void *gvl_param_field_const(const OpAttrs *at, const ParamSpec *p)
{
    return (const char *)at + p->offset;
}

const char *gvl_op_suggest(const char *name, size_t len)
{
    const char *best = NULL;
    int best_d = len <= 3 ? 1 : 2;
    for (int i = 0; i < OP_COUNT; i++) {
        int d = gvl_edit_distance(name, len, gvl_op_table[i].name, strlen(gvl_op_table[i].name), best_d);
        if (d <= best_d && (!best || d < best_d)) {
            best = gvl_op_table[i].name;
            best_d = d;
        }
    }
    return best;
}
