/*
 * ast.h - the syntax tree of one statement.
 *
 * The parser hands out one statement at a time; the graph builder lowers it
 * and the tree can then be thrown away.  Nothing here is resolved yet: a
 * name is only a span, a call only a name and its arguments.
 */
#ifndef GVL_AST_H
#define GVL_AST_H

#include "source.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    EX_NUMBER,     /* 2, 0.5, pi (num holds the value) */
    EX_NAME,       /* w */
    EX_NEG,        /* -a */
    EX_BINARY,     /* a + b, a @ b, a ** b: op is the token kind */
    EX_TRANSPOSE,  /* a^T */
    EX_CALL,       /* sin(a), conv(x, w, stride=2) */
    EX_LIST,       /* [1, 2] or [[1, 2], [3, 4]] */
    EX_SIZE,       /* 2x2 */
    EX_STRING,     /* "same" */
} ExprKind;

typedef struct Expr Expr;

typedef struct Arg {
    Span key;      /* len 0 for a positional argument */
    Expr *value;
} Arg;

struct Expr {
    ExprKind kind;
    Span span;     /* the whole expression, with any parentheses around it */
    Span name;     /* the text that names its node: span, except that "(x)"
                    * is x and "((y - t))" is "(y - t)" */
    Span op_span;  /* the operator or call name: where shape errors point */
    int op;        /* EX_BINARY: TokenKind */
    double num;    /* EX_NUMBER */
    bool is_int;   /* EX_NUMBER written as an integer */
    bool is_pi;    /* EX_NUMBER spelled 'pi' */
    bool parens;   /* its span already includes the parentheses around it */
    bool juxtaposed; /* EX_BINARY written without its operator: w^T x is w^T @ x */
    int64_t ival;
    Expr *a, *b;   /* operands */
    Arg *args;     /* EX_CALL */
    int nargs;
    Expr **items;  /* EX_LIST */
    int nitems;
    int64_t *size; /* EX_SIZE */
    int nsize;
    int height;    /* of the tree below: bounds the recursion of later phases */
};

typedef enum { DIM_INT, DIM_ANY, DIM_SYM } DimSyntaxKind;

typedef struct DimSyntax {
    DimSyntaxKind kind;
    Span span;
    int64_t value;  /* DIM_INT */
    Span sym;       /* DIM_SYM: the symbol */
    int64_t offset; /* DIM_SYM: n+1 -> 1, n-1 -> -1 */
} DimSyntax;

typedef enum { ST_DECL, ST_ASSIGN, ST_LOSS, ST_OPTIMIZE, ST_SIZE, ST_DEF } StmtKind;

struct FuncDef;

/* Leaf kinds, in the order of the NodeKind enum (graph.h). */
typedef enum { DECL_INPUT, DECL_PARAM, DECL_CONST, DECL_LABEL } DeclKind;

typedef struct Stmt {
    StmtKind kind;
    Span span;
    bool broken;        /* had a syntax error: only kind and name are usable */
    Span name;          /* declared, assigned, or the loss */
    DeclKind decl;      /* ST_DECL */
    bool has_shape;
    DimSyntax *dims;
    int ndims;
    Span shape_span;    /* [ ... ] */
    Span alias;         /* as ALIAS (len 0 if none) */
    Expr *init;         /* ST_DECL initialiser, or NULL */
    Expr *value;        /* ST_ASSIGN */
    Arg *opts;          /* ST_OPTIMIZE: lr=, steps= */
    int nopts;
    bool has_value;     /* ST_SIZE: size n = 5 */
    int64_t size;
    bool has_range;     /* ST_SIZE: size n in 2..6 */
    int64_t lo, hi;
    Span value_span;    /* the 5, or the 2..6 */
    struct FuncDef *def; /* ST_DEF: kept past the statement (calls inline it later) */
} Stmt;

/* def NAME(PARAMS) = EXPR, or the block form: assignments, then
 * return EXPR, then end.  Unlike a statement it outlives the parse of
 * its own lines, since every call lowers its body afresh. */
enum { FUNC_MAX_PARAMS = 64 };

typedef struct FuncDef {
    Span name;
    Span *params;
    int nparams;
    Span header;        /* def NAME(PARAMS): where notes about the definition point */
    struct Stmt **body; /* ST_ASSIGN only */
    int nbody;
    Expr *ret;          /* NULL when the body is broken */
    bool broken;        /* a syntax error inside: calls stay quiet */
    bool active;        /* being inlined now: a call to it is recursion */
    bool called;
} FuncDef;

#endif
