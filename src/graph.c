/*
 * graph.c - lowering statements into the graph, with names and shapes.
 *
 * Statements are parsed one at a time and lowered at once, so the syntax
 * tree of a statement lives only until the next one.  Every node's shape is
 * computed as the node is made; dims solved later (a '?' pinned by a later
 * statement) are picked up by one more pass over the rules at the end.
 */
#include "graph.h"

#include "consteval.h"
#include "parser.h"
#include "shape.h"

#include <stdio.h>
#include <string.h>

const char *const gvl_node_kind_names[5] = {"input", "param", "const", "label", "op"};

/* ---- names ------------------------------------------------------------ */

static uint32_t hash_span(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static NameSlot *names_find(NameTable *t, const char *text, const char *s, size_t n, bool insert)
{
    if (insert && (t->count + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        NameSlot *ns = gvl_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i].name.len) continue;
            size_t j = t->slots[i].hash & (ncap - 1);
            while (ns[j].name.len) j = (j + 1) & (ncap - 1);
            ns[j] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = ncap;
    }
    if (!t->cap) return NULL;
    uint32_t h = hash_span(s, n);
    size_t j = h & (t->cap - 1);
    while (t->slots[j].name.len) {
        NameSlot *e = &t->slots[j];
        if (e->hash == h && e->name.len == n && memcmp(text + e->name.off, s, n) == 0) return e;
        j = (j + 1) & (t->cap - 1);
    }
    if (!insert) return NULL;
    NameSlot *e = &t->slots[j];
    e->name = span_make((uint32_t)(s - text), (uint32_t)n);
    e->hash = h;
    e->node = NULL;
    e->sym = -1;
    t->count++;
    return e;
}

Node *gvl_graph_lookup(Graph *g, const char *name, size_t len)
{
    /* names given on the command line are not in the source text, so look
     * them up by content: compare against every slot's text */
    if (!g->names.cap) return NULL;
    uint32_t h = hash_span(name, len);
    size_t j = h & (g->names.cap - 1);
    while (g->names.slots[j].name.len) {
        NameSlot *e = &g->names.slots[j];
        if (e->hash == h && e->name.len == len && memcmp(g->src->text + e->name.off, name, len) == 0)
            return e->node;
        j = (j + 1) & (g->names.cap - 1);
    }
    return NULL;
}

/* The closest known tensor name, for "did you mean". */
static const NameSlot *suggest_name(Graph *g, const char *s, size_t n)
{
    const NameSlot *best = NULL;
    if (n <= 2) return NULL;   /* any one-letter name is one edit from any other */
    int best_d = n <= 4 ? 1 : 2;
    for (size_t i = 0; i < g->names.cap; i++) {
        const NameSlot *e = &g->names.slots[i];
        if (!e->name.len) continue;
        int d = gvl_edit_distance(s, n, g->src->text + e->name.off, e->name.len, best_d);
        if (d <= best_d && (!best || d < best_d)) {
            best = e;
            best_d = d;
        }
    }
    return best;
}

/* ---- graph lifetime ----------------------------------------------------- */

void gvl_graph_open(Graph *g, const Source *src, DiagSink *diag)
{
    memset(g, 0, sizeof *g);
    g->src = src;
    g->diag = diag;
    gvl_arena_init(&g->arena);
    gvl_dimtab_init(&g->dims, src->text);
    g->lr = 0.1;
    g->steps = 1;
    g->max_nodes = GRAPH_MAX_NODES;
    g->max_line = GRAPH_MAX_LINE;
}

void gvl_graph_free(Graph *g)
{
    gvl_arena_free(&g->arena);
    free(g->nodes);
    free(g->names.slots);
    free(g->symbols.slots);
    free(g->aliases.slots);
    gvl_dimtab_free(&g->dims);
    memset(g, 0, sizeof *g);
}

static Node *new_node(Graph *g, NodeKind kind, int op, Span name, Span loc)
{
    Node *n = gvl_arena_alloc(&g->arena, sizeof *n);
    n->id = (uint32_t)g->count;
    n->kind = kind;
    n->op = op;
    n->name = name;
    n->loc = loc;
    if ((int64_t)g->count == g->max_nodes && !g->too_many_nodes) {
        /* the statement being lowered finishes; no further one is read */
        gvl_diag_error(g->diag, loc, "the graph has more than %lld nodes; raise the limit with --max-nodes N",
                   (long long)g->max_nodes);
        g->too_many_nodes = true;
    }
    VEC_PUSH(g->nodes, g->count, g->cap, n);
    return n;
}

/* ---- shapes as written ----------------------------------------------- */

static Numel numel_of(Graph *g, const Shape *s)
{
    return gvl_shape_numel(g, s);
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
        case DIM_SYM: {
            NameSlot *e = names_find(&g->symbols, g->src->text, g->src->text + d->sym.off, d->sym.len, true);
            if (e->sym < 0) e->sym = gvl_dim_new_var(&g->dims, VAR_SYM, d->span, d->sym);
            s.d[i] = (Dim){d->offset, e->sym};
            break;
        }
        }
    }
    return s;
}

/* ---- initialisers ------------------------------------------------------ */

static void count_mismatch(Graph *g, const Node *n, Span at, const Numel *m, int64_t nvals)
{
    char b1[256], b2[64];
    gvl_diag_error(g->diag, at, "'%.*s' is declared %s (%s element%s), but its initialiser has %lld value%s",
               (int)n->name.len, g->src->text + n->name.off, gvl_shape_format(g, &n->shape, true, b1, sizeof b1),
               gvl_numel_format(g, m, true, b2, sizeof b2), m->coef == 1 && m->nvars == 0 ? "" : "s",
               (long long)nvals, nvals == 1 ? "" : "s");
    if (n->shape.ndim == 0 && nvals > 1)
        gvl_diag_note(g->diag, n->name, "a declaration without [SHAPE] is a scalar; write %.*s[%lld] for a vector",
                  (int)n->name.len, g->src->text + n->name.off, (long long)nvals);
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
    Numel m = numel_of(g, s);
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
        char b1[256], b2[256];
        gvl_diag_error(g->diag, e->span, "the initialiser is a %s nested list, but '%.*s' is declared %s",
                   gvl_shape_format(g, &ls, true, b1, sizeof b1), (int)n->name.len, g->src->text + n->name.off,
                   gvl_shape_format(g, s, true, b2, sizeof b2));
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
    char b1[256];
    gvl_diag_error(g->diag, e->span, "cannot tell the shape %s of '%.*s' from a flat list of %lld values: "
               "give all but one dimension, or write a nested list",
               gvl_shape_format(g, s, true, b1, sizeof b1), (int)n->name.len, g->src->text + n->name.off,
               (long long)il.n);
    return false;
}

/* ---- expressions -------------------------------------------------------- */

typedef struct Builder {
    Graph *g;
    ShapeCtx cx;
} Builder;

static Node *failed_node(Graph *g, Span at)
{
    Node *n = new_node(g, NK_OP, OP_IDENTITY, at, at);
    n->failed = true;
    return n;
}

static Node *make_op(Builder *b, int op, Span name, Span loc, Node **src, int nsrc, OpAttrs *attrs)
{
    Graph *g = b->g;
    Node *n = new_node(g, NK_OP, op, name, loc);
    n->src = gvl_arena_alloc(&g->arena, sizeof(Node *) * (size_t)(nsrc ? nsrc : 1));
    memcpy(n->src, src, sizeof(Node *) * (size_t)nsrc);
    n->nsrc = nsrc;
    n->attrs = attrs;
    gvl_shape_infer(&b->cx, n);
    return n;
}

static Node *lower_expr(Builder *b, const Expr *e);

static const char *txt(Graph *g, Span s)
{
    return g->src->text + s.off;
}

/* Reads a whole number from E (a literal, possibly negated). */
static bool expr_int(const Expr *e, int64_t *out)
{
    if (e->kind == EX_NUMBER && e->is_int && !e->is_pi) {
        *out = e->ival;
        return true;
    }
    if (e->kind == EX_NEG && e->a->kind == EX_NUMBER && e->a->is_int && !e->a->is_pi) {
        *out = -e->a->ival;
        return true;
    }
    return false;
}

static const char *const param_type_desc[] = {
    [PT_INT] = "a whole number",
    [PT_PAIR] = "a positive whole number or a size like 2x2",
    [PT_PAD] = "a whole number >= 0, a size like 1x0, or \"same\" or \"valid\"",
    [PT_SHAPE] = "a shape like [4, 1] or 4x1",
    [PT_CLASS] = "a class index (a whole number >= 0)",
};

/* Stores parameter P's value E into AT; false with a message at the call. */
static bool set_param(Builder *b, const Expr *call, const char *opname, const ParamSpec *p,
                      const Expr *e, OpAttrs *at)
{
    Graph *g = b->g;
    int64_t v[2];
    bool ok = false;
    switch (p->type) {
    case PT_INT:
        ok = expr_int(e, &v[0]);
        if (ok) { at->has_dim = true; at->dim = v[0]; }
        break;
    case PT_CLASS:
        ok = expr_int(e, &v[0]) && v[0] >= 0;
        if (ok) at->cls = v[0];
        break;
    case PT_PAIR:
    case PT_PAD: {
        int64_t lo = p->type == PT_PAIR ? 1 : 0;
        if (expr_int(e, &v[0])) { v[1] = v[0]; ok = true; }
        else if (e->kind == EX_SIZE && e->nsize == 2) { v[0] = e->size[0]; v[1] = e->size[1]; ok = true; }
        else if (p->type == PT_PAD && e->kind == EX_STRING) {
            Span s = e->span;
            if (s.len == 6 && memcmp(txt(g, s), "\"same\"", 6) == 0) { at->same = true; return true; }
            if (s.len == 7 && memcmp(txt(g, s), "\"valid\"", 7) == 0) { v[0] = v[1] = 0; ok = true; }
        }
        ok = ok && v[0] >= lo && v[1] >= lo && v[0] <= 1000000000 && v[1] <= 1000000000;
        if (!ok) break;
        int64_t *dst = !strcmp(p->name, "stride") ? at->stride : !strcmp(p->name, "padding") ? at->padding
                     : !strcmp(p->name, "dilation") ? at->dilation : at->kernel;
        dst[0] = v[0];
        dst[1] = v[1];
        if (dst == at->kernel) { at->stride[0] = v[0]; at->stride[1] = v[1]; }
        break;
    }
    case PT_SHAPE:
        if (e->kind == EX_SIZE) {
            at->nshape = e->nsize;
            at->shape = gvl_arena_alloc(&g->arena, sizeof(int64_t) * (size_t)e->nsize);
            memcpy(at->shape, e->size, sizeof(int64_t) * (size_t)e->nsize);
            ok = true;
        } else if (e->kind == EX_LIST && e->nitems <= SHAPE_MAX_RANK) {
            at->nshape = e->nitems;
            at->shape = gvl_arena_alloc(&g->arena, sizeof(int64_t) * (size_t)e->nitems);
            ok = true;
            for (int i = 0; ok && i < e->nitems; i++) ok = expr_int(e->items[i], &at->shape[i]);
        }
        break;
    }
    if (!ok) {
        int n = e->span.len > 30 ? 30 : (int)e->span.len;
        gvl_diag_error(g->diag, call->op_span, "%s: '%s' must be %s, found '%.*s'", opname, p->name,
                   param_type_desc[p->type], n, txt(g, e->span));
    }
    return ok;
}

static Node *lower_call(Builder *b, const Expr *e)
{
    Graph *g = b->g;
    const char *name = txt(g, e->op_span);
    int op = gvl_op_lookup(name, e->op_span.len);
    int npos = 0;
    for (int i = 0; i < e->nargs; i++) npos += e->args[i].key.len == 0;
    if (op < 0) {
        const char *s = gvl_op_suggest(name, e->op_span.len);
        if (gvl_graph_lookup(g, name, e->op_span.len))
            gvl_diag_error(g->diag, e->op_span, "'%.*s' is a tensor, not an op: it cannot be called",
                       (int)e->op_span.len, name);
        else if (s)
            gvl_diag_error(g->diag, e->op_span, "unknown op '%.*s'; did you mean '%s'?", (int)e->op_span.len, name, s);
        else
            gvl_diag_error(g->diag, e->op_span, "unknown op '%.*s'", (int)e->op_span.len, name);
        return failed_node(g, e->span);
    }
    /* max(a) is the largest element; max(x, 2x2) is max pooling */
    if (op == OP_MAX && npos == 2) op = OP_MAXPOOL2D;
    const OpInfo *info = &gvl_op_table[op];
    int ntensor = npos < info->max_args ? npos : info->max_args;
    int npositional_params = 0, nrequired = info->min_args;
    for (const ParamSpec *p = info->params; p->name; p++) {
        npositional_params += p->position >= 0;
        nrequired += p->position >= 0 && p->required;
    }
    if (npos < info->min_args || npos > info->max_args + npositional_params) {
        if (info->min_args == info->max_args && !npositional_params)
            gvl_diag_error(g->diag, e->op_span, "%s takes %d argument%s, but %d %s given", info->name, info->min_args,
                       info->min_args == 1 ? "" : "s", npos, npos == 1 ? "was" : "were");
        else if (nrequired == info->max_args + npositional_params && npos > nrequired)
            gvl_diag_error(g->diag, e->op_span, "%s takes %d arguments without names, but %d %s given; give the "
                       "options by name, as in stride=2", info->name, nrequired, npos, npos == 1 ? "was" : "were");
        else
            gvl_diag_error(g->diag, e->op_span, "%s takes %d to %d arguments, but %d %s given", info->name,
                       info->min_args, info->max_args + npositional_params, npos, npos == 1 ? "was" : "were");
        return failed_node(g, e->span);
    }
    OpAttrs *at = NULL;
    if (info->params[0].name) {
        at = gvl_arena_alloc(&g->arena, sizeof *at);
        for (int i = 0; i < 2; i++) at->stride[i] = at->dilation[i] = at->kernel[i] = 1;
        if (op == OP_SOFTMAX || op == OP_LOG_SOFTMAX) { at->has_dim = true; at->dim = -1; }
    }
    /* match parameters: positional ones by index, the rest by key */
    bool ok = true, seen[8] = {false};
    const Expr *stride_arg = NULL;
    int pos = 0;
    Node *src[2] = {NULL, NULL};
    for (int i = 0; i < e->nargs; i++) {
        const Arg *a = &e->args[i];
        const ParamSpec *p = NULL;
        int idx = 0;
        if (!a->key.len) {
            if (pos < ntensor) {
                src[pos++] = lower_expr(b, a->value);
                continue;
            }
            for (const ParamSpec *q = info->params; q->name; q++, idx++)
                if (q->position == pos) { p = q; break; }
            pos++;
        } else {
            for (const ParamSpec *q = info->params; q->name; q++, idx++)
                if (strlen(q->name) == a->key.len && !memcmp(q->name, txt(g, a->key), a->key.len)) { p = q; break; }
            if (!p) {
                char list[256] = "";
                for (const ParamSpec *q = info->params; q->name; q++)
                    if (q->position < 0)
                        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", list[0] ? ", " : "", q->name);
                if (list[0])
                    gvl_diag_error(g->diag, e->op_span, "%s has no option '%.*s' (its options: %s)", info->name,
                               (int)a->key.len, txt(g, a->key), list);
                else
                    gvl_diag_error(g->diag, e->op_span, "%s takes no options, but was given '%.*s'", info->name,
                               (int)a->key.len, txt(g, a->key));
                ok = false;
                continue;
            }
        }
        if (seen[idx]) {
            gvl_diag_error(g->diag, e->op_span, "%s: '%s' is given twice", info->name, p->name);
            ok = false;
            continue;
        }
        seen[idx] = true;
        if (!strcmp(p->name, "stride")) stride_arg = a->value;
        if (!set_param(b, e, info->name, p, a->value, at)) ok = false;
    }
    int idx = 0;
    for (const ParamSpec *q = info->params; q->name; q++, idx++)
        if (q->required && !seen[idx]) {
            gvl_diag_error(g->diag, e->op_span, "%s needs its '%s' argument, as in %s%s", info->name, q->name,
                       info->name, op == OP_RESHAPE ? "(a, [4, 1])" : op == OP_CROSS_ENTROPY ? "(z, 2)" : "(x, 2x2)");
            ok = false;
        }
    /* a pool's stride defaults to its kernel: an explicit stride= wins
     * whichever order the two were written in */
    if (ok && stride_arg)
        for (const ParamSpec *q = info->params; q->name; q++)
            if (!strcmp(q->name, "stride")) set_param(b, e, info->name, q, stride_arg, at);
    for (int i = 0; i < ntensor; i++)
        if (!src[i]) ok = false;
    if (!ok) return failed_node(g, e->span);
    return make_op(b, op, e->span, e->op_span, src, ntensor, at);
}

static int binary_op(int tok)
{
    switch (tok) {
    case TK_PLUS: return OP_ADD;
    case TK_MINUS: return OP_SUB;
    case TK_STAR: return OP_MUL;
    case TK_SLASH: return OP_DIV;
    case TK_POW: return OP_POW;
    default: return OP_MATMUL;
    }
}

static Node *literal(Builder *b, Span name, double v)
{
    Graph *g = b->g;
    Node *n = new_node(g, NK_CONST, -1, name, name);
    n->literal = true;
    n->shape = (Shape){0, gvl_arena_alloc(&g->arena, sizeof(Dim))};
    n->init = gvl_arena_alloc(&g->arena, sizeof *n->init);
    n->init->vals = gvl_arena_alloc(&g->arena, sizeof(double));
    n->init->vals[0] = v;
    n->init->nvals = 1;
    n->init->fill = true;
    return n;
}

/* The declared tensor whose `as` alias is NAME, or NULL. */
static const Node *alias_owner(Graph *g, Span name)
{
    NameSlot *e = names_find(&g->aliases, g->src->text, txt(g, name), name.len, false);
    return e ? e->node : NULL;
}

static Node *lower_expr(Builder *b, const Expr *e)
{
    Graph *g = b->g;
    switch (e->kind) {
    case EX_NUMBER:
        return literal(b, e->span, e->num);
    case EX_NAME: {
        Node *n = gvl_graph_lookup(g, txt(g, e->span), e->span.len);
        if (n) return n;
        const NameSlot *s = suggest_name(g, txt(g, e->span), e->span.len);
        const Node *aliased = alias_owner(g, e->span);
        if (aliased)
            gvl_diag_error(g->diag, e->span, "'%.*s' is only the name tables use for vec(%.*s); in an expression "
                       "write vec(%.*s), or %.*s itself", (int)e->span.len, txt(g, e->span),
                       (int)aliased->name.len, txt(g, aliased->name), (int)aliased->name.len,
                       txt(g, aliased->name), (int)aliased->name.len, txt(g, aliased->name));
        else if (names_find(&g->symbols, g->src->text, txt(g, e->span), e->span.len, false))
            gvl_diag_error(g->diag, e->span, "'%.*s' is a size symbol from a shape, not a tensor",
                       (int)e->span.len, txt(g, e->span));
        else if (gvl_op_lookup(txt(g, e->span), e->span.len) >= 0)
            gvl_diag_error(g->diag, e->span, "'%.*s' is an op: call it, as in %.*s(x)", (int)e->span.len,
                       txt(g, e->span), (int)e->span.len, txt(g, e->span));
        else if (s && s->node)
            gvl_diag_error(g->diag, e->span, "unknown name '%.*s'; did you mean '%.*s'?", (int)e->span.len,
                       txt(g, e->span), (int)s->name.len, txt(g, s->name));
        else
            gvl_diag_error(g->diag, e->span, "unknown name '%.*s'", (int)e->span.len, txt(g, e->span));
        return failed_node(g, e->span);
    }
    case EX_NEG:
        if (e->a->kind == EX_NUMBER) return literal(b, e->span, -e->a->num);
        {
            Node *a = lower_expr(b, e->a);
            return make_op(b, OP_NEG, e->span, e->op_span, &a, 1, NULL);
        }
    case EX_BINARY: {
        Node *src[2] = {lower_expr(b, e->a), lower_expr(b, e->b)};
        return make_op(b, binary_op(e->op), e->span, e->op_span, src, 2, NULL);
    }
    case EX_TRANSPOSE: {
        Node *a = lower_expr(b, e->a);
        return make_op(b, OP_TRANSPOSE, e->span, e->op_span, &a, 1, NULL);
    }
    case EX_CALL:
        return lower_call(b, e);
    case EX_LIST:
        gvl_diag_error(g->diag, e->span, "a list cannot be used as a tensor inside an expression; declare it "
                   "first, e.g. const c[2] = [1, 2]");
        return failed_node(g, e->span);
    case EX_SIZE:
        gvl_diag_error(g->diag, e->span, "a size literal like '%.*s' only goes where an op expects a size, "
                   "as in max(x, 2x2)", (int)e->span.len, txt(g, e->span));
        return failed_node(g, e->span);
    case EX_STRING:
        gvl_diag_error(g->diag, e->span, "a string only goes in an option, as in padding=\"same\"");
        return failed_node(g, e->span);
    }
    return failed_node(g, e->span);
}

/* ---- statements ---------------------------------------------------------- */

/* Binds NAME to N, giving N the next version if NAME was bound before. */
static void bind(Graph *g, Span name, Node *n)
{
    NameSlot *e = names_find(&g->names, g->src->text, g->src->text + name.off, name.len, true);
    n->version = e->node ? e->node->version + 1 : 0;
    n->named = true;
    n->name = name;
    e->node = n;
}

/* True, after an error, when NAME is already some tensor's `as` alias:
 * a tensor of that name would read the same in every table. */
static bool is_alias(Graph *g, Span name)
{
    const Node *owner = alias_owner(g, name);
    if (!owner) return false;
    gvl_diag_error(g->diag, name, "'%.*s' already names vec(%.*s) in tables; pick another name", (int)name.len,
               txt(g, name), (int)owner->name.len, txt(g, owner->name));
    gvl_diag_note(g->diag, owner->alias, "the alias is given here");
    return true;
}

static void lower_decl(Builder *b, const Stmt *st)
{
    Graph *g = b->g;
    Node *prev = gvl_graph_lookup(g, txt(g, st->name), st->name.len);
    if (prev && !prev->failed) {
        gvl_diag_error(g->diag, st->name, "'%.*s' is already defined", (int)st->name.len, txt(g, st->name));
        gvl_diag_note(g->diag, prev->name, "'%.*s' was defined here", (int)prev->name.len, txt(g, prev->name));
        return;
    }
    if (is_alias(g, st->name)) return;
    if (st->alias.len) {
        const Node *clash = gvl_graph_lookup(g, txt(g, st->alias), st->alias.len);
        if (!clash) clash = alias_owner(g, st->alias);
        if (clash) {
            gvl_diag_error(g->diag, st->alias, "the alias '%.*s' is already a name in this file; tables would "
                       "show two different tensors the same way", (int)st->alias.len, txt(g, st->alias));
            gvl_diag_note(g->diag, clash->alias.len && !memcmp(txt(g, clash->alias), txt(g, st->alias), st->alias.len)
                                   ? clash->alias : clash->name,
                      "'%.*s' is defined here", (int)st->alias.len, txt(g, st->alias));
            return;
        }
    }
    Node *n = new_node(g, (NodeKind)st->decl, -1, st->name, st->name);
    n->alias = st->alias;
    if (st->alias.len)
        names_find(&g->aliases, g->src->text, txt(g, st->alias), st->alias.len, true)->node = n;
    n->shape = lower_shape(g, st);
    Numel m = numel_of(g, &n->shape);
    if (m.overflow) {
        gvl_diag_error(g->diag, st->shape_span, "'%.*s' would have more elements than a 64-bit count can hold",
                   (int)st->name.len, txt(g, st->name));
        n->failed = true;
    }
    bind(g, st->name, n);
    if (st->init && !n->failed && !lower_init(g, n, st->init)) n->failed = true;
}

static void lower_assign(Builder *b, const Stmt *st)
{
    Graph *g = b->g;
    if (is_alias(g, st->name)) return;
    const Expr *e = st->value;
    Node *n;
    if (e->kind == EX_NAME) {
        /* y = x: a named copy, so y has a node of its own */
        Node *src = lower_expr(b, e);
        n = src->failed ? failed_node(g, e->span) : make_op(b, OP_IDENTITY, e->span, e->span, &src, 1, NULL);
    } else {
        n = lower_expr(b, e);
    }
    if (n->literal) n->literal = false;
    bind(g, st->name, n);
}

static Node *loss_target(Builder *b, const Stmt *st)
{
    Graph *g = b->g;
    Node *n = gvl_graph_lookup(g, txt(g, st->name), st->name.len);
    if (!n) {
        const NameSlot *s = suggest_name(g, txt(g, st->name), st->name.len);
        if (s && s->node)
            gvl_diag_error(g->diag, st->name, "unknown name '%.*s'; did you mean '%.*s'?", (int)st->name.len,
                       txt(g, st->name), (int)s->name.len, txt(g, s->name));
        else
            gvl_diag_error(g->diag, st->name, "unknown name '%.*s'", (int)st->name.len, txt(g, st->name));
        return NULL;
    }
    if (n->failed) return NULL;
    if (g->loss_explicit && g->loss != n) {
        gvl_diag_error(g->diag, st->name, "the loss is already set");
        gvl_diag_note(g->diag, g->loss_at, "it was set here");
        return NULL;
    }
    g->loss = n;
    g->loss_explicit = true;
    g->loss_at = st->name;
    return n;
}

static void lower_optimize(Builder *b, const Stmt *st)
{
    Graph *g = b->g;
    if (!loss_target(b, st)) return;
    g->has_optimize = true;
    for (int i = 0; i < st->nopts; i++) {
        const Arg *a = &st->opts[i];
        const char *k = txt(g, a->key);
        double v;
        int64_t iv;
        if (a->key.len == 2 && !memcmp(k, "lr", 2)) {
            if (!gvl_const_eval(g->diag, g->src, a->value, &v)) continue;
            if (!(v > 0) || v > 1e300)
                gvl_diag_error(g->diag, a->value->span, "the learning rate must be a positive number, found %g", v);
            else
                g->lr = v;
        } else if (a->key.len == 5 && !memcmp(k, "steps", 5)) {
            if (!expr_int(a->value, &iv) || iv < 1 || iv > 100000000)
                gvl_diag_error(g->diag, a->value->span, "steps must be a whole number from 1 to 100000000");
            else
                g->steps = iv;
        } else {
            gvl_diag_error(g->diag, a->key, "optimize has no option '%.*s' (its options: lr, steps)",
                       (int)a->key.len, k);
        }
    }
}

/* The default loss: the last assigned node that holds one element. */
static void pick_loss(Graph *g)
{
    if (g->loss) return;
    for (size_t i = g->count; i-- > 0;) {
        Node *n = g->nodes[i];
        if (n->named && n->kind == NK_OP && !n->failed && gvl_shape_is_one(g, &n->shape)) {
            g->loss = n;
            return;
        }
    }
}

/* A declared n-1 can reach 0 once n is solved as 1: each declared size
 * must still be at least 1 when all sizes are known. */
static void check_declared_sizes(Graph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        Node *n = g->nodes[i];
        if (n->kind == NK_OP || n->literal || n->failed) continue;
        for (int k = 0; k < n->shape.ndim; k++) {
            int64_t v;
            if (gvl_dim_known(&g->dims, n->shape.d[k], &v) && v < 1) {
                const DimVar *var = n->shape.d[k].v >= 0 ? &g->dims.v[n->shape.d[k].v] : NULL;
                gvl_diag_error(g->diag, n->name, "'%.*s' would have a size of %lld in its dimension number %d "
                           "(counting from 1) once every size is known; every size must be at least 1",
                           (int)n->name.len, txt(g, n->name), (long long)v, k + 1);
                if (var) {
                    const DimVar *r = gvl_dim_root(&g->dims, n->shape.d[k].v);
                    if (r->bound && var->kind == VAR_SYM)
                        gvl_diag_note(g->diag, r->bound_at, "%.*s was inferred as %lld here", (int)var->name.len,
                                  txt(g, var->name), (long long)r->value);
                    else if (r->bound)
                        gvl_diag_note(g->diag, r->bound_at, "its size was inferred here");
                }
                n->failed = true;
                break;
            }
        }
    }
}

/* A '?' that nothing pinned down is probably a forgotten size: say so
 * once per declaration (symbols like n are meant to stay symbolic). */
static void warn_unsolved(Graph *g)
{
    if (g->diag->errors) return;
    for (size_t i = 0; i < g->count; i++) {
        Node *n = g->nodes[i];
        if (n->kind == NK_OP || n->literal) continue;
        for (int k = 0; k < n->shape.ndim; k++) {
            Dim d = gvl_dim_resolve(&g->dims, n->shape.d[k]);
            if (d.v >= 0 && g->dims.v[d.v].kind != VAR_SYM) {
                char b1[256];
                gvl_diag_warning(g->diag, n->name, "the shape of '%.*s' stays %s: nothing in the file fixes its '?' "
                             "sizes, so tables show them as ?", (int)n->name.len, txt(g, n->name),
                             gvl_shape_format(g, &n->shape, true, b1, sizeof b1));
                break;
            }
        }
    }
}

/* Lines over the limit are refused before parsing: a generated file with
 * a megabyte on one line is almost certainly not meant as one statement. */
static bool check_lines(Graph *g)
{
    bool ok = true;
    for (size_t i = 0; i < g->src->nlines && !gvl_diag_full(g->diag); i++) {
        size_t len;
        const char *line = gvl_source_line(g->src, (int)i + 1, &len);
        if ((int64_t)len > g->max_line) {
            gvl_diag_error(g->diag, span_make((uint32_t)(line - g->src->text + g->max_line), 1),
                       "line %zu is %zu bytes long; the limit is %lld (raise it with --max-line-length N)", i + 1,
                       len, (long long)g->max_line);
            ok = false;
        }
    }
    return ok;
}

bool gvl_graph_build(Graph *g)
{
    if (!check_lines(g)) return false;
    Arena scratch;
    gvl_arena_init(&scratch);
    Parser p;
    gvl_parser_init(&p, g->src, g->diag, &scratch);
    Builder b = {g, {g, false}};
    Stmt *st;
    while (!g->too_many_nodes && (st = gvl_parser_next(&p))) {
        if (st->broken) {
            /* the statement was reported; its name stands for a failed
             * node so that its uses do not each report it again */
            if (!gvl_graph_lookup(g, txt(g, st->name), st->name.len) || st->kind == ST_ASSIGN)
                bind(g, st->name, failed_node(g, st->name));
            gvl_arena_reset(&scratch);
            continue;
        }
        switch (st->kind) {
        case ST_DECL: lower_decl(&b, st); break;
        case ST_ASSIGN: lower_assign(&b, st); break;
        case ST_LOSS: loss_target(&b, st); break;
        case ST_OPTIMIZE: lower_optimize(&b, st); break;
        }
        gvl_arena_reset(&scratch);
    }
    gvl_arena_free(&scratch);
    /* each pass may pin sizes that an earlier rule needed; a few passes
     * settle any graph a student writes, and each one is linear */
    for (int pass = 0; pass < 4 && g->deferred; pass++) {
        g->deferred = false;
        b.cx.recheck = true;
        for (size_t i = 0; i < g->count; i++) {
            Node *n = g->nodes[i];
            if (n->kind == NK_OP && !n->failed && n->nsrc) gvl_shape_infer(&b.cx, n);
        }
    }
    check_declared_sizes(g);
    warn_unsolved(g);
    pick_loss(g);
    if (g->loss && g->loss_explicit && !g->loss->failed && !gvl_shape_is_one(g, &g->loss->shape)) {
        char b1[256], b2[64];
        Numel m = gvl_shape_numel(g, &g->loss->shape);
        gvl_diag_error(g->diag, g->loss_at, "the loss must hold exactly one element, but '%.*s' is %s (%s elements)",
                   (int)g->loss_at.len, txt(g, g->loss_at), gvl_shape_format(g, &g->loss->shape, true, b1, sizeof b1),
                   gvl_numel_format(g, &m, true, b2, sizeof b2));
        gvl_diag_note(g->diag, g->loss->named ? g->loss->name : g->loss->loc,
                  "'%.*s' is %s here; reduce it to one element with sum(), mean() or mse()",
                  (int)g->loss_at.len, txt(g, g->loss_at), g->loss->kind == NK_OP ? "computed" : "declared");
    }
    return g->diag->errors == 0;
}

/* ---- naming and formatting ----------------------------------------------- */

const char *gvl_node_plain_name(const Graph *g, const Node *n, char *buf, size_t cap)
{
    /* fold runs of blanks and newlines so a multi-line expression stays one line */
    const char *s = g->src->text + n->name.off;
    size_t k = 0;
    bool space = false;
    for (uint32_t i = 0; i < n->name.len && k + 5 < cap; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') { space = true; continue; }
        if (c == '#') { while (i + 1 < n->name.len && s[i + 1] != '\n') i++; continue; }
        if (space && k) buf[k++] = ' ';
        space = false;
        buf[k++] = c;
    }
    if (k + 4 >= cap && n->name.len > k) { buf[k++] = '.'; buf[k++] = '.'; buf[k++] = '.'; }
    buf[k] = '\0';
    return buf;
}

const char *gvl_node_display_name(const Graph *g, const Node *n, char *buf, size_t cap)
{
    gvl_node_plain_name(g, n, buf, cap);
    size_t k = strlen(buf);
    for (uint32_t v = 0; v < n->version && k + 1 < cap; v++) buf[k++] = '\'';
    buf[k] = '\0';
    return buf;
}

const char *gvl_node_op_name(const Node *n)
{
    return n->op >= 0 ? gvl_op_table[n->op].name : NULL;
}

Numel gvl_shape_numel(Graph *g, const Shape *s)
{
    Numel m;
    memset(&m, 0, sizeof m);
    m.coef = 1;
    for (int i = 0; i < s->ndim; i++) {
        Dim d = gvl_dim_resolve(&g->dims, s->d[i]);
        if (d.v < 0) {
            if (__builtin_mul_overflow(m.coef, d.c, &m.coef)) { m.overflow = true; m.coef = INT64_MAX; }
        } else {
            m.vars[m.nvars++] = d;
        }
    }
    return m;
}

const char *gvl_numel_format(Graph *g, const Numel *m, bool ascii, char *buf, size_t cap)
{
    /* written as in algebra: 4n, 4(n+1), n·m */
    size_t k = 0;
    buf[0] = '\0';
    if (m->overflow) {
        snprintf(buf, cap, "more than 2^63");
        return buf;
    }
    if (m->coef != 1 || m->nvars == 0) k += (size_t)snprintf(buf + k, cap - k, "%lld", (long long)m->coef);
    for (int i = 0; i < m->nvars && k < cap; i++) {
        char d[64];
        gvl_dim_format(&g->dims, m->vars[i], d, sizeof d);
        bool paren = strpbrk(d, "+-") != NULL && (m->nvars > 1 || m->coef != 1);
        /* 4n reads as algebra, 4? does not */
        bool need_sep = i || (k && d[0] == '?');
        const char *sep = need_sep ? (ascii ? "*" : "\xc2\xb7") : "";
        k += (size_t)snprintf(buf + k, cap - k, "%s%s%s%s", sep, paren ? "(" : "", d, paren ? ")" : "");
    }
    return buf;
}

const char *gvl_shape_format_sep(Graph *g, const Shape *s, const char *sep, DimEscape esc, char *buf, size_t cap)
{
    if (s->ndim == 0) {
        snprintf(buf, cap, "scalar");
        return buf;
    }
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->ndim && k < cap; i++) {
        char d[64], e[256];
        gvl_dim_format(&g->dims, s->d[i], d, sizeof d);
        /* (n+1)x1, not n+1x1; and a lone 1-D size in brackets, since "3"
         * would read as a number rather than a shape */
        bool paren = s->ndim > 1 && strpbrk(d, "+-") != NULL;
        const char *open = s->ndim == 1 ? "[" : paren ? "(" : "", *close = s->ndim == 1 ? "]" : paren ? ")" : "";
        k += (size_t)snprintf(buf + k, cap - k, "%s%s%s%s", i ? sep : "", open, esc ? esc(d, e, sizeof e) : d, close);
    }
    return buf;
}

const char *gvl_shape_format(Graph *g, const Shape *s, bool ascii, char *buf, size_t cap)
{
    return gvl_shape_format_sep(g, s, ascii ? "x" : "\xc3\x97", NULL, buf, cap);
}

bool gvl_shape_is_one(Graph *g, const Shape *s)
{
    Numel m = gvl_shape_numel(g, s);
    return m.nvars == 0 && m.coef == 1;
}
