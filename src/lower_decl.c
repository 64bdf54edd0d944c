/*
 * lower_decl.c - declarations into leaves: the declared shape with its
 * symbols and '?', the `as` alias, and the initialiser checked against the
 * shape (which may solve sizes: `input p[?] = [1, 2]`).
 */
#include "lower.h"

#include "consteval.h"

#include <string.h>

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

void gvl_lower_bind(Graph *g, Span name, Node *n)
{
    NameSlot *e = gvl_names_insert(&g->names, name);
    n->version = e->node ? e->node->version + 1 : 0;
    n->named = true;
    n->name = name;
    e->node = n;
}

const Node *gvl_lower_alias_owner(const Graph *g, Span name)
{
    const NameSlot *e = gvl_names_find(&g->aliases, txt(g, name), name.len);
    return e ? e->node : NULL;
}

bool gvl_lower_is_alias(Graph *g, Span name)
{
    const Node *owner = gvl_lower_alias_owner(g, name);
    if (!owner) return false;
    /* a tensor of that name would read the same in every table */
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, name);
    gvl_diag_printf(&b, "'%.*s' already names vec(%.*s) in tables; pick another name", (int)name.len,
                    txt(g, name), (int)owner->name.len, txt(g, owner->name));
    gvl_diag_add_note(&b, owner->alias, "the alias is given here");
    gvl_diag_emit(&b);
    return true;
}

int32_t gvl_lower_symbol(Graph *g, Span name)
{
    NameSlot *e = gvl_names_insert(&g->symbols, name);
    if (e->sym >= 0) return e->sym;
    e->sym = gvl_dim_new_var(&g->dims, VAR_SYM, name, name);
    for (int i = 0; i < g->nsets; i++)
        if (strlen(g->sets[i].name) == name.len && !memcmp(g->sets[i].name, txt(g, name), name.len)) {
            g->sets[i].used = true;
            DimVar *v = &g->dims.v[e->sym];
            v->bound = true;
            v->value = g->sets[i].value;
            v->bound_at = name;
            v->from_command_line = true;
        }
    return e->sym;
}

/* A declared shape from its syntax; symbols are shared across the file. */
static Shape lower_shape(Graph *g, const Stmt *st)
{
    Shape s = {st->ndims, gvl_arena_alloc(&g->arena, sizeof(Dim) * (size_t)(st->ndims ? st->ndims : 1))};
    for (int i = 0; i < st->ndims; i++) {
        const DimSyntax *d = &st->dims[i];
        switch (d->kind) {
        case DIM_INT:
            s.d[i] = dim_const(d->value);
            break;
        case DIM_ANY:
            s.d[i] = (Dim){0, gvl_dim_new_var(&g->dims, VAR_ANY, d->span, span_make(0, 0))};
            break;
        case DIM_SYM:
            s.d[i] = (Dim){d->offset, gvl_lower_symbol(g, d->sym)};
            break;
        }
    }
    return s;
}

/* ---- initialisers ------------------------------------------------------ */

static void count_mismatch(Graph *g, const Node *n, Span at, const Numel *m, int64_t nvals)
{
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, at);
    gvl_diag_printf(&b, "'%.*s' is declared %s (%s element%s), but its initialiser has %lld value%s",
                    (int)n->name.len, txt(g, n->name), gvl_shape_text(&g->arena, g, &n->shape, true),
                    gvl_numel_text(&g->arena, g, m, true), m->coef == 1 && m->nvars == 0 ? "" : "s",
                    (long long)nvals, nvals == 1 ? "" : "s");
    if (n->shape.ndim == 0 && nvals > 1)
        gvl_diag_add_note(&b, n->name, "a declaration without [SHAPE] is a scalar; write %.*s[%lld] for a vector",
                          (int)n->name.len, txt(g, n->name), (long long)nvals);
    gvl_diag_emit(&b);
}

static bool lower_init(Graph *g, Node *n, const Expr *e)
{
    InitList il;
    if (!gvl_const_init(g->diag, g->src, &g->arena, e, &il)) return false;
    Init *init = gvl_arena_alloc(&g->arena, sizeof *init);
    init->vals = il.vals;
    init->nvals = il.n;
    init->fill = il.depth == 0;
    n->init = init;
    if (il.depth == 0) return true;
    const Shape *s = &n->shape;
    Numel m = gvl_shape_numel(g, s);
    /* a size already 0 or less (n-1 with n = 1) is reported at the end,
     * with the place n was fixed; there is no count to compare with */
    if (m.nonpositive) return true;
    DimConflict why;
    if (il.depth >= 2 || s->ndim == 1) {
        /* nested: the list's own shape must be the declared one */
        bool ok = il.depth == s->ndim;
        for (int i = 0; ok && i < s->ndim; i++)
            ok = gvl_dim_unify(&g->dims, s->d[i], dim_const(il.dims[i]), e->span, &why);
        if (ok) return true;
        if (il.depth == 1) {
            count_mismatch(g, n, e->span, &m, il.n);
            return false;
        }
        Shape ls = {il.depth, gvl_arena_alloc(&g->arena, sizeof(Dim) * (size_t)il.depth)};
        for (int i = 0; i < il.depth; i++) ls.d[i] = dim_const(il.dims[i]);
        gvl_diag_error(g->diag, e->span, "the initialiser is a %s nested list, but '%.*s' is declared %s",
                       gvl_shape_text(&g->arena, g, &ls, true), (int)n->name.len, txt(g, n->name),
                       gvl_shape_text(&g->arena, g, s, true));
        return false;
    }
    /* a flat list fills the declared shape in row-major order */
    if (m.nvars == 0) {
        if (m.coef == il.n) return true;
        count_mismatch(g, n, e->span, &m, il.n);
        return false;
    }
    if (m.nvars == 1 && il.n % m.coef == 0 &&
        gvl_dim_unify(&g->dims, m.vars[0], dim_const(il.n / m.coef), e->span, &why))
        return true;
    if (m.nvars == 1) {
        count_mismatch(g, n, e->span, &m, il.n);
        return false;
    }
    gvl_diag_error(g->diag, e->span, "cannot tell the shape %s of '%.*s' from a flat list of %lld values: "
                   "give all but one dimension, or write a nested list",
                   gvl_shape_text(&g->arena, g, s, true), (int)n->name.len, txt(g, n->name), (long long)il.n);
    return false;
}

/* ---- the declaration ------------------------------------------------------- */

/* True, after an error, when the alias ST declares is already a name. */
static bool alias_taken(Graph *g, const Stmt *st)
{
    if (!st->alias.len) return false;
    const Node *clash = gvl_graph_lookup(g, txt(g, st->alias), st->alias.len);
    if (!clash) clash = gvl_lower_alias_owner(g, st->alias);
    if (!clash) return false;
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, st->alias);
    gvl_diag_printf(&b, "the alias '%.*s' is already a name in this file; tables would show two different "
                    "tensors the same way", (int)st->alias.len, txt(g, st->alias));
    bool as_alias = clash->alias.len == st->alias.len && !memcmp(txt(g, clash->alias), txt(g, st->alias), st->alias.len);
    gvl_diag_add_note(&b, as_alias ? clash->alias : clash->name, "'%.*s' is defined here", (int)st->alias.len,
                      txt(g, st->alias));
    gvl_diag_emit(&b);
    return true;
}

/* A declaration's kind becomes its node's kind as it is. */
_Static_assert((int)DECL_INPUT == (int)NK_INPUT && (int)DECL_PARAM == (int)NK_PARAM &&
                   (int)DECL_CONST == (int)NK_CONST && (int)DECL_LABEL == (int)NK_LABEL,
               "DeclKind and NodeKind agree");

void gvl_lower_decl(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    const Node *prev = gvl_graph_lookup(g, txt(g, st->name), st->name.len);
    if (prev && !prev->failed) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, st->name);
        gvl_diag_printf(&b, "'%.*s' is already defined", (int)st->name.len, txt(g, st->name));
        gvl_diag_add_note(&b, prev->name, "'%.*s' was defined here", (int)prev->name.len, txt(g, prev->name));
        gvl_diag_emit(&b);
        return;
    }
    if (gvl_lower_is_alias(g, st->name) || alias_taken(g, st)) return;
    Node *n = gvl_graph_add(g, (NodeKind)st->decl, -1, st->name, st->name);
    n->alias = st->alias;
    if (st->alias.len) gvl_names_insert(&g->aliases, st->alias)->node = n;
    n->shape = lower_shape(g, st);
    Numel m = gvl_shape_numel(g, &n->shape);
    if (m.overflow) {
        gvl_diag_error(g->diag, st->shape_span, "'%.*s' would have more elements than a 64-bit count can hold",
                       (int)st->name.len, txt(g, st->name));
        n->failed = true;
    }
    gvl_lower_bind(g, st->name, n);
    if (st->init && !n->failed && !lower_init(g, n, st->init)) n->failed = true;
}
