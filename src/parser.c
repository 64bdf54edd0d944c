/*
 * parser.c - the grammar of .graph files.
 *
 *   stmt    := KIND NAME ['[' dims ']'] ['as' NAME] ['=' expr]
 *            | NAME '=' expr | 'loss' NAME | 'optimize' NAME (NAME '=' expr)*
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | '@') unary)*
 *   unary   := '-' unary | power
 *   power   := postfix ['**' unary]          (right associative, as Python)
 *   postfix := primary ('^' 'T')*
 *   primary := NUMBER | SIZE | STRING | 'pi' | NAME ['(' args ')']
 *            | '(' expr ')' | '[' expr (',' expr)* ']'
 *
 * Each function returns NULL after reporting an error; the statement is
 * then abandoned and parsing resumes at the next one.
 */
#include "parser.h"

#include "dim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool starts_statement(Parser *p);
static bool parse_stmt(Parser *p, Stmt *s);

static const char *text(Parser *p, Span s)
{
    return p->lx.src->text + s.off;
}

/* Where the token before cur ends. */
static uint32_t prev_end(const Parser *p)
{
    return p->prev_span.off + p->prev_span.len;
}

static void advance(Parser *p)
{
    p->prev_kind = p->cur.kind;
    p->prev_span = p->cur.span;
    p->cur = p->next;
    p->next = gvl_lexer_next(&p->lx);
}

void gvl_parser_init(Parser *p, const Source *src, DiagSink *diag, Arena *arena)
{
    memset(p, 0, sizeof *p);
    gvl_lexer_init(&p->lx, src, diag);
    p->diag = diag;
    p->arena = arena;
    p->cur = gvl_lexer_next(&p->lx);
    p->next = gvl_lexer_next(&p->lx);
}

/* Names the current token for a message: "'foo'" or "end of statement". */
static const char *found(Parser *p)
{
    Token *t = &p->cur;
    if (t->nl_before && starts_statement(p)) return "the end of the line";
    if (t->kind == TK_END && text(p, t->span)[0] == ';') return "';'";
    if (t->kind == TK_END) return "the end of the line";
    if (t->kind == TK_IDENT || t->kind == TK_NUMBER || t->kind == TK_SIZE || t->kind == TK_STRING) {
        /* a long token is quoted by its first 40 bytes */
        int n = t->span.len > 40 ? 40 : (int)t->span.len;
        return gvl_arena_printf(p->arena, "'%.*s%s'", n, text(p, t->span), t->span.len > 40 ? "..." : "");
    }
    return gvl_token_names[t->kind];
}

/* Where an "expected X" error should point: at the end of the previous
 * line when the culprit is the first token of the next one. */
static Span error_at(Parser *p)
{
    if (p->cur.nl_before) return span_make(prev_end(p), 0);
    return p->cur.span;
}

/* Reports a syntax error, unless the current token is text the lexer
 * already complained about: one mistake, one message. */
static bool report(Parser *p, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool report(Parser *p, Span at, const char *fmt, ...)
{
    if (p->cur.kind == TK_BAD) return false;
    DiagBuilder b;
    gvl_diag_begin(&b, p->diag, SEV_ERROR, at);
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&b.msg, fmt, ap);
    va_end(ap);
    gvl_diag_emit(&b);
    return true;
}

/* Reports an error where the current token's problem shows (error_at);
 * NULL, for `return fail(...)` from functions that return a tree. */
static void *fail(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void *fail(Parser *p, const char *fmt, ...)
{
    if (p->cur.kind == TK_BAD) return NULL;
    DiagBuilder b;
    gvl_diag_begin(&b, p->diag, SEV_ERROR, error_at(p));
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&b.msg, fmt, ap);
    va_end(ap);
    gvl_diag_emit(&b);
    return NULL;
}

static Expr *new_expr(Parser *p, ExprKind k, Span span)
{
    Expr *e = gvl_arena_alloc(p->arena, sizeof *e);
    e->kind = k;
    e->span = span;
    e->name = span;
    e->op_span = span;
    e->height = 1;
    return e;
}

/* Sets E's height from its children; NULL (reported) if it is too tall. */
static Expr *tall(Parser *p, Expr *e)
{
    int h = 0;
    if (e->a && e->a->height > h) h = e->a->height;
    if (e->b && e->b->height > h) h = e->b->height;
    for (int i = 0; i < e->nargs; i++)
        if (e->args[i].value->height > h) h = e->args[i].value->height;
    for (int i = 0; i < e->nitems; i++)
        if (e->items[i]->height > h) h = e->items[i]->height;
    e->height = h + 1;
    if (e->height > PARSER_MAX_HEIGHT) {
        report(p, e->op_span, "expression too long (more than %d operations deep); "
                   "split it into several statements", PARSER_MAX_HEIGHT);
        return NULL;
    }
    return e;
}

static Expr *parse_expr(Parser *p);

static bool enter(Parser *p)
{
    if (++p->depth > PARSER_MAX_DEPTH) {
        report(p, p->cur.span, "expression nested too deeply (more than %d levels)",
                   PARSER_MAX_DEPTH);
        return false;
    }
    return true;
}

/* After an error inside brackets: skips to the closing CLOSE on this line
 * and past it, so the rest of the list or call is not a second error. */
static void skip_past_bracket(Parser *p, TokenKind close)
{
    while (p->cur.kind != TK_EOF && p->cur.kind != close &&
           !(p->cur.kind == TK_END && text(p, p->cur.span)[0] == '\n'))
        advance(p);
    if (p->cur.kind == close) advance(p);
}

/* Reports a missing closing bracket, with a note at the opening one. */
static void *unclosed(Parser *p, const char *close, Span open)
{
    if (p->cur.kind == TK_BAD) return NULL;
    DiagBuilder b;
    gvl_diag_begin(&b, p->diag, SEV_ERROR, error_at(p));
    gvl_diag_printf(&b, "expected %s, found %s", close, found(p));
    gvl_diag_add_note(&b, open, "to match this %s", p->lx.src->text[open.off] == '(' ? "'('" : "'['");
    gvl_diag_emit(&b);
    return NULL;
}

static Expr *parse_call(Parser *p, Token name)
{
    Span open = p->cur.span;
    advance(p);   /* '(' */
    Expr *e = new_expr(p, EX_CALL, name.span);
    e->op_span = name.span;
    Arg *args = NULL;
    int n = 0, cap = 0;
    if (p->cur.kind != TK_RPAREN) {
        for (;;) {
            Arg a = {{0, 0}, NULL};
            if (p->cur.kind == TK_IDENT && p->next.kind == TK_ASSIGN) {
                a.key = p->cur.span;
                advance(p);
                advance(p);
            }
            a.value = parse_expr(p);
            if (!a.value) return NULL;
            if (n == cap) {
                int nc = cap ? cap * 2 : 4;
                Arg *na = gvl_arena_alloc(p->arena, sizeof *na * (size_t)nc);
                if (n) memcpy(na, args, sizeof *na * (size_t)n);
                args = na;
                cap = nc;
            }
            args[n++] = a;
            if (p->cur.kind != TK_COMMA) break;
            advance(p);
        }
    }
    if (p->cur.kind != TK_RPAREN) return unclosed(p, "',' or ')' in the call", open);
    e->span = e->name = gvl_span_join(name.span, p->cur.span);
    advance(p);
    e->args = args;
    e->nargs = n;
    return tall(p, e);
}

static Expr *parse_list(Parser *p)
{
    Span open = p->cur.span;
    advance(p);   /* '[' */
    Expr *e = new_expr(p, EX_LIST, open);
    Expr **items = NULL;
    int n = 0, cap = 0;
    if (p->cur.kind == TK_RBRACK)
        return fail(p, "empty list: a list needs at least one value");
    for (;;) {
        Expr *it = parse_expr(p);
        if (!it) return NULL;
        if (n == cap) {
            int nc = cap ? cap * 2 : 8;
            Expr **ni = gvl_arena_alloc(p->arena, sizeof *ni * (size_t)nc);
            if (n) memcpy(ni, items, sizeof *ni * (size_t)n);
            items = ni;
            cap = nc;
        }
        items[n++] = it;
        if (p->cur.kind != TK_COMMA) break;
        advance(p);
        if (p->cur.kind == TK_RBRACK) break;   /* trailing comma */
    }
    if (p->cur.kind == TK_END && text(p, p->cur.span)[0] == ';') {
        /* MATLAB's rows: [2; 1] */
        report(p, p->cur.span, "expected ',' or ']' in the list, found ';': rows are nested lists, "
                               "as in [[2], [1]] for a column (or write [2, 1] and declare the shape)");
        skip_past_bracket(p, TK_RBRACK);
        return NULL;
    }
    if (p->cur.kind != TK_RBRACK) return unclosed(p, "',' or ']' in the list", open);
    e->span = e->name = gvl_span_join(open, p->cur.span);
    advance(p);
    e->items = items;
    e->nitems = n;
    return tall(p, e);
}

/* True at the "x 2" of "2 x 2": an x alone, then a whole number, on one line. */
static bool is_spaced_x(Parser *p)
{
    return p->cur.kind == TK_IDENT && p->cur.span.len == 1 && text(p, p->cur.span)[0] == 'x' &&
           !p->cur.nl_before && p->next.kind == TK_NUMBER && p->next.is_int && !p->next.nl_before;
}

/* "2 x 2", as the sheet prints a size: the size literal 2x2.  FIRST is
 * the number before the x. */
static Expr *parse_spaced_size(Parser *p, Token first)
{
    int64_t dims[SIZE_MAX_DIMS];
    int n = 0;
    dims[n++] = first.ival;
    Span end = first.span;
    while (is_spaced_x(p)) {
        advance(p);   /* x */
        if (n == SIZE_MAX_DIMS) {
            report(p, gvl_span_join(first.span, p->cur.span), "size literal '%.*s' is too large",
                   (int)(p->cur.span.off + p->cur.span.len - first.span.off), text(p, first.span));
            return NULL;
        }
        dims[n++] = p->cur.ival;
        end = p->cur.span;
        advance(p);
    }
    Expr *e = new_expr(p, EX_SIZE, gvl_span_join(first.span, end));
    e->nsize = n;
    e->size = gvl_arena_alloc(p->arena, sizeof(int64_t) * (size_t)n);
    memcpy(e->size, dims, sizeof(int64_t) * (size_t)n);
    return e;
}

static Expr *parse_primary(Parser *p)
{
    Token t = p->cur;
    /* inside unclosed brackets, a line that reads as a new statement is one */
    if (t.nl_before && starts_statement(p)) {
        report(p, error_at(p), "expected an expression, found the end of the line");
        return NULL;
    }
    switch (t.kind) {
    case TK_NUMBER: {
        advance(p);
        if (t.is_int && is_spaced_x(p)) return parse_spaced_size(p, t);
        Expr *e = new_expr(p, EX_NUMBER, t.span);
        e->num = t.num;
        e->is_int = t.is_int;
        e->ival = t.ival;
        return e;
    }
    case TK_PI: {
        advance(p);
        Expr *e = new_expr(p, EX_NUMBER, t.span);
        e->num = 3.14159265358979323846;
        e->is_pi = true;
        return e;
    }
    case TK_SIZE: {
        advance(p);
        Expr *e = new_expr(p, EX_SIZE, t.span);
        e->nsize = t.nsize;
        e->size = gvl_arena_alloc(p->arena, sizeof(int64_t) * (size_t)t.nsize);
        memcpy(e->size, t.size, sizeof(int64_t) * (size_t)t.nsize);
        return e;
    }
    case TK_STRING:
        advance(p);
        return new_expr(p, EX_STRING, t.span);
    case TK_IDENT:
        advance(p);
        if (p->cur.kind == TK_LPAREN && !p->cur.nl_before) return parse_call(p, t);
        return new_expr(p, EX_NAME, t.span);
    case TK_LPAREN: {
        Span open = t.span;
        advance(p);
        Expr *e = parse_expr(p);
        if (!e) return NULL;
        if (p->cur.kind == TK_COMMA && e->kind == EX_NUMBER) {
            /* Python's tuple: max(x, (2, 2)) */
            report(p, p->cur.span, "expected ')', found ','; a size is written 2x2, not as a tuple (2, 2)");
            skip_past_bracket(p, TK_RPAREN);
            return NULL;
        }
        if (p->cur.kind != TK_RPAREN) return unclosed(p, "')'", open);
        /* the parenthesised text names the node, as the student wrote it:
         * "(y - t)", but a name or a number stays itself ("(x)" is x), and
         * doubled parentheses count once ("((y - t))" is "(y - t)") */
        e->span = gvl_span_join(open, p->cur.span);
        if (e->kind != EX_NAME && e->kind != EX_NUMBER && !e->parens) e->name = e->span;
        e->parens = true;
        advance(p);
        return e;
    }
    case TK_LBRACK:
        return parse_list(p);
    case TK_CARET:
        return fail(p, "expected an expression before '^'");
    default:
        if (t.kind >= TK_INPUT && t.kind <= TK_AS)
            return fail(p, "expected an expression, found %s (a reserved word)", found(p));
        return fail(p, "expected an expression, found %s", found(p));
    }
}

static Expr *parse_postfix(Parser *p)
{
    Expr *e = parse_primary(p);
    while (e && p->cur.kind == TK_CARET) {
        Token caret = p->cur;
        advance(p);
        if (p->cur.kind == TK_IDENT && p->cur.span.len > 1 && text(p, p->cur.span)[0] == 'T' &&
            p->cur.span.off == caret.span.off + 1) {
            /* w^Tx: the lexer reads ^ and the name Tx */
            report(p, p->cur.span, "'^%.*s' reads as '^' and the name '%.*s': put a space after ^T, "
                                   "as in w^T %.*s (or w^T @ %.*s)",
                   (int)p->cur.span.len, text(p, p->cur.span), (int)p->cur.span.len, text(p, p->cur.span),
                   (int)p->cur.span.len - 1, text(p, p->cur.span) + 1, (int)p->cur.span.len - 1,
                   text(p, p->cur.span) + 1);
            return NULL;
        }
        if (p->cur.kind != TK_IDENT || p->cur.span.len != 1 || text(p, p->cur.span)[0] != 'T') {
            report(p, caret.span,
                       "'^' is only for transpose (a^T); write a power as '**', e.g. x**2");
            return NULL;
        }
        Expr *t = new_expr(p, EX_TRANSPOSE, gvl_span_join(e->span, p->cur.span));
        t->op_span = caret.span;
        t->a = e;
        advance(p);
        e = tall(p, t);
    }
    return e;
}

static Expr *parse_unary(Parser *p);

static Expr *parse_power(Parser *p)
{
    Expr *base = parse_postfix(p);
    if (!base || p->cur.kind != TK_POW) return base;
    Token op = p->cur;
    advance(p);
    if (!enter(p)) return NULL;
    Expr *ex = parse_unary(p);
    p->depth--;
    if (!ex) return NULL;
    Expr *e = new_expr(p, EX_BINARY, gvl_span_join(base->span, ex->span));
    e->op = TK_POW;
    e->op_span = op.span;
    e->a = base;
    e->b = ex;
    return tall(p, e);
}

static Expr *parse_unary(Parser *p)
{
    if (p->cur.kind != TK_MINUS) return parse_power(p);
    Token op = p->cur;
    advance(p);
    if (!enter(p)) return NULL;
    Expr *a = parse_unary(p);
    p->depth--;
    if (!a) return NULL;
    Expr *e = new_expr(p, EX_NEG, gvl_span_join(op.span, a->span));
    e->op_span = op.span;
    e->a = a;
    return tall(p, e);
}

static Expr *parse_binary(Parser *p, int level)
{
    Expr *lhs = level == 0 ? parse_binary(p, 1) : parse_unary(p);
    for (;;) {
        if (!lhs) break;
        TokenKind k = p->cur.kind;
        bool ours = level == 0 ? (k == TK_PLUS || k == TK_MINUS)
                               : (k == TK_STAR || k == TK_SLASH || k == TK_AT);
        /* the sheet's juxtaposition, w^T x and W hom(p), is a matrix
         * product: a name after a name, ')' or ']' on the same line (not
         * a keyword argument's name, and not after a number: 2 x is not) */
        bool juxtaposed = level == 1 && k == TK_IDENT && !p->cur.nl_before && p->next.kind != TK_ASSIGN &&
                          (p->prev_kind == TK_IDENT || p->prev_kind == TK_RPAREN || p->prev_kind == TK_RBRACK);
        if (!ours && !juxtaposed) break;
        Token op = p->cur;
        if (juxtaposed) {
            /* no operator to point at: the gap before the right operand, or its start */
            k = TK_AT;
            op.span = prev_end(p) < p->cur.span.off ? span_make(prev_end(p), p->cur.span.off - prev_end(p))
                                                    : span_make(p->cur.span.off, p->cur.span.len);
        } else {
            advance(p);
        }
        Expr *rhs = level == 0 ? parse_binary(p, 1) : parse_unary(p);
        if (!rhs) { lhs = NULL; break; }
        Expr *e = new_expr(p, EX_BINARY, gvl_span_join(lhs->span, rhs->span));
        e->op = k;
        e->op_span = op.span;
        e->juxtaposed = juxtaposed;
        e->a = lhs;
        e->b = rhs;
        lhs = tall(p, e);
    }
    p->depth--;
    return lhs;
}

/* Each bracket, unary minus and power nests one level deeper. */
static Expr *parse_expr(Parser *p)
{
    if (!enter(p)) return NULL;
    Expr *e = parse_binary(p, 0);
    p->depth--;
    return e;
}

/* dim := INT | '?' | NAME [('+' | '-') INT] */
static bool parse_dim(Parser *p, DimSyntax *d)
{
    memset(d, 0, sizeof *d);
    Token t = p->cur;
    d->span = t.span;
    if (t.kind == TK_QUESTION) {
        d->kind = DIM_ANY;
        advance(p);
        return true;
    }
    if (t.kind == TK_NUMBER) {
        const char *s = text(p, t.span);
        bool integral = memchr(s, '.', t.span.len) == NULL && memchr(s, 'e', t.span.len) == NULL
                        && memchr(s, 'E', t.span.len) == NULL;
        /* 2e0 and 2.0 are whole numbers written otherwise; 4e99 is too large */
        bool whole = t.num >= 1 && t.num <= (double)DIM_MAX && t.num == (double)(int64_t)t.num;
        if (!integral && whole) {
            report(p, t.span, "write dimension %.*s as a whole number, %lld", (int)t.span.len, s,
                   (long long)t.num);
            return false;
        }
        if (!integral && t.num == 0) {
            report(p, t.span, "dimension 0 is not allowed: every dimension must be at least 1");
            return false;
        }
        if (!integral && !(t.num > (double)DIM_MAX)) {
            report(p, t.span, "dimension %.*s is not a whole number", (int)t.span.len, s);
            return false;
        }
        if (!integral || !t.is_int || t.ival > DIM_MAX) {
            report(p, t.span, "dimension %.*s%s is too large (the limit is 2^62 = %lld)",
                   (int)(t.span.len > 40 ? 40 : t.span.len), s, t.span.len > 40 ? "..." : "", (long long)DIM_MAX);
            return false;
        }
        if (t.ival < 1) {
            report(p, t.span, "dimension 0 is not allowed: every dimension must be at least 1");
            return false;
        }
        d->kind = DIM_INT;
        d->value = t.ival;
        advance(p);
        return true;
    }
    if (t.kind == TK_SIZE) {
        /* 2x2 is how sizes are written in calls; shapes list their dims */
        StrBuf list = {0};
        for (int i = 0; i < t.nsize && i < SIZE_MAX_DIMS; i++)
            gvl_sb_printf(&list, "%s%lld", i ? "," : "", (long long)t.size[i]);
        report(p, t.span, "write the shape as [%s], with commas: a size literal like %.*s only goes in a call",
               gvl_sb_str(&list), (int)t.span.len, text(p, t.span));
        gvl_sb_free(&list);
        return false;
    }
    if (t.kind == TK_MINUS && p->next.kind == TK_NUMBER) {
        Span sp = gvl_span_join(t.span, p->next.span);
        report(p, sp, "dimension %.*s is not allowed: every dimension must be at least 1",
                   (int)sp.len, text(p, sp));
        return false;
    }
    if (t.kind == TK_IDENT) {
        d->kind = DIM_SYM;
        d->sym = t.span;
        advance(p);
        if (p->cur.kind == TK_PLUS || p->cur.kind == TK_MINUS) {
            bool minus = p->cur.kind == TK_MINUS;
            advance(p);
            if (p->cur.kind != TK_NUMBER || !p->cur.is_int) {
                fail(p, "expected a whole number after the symbol's '%s', found %s", minus ? "-" : "+", found(p));
                return false;
            }
            if (p->cur.ival > 1000000000) {
                report(p, p->cur.span, "offset %lld is too large (the limit is 1000000000)",
                       (long long)p->cur.ival);
                return false;
            }
            d->offset = minus ? -p->cur.ival : p->cur.ival;
            d->span = gvl_span_join(t.span, p->cur.span);
            advance(p);
        }
        return true;
    }
    fail(p, "expected a dimension (a whole number, '?' or a symbol like n), found %s", found(p));
    return false;
}

static bool parse_shape(Parser *p, Stmt *s)
{
    Span open = p->cur.span;
    advance(p);   /* '[' */
    s->has_shape = true;
    DimSyntax tmp[64];
    int n = 0;
    bool ok = true;
    if (p->cur.kind != TK_RBRACK) {
        for (;;) {
            if (n == 64) {
                report(p, p->cur.span, "too many dimensions (the limit is 64)");
                return false;
            }
            if (parse_dim(p, &tmp[n])) {
                n++;
            } else {
                /* report every bad dimension of the shape, not only the first */
                ok = false;
                while (p->cur.kind != TK_COMMA && p->cur.kind != TK_RBRACK && p->cur.kind != TK_END &&
                       p->cur.kind != TK_EOF && !(p->cur.nl_before && starts_statement(p)))
                    advance(p);
            }
            if (p->cur.kind != TK_COMMA) break;
            advance(p);
        }
    }
    if (!ok) return false;
    if (p->cur.kind != TK_RBRACK) {
        unclosed(p, "',' or ']' in the shape", open);
        return false;
    }
    s->shape_span = gvl_span_join(open, p->cur.span);
    advance(p);
    s->ndims = n;
    s->dims = gvl_arena_alloc(p->arena, sizeof *s->dims * (size_t)(n ? n : 1));
    memcpy(s->dims, tmp, sizeof *s->dims * (size_t)n);
    return true;
}

static bool expect_name(Parser *p, Span *out, const char *after)
{
    if (p->cur.kind == TK_IDENT) {
        *out = p->cur.span;
        advance(p);
        return true;
    }
    if (p->cur.kind >= TK_INPUT && p->cur.kind <= TK_PI)
        fail(p, "expected a name after %s, found %s, which is a reserved word", after, found(p));
    else
        fail(p, "expected a name after %s, found %s", after, found(p));
    return false;
}

static bool parse_decl(Parser *p, Stmt *s)
{
    /* the declaration keywords, in the order of the kinds they declare */
    static const DeclKind kinds[] = {DECL_INPUT, DECL_PARAM, DECL_CONST, DECL_LABEL};
    _Static_assert(sizeof kinds / sizeof kinds[0] == TK_LABEL - TK_INPUT + 1, "a kind per declaration keyword");
    s->kind = ST_DECL;
    s->decl = kinds[p->cur.kind - TK_INPUT];
    const char *kw = gvl_token_names[p->cur.kind];
    advance(p);
    if (!expect_name(p, &s->name, kw)) return false;
    if (p->cur.kind == TK_LBRACK && !parse_shape(p, s)) return false;
    if (p->cur.kind == TK_AS) {
        advance(p);
        if (!expect_name(p, &s->alias, "'as'")) return false;
    }
    if (p->cur.kind == TK_ASSIGN) {
        advance(p);
        s->init = parse_expr(p);
        if (!s->init) return false;
    }
    return true;
}

static bool parse_options(Parser *p, Stmt *s)
{
    Arg tmp[16];
    int n = 0;
    while (p->cur.kind != TK_END && p->cur.kind != TK_EOF) {
        if (p->cur.kind != TK_IDENT || p->next.kind != TK_ASSIGN) {
            fail(p, "expected an option like lr=0.5 or steps=10, found %s", found(p));
            return false;
        }
        if (n == 16) {
            fail(p, "too many options");
            return false;
        }
        tmp[n].key = p->cur.span;
        advance(p);
        advance(p);
        tmp[n].value = parse_expr(p);
        if (!tmp[n].value) return false;
        n++;
        if (p->cur.kind == TK_COMMA) advance(p);
    }
    s->opts = gvl_arena_alloc(p->arena, sizeof *s->opts * (size_t)(n ? n : 1));
    memcpy(s->opts, tmp, sizeof *s->opts * (size_t)n);
    s->nopts = n;
    return true;
}

static bool is_word(Parser *p, Token t, const char *w)
{
    return t.kind == TK_IDENT && t.span.len == strlen(w) && !memcmp(text(p, t.span), w, t.span.len);
}

/* A whole number for a size statement: *V and true, or a diagnostic. */
static bool size_number(Parser *p, int64_t *v, const char *what)
{
    if (p->cur.kind != TK_NUMBER || !p->cur.is_int || p->cur.ival < 1) {
        fail(p, "expected %s, a whole number >= 1, found %s", what, found(p));
        return false;
    }
    *v = p->cur.ival;
    advance(p);
    return true;
}

/* size n = 5 | size n in 2..6 ('size' and 'in' are words only here, so a
 * tensor may still be called size) */
static bool parse_size(Parser *p, Stmt *s)
{
    s->kind = ST_SIZE;
    advance(p);
    s->name = p->cur.span;
    advance(p);
    uint32_t from;
    if (p->cur.kind == TK_ASSIGN) {
        advance(p);
        from = p->cur.span.off;
        if (!size_number(p, &s->size, "the size")) return false;
        s->has_value = true;
    } else if (is_word(p, p->cur, "in")) {
        advance(p);
        from = p->cur.span.off;
        if (!size_number(p, &s->lo, "the smallest size")) return false;
        if (p->cur.kind != TK_DOTDOT) {
            fail(p, "expected '..' in the range (size %.*s in 2..6), found %s", (int)s->name.len,
                 text(p, s->name), found(p));
            return false;
        }
        advance(p);
        if (!size_number(p, &s->hi, "the largest size")) return false;
        s->has_range = true;
    } else {
        fail(p, "expected '=' or 'in' after 'size %.*s' (size %.*s = 5, or size %.*s in 2..6), found %s",
             (int)s->name.len, text(p, s->name), (int)s->name.len, text(p, s->name), (int)s->name.len,
             text(p, s->name), found(p));
        return false;
    }
    s->value_span = span_make(from, p->prev_span.off + p->prev_span.len - from);
    return true;
}

/* ---- def: functions ---- */

/* A broken line inside a def block: skipped to its end, and the block
 * carries on. */
static void skip_line(Parser *p)
{
    p->lx.depth = 0;
    while (p->cur.kind != TK_END && p->cur.kind != TK_EOF) {
        p->lx.depth = 0;
        advance(p);
    }
}

/* The word W alone on its line: `end`. */
static bool word_alone(Parser *p, const char *w)
{
    return is_word(p, p->cur, w) && (p->next.kind == TK_END || p->next.kind == TK_EOF);
}

/* `return EXPR`: return is a word only here, so a tensor may be called return. */
static bool at_return(Parser *p)
{
    return is_word(p, p->cur, "return") && p->next.kind != TK_ASSIGN;
}

static bool parse_params(Parser *p, FuncDef *f)
{
    const char *fn = text(p, f->name);
    int fl = (int)f->name.len;
    if (p->cur.kind != TK_LPAREN) {
        fail(p, "expected '(' and the parameters after 'def %.*s', as in def %.*s(x, W) = W @ x, found %s", fl, fn,
             fl, fn, found(p));
        return false;
    }
    advance(p);
    Span tmp[FUNC_MAX_PARAMS];
    int n = 0;
    while (p->cur.kind != TK_RPAREN) {
        if (n && p->cur.kind != TK_COMMA) {
            fail(p, "expected ',' or ')' in the parameters of '%.*s', found %s", fl, fn, found(p));
            return false;
        }
        if (n) advance(p);
        if (p->cur.kind != TK_IDENT) {
            fail(p, "expected a parameter name in 'def %.*s(...)', found %s", fl, fn, found(p));
            return false;
        }
        if (n == FUNC_MAX_PARAMS) {
            fail(p, "'%.*s' has too many parameters (the limit is %d)", fl, fn, FUNC_MAX_PARAMS);
            return false;
        }
        for (int i = 0; i < n; i++)
            if (tmp[i].len == p->cur.span.len && !memcmp(text(p, tmp[i]), text(p, p->cur.span), tmp[i].len)) {
                fail(p, "parameter '%.*s' is named twice in 'def %.*s'", (int)tmp[i].len, text(p, tmp[i]), fl, fn);
                return false;
            }
        tmp[n++] = p->cur.span;
        advance(p);
    }
    advance(p);
    f->params = gvl_arena_alloc(p->arena, sizeof *f->params * (size_t)(n ? n : 1));
    memcpy(f->params, tmp, sizeof *f->params * (size_t)n);
    f->nparams = n;
    return true;
}

/* One line of a def block: an assignment or `return EXPR`.  False after
 * a reported error (the line is skipped). */
static bool parse_body_line(Parser *p, FuncDef *f, Stmt ***body, int *cap)
{
    const char *fn = text(p, f->name);
    int fl = (int)f->name.len;
    Span start = p->cur.span;
    p->depth = 0;
    if (f->ret) {
        report(p, start, "nothing may follow 'return' in 'def %.*s': return comes last, then end", fl, fn);
        return false;
    }
    if (at_return(p)) {
        advance(p);
        f->ret = parse_expr(p);
        if (!f->ret) return false;
    } else if (is_word(p, p->cur, "def") && p->next.kind == TK_IDENT) {
        report(p, start, "a function cannot be defined inside another: move this def out of '%.*s' and call it "
               "from there", fl, fn);
        return false;
    } else {
        Stmt *s = gvl_arena_alloc(p->arena, sizeof *s);
        if (!parse_stmt(p, s)) return false;
        if (s->kind != ST_ASSIGN) {
            report(p, start, "only assignments and 'return' go inside 'def %.*s'; declare tensors, and write loss "
                   "and optimize, outside the function", fl, fn);
            return false;
        }
        s->span = gvl_span_join(start, p->prev_span);
        if (f->nbody == *cap) {
            int nc = *cap ? 2 * *cap : 8;
            Stmt **nb = gvl_arena_alloc(p->arena, sizeof *nb * (size_t)nc);
            if (f->nbody) memcpy(nb, *body, sizeof *nb * (size_t)f->nbody);
            *body = nb;
            *cap = nc;
        }
        (*body)[f->nbody++] = s;
    }
    if (p->cur.kind != TK_END && p->cur.kind != TK_EOF) {
        fail(p, "expected the end of the line, found %s", found(p));
        return false;
    }
    return true;
}

/* After a broken header: the rest of the line, and when it had no '='
 * (a block form) the block up to its end, so that its lines are not read
 * as statements of their own.  The function is kept, broken, so that its
 * calls stay quiet. */
static void recover_def(Parser *p, FuncDef *f)
{
    f->broken = true;
    bool one_line = false;
    p->lx.depth = 0;
    while (p->cur.kind != TK_END && p->cur.kind != TK_EOF && !p->cur.nl_before) {
        one_line = one_line || p->cur.kind == TK_ASSIGN;
        p->lx.depth = 0;
        advance(p);
    }
    while (!one_line && p->cur.kind != TK_EOF) {
        while (p->cur.kind == TK_END) advance(p);
        if (word_alone(p, "end")) {
            advance(p);
            return;
        }
        skip_line(p);
    }
}

/* def NAME(PARAMS) = EXPR, or def NAME(PARAMS), its lines, end. */
static bool parse_def_here(Parser *p, Stmt *s)
{
    s->kind = ST_DEF;
    Span start = p->cur.span;
    advance(p);
    FuncDef *f = gvl_arena_alloc(p->arena, sizeof *f);
    memset(f, 0, sizeof *f);
    s->def = f;
    if (!expect_name(p, &f->name, "'def'")) return false;
    if (!parse_params(p, f)) {
        recover_def(p, f);
        return true;
    }
    f->header = gvl_span_join(start, p->prev_span);
    if (p->cur.kind == TK_ASSIGN) {
        advance(p);
        f->ret = parse_expr(p);
        return f->ret != NULL;
    }
    const char *fn = text(p, f->name);
    int fl = (int)f->name.len;
    if (p->cur.kind != TK_END) {
        fail(p, "expected '= EXPR', or the end of the line and then a block ending in 'end', after 'def %.*s(...)', "
             "found %s", fl, fn, found(p));
        return false;
    }
    Stmt **body = NULL;
    int cap = 0;
    for (;;) {
        while (p->cur.kind == TK_END) advance(p);
        if (p->cur.kind == TK_EOF) {
            report(p, f->header, "'def %.*s' has no 'end': its block runs to the end of the file", fl, fn);
            f->broken = true;
            break;
        }
        if (word_alone(p, "end")) {
            if (!f->ret && !f->broken) {
                report(p, p->cur.span, "'def %.*s' ends without a 'return'; its last line is return EXPR", fl, fn);
                f->broken = true;
            }
            advance(p);
            break;
        }
        if (!parse_body_line(p, f, &body, &cap)) {
            f->broken = true;
            skip_line(p);
        }
    }
    f->body = body;
    return true;
}

static bool parse_def(Parser *p, Stmt *s)
{
    Arena *stmt_arena = p->arena;
    if (p->keep) p->arena = p->keep;
    bool ok = parse_def_here(p, s);
    p->arena = stmt_arena;
    return ok;
}

static bool parse_stmt(Parser *p, Stmt *s)
{
    if (is_word(p, p->cur, "size") && p->next.kind == TK_IDENT) return parse_size(p, s);
    if (is_word(p, p->cur, "def") && p->next.kind == TK_IDENT) return parse_def(p, s);
    if (at_return(p)) {
        fail(p, "'return' only goes at the end of a function's block (def NAME(x) ... return EXPR ... end)");
        return false;
    }
    if (word_alone(p, "end")) {
        fail(p, "'end' without a 'def' block to close");
        return false;
    }
    switch (p->cur.kind) {
    case TK_INPUT: case TK_PARAM: case TK_CONST: case TK_LABEL:
        return parse_decl(p, s);
    case TK_LOSS:
        s->kind = ST_LOSS;
        advance(p);
        return expect_name(p, &s->name, "'loss'");
    case TK_OPTIMIZE:
        s->kind = ST_OPTIMIZE;
        advance(p);
        return expect_name(p, &s->name, "'optimize'") && parse_options(p, s);
    case TK_IDENT:
        if (p->next.kind == TK_ASSIGN) {
            s->kind = ST_ASSIGN;
            s->name = p->cur.span;
            advance(p);
            advance(p);
            s->value = parse_expr(p);
            return s->value != NULL;
        }
        if (p->next.kind == TK_LBRACK) {
            fail(p, "expected '=' after %s: to declare a tensor, start with input, param, const or label",
                 found(p));
            return false;
        }
        advance(p);
        fail(p, "expected '=' after the name, found %s", found(p));
        return false;
    default:
        fail(p, "expected a statement (a declaration, an assignment, 'loss' or 'optimize'), found %s",
             found(p));
        return false;
    }
}

/* True when the current token can begin a statement: where recovery
 * inside unclosed brackets may resume without a cascade of errors. */
static bool starts_statement(Parser *p)
{
    TokenKind k = p->cur.kind;
    return (k >= TK_INPUT && k <= TK_OPTIMIZE) || (k == TK_IDENT && p->next.kind == TK_ASSIGN) ||
           ((is_word(p, p->cur, "size") || is_word(p, p->cur, "def")) && p->next.kind == TK_IDENT);
}

Stmt *gvl_parser_next(Parser *p)
{
    for (;;) {
        while (p->cur.kind == TK_END) advance(p);
        if (p->cur.kind == TK_EOF) return NULL;
        Stmt *s = gvl_arena_alloc(p->arena, sizeof *s);
        Span start = p->cur.span;
        p->depth = 0;
        bool ok = parse_stmt(p, s);
        if (ok && p->cur.kind != TK_END && p->cur.kind != TK_EOF) {
            if (p->cur.nl_before)
                fail(p, "expected the end of the statement, found %s on a new line inside brackets",
                     found(p));
            else if (p->prev_kind == TK_NUMBER && p->cur.kind == TK_IDENT)
                /* 2 x: juxtaposition multiplies matrices, never a number */
                fail(p, "expected the end of the statement, found %s (write '%.*s * %.*s' to multiply)",
                     found(p), (int)p->prev_span.len, text(p, p->prev_span), (int)p->cur.span.len,
                     text(p, p->cur.span));
            else
                fail(p, "expected the end of the statement, found %s", found(p));
            ok = false;
        }
        if (ok) {
            s->span = gvl_span_join(start, p->cur.span);
            if (s->span.len && p->cur.kind != TK_EOF) s->span.len -= p->cur.span.len;
            return s;
        }
        /* recover: a token that began a new line inside unclosed brackets
         * starts the next statement; otherwise skip to the end of this one */
        p->lx.depth = 0;
        bool resume = p->cur.nl_before && p->cur.span.off != start.off && starts_statement(p);
        while (!resume && p->cur.kind != TK_END && p->cur.kind != TK_EOF) {
            p->lx.depth = 0;   /* a '(' being skipped must not swallow the newline */
            advance(p);
            if (p->cur.nl_before && starts_statement(p)) { p->lx.depth = 0; break; }
        }
        if (s->name.len && (s->kind == ST_DECL || s->kind == ST_ASSIGN)) {
            s->broken = true;
            return s;
        }
    }
}
