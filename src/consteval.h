/*
 * consteval.h - constant expressions: initialisers and option values.
 *
 * `param w[2,1] = [pi/2, pi]` and `optimize L lr=1e-3` are evaluated here,
 * in double precision, with no graph nodes involved.
 */
#ifndef GVL_CONSTEVAL_H
#define GVL_CONSTEVAL_H

#include "arena.h"
#include "ast.h"
#include "diag.h"

#include <stdbool.h>

enum { INIT_MAX_DEPTH = 64 };

typedef struct InitList {
    int depth;                      /* 0 for a single value, 1 for [a, b], ... */
    int64_t dims[INIT_MAX_DEPTH];   /* the nested list's sizes */
    double *vals;                   /* row-major */
    int64_t n;
    bool nonfinite;                 /* a value is NaN or infinite (warned once, at the first) */
} InitList;

/* Numbers, pi, + - * / **, unary minus, sqrt sin cos exp log.  Reports
 * anything else (a name, a list, another call) and returns false. */
bool gvl_const_eval(DiagSink *d, const Source *src, const Expr *e, double *out);
/* A whole number written as a literal, possibly negated (dim=-1, steps=10);
 * false for anything else, with no message. */
bool gvl_const_int(const Expr *e, int64_t *out);
/* A value or a (nested) list of values; lists must be rectangular. */
bool gvl_const_init(DiagSink *d, const Source *src, Arena *arena, const Expr *e, InitList *out);

#endif
