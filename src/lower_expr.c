/*
 * lower_expr.c - expressions into op nodes.
 *
 * Operators are looked up in the op registry by their symbol, calls by
 * their name (bind.c matches the arguments); sub-expressions become nodes
 * named by their own source text, number literals constant nodes.
 */
#include "lower.h"

#include "bind.h"

#include <string.h>

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

Node *gvl_lower_failed(Graph *g, Span at)
{
    Node *n = gvl_graph_add(g, NK_OP, OP_IDENTITY, at, at);
    n->failed = true;
    return n;
}

Node *gvl_lower_op(Lowerer *lw, int op, Span name, Span loc, Node **src, int nsrc, OpAttrs *attrs)
{
    Graph *g = lw->g;
    Node *n = gvl_graph_add(g, NK_OP, op, name, loc);
    n->src = gvl_arena_alloc(&g->arena, sizeof(Node *) * (size_t)(nsrc ? nsrc : 1));
    memcpy(n->src, src, sizeof(Node *) * (size_t)nsrc);
    n->nsrc = nsrc;
    n->attrs = attrs;
    gvl_shape_infer(&lw->cx, n);
    return n;
}

void gvl_lower_unknown_name(Graph *g, Span at)
{
    const NameSlot *s = gvl_names_suggest(&g->names, txt(g, at), at.len);
    if (s && s->node)
        gvl_diag_error(g->diag, at, "unknown name '%.*s'; did you mean '%.*s'?", (int)at.len, txt(g, at),
                       (int)s->name.len, txt(g, s->name));
    else
        gvl_diag_error(g->diag, at, "unknown name '%.*s'", (int)at.len, txt(g, at));
}

static Node *literal(Lowerer *lw, Span name, double v)
{
    Graph *g = lw->g;
    Node *n = gvl_graph_add(g, NK_CONST, -1, name, name);
    n->literal = true;
    n->shape = (Shape){0, gvl_arena_alloc(&g->arena, sizeof(Dim))};
    n->init = gvl_arena_alloc(&g->arena, sizeof *n->init);
    n->init->vals = gvl_arena_alloc(&g->arena, sizeof(double));
    n->init->vals[0] = v;
    n->init->nvals = 1;
    n->init->fill = true;
    return n;
}

static Node *lower_call(Lowerer *lw, const Expr *e)
{
    Graph *g = lw->g;
    const char *name = txt(g, e->op_span);
    FuncDef *f = gvl_lower_function(lw, e->op_span);
    if (f) return gvl_lower_call_function(lw, e, f);
    int op = gvl_op_lookup(name, e->op_span.len);
    if (op < 0) {
        const char *s = gvl_op_suggest(name, e->op_span.len);
        if (gvl_graph_lookup(g, name, e->op_span.len))
            gvl_diag_error(g->diag, e->op_span, "'%.*s' is a tensor, not an op: it cannot be called",
                           (int)e->op_span.len, name);
        else if (s)
            gvl_diag_error(g->diag, e->op_span, "unknown op '%.*s'; did you mean '%s'?", (int)e->op_span.len, name, s);
        else
            gvl_diag_error(g->diag, e->op_span, "unknown op '%.*s'", (int)e->op_span.len, name);
        return gvl_lower_failed(g, e->span);
    }
    Binding b;
    BindStatus st = gvl_bind_call(g->diag, g->src, &g->arena, op, e, &b);
    if (st == BIND_BAD_ARITY) return gvl_lower_failed(g, e->span);
    /* the tensors are lowered even after a bad parameter, for their own errors */
    Node *src[OP_MAX_ARGS] = {NULL};
    for (int i = 0; i < b.ntensors; i++) src[i] = gvl_lower_expr(lw, b.tensors[i]);
    if (st != BIND_OK) return gvl_lower_failed(g, e->span);
    return gvl_lower_op(lw, b.op, e->name, e->op_span, src, b.ntensors, b.attrs);
}

static Node *lower_name(Lowerer *lw, const Expr *e)
{
    Graph *g = lw->g;
    if (lw->scope) {
        Node *n = gvl_lower_scoped_name(lw, e);
        return n ? n : gvl_lower_failed(g, e->name);
    }
    Node *n = gvl_graph_lookup_mut(g, txt(g, e->name), e->name.len);
    if (n) return n;
    const Node *aliased = gvl_lower_alias_owner(g, e->name);
    if (aliased)
        gvl_diag_error(g->diag, e->name, "'%.*s' is only the name tables use for vec(%.*s); in an expression "
                       "write vec(%.*s), or %.*s itself", (int)e->name.len, txt(g, e->name),
                       (int)aliased->name.len, txt(g, aliased->name), (int)aliased->name.len,
                       txt(g, aliased->name), (int)aliased->name.len, txt(g, aliased->name));
    else if (gvl_names_find(&g->symbols, txt(g, e->name), e->name.len))
        gvl_diag_error(g->diag, e->name, "'%.*s' is a size symbol from a shape, not a tensor",
                       (int)e->name.len, txt(g, e->name));
    else if (gvl_op_lookup(txt(g, e->name), e->name.len) >= 0)
        gvl_diag_error(g->diag, e->name, "'%.*s' is an op: call it, as in %.*s(x)", (int)e->name.len,
                       txt(g, e->name), (int)e->name.len, txt(g, e->name));
    else
        gvl_lower_unknown_name(g, e->name);
    return gvl_lower_failed(g, e->name);
}

Node *gvl_lower_expr(Lowerer *lw, const Expr *e)
{
    Graph *g = lw->g;
    switch (e->kind) {
    case EX_NUMBER:
        return literal(lw, e->name, e->num);
    case EX_NAME:
        return lower_name(lw, e);
    case EX_NEG:
        if (e->a->kind == EX_NUMBER) return literal(lw, e->name, -e->a->num);
        {
            Node *a = gvl_lower_expr(lw, e->a);
            int op = gvl_op_by_symbol(FORM_PREFIX, txt(g, e->op_span), e->op_span.len);
            return gvl_lower_op(lw, op, e->name, e->op_span, &a, 1, NULL);
        }
    case EX_BINARY: {
        Node *src[2] = {gvl_lower_expr(lw, e->a), gvl_lower_expr(lw, e->b)};
        int op = e->juxtaposed ? gvl_op_by_symbol(FORM_INFIX, "@", 1)
                               : gvl_op_by_symbol(FORM_INFIX, txt(g, e->op_span), e->op_span.len);
        /* a shape error at the operator underlines both operands, as clang does */
        lw->cx.operand[0] = e->a->span;
        lw->cx.operand[1] = e->b->span;
        Node *n = gvl_lower_op(lw, op, e->name, e->op_span, src, 2, NULL);
        lw->cx.operand[0] = lw->cx.operand[1] = span_make(0, 0);
        return n;
    }
    case EX_TRANSPOSE: {
        Node *a = gvl_lower_expr(lw, e->a);
        return gvl_lower_op(lw, gvl_op_by_symbol(FORM_POSTFIX, "^T", 2), e->name, e->op_span, &a, 1, NULL);
    }
    case EX_CALL:
        return lower_call(lw, e);
    case EX_LIST:
        gvl_diag_error(g->diag, e->span, "a list cannot be used as a tensor inside an expression; declare it "
                       "first, e.g. const c[2] = [1, 2]");
        return gvl_lower_failed(g, e->span);
    case EX_SIZE:
        gvl_diag_error(g->diag, e->span, "a size literal like '%.*s' only goes where an op expects a size, "
                       "as in max(x, 2x2)", (int)e->span.len, txt(g, e->span));
        return gvl_lower_failed(g, e->span);
    case EX_STRING:
        gvl_diag_error(g->diag, e->span, "a string only goes in an option, as in padding=\"same\"");
        return gvl_lower_failed(g, e->span);
    }
    return gvl_lower_failed(g, e->span);
}
