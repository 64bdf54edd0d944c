/*
 * bind.h - binding a call's arguments to an op's tensors and parameters.
 *
 * One generic function over the op registry: it applies the op's
 * overloads, checks the number of arguments, matches positional arguments
 * by place and the others by name, reads each value by its parameter's
 * type into the OpAttrs field the registry names, and fills the defaults.
 * No op is special-cased here; what differs between ops is in ops.def.
 */
#ifndef GVL_BIND_H
#define GVL_BIND_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "ops.h"

typedef enum {
    BIND_OK,
    BIND_BAD_ARITY,    /* wrong number of arguments: the call is not lowered further */
    BIND_BAD_PARAMS,   /* a parameter was wrong: the tensors are still lowered, for their own errors */
} BindStatus;

typedef struct Binding {
    int op;                             /* the op after overloads */
    const Expr *tensors[OP_MAX_ARGS];   /* the tensor arguments, in order */
    int ntensors;
    OpAttrs *attrs;                     /* from ARENA; NULL for an op without parameters */
} Binding;

/* Binds CALL (an EX_CALL naming OP, or its alias) into OUT.  Every mistake
 * is reported at the call's name. */
BindStatus gvl_bind_call(DiagSink *d, const Source *src, Arena *arena, int op, const Expr *call, Binding *out);

/* Reads a parameter's default text into AT (used for every parameter not
 * given); false if the text does not read as its type (a registry bug,
 * caught by the registry's tests). */
bool gvl_bind_default(const ParamSpec *p, OpAttrs *at);

#endif
