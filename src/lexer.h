/*
 * lexer.h - tokens of the .graph language, each with its source span.
 *
 * Newlines and ';' end statements, except inside ( ) and [ ], so a matrix
 * may be written over several lines.  Bad bytes are reported once and
 * skipped; the lexer never stops early.
 */
#ifndef GVL_LEXER_H
#define GVL_LEXER_H

#include "diag.h"
#include "source.h"

#include <stdbool.h>
#include <stdint.h>

/* X(kind, spelling used in messages) */
#define TOKEN_LIST(X)                 \
    X(TK_EOF, "end of file")          \
    X(TK_END, "end of statement")     \
    X(TK_IDENT, "name")               \
    X(TK_NUMBER, "number")            \
    X(TK_SIZE, "size literal")        \
    X(TK_STRING, "string")            \
    X(TK_PLUS, "'+'")                 \
    X(TK_MINUS, "'-'")                \
    X(TK_STAR, "'*'")                 \
    X(TK_SLASH, "'/'")                \
    X(TK_POW, "'**'")                 \
    X(TK_AT, "'@'")                   \
    X(TK_CARET, "'^'")                \
    X(TK_LPAREN, "'('")               \
    X(TK_RPAREN, "')'")               \
    X(TK_LBRACK, "'['")               \
    X(TK_RBRACK, "']'")               \
    X(TK_COMMA, "','")                \
    X(TK_ASSIGN, "'='")               \
    X(TK_QUESTION, "'?'")             \
    X(TK_DOTDOT, "'..'")              \
    X(TK_INPUT, "'input'")            \
    X(TK_PARAM, "'param'")            \
    X(TK_CONST, "'const'")            \
    X(TK_LABEL, "'label'")            \
    X(TK_LOSS, "'loss'")              \
    X(TK_OPTIMIZE, "'optimize'")      \
    X(TK_AS, "'as'")                  \
    X(TK_PI, "'pi'")                 \
    X(TK_BAD, "invalid text")   /* already reported by the lexer */

typedef enum {
#define X(k, s) k,
    TOKEN_LIST(X)
#undef X
    TK_COUNT
} TokenKind;

extern const char *const gvl_token_names[];

enum { SIZE_MAX_DIMS = 8 };

typedef struct Token {
    TokenKind kind;
    Span span;
    bool nl_before;      /* a newline inside ( ) or [ ] was skipped before it */
    double num;          /* TK_NUMBER */
    bool is_int;         /* TK_NUMBER written without '.' or exponent, fits int64 */
    int64_t ival;        /* TK_NUMBER when is_int */
    int nsize;           /* TK_SIZE: the dims of "2x3" */
    int64_t size[SIZE_MAX_DIMS];
} Token;

typedef struct Lexer {
    const Source *src;
    DiagSink *diag;
    size_t pos;
    int depth;           /* open ( and [; newlines inside them are skipped */
} Lexer;

void gvl_lexer_init(Lexer *lx, const Source *src, DiagSink *diag);
Token gvl_lexer_next(Lexer *lx);
/* True for names the language reserves (input, param, ..., pi). */
bool gvl_lexer_is_keyword(const char *s, size_t n);

#endif
