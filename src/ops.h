/*
 * ops.h - the op registry: everything about an op, generated from its row
 * of ops.def.
 *
 * The enum, the names, the forms, the parameters with their types,
 * defaults and attribute fields, the usage examples, the PyTorch spellings
 * and the Jacobian structures all come from the same X-macro, so they cannot
 * drift.  The shape rules (shape.c) and the kernels (kernels/registry.c)
 * are tables of their own, built from the same rows, so that this registry
 * depends on nothing but itself.
 */
#ifndef GVL_OPS_H
#define GVL_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
#define OP(id, stem, form, lo, hi, rule, jac, alias, over, usage, torch, doc, params) OP_##id,
#include "ops.def"
#undef OP
    OP_COUNT
} OpId;

enum { OP_MAX_ARGS = 2 };     /* tensor arguments of any op */
enum { OP_MAX_PARAMS = 16 };  /* parameters of any op */

/* How an op is written besides a call. */
typedef enum { FORM_CALL, FORM_INFIX, FORM_PREFIX, FORM_POSTFIX, FORM_COUNT } OpForm;

/* The structure of one Jacobian factor, for explain. */
/* JAC_NONE: no such operand; JAC_NO_GRADIENT: an operand no gradient flows
 * back to (cross_entropy's classes). */
typedef enum { JAC_NONE, JAC_IDENTITY, JAC_DIAG, JAC_KRON, JAC_SELECTION, JAC_DENSE, JAC_NO_GRADIENT, JAC_COUNT } JacKind;
extern const char *const gvl_jac_names[];

/* Parameter types, each with the C type of the OpAttrs field it fills. */
typedef enum {
    PT_DIM,     /* a whole number, possibly negative (dim=-1); may stay unset */
    PT_PAIR,    /* a positive int or AxB: kernel, stride, dilation */
    PT_PAD,     /* a non-negative int or AxB, or "same" / "valid" */
    PT_SHAPE,   /* [4, 1] or 4x1; one entry may be -1 */
    PT_REAL,    /* a finite number */
    PT_COUNT
} ParamType;

typedef struct { bool set; int64_t v; } GvlOptInt;          /* PT_DIM */
typedef int64_t GvlPair[2];                                  /* PT_PAIR: rows, columns */
typedef struct { int64_t v[2]; bool same; } GvlPad;          /* PT_PAD */
typedef struct { int n; int64_t *d; } GvlShapeArg;           /* PT_SHAPE */
typedef double GvlReal;                                      /* PT_REAL */
#define GVL_PTYPE_DIM GvlOptInt
#define GVL_PTYPE_PAIR GvlPair
#define GVL_PTYPE_PAD GvlPad
#define GVL_PTYPE_SHAPE GvlShapeArg
#define GVL_PTYPE_REAL GvlReal

/* The values of an op's parameters: one field per parameter name in
 * ops.def, filled with the defaults first, then with what the call says. */
typedef struct OpAttrs {
    GvlOptInt dim;          /* sum, mean, softmax, log_softmax */
    GvlShapeArg shape;      /* reshape */
    GvlPair kernel_size;    /* pools */
    GvlPair stride;         /* conv2d, pools */
    GvlPair dilation;       /* conv2d */
    GvlPad padding;         /* conv2d, pools */
    GvlReal negative_slope; /* leaky_relu */
} OpAttrs;

/* A row's default that makes a parameter required. */
extern const char gvl_param_required[];

typedef struct ParamSpec {
    const char *name;
    ParamType type;
    int position;       /* index among all positional arguments, or -1: by name only */
    const char *def;    /* as written, "=other", NULL (unset), or gvl_param_required */
    size_t offset;      /* of its field in OpAttrs */
} ParamSpec;

typedef struct OpInfo {
    const char *name;
    OpForm form;
    const char *symbol;        /* "+", "-", "^T"; NULL for FORM_CALL */
    int min_args, max_args;
    JacKind jac[OP_MAX_ARGS];
    const char *jac_note[OP_MAX_ARGS];   /* the matrix in words, {0} {1} for the operands; or NULL */
    const char *alias;         /* or NULL */
    int overload_npos;         /* a call with this many positional arguments ... */
    int overload_op;           /* ... means this op instead (-1: none) */
    const char *usage, *torch, *doc;
    const ParamSpec *params;
    int nparams;
} OpInfo;

extern const OpInfo gvl_op_table[];
/* "a whole number", ...: what each parameter type expects, for messages. */
extern const char *const gvl_param_type_desc[];
/* The size of each parameter type's C type. */
extern const size_t gvl_param_type_size[];

/* The op a call name means (its name or its alias), or -1. */
int gvl_op_lookup(const char *name, size_t len);
/* The op written as SYMBOL in FORM ("+" infix is add), or -1. */
int gvl_op_by_symbol(OpForm form, const char *symbol, size_t len);
/* The closest op name to NAME, for "did you mean", or NULL. */
const char *gvl_op_suggest(const char *name, size_t len);
/* True when REQUIRED is P's default. */
bool gvl_param_is_required(const ParamSpec *p);
/* The field P fills in AT. */
void *gvl_param_field(OpAttrs *at, const ParamSpec *p);
const void *gvl_param_field_const(const OpAttrs *at, const ParamSpec *p);

#endif
