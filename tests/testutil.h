/*
 * testutil.h - helpers shared by the Check suites (header-only).
 *
 * Every helper builds its input from a string, so a test reads as the
 * .graph text it is about.  Everything a helper returns is owned by the
 * run object it came from and released by the matching *_free, so each
 * suite is clean under valgrind (run it with CK_FORK=no).
 */
#ifndef GVL_TESTUTIL_H
#define GVL_TESTUTIL_H

#include "cli.h"
#include "diag.h"
#include "format.h"
#include "frontend.h"
#include "graph.h"
#include "lexer.h"
#include "parser.h"
#include "report.h"
#include "source.h"
#include "report_table.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- running a suite ------------------------------------------------------ */

/* Runs SUITE with CK_NORMAL output; returns EXIT_SUCCESS when every test passed. */
static inline int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- diagnostics ---------------------------------------------------------- */

static inline const char *tu_sev_name(Severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* Asserts that diagnostic I of sink D is SEV at LINE:COL with message MSG. */
#define ck_assert_diag(d, i, sev_, line_, col_, msg_)                                                  \
    do {                                                                                              \
        const DiagSink *d_ = (d);                                                                     \
        size_t i_ = (size_t)(i);                                                                      \
        ck_assert_msg(i_ < d_->count, "expected diagnostic #%zu, but only %zu were reported%s%s", i_, \
                      d_->count, d_->count ? "; the first: " : "", d_->count ? d_->items[0].msg : "");  \
        const Diag *g_ = &d_->items[i_];                                                              \
        ck_assert_msg(g_->sev == (sev_), "diagnostic #%zu is a %s, expected a %s: %s", i_,               \
                      tu_sev_name(g_->sev), tu_sev_name(sev_), g_->msg);                               \
        ck_assert_str_eq(g_->msg, (msg_));                                                            \
        ck_assert_msg(g_->line == (line_) && g_->col == (col_),                                       \
                      "diagnostic #%zu '%s' is at %d:%d, expected %d:%d", i_, g_->msg, g_->line,      \
                      g_->col, (line_), (col_));                                                      \
    } while (0)

/* Asserts that sink D holds exactly N diagnostics (listing them if not). */
#define ck_assert_ndiags(d, n)                                                                        \
    do {                                                                                              \
        const DiagSink *d_ = (d);                                                                     \
        if (d_->count != (size_t)(n)) {                                                               \
            char all_[2048] = "";                                                                     \
            for (size_t k_ = 0; k_ < d_->count; k_++)                                                 \
                snprintf(all_ + strlen(all_), sizeof all_ - strlen(all_), "\n  %d:%d: %s: %s",        \
                         d_->items[k_].line, d_->items[k_].col, tu_sev_name(d_->items[k_].sev),       \
                         d_->items[k_].msg);                                                          \
            ck_abort_msg("expected %d diagnostic(s), got %zu:%s", (int)(n), d_->count, all_);         \
        }                                                                                             \
    } while (0)

/* One expected diagnostic: a row of the tables tests give expect_diags
 * (nvc's style), ended by a row of zeros. */
typedef struct DiagRow {
    Severity sev;
    int line, col;
    const char *msg;
} DiagRow;

/* Asserts that sink D holds exactly the diagnostics ROWS lists, in order:
 * each with its severity, line, column and whole message. */
#define expect_diags(d, rows)                                                                         \
    do {                                                                                              \
        const DiagRow *rows_ = (rows);                                                                \
        int n_ = 0;                                                                                   \
        while (rows_[n_].msg) n_++;                                                                   \
        ck_assert_ndiags((d), n_);                                                                    \
        for (int k_ = 0; k_ < n_; k_++)                                                               \
            ck_assert_diag((d), k_, rows_[k_].sev, rows_[k_].line, rows_[k_].col, rows_[k_].msg);     \
    } while (0)

/* ---- the lexer -------------------------------------------------------------- */

enum { TU_MAX_TOKENS = 512 };

typedef struct LexRun {
    Source src;
    DiagSink diag;
    Token tok[TU_MAX_TOKENS];
    int n;             /* tokens, including the final TK_EOF */
} LexRun;

/* Lexes TEXT (LEN bytes) up to and including TK_EOF. */
static inline LexRun *lex_n(const char *text, size_t len)
{
    LexRun *r = calloc(1, sizeof *r);
    gvl_source_from_string(&r->src, "test.graph", text, len);
    gvl_diag_init(&r->diag, &r->src);
    Lexer lx;
    gvl_lexer_init(&lx, &r->src, &r->diag);
    do {
        r->tok[r->n] = gvl_lexer_next(&lx);
    } while (r->tok[r->n++].kind != TK_EOF && r->n < TU_MAX_TOKENS);
    return r;
}

static inline LexRun *lex(const char *text)
{
    return lex_n(text, strlen(text));
}

static inline void lex_free(LexRun *r)
{
    gvl_diag_free(&r->diag);
    gvl_source_free(&r->src);
    free(r);
}

/* Asserts token I of R has KIND and span OFF/LEN. */
#define ck_assert_tok(r, i, kind_, off_, len_)                                                         \
    do {                                                                                               \
        const LexRun *r_ = (r);                                                                        \
        int i_ = (i);                                                                                  \
        ck_assert_msg(i_ < r_->n, "token #%d missing: only %d tokens", i_, r_->n);                     \
        const Token *t_ = &r_->tok[i_];                                                                \
        ck_assert_msg(t_->kind == (kind_), "token #%d is %s, expected %s", i_, gvl_token_names[t_->kind],  \
                      gvl_token_names[(kind_)]);                                                           \
        ck_assert_msg(t_->span.off == (uint32_t)(off_) && t_->span.len == (uint32_t)(len_),            \
                      "token #%d (%s) spans %u+%u, expected %u+%u", i_, gvl_token_names[t_->kind],         \
                      t_->span.off, t_->span.len, (unsigned)(off_), (unsigned)(len_));                 \
    } while (0)

/* ---- the parser ------------------------------------------------------------- */

enum { TU_MAX_STMTS = 64 };

typedef struct ParseRun {
    Source src;
    DiagSink diag;
    Arena arena;       /* every statement, kept until parse_free */
    Stmt *stmt[TU_MAX_STMTS];  /* the statements that parsed */
    int n;
    Stmt *broken[TU_MAX_STMTS]; /* statements with a syntax error that got as far as a name */
    int nbroken;
    char buf[4096];    /* expr_str / span_str output */
} ParseRun;

static inline ParseRun *parse(const char *text)
{
    ParseRun *r = calloc(1, sizeof *r);
    gvl_source_from_string(&r->src, "test.graph", text, strlen(text));
    gvl_diag_init(&r->diag, &r->src);
    gvl_arena_init(&r->arena);
    Parser p;
    gvl_parser_init(&p, &r->src, &r->diag, &r->arena);
    Stmt *s;
    while ((s = gvl_parser_next(&p)) && r->n < TU_MAX_STMTS && r->nbroken < TU_MAX_STMTS) {
        if (s->broken) r->broken[r->nbroken++] = s;
        else r->stmt[r->n++] = s;
    }
    return r;
}

static inline void parse_free(ParseRun *r)
{
    gvl_arena_free(&r->arena);
    gvl_diag_free(&r->diag);
    gvl_source_free(&r->src);
    free(r);
}

/* The source text of span SP, as a string in R's buffer. */
static inline const char *span_str(ParseRun *r, Span sp)
{
    snprintf(r->buf, sizeof r->buf, "%.*s", (int)sp.len, r->src.text + sp.off);
    return r->buf;
}

static inline void tu_append(char *buf, size_t cap, size_t *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline void tu_append(char *buf, size_t cap, size_t *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (*k < cap) {
        int n = vsnprintf(buf + *k, cap - *k, fmt, ap);
        if (n > 0) *k += (size_t)n;
        if (*k >= cap) *k = cap - 1;
    }
    va_end(ap);
}

/* Writes E fully parenthesised: (a + (b * c)), (-x), (a^T), f(x, k=v), [1, 2]. */
static inline void tu_expr(const Source *src, const Expr *e, char *buf, size_t cap, size_t *k)
{
    const char *t = src->text;
    switch (e->kind) {
    case EX_NUMBER:
    case EX_NAME:
    case EX_SIZE:
    case EX_STRING:
        /* op_span: a parenthesised leaf's span grows to include the parentheses */
        tu_append(buf, cap, k, "%.*s", (int)e->op_span.len, t + e->op_span.off);
        break;
    case EX_NEG:
        tu_append(buf, cap, k, "(-");
        tu_expr(src, e->a, buf, cap, k);
        tu_append(buf, cap, k, ")");
        break;
    case EX_BINARY:
        tu_append(buf, cap, k, "(");
        tu_expr(src, e->a, buf, cap, k);
        tu_append(buf, cap, k, " %s ", e->op == TK_PLUS ? "+" : e->op == TK_MINUS ? "-" : e->op == TK_STAR ? "*"
                                      : e->op == TK_SLASH ? "/" : e->op == TK_POW ? "**" : e->op == TK_AT ? "@" : "?op?");
        tu_expr(src, e->b, buf, cap, k);
        tu_append(buf, cap, k, ")");
        break;
    case EX_TRANSPOSE:
        tu_append(buf, cap, k, "(");
        tu_expr(src, e->a, buf, cap, k);
        tu_append(buf, cap, k, "^T)");
        break;
    case EX_CALL:
        tu_append(buf, cap, k, "%.*s(", (int)e->op_span.len, t + e->op_span.off);
        for (int i = 0; i < e->nargs; i++) {
            if (i) tu_append(buf, cap, k, ", ");
            if (e->args[i].key.len)
                tu_append(buf, cap, k, "%.*s=", (int)e->args[i].key.len, t + e->args[i].key.off);
            tu_expr(src, e->args[i].value, buf, cap, k);
        }
        tu_append(buf, cap, k, ")");
        break;
    case EX_LIST:
        tu_append(buf, cap, k, "[");
        for (int i = 0; i < e->nitems; i++) {
            if (i) tu_append(buf, cap, k, ", ");
            tu_expr(src, e->items[i], buf, cap, k);
        }
        tu_append(buf, cap, k, "]");
        break;
    }
}

static inline const char *expr_str(ParseRun *r, const Expr *e)
{
    size_t k = 0;
    r->buf[0] = '\0';
    if (!e) return "(null)";
    tu_expr(&r->src, e, r->buf, sizeof r->buf, &k);
    return r->buf;
}

/* ---- the graph ------------------------------------------------------------- */

typedef struct GraphRun {
    Source src;
    DiagSink diag;
    Graph g;
    bool ok;           /* gvl_frontend_build's result */
    StrBuf buf;        /* shape_of / numel_of output */
    Arena text;        /* other texts a test asks for (gvl_name_text ...) */
} GraphRun;

static inline GraphRun *build_with(const char *text, bool lint)
{
    GraphRun *r = calloc(1, sizeof *r);
    gvl_source_from_string(&r->src, "test.graph", text, strlen(text));
    gvl_diag_init(&r->diag, &r->src);
    gvl_graph_open(&r->g, &r->src, &r->diag);
    r->g.no_lint = !lint;
    r->ok = gvl_frontend_build(&r->g);
    return r;
}

/* Parses, builds and shape-checks TEXT, without the whole-graph warnings
 * (unused tensors ...): a test of one rule declares what it likes.  The
 * warnings corpus (graphs/warnings, tests/warnings.sh) tests those. */
static inline GraphRun *build(const char *text)
{
    return build_with(text, false);
}

/* The same with every warning, as the program runs. */
static inline GraphRun *build_linted(const char *text)
{
    return build_with(text, true);
}

static inline void build_free(GraphRun *r)
{
    gvl_sb_free(&r->buf);
    gvl_arena_free(&r->text);
    gvl_graph_free(&r->g);
    gvl_diag_free(&r->diag);
    gvl_source_free(&r->src);
    free(r);
}

/* The newest node called NAME; fails the test if there is none. */
static inline const Node *node_named(GraphRun *r, const char *name)
{
    const Node *n = gvl_graph_lookup(&r->g, name, strlen(name));
    ck_assert_msg(n != NULL, "no node is called '%s'", name);
    return n;
}

/* NAME's shape as ASCII text ("4x1", "scalar", "nx1"), or "FAILED" when its
 * shape could not be computed. */
static inline const char *shape_of(GraphRun *r, const char *name)
{
    const Node *n = node_named(r, name);
    if (n->failed) return "FAILED";
    gvl_sb_clear(&r->buf);
    gvl_fmt_shape(&r->buf, &r->g, &n->shape, true);
    return gvl_sb_str(&r->buf);
}

/* NAME's number of elements as ASCII text ("24", "3*n"). */
static inline const char *numel_of(GraphRun *r, const char *name)
{
    const Node *n = node_named(r, name);
    Numel m = gvl_shape_numel(&r->g, &n->shape);
    gvl_sb_clear(&r->buf);
    gvl_fmt_numel(&r->buf, &r->g, &m, true);
    return gvl_sb_str(&r->buf);
}

/* The op name of NAME's node, or "-" for a leaf. */
static inline const char *op_of(GraphRun *r, const char *name)
{
    const char *s = gvl_node_op_name(node_named(r, name));
    return s ? s : "-";
}

/* Asserts that the build of R succeeded with no diagnostics at all. */
#define ck_assert_clean(r)                                                                             \
    do {                                                                                               \
        ck_assert_ndiags(&(r)->diag, 0);                                                               \
        ck_assert((r)->ok);                                                                            \
    } while (0)

/* Asserts that building TEXT succeeds cleanly and gives node NAME shape SHAPE. */
#define ck_assert_shape(text_, name_, shape_)                                                          \
    do {                                                                                               \
        GraphRun *r__ = build(text_);                                                                  \
        ck_assert_clean(r__);                                                                          \
        ck_assert_str_eq(shape_of(r__, (name_)), (shape_));                                            \
        build_free(r__);                                                                               \
    } while (0)

/* Asserts that node NAME (unless NULL) could not get a shape. */
static inline void tu_assert_failed(GraphRun *r, const char *name)
{
    if (name) ck_assert_str_eq(shape_of(r, name), "FAILED");
}

/* Asserts that building TEXT fails with exactly one diagnostic: an error at
 * LINE:COL saying MSG, and that node NAME (if not NULL) is marked failed. */
#define ck_assert_shape_error(text_, name_, line_, col_, msg_)                                         \
    do {                                                                                               \
        GraphRun *r__ = build(text_);                                                                  \
        ck_assert(!r__->ok);                                                                           \
        ck_assert_ndiags(&r__->diag, 1);                                                               \
        ck_assert_diag(&r__->diag, 0, SEV_ERROR, (line_), (col_), (msg_));                             \
        tu_assert_failed(r__, (name_));                                                                \
        build_free(r__);                                                                               \
    } while (0)

/* ---- captured output ---------------------------------------------------------- */

/* A FILE* that collects what is written to it (open_memstream). */
typedef struct Capture {
    FILE *f;
    char *buf;
    size_t len;
} Capture;

static inline void capture_open(Capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    ck_assert_ptr_nonnull(c->f);
}

/* Closes the stream; the text stays in c->buf until capture_free. */
static inline const char *capture_close(Capture *c)
{
    fclose(c->f);
    c->f = NULL;
    return c->buf;
}

static inline void capture_free(Capture *c)
{
    free(c->buf);
    c->buf = NULL;
}

/* Finds the table row in TEXT whose first cell (after the two-space indent)
 * is FIRST, and copies its cell COL (cells are separated by two or more
 * spaces) into OUT.  Returns false if there is no such row. */
static inline bool table_cell(const char *text, const char *first, int col, char *out, size_t cap)
{
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char row[1024];
        if (len >= sizeof row) len = sizeof row - 1;
        memcpy(row, line, len);
        row[len] = '\0';
        line = end ? end + 1 : NULL;
        if (strncmp(row, "  ", 2) != 0) continue;
        /* split on runs of >= 2 spaces */
        char cells[8][256];
        int nc = 0;
        const char *p = row + 2;
        while (*p && nc < 8) {
            const char *q = strstr(p, "  ");
            size_t cl = q ? (size_t)(q - p) : strlen(p);
            if (cl >= sizeof cells[0]) cl = sizeof cells[0] - 1;
            memcpy(cells[nc], p, cl);
            cells[nc][cl] = '\0';
            nc++;
            if (!q) break;
            while (*q == ' ') q++;
            p = q;
        }
        if (nc > col && strcmp(cells[0], first) == 0) {
            snprintf(out, cap, "%s", cells[col]);
            return true;
        }
    }
    return false;
}

#endif
