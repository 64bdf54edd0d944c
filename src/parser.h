/*
 * parser.h - recursive descent from tokens to one statement at a time.
 *
 * On a syntax error the parser reports it, skips to the end of the
 * statement and carries on, so one run reports every independent mistake.
 */
#ifndef GVL_PARSER_H
#define GVL_PARSER_H

#include "ast.h"
#include "lexer.h"

/* Deeper nesting than this is refused with a diagnostic, not a stack overflow. */
enum { PARSER_MAX_DEPTH = 200 };
/* A chain like a + a + ... + a builds a tree as deep as it is long; the
 * phases after parsing recurse over it, so its height is bounded too. */
enum { PARSER_MAX_HEIGHT = 2000 };

typedef struct Parser {
    Lexer lx;
    DiagSink *diag;
    Arena *arena;        /* where statements are allocated */
    Arena *keep;         /* where a def is allocated: its calls come later
                          * (NULL: in arena, for callers that keep it all) */
    Token cur, next;
    TokenKind prev_kind; /* the kind and place of the token before cur */
    Span prev_span;
    int depth;
} Parser;

void gvl_parser_init(Parser *p, const Source *src, DiagSink *diag, Arena *arena);
/* The next statement, or NULL at end of file.  A statement with a syntax
 * error is reported and comes back marked broken when it got as far as
 * its name (so later uses of the name can stay quiet); otherwise it is
 * skipped. */
Stmt *gvl_parser_next(Parser *p);

#endif
