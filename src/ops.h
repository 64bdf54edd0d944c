/*
 * ops.h - the op table: one row per op, generated from ops.def.
 *
 * The enum and the table come from the same X-macro, so they cannot drift.
 * Each op also lists its non-tensor parameters (kernel sizes, stride=,
 * dim=, a target shape); the graph builder checks calls against them.
 */
#ifndef GVL_OPS_H
#define GVL_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
#define OP(id, name, lo, hi, rule, params, fwd, bwd) OP_##id,
#include "ops.def"
#undef OP
    OP_COUNT
} OpId;

typedef enum {
    PT_INT,     /* a whole number (dim=-1) */
    PT_PAIR,    /* a positive int or AxB: kernel, stride, dilation */
    PT_PAD,     /* a non-negative int or AxB, or "same" / "valid" */
    PT_SHAPE,   /* [4, 1] or 4x1; one entry may be -1 */
    PT_CLASS,   /* a non-negative whole number */
} ParamType;

typedef struct ParamSpec {
    const char *name;
    ParamType type;
    int position;     /* index among positional arguments, or -1: keyword only */
    bool required;
} ParamSpec;

/* Values of an op's parameters, filled with defaults first. */
typedef struct OpAttrs {
    int64_t kernel[2], stride[2], padding[2], dilation[2];
    bool same;        /* padding="same" */
    bool has_dim;
    int64_t dim;
    int nshape;
    int64_t *shape;   /* reshape target */
    int64_t cls;      /* cross_entropy class */
} OpAttrs;

struct ShapeCtx;
struct Node;
typedef bool (*ShapeRule)(struct ShapeCtx *cx, struct Node *n);

typedef struct OpInfo {
    const char *name;
    int min_args, max_args;
    ShapeRule rule;
    const ParamSpec *params;   /* terminated by a NULL name */
} OpInfo;

extern const OpInfo gvl_op_table[OP_COUNT];

/* The op a call name means ("conv" is conv2d), or -1. */
int gvl_op_lookup(const char *name, size_t len);
/* The closest op name to NAME, for "did you mean", or NULL. */
const char *gvl_op_suggest(const char *name, size_t len);
/* Levenshtein distance, capped at CAP + 1 (cheap for long names). */
int gvl_edit_distance(const char *a, size_t na, const char *b, size_t nb, int cap);

#endif
