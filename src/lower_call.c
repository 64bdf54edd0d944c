/*
 * lower_call.c - functions: `def f(a, b) = EXPR` and the block form, and
 * their calls, which inline the body.
 *
 * A definition is only recorded; each call lowers the body afresh with
 * the arguments' nodes bound to the parameters, so shapes are inferred per
 * call and one function serves layers of different sizes.  The nodes a
 * call makes carry its CallSite: tables name them CALL/NAME (format.c) and
 * the diagram draws them as one cluster (render_dot.c).  Inside a body a
 * name is a parameter, a local assignment or a declared tensor, nothing
 * else, so that a function means the same wherever it is called.
 */
#include "lower.h"

#include "ops.h"

#include <string.h>

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

void gvl_lowerer_init(Lowerer *lw, Graph *g)
{
    memset(lw, 0, sizeof *lw);
    lw->g = g;
    lw->cx.g = g;
    gvl_names_init(&lw->fn_names, g->src->text);
}

void gvl_lowerer_free(Lowerer *lw)
{
    gvl_names_free(&lw->fn_names);
    free(lw->fns);
}

FuncDef *gvl_lower_function(Lowerer *lw, Span name)
{
    const NameSlot *s = gvl_names_find(&lw->fn_names, txt(lw->g, name), name.len);
    return s ? lw->fns[s->sym] : NULL;
}

/* "(x, W, b)": a definition's parameters, for notes. */
/* The note at F's definition that every error of a call or a use in its
 * body gets: "'layer' takes (x, W, b)". */
static void note_params(DiagBuilder *b, Graph *g, const FuncDef *f)
{
    StrBuf list = {0};
    for (int i = 0; i < f->nparams; i++)
        gvl_sb_printf(&list, "%s%.*s", i ? ", " : "", (int)f->params[i].len, txt(g, f->params[i]));
    gvl_diag_add_note(b, f->header, "'%.*s' takes (%s)", (int)f->name.len, txt(g, f->name), gvl_sb_str(&list));
    gvl_sb_free(&list);
}

void gvl_lower_def(Lowerer *lw, const Stmt *st)
{
    Graph *g = lw->g;
    FuncDef *f = st->def;
    Span name = f->name;
    const char *s = txt(g, name);
    int len = (int)name.len;
    FuncDef *before = gvl_lower_function(lw, name);
    if (before) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, name);
        gvl_diag_printf(&b, "function '%.*s' is defined twice", len, s);
        gvl_diag_add_note(&b, before->name, "the first definition is here");
        gvl_diag_emit(&b);
        return;
    }
    if (gvl_op_lookup(s, name.len) >= 0) {
        gvl_diag_error(g->diag, name, "'%.*s' is an op; give the function a name of its own", len, s);
        return;
    }
    const Node *tensor = gvl_graph_lookup(g, s, name.len);
    if (tensor) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, name);
        gvl_diag_printf(&b, "'%.*s' is already a tensor; give the function another name", len, s);
        gvl_diag_add_note(&b, tensor->name, "'%.*s' is %s here", len, s,
                          tensor->kind == NK_OP ? "assigned" : "declared");
        gvl_diag_emit(&b);
        return;
    }
    NameSlot *slot = gvl_names_insert(&lw->fn_names, name);
    slot->sym = (int32_t)lw->nfns;
    VEC_PUSH(lw->fns, lw->nfns, lw->capfns, f);
}

/* The parameter or local called NAME in the innermost call, or NULL. */
static Node *local(const CallScope *sc, const Graph *g, Span name)
{
    const NameSlot *s = gvl_names_find(&sc->locals, txt(g, name), name.len);
    return s ? s->node : NULL;
}

Node *gvl_lower_scoped_name(Lowerer *lw, const Expr *e)
{
    Graph *g = lw->g;
    const CallScope *sc = lw->scope;
    Node *n = local(sc, g, e->name);
    if (n) return n;
    Node *global = gvl_graph_lookup_mut(g, txt(g, e->name), e->name.len);
    if (global && global->kind != NK_OP) return global;
    const FuncDef *f = sc->fn;
    int len = (int)e->name.len, fl = (int)f->name.len;
    const char *s = txt(g, e->name), *fn = txt(g, f->name);
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, e->name);
    if (global)
        gvl_diag_printf(&b, "'%.*s' is computed outside '%.*s'; a function sees only its parameters, its own "
                        "assignments and declared tensors: pass '%.*s' as an argument", len, s, fl, fn, len, s);
    else if (gvl_names_find(&g->symbols, s, e->name.len))
        gvl_diag_printf(&b, "'%.*s' is a size symbol from a shape, not a tensor", len, s);
    else
        gvl_diag_printf(&b, "unknown name '%.*s' in '%.*s'", len, s, fl, fn);
    note_params(&b, g, f);
    gvl_diag_emit(&b);
    return NULL;
}

/* The nodes bound to F's parameters, from E's arguments (positional, or
 * by the parameter's name); false after reporting a mismatch. */
static bool bind_arguments(Lowerer *lw, const Expr *e, const FuncDef *f, const Expr **out)
{
    Graph *g = lw->g;
    int fl = (int)f->name.len;
    const char *fn = txt(g, f->name);
    memset(out, 0, sizeof *out * (size_t)f->nparams);
    bool ok = true;
    for (int i = 0; i < e->nargs && ok; i++) {
        const Arg *a = &e->args[i];
        int k = i;
        if (a->key.len) {
            for (k = 0; k < f->nparams; k++)
                if (f->params[k].len == a->key.len && !memcmp(txt(g, f->params[k]), txt(g, a->key), a->key.len)) break;
            if (k == f->nparams) {
                DiagBuilder b;
                gvl_diag_begin(&b, g->diag, SEV_ERROR, a->key);
                gvl_diag_printf(&b, "'%.*s' has no parameter called '%.*s'", fl, fn, (int)a->key.len,
                                txt(g, a->key));
                note_params(&b, g, f);
                gvl_diag_emit(&b);
                return false;
            }
        } else if (i >= f->nparams) {
            break;
        }
        if (out[k]) {
            gvl_diag_error(g->diag, a->key.len ? a->key : a->value->span, "'%.*s' is given twice in this call",
                           (int)f->params[k].len, txt(g, f->params[k]));
            return false;
        }
        out[k] = a->value;
    }
    int given = 0;
    for (int k = 0; k < f->nparams; k++) given += out[k] != NULL;
    if (e->nargs > f->nparams || given < f->nparams) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, e->op_span);
        if (e->nargs > f->nparams || given == e->nargs)
            gvl_diag_printf(&b, "'%.*s' takes %d argument%s, but %d %s given", fl, fn, f->nparams,
                            f->nparams == 1 ? "" : "s", e->nargs, e->nargs == 1 ? "was" : "were");
        else
            gvl_diag_printf(&b, "'%.*s' is called without a value for some of its parameters", fl, fn);
        note_params(&b, g, f);
        gvl_diag_emit(&b);
        return false;
    }
    return true;
}

/* A name bound inside the call: a second assignment to it is its next
 * version (h, h'), as at the top of the file. */
static void bind_local(CallScope *sc, Span name, Node *n)
{
    NameSlot *e = gvl_names_insert(&sc->locals, name);
    bool reassigned = e->node && e->node->named && gvl_node_scope(e->node) == sc->site;
    n->version = reassigned ? e->node->version + 1 : 0;
    n->named = true;
    n->name = name;
    e->node = n;
}

Node *gvl_lower_call_function(Lowerer *lw, const Expr *e, FuncDef *f)
{
    Graph *g = lw->g;
    int fl = (int)f->name.len;
    const char *fn = txt(g, f->name);
    f->called = true;
    if (f->active) {
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, e->op_span);
        gvl_diag_printf(&b, "'%.*s' calls itself; a call is inlined where it is written, so a function "
                        "cannot be recursive", fl, fn);
        gvl_diag_add_note(&b, f->header, "'%.*s' is defined here", fl, fn);
        gvl_diag_emit(&b);
        return gvl_lower_failed(g, e->span);
    }
    const Expr *argx[FUNC_MAX_PARAMS];
    if (f->broken || !bind_arguments(lw, e, f, argx)) {
        for (int i = 0; i < e->nargs; i++) gvl_lower_expr(lw, e->args[i].value);  /* their own errors */
        return gvl_lower_failed(g, e->span);
    }
    Node *args[FUNC_MAX_PARAMS];
    bool ok = true;
    for (int k = 0; k < f->nparams; k++) {
        args[k] = gvl_lower_expr(lw, argx[k]);
        ok = ok && !args[k]->failed;
    }
    if (!ok) return gvl_lower_failed(g, e->span);

    CallSite *c = gvl_arena_alloc(&g->arena, sizeof *c);
    memset(c, 0, sizeof *c);
    c->fn = f->name;
    c->fn_at = e->op_span;
    c->parent = g->inlining;
    c->first = (uint32_t)g->count;
    c->index = (uint32_t)g->ncalls;
    VEC_PUSH(g->calls, g->ncalls, g->capcalls, c);

    CallScope sc = {f, c, {0}, lw->scope};
    gvl_names_init(&sc.locals, g->src->text);
    for (int k = 0; k < f->nparams; k++) gvl_names_insert(&sc.locals, f->params[k])->node = args[k];
    DiagContext ctx = {e->op_span, gvl_arena_printf(&g->diag->arena, "in the call of '%.*s' here", fl, fn),
                       g->diag->context};
    const DiagContext *outer_ctx = g->diag->context;
    CallSite *outer_call = g->inlining;
    g->diag->context = &ctx;
    g->inlining = c;
    lw->scope = &sc;
    f->active = true;

    for (int i = 0; i < f->nbody && !g->too_many_nodes; i++) {
        const Stmt *st = f->body[i];
        if (gvl_lower_is_alias(g, st->name)) continue;
        bind_local(&sc, st->name, gvl_lower_assigned_value(lw, st));
    }
    Node *r = g->too_many_nodes ? gvl_lower_failed(g, e->span) : gvl_lower_expr(lw, f->ret);
    /* the result is a node of this call's own, named by the caller: a
     * parameter, a local or a declared tensor returned as it is gets a copy */
    if (!r->failed && (r->id < c->first || r->named)) r = gvl_lower_op(lw, OP_IDENTITY, e->name, e->op_span, &r, 1, NULL);
    r->name = e->name;
    c->result = r;
    c->end = (uint32_t)g->count;

    f->active = false;
    lw->scope = sc.up;
    g->inlining = outer_call;
    g->diag->context = outer_ctx;
    gvl_names_free(&sc.locals);
    return r;
}

void gvl_lower_unused_functions(Lowerer *lw)
{
    Graph *g = lw->g;
    for (size_t i = 0; i < lw->nfns; i++) {
        const FuncDef *f = lw->fns[i];
        if (!f->called)
            gvl_diag_warning(g->diag, f->name, "function '%.*s' is defined but never called", (int)f->name.len,
                             txt(g, f->name));
    }
}
