/*
 * ops.c - the op table built from ops.def, the parameter lists of the ops
 * that take sizes or options, and op-name lookup with suggestions.
 */
#include "ops.h"

#include "shape.h"

#include <string.h>

static const ParamSpec params_none[] = {{NULL, PT_INT, -1, false}};
static const ParamSpec params_dim[] = {{"dim", PT_INT, -1, false}, {NULL, PT_INT, -1, false}};
static const ParamSpec params_softmax[] = {{"dim", PT_INT, -1, false}, {NULL, PT_INT, -1, false}};
static const ParamSpec params_shape[] = {{"shape", PT_SHAPE, 1, true}, {NULL, PT_INT, -1, false}};
static const ParamSpec params_conv[] = {
    {"stride", PT_PAIR, -1, false},
    {"padding", PT_PAD, -1, false},
    {"dilation", PT_PAIR, -1, false},
    {NULL, PT_INT, -1, false},
};
static const ParamSpec params_pool[] = {
    {"kernel_size", PT_PAIR, 1, true},
    {"stride", PT_PAIR, -1, false},
    {"padding", PT_PAD, -1, false},
    {NULL, PT_INT, -1, false},
};
static const ParamSpec params_class[] = {{"class", PT_CLASS, 1, true}, {NULL, PT_INT, -1, false}};

const OpInfo gvl_op_table[OP_COUNT] = {
#define OP(id, name, lo, hi, rule, params, fwd, bwd) {name, lo, hi, rule, params},
#include "ops.def"
#undef OP
};

/* Other spellings users write for the same op. */
static const struct {
    const char *alias;
    OpId op;
} op_aliases[] = {
    {"conv", OP_CONV2D},
    {"max_pool2d", OP_MAXPOOL2D},
    {"avg_pool2d", OP_AVGPOOL2D},
};

int gvl_op_lookup(const char *name, size_t len)
{
    for (int i = 0; i < OP_COUNT; i++)
        if (strlen(gvl_op_table[i].name) == len && memcmp(gvl_op_table[i].name, name, len) == 0) return i;
    for (size_t i = 0; i < sizeof op_aliases / sizeof op_aliases[0]; i++)
        if (strlen(op_aliases[i].alias) == len && memcmp(op_aliases[i].alias, name, len) == 0)
            return (int)op_aliases[i].op;
    return -1;
}

int gvl_edit_distance(const char *a, size_t na, const char *b, size_t nb, int cap)
{
    /* Levenshtein plus swaps of neighbours ("cots" for "cost" is one typo) */
    if (na > 64 || nb > 64) return cap + 1;
    int rows[3][65];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++) prev[j] = (int)j;
    int prev_best = 0;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int v = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < best) best = v;
        }
        /* a row only grows from the two rows before it */
        if (best > cap && prev_best > cap) return cap + 1;
        prev_best = best;
        int *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
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
