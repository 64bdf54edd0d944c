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

int64_t gvl_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool gvl_dim_derived_value(const DimTable *t, int32_t v, int64_t *value)
{
    const DimVar *x = &t->v[v];
    if (x->kind != VAR_DERIVED) return false;
    Dim b = gvl_dim_eval(t, (Dim){x->from_c, x->from});
    if (b.v >= 0) return false;
    *value = gvl_floor_div(b.c, x->div) + 1;
    return true;
}

int32_t gvl_dim_new_derived(DimTable *t, Span origin, Dim b, int64_t c, int64_t div)
{
    assert(b.v >= 0 && div > 0);
    int32_t v = gvl_dim_new_var(t, VAR_DERIVED, origin, span_make(0, 0));
    t->v[v].from = b.v;
    t->v[v].from_c = b.c + c;
    t->v[v].div = div;
    return v;
}

/* A root's value: bound, or derived from a base that is known by now. */
static bool root_value(const DimTable *t, int32_t r, int64_t *value)
{
    if (t->v[r].bound) {
        *value = t->v[r].value;
        return true;
    }
    return gvl_dim_derived_value(t, r, value) && *value >= 1;
}

static Dim resolved(const DimTable *t, Dim d, int32_t r, int64_t off)
{
    int64_t value;
    if (root_value(t, r, &value)) return dim_const(value + off + d.c);
    Dim out = {off + d.c, r};
    return out;
}

Dim gvl_dim_resolve(DimTable *t, Dim d)
{
    if (d.v < 0) return d;
    int64_t off;
    int32_t r = find(t, d.v, &off);
    int64_t value;
    if (!t->v[r].bound && root_value(t, r, &value)) {
        /* a derived size whose base is now known: known from here on */
        t->v[r].bound = true;
        t->v[r].value = value;
        t->v[r].bound_at = t->v[r].origin;
    }
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

/* Which root names a linked class: a symbol, else a formula, else '?'. */
static int rank(VarKind k)
{
    return k == VAR_SYM ? 2 : k == VAR_DERIVED ? 1 : 0;
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
    if (rank(t->v[ra.v].kind) > rank(t->v[rb.v].kind)) {
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
    if (v->kind == VAR_DERIVED) {
        /* floor((B + c) / s) + 1 is floor((B + c + s) / s) */
        StrBuf b = {0};
        Dim base = {v->from_c + v->div, v->from};
        gvl_fmt_dim(&b, t, base);
        bool bare = gvl_dim_eval(t, base).c == 0 && !strpbrk(gvl_sb_str(&b), "+-");
        gvl_sb_printf(out, bare ? "floor(%s/%lld)" : "floor((%s)/%lld)", gvl_sb_str(&b), (long long)v->div);
        gvl_sb_free(&b);
    } else if (v->kind != VAR_SYM) gvl_sb_add(out, "?");
    else gvl_sb_addn(out, t->text + v->name.off, v->name.len);
    if (r.c != 0) gvl_sb_printf(out, "%+lld", (long long)r.c);
}
