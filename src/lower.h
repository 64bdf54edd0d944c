/*
 * lower.h - lowering one statement's syntax tree into graph nodes: the
 * interface the three lowering files share with the front-end driver.
 *
 * lower_expr.c turns expressions into op nodes (calls through bind.c),
 * lower_decl.c declarations and their initialisers into leaves,
 * lower_stmt.c assignments, `loss` and `optimize`, and lower_call.c
 * function definitions and their calls, which inline the body (and so
 * recurse back into lower_expr.c: the four files are one module).  Each new op node gets
 * its shape at once (shape.c); the driver (frontend.c) runs the later
 * passes.
 */
#ifndef GVL_LOWER_H
#define GVL_LOWER_H

#include "ast.h"
#include "graph.h"
#include "shape.h"

/* The names inside one inlined call: its parameters (bound to the
 * arguments' nodes) and what its body assigns. */
typedef struct CallScope {
    const FuncDef *fn;
    CallSite *site;
    NameTable locals;
    struct CallScope *up;
} CallScope;

typedef struct Lowerer {
    Graph *g;
    ShapeCtx cx;
    NameTable fn_names;         /* function names -> index in fns (the slot's sym) */
    FuncDef **fns;
    size_t nfns, capfns;
    CallScope *scope;           /* the innermost call being inlined, or NULL */
} Lowerer;

void gvl_lowerer_init(Lowerer *lw, Graph *g);
void gvl_lowerer_free(Lowerer *lw);

/* ---- lower_expr.c ---- */
/* The node computing E (a failed node after a reported error). */
Node *gvl_lower_expr(Lowerer *lw, const Expr *e);
/* An op node with operands SRC, its shape inferred. */
Node *gvl_lower_op(Lowerer *lw, int op, Span name, Span loc, Node **src, int nsrc, OpAttrs *attrs);
/* A node standing for something that failed, so that its uses stay quiet. */
Node *gvl_lower_failed(Graph *g, Span at);
/* Reports an unknown name at AT, with "did you mean" when a name is close. */
void gvl_lower_unknown_name(Graph *g, Span at);

/* ---- lower_decl.c ---- */
void gvl_lower_decl(Lowerer *lw, const Stmt *st);
/* Binds NAME to N, giving N the next version if NAME was bound before. */
void gvl_lower_bind(Graph *g, Span name, Node *n);
/* True, after an error, when NAME is already some tensor's `as` alias. */
bool gvl_lower_is_alias(Graph *g, Span name);
/* The declared tensor whose `as` alias is NAME, or NULL. */
const Node *gvl_lower_alias_owner(const Graph *g, Span name);

/* The variable of size symbol NAME, made at its first use (and bound
 * there when --set names it). */
int32_t gvl_lower_symbol(Graph *g, Span name);

/* ---- lower_call.c ---- */
/* Checks and records a definition; its body is lowered at each call. */
void gvl_lower_def(Lowerer *lw, const Stmt *st);
/* The function called NAME, or NULL. */
FuncDef *gvl_lower_function(Lowerer *lw, Span name);
/* A call of F: the body inlined with E's arguments; its result. */
Node *gvl_lower_call_function(Lowerer *lw, const Expr *e, FuncDef *f);
/* NAME inside a call: a parameter, a local, or a declared tensor; NULL
 * when the name is none of them (the error is reported). */
Node *gvl_lower_scoped_name(Lowerer *lw, const Expr *e);
/* Warns about functions that nothing calls. */
void gvl_lower_unused_functions(Lowerer *lw);

/* ---- lower_stmt.c ---- */
/* The node an assignment's right-hand side stands for, not yet bound. */
Node *gvl_lower_assigned_value(Lowerer *lw, const Stmt *st);
void gvl_lower_assign(Lowerer *lw, const Stmt *st);
void gvl_lower_loss(Lowerer *lw, const Stmt *st);
void gvl_lower_optimize(Lowerer *lw, const Stmt *st);
void gvl_lower_size(Lowerer *lw, const Stmt *st);

#endif
