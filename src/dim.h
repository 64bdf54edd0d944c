/*
 * dim.h - dimensions that may be unknown: constants, '?', and symbols.
 *
 * A Dim is either a constant or "variable v plus c", so `n+1` and `n-1`
 * share the variable n.  Variables are unified with a union-find whose
 * links carry offsets (value(v) = value(parent(v)) + off), which solves
 * constraints like `6 = n+1` and `n = m` in near-constant time each and
 * keeps the whole front end linear in the size of the file.
 *
 * Two phases use the table.  While checking, the shape rules resolve and
 * unify (gvl_dim_resolve, gvl_dim_known, gvl_dim_unify compress paths as
 * they go).  At the end of checking gvl_dim_freeze points every variable
 * straight at its root; from then on the table is read-only and
 * gvl_dim_eval answers in one step through a const table.
 */
#ifndef GVL_DIM_H
#define GVL_DIM_H

#include "source.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest size of one dimension.  Well below INT64_MAX, so that the
 * offsets of hom, padding and symbols (n+1) can never overflow. */
#define DIM_MAX ((int64_t)1 << 62)

typedef struct Dim {
    int64_t c;   /* the constant, or the offset from the variable */
    int32_t v;   /* -1 for a constant */
} Dim;

static inline Dim dim_const(int64_t c)
{
    Dim d = {c, -1};
    return d;
}

/* VAR_DERIVED: an output size that depends on another, such as pooling's
 * floor((H + c) / s) + 1 when H is not known yet: shown as the formula,
 * and known as soon as H is. */
typedef enum { VAR_ANY, VAR_SYM, VAR_FRESH, VAR_DERIVED } VarKind;

typedef struct DimVar {
    int32_t parent;     /* itself when a root */
    int64_t off;        /* value(this) = value(parent) + off */
    bool bound;         /* root only: value is known */
    int64_t value;
    VarKind kind;
    Span origin;        /* where the '?' or symbol was written */
    Span bound_at;      /* where it got its value */
    Span name;          /* a symbol's text */
    bool has_range;     /* size n in 2..6: the range quiz variants draw from */
    int64_t lo, hi;
    Span range_at;
    bool from_command_line;   /* bound by --set */
    int32_t from;       /* VAR_DERIVED: value = floor((value(from) + from_c) / div) + 1 */
    int64_t from_c, div;
} DimVar;

/* Two different size symbols made equal by a shape rule: a warning once
 * checking is over (frontend.c), since it usually means they were meant
 * to differ. */
typedef struct DimMerge {
    int32_t a, b;       /* the two symbols' variables */
    int64_t ca, cb;     /* made a + ca = b + cb */
    Span at;            /* the rule's place (the op) */
} DimMerge;

typedef struct DimTable {
    const char *text;   /* source text, for symbol names */
    DimVar *v;
    size_t n, cap;
    bool frozen;        /* gvl_dim_freeze ran: no more unification */
    DimMerge *merges;
    size_t nmerges, merges_cap;
} DimTable;

/* The roots that a failed unification involved, for "fixed here" notes. */
typedef struct DimConflict {
    int32_t a, b;       /* variable roots, or -1 */
} DimConflict;

void gvl_dimtab_init(DimTable *t, const char *source_text);
void gvl_dimtab_free(DimTable *t);
int32_t gvl_dim_new_var(DimTable *t, VarKind kind, Span origin, Span name);

/* A / B rounded down (towards minus infinity), as pooling sizes are. */
int64_t gvl_floor_div(int64_t a, int64_t b);

/* A size floor((B + C) / DIV) + 1 for B unknown (B is a resolved Dim). */
int32_t gvl_dim_new_derived(DimTable *t, Span origin, Dim b, int64_t c, int64_t div);
/* For a VAR_DERIVED variable whose base is known: true and *VALUE (which
 * may be below 1: the caller reports that). */
bool gvl_dim_derived_value(const DimTable *t, int32_t v, int64_t *value);

/* ---- while checking ---- */
/* A constant if the value is known, else (root variable, offset). */
Dim gvl_dim_resolve(DimTable *t, Dim d);
bool gvl_dim_known(DimTable *t, Dim d, int64_t *value);
/* Makes A and B equal; false (with the roots involved) if they cannot be.
 * AT is remembered as the place that fixed a variable's value. */
bool gvl_dim_unify(DimTable *t, Dim a, Dim b, Span at, DimConflict *why);
/* The root variable that V currently belongs to. */
const DimVar *gvl_dim_root(DimTable *t, int32_t v);
/* Points every variable straight at its root: the end of checking. */
void gvl_dim_freeze(DimTable *t);

/* ---- at any time, without changing the table ---- */
/* What gvl_dim_resolve would say, found without compressing any path. */
Dim gvl_dim_eval(const DimTable *t, Dim d);
/* True (and *VALUE, if not NULL) when D's value is known. */
bool gvl_dim_value(const DimTable *t, Dim d, int64_t *value);
/* Appends "4", "n", "n+1", "?", "?+1" (ASCII only). */
void gvl_fmt_dim(StrBuf *out, const DimTable *t, Dim d);

#endif
