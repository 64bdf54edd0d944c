/*
 * dim.c - the union-find behind shape inference.
 *
 * When two roots are linked, a symbol's root wins so that unresolved
 * sizes print as `n+1` rather than as an anonymous `?`.
 */
#include "dim.h"

#include "arena.h"

#include <assert.h>
#include <string.h>

void gvl_dimtab_init(DimTable *t, const char *source_text)
{
    memset(t, 0, sizeof *t);
    t->text = source_text;
}

void gvl_dimtab_free(DimTable *t)
{
    free(t->v);
    free(t->merges);
    memset(t, 0, sizeof *t);
}

int32_t gvl_dim_new_var(DimTable *t, VarKind kind, Span origin, Span name)
{
    assert(!t->frozen);
    DimVar v;
    memset(&v, 0, sizeof v);
    v.parent = (int32_t)t->n;
    v.kind = kind;
    v.origin = origin;
    v.name = name;
    VEC_PUSH(t->v, t->n, t->cap, v);
    return (int32_t)(t->n - 1);
}

/* Root of V with path compression; *off receives value(V) - value(root). */
static int32_t find(DimTable *t, int32_t v, int64_t *off)
{
    int64_t total = 0;
    int32_t r = v;
    while (t->v[r].parent != r) {
        total += t->v[r].off;
        r = t->v[r].parent;
    }
    /* compress: point every node on the path straight at the root */
    int64_t rest = total;
    while (t->v[v].parent != v) {
        int32_t next = t->v[v].parent;
        int64_t o = t->v[v].off;
        t->v[v].parent = r;
        t->v[v].off = rest;
        rest -= o;
        v = next;
    }
    *off = total;
    return r;
}

/* The same walk without compressing. */
static int32_t find_const(const DimTable *t, int32_t v, int64_t *off)
{
    int64_t total = 0;
    while (t->v[v].parent != v) {
        total += t->v[v].off;
        v = t->v[v].parent;
    }
    *off = total;
    return v;
}

static Dim resolved(const DimTable *t, Dim d, int32_t r, int64_t off)
{
    if (t->v[r].bound) return dim_const(t->v[r].value + off + d.c);
    Dim out = {off + d.c, r};
    return out;
}

Dim gvl_dim_resolve(DimTable *t, Dim d)
{
    if (d.v < 0) return d;
    int64_t off;
    int32_t r = find(t, d.v, &off);
    return resolved(t, d, r, off);
}

Dim gvl_dim_eval(const DimTable *t, Dim d)
{
    if (d.v < 0) return d;
    int64_t off;
    int32_t r = find_const(t, d.v, &off);
    return resolved(t, d, r, off);
}

bool gvl_dim_known(DimTable *t, Dim d, int64_t *value)
{
    Dim r = gvl_dim_resolve(t, d);
    if (r.v >= 0) return false;
    if (value) *value = r.c;
    return true;
}

bool gvl_dim_value(const DimTable *t, Dim d, int64_t *value)
{
    Dim r = gvl_dim_eval(t, d);
    if (r.v >= 0) return false;
    if (value) *value = r.c;
    return true;
}

bool gvl_dim_unify(DimTable *t, Dim a, Dim b, Span at, DimConflict *why)
{
    assert(!t->frozen);
    Dim ra = gvl_dim_resolve(t, a), rb = gvl_dim_resolve(t, b);
    if (why) why->a = why->b = -1;
    if (ra.v < 0 && rb.v < 0) {
        if (ra.c == rb.c) return true;
        if (why) { why->a = a.v >= 0 ? a.v : -1; why->b = b.v >= 0 ? b.v : -1; }
        return false;
    }
    if (ra.v < 0 || rb.v < 0) {
        Dim var = ra.v >= 0 ? ra : rb, con = ra.v >= 0 ? rb : ra;
        int64_t value = con.c - var.c;   /* root + var.c = con.c */
        if (value < 1) {
            if (why) why->a = var.v;
            return false;
        }
        t->v[var.v].bound = true;
        t->v[var.v].value = value;
        t->v[var.v].bound_at = at;
        return true;
    }
    if (ra.v == rb.v) {
        if (ra.c == rb.c) return true;
        if (why) why->a = ra.v;
        return false;
    }
    /* link one root under the other: root_a + ca = root_b + cb */
    int32_t child = ra.v, parent = rb.v;
    int64_t off = rb.c - ra.c;           /* value(root_a) = value(root_b) + off */
    if (t->v[ra.v].kind == VAR_SYM && t->v[rb.v].kind != VAR_SYM) {
        child = rb.v;
        parent = ra.v;
        off = -off;
    }
    if (t->v[ra.v].kind == VAR_SYM && t->v[rb.v].kind == VAR_SYM) {
        if (t->nmerges == t->merges_cap) {
            t->merges_cap = t->merges_cap ? 2 * t->merges_cap : 4;
            t->merges = gvl_xrealloc(t->merges, t->merges_cap * sizeof *t->merges);
        }
        t->merges[t->nmerges++] = (DimMerge){ra.v, rb.v, ra.c, rb.c, at};
    }
    t->v[child].parent = parent;
    t->v[child].off = off;
    return true;
}

const DimVar *gvl_dim_root(DimTable *t, int32_t v)
{
    int64_t off;
    return &t->v[find(t, v, &off)];
}

void gvl_dim_freeze(DimTable *t)
{
    for (size_t i = 0; i < t->n; i++) {
        int64_t off;
        find(t, (int32_t)i, &off);
    }
    t->frozen = true;
}

void gvl_fmt_dim(StrBuf *out, const DimTable *t, Dim d)
{
    Dim r = gvl_dim_eval(t, d);
    if (r.v < 0) {
        gvl_sb_add_int(out, r.c);
        return;
    }
    const DimVar *v = &t->v[r.v];
    if (v->kind != VAR_SYM) gvl_sb_add(out, "?");
    else gvl_sb_addn(out, t->text + v->name.off, v->name.len);
    if (r.c != 0) gvl_sb_printf(out, "%+lld", (long long)r.c);
}
