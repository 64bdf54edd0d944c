/*
 * lexer.c - turns the bytes of a .graph file into tokens.
 *
 * Size literals ("2x2", "3x1") are recognised here because only the lexer
 * sees that no space separates the digits from the 'x'.  Numbers keep both
 * their double value and, when written as integers, an exact int64, so
 * sizes and class indices are never rounded through a double.
 */
#include "lexer.h"

#include "terminal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const gvl_token_names[] = {
#define X(k, s) s,
    TOKEN_LIST(X)
#undef X
};
_Static_assert(sizeof gvl_token_names / sizeof gvl_token_names[0] == TK_COUNT, "a name per token kind");

static const struct {
    const char *word;
    TokenKind kind;
} keywords[] = {
    {"input", TK_INPUT}, {"param", TK_PARAM}, {"const", TK_CONST},
    {"label", TK_LABEL}, {"loss", TK_LOSS},   {"optimize", TK_OPTIMIZE},
    {"as", TK_AS},       {"pi", TK_PI},
};

void gvl_lexer_init(Lexer *lx, const Source *src, DiagSink *diag)
{
    lx->src = src;
    lx->diag = diag;
    lx->pos = 0;
    lx->depth = 0;
}

static TokenKind keyword_kind(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0)
            return keywords[i].kind;
    return TK_IDENT;
}

bool gvl_lexer_is_keyword(const char *s, size_t n)
{
    return keyword_kind(s, n) != TK_IDENT;
}

static Token make(TokenKind k, size_t start, size_t end)
{
    Token t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.nl_before = false;
    t.span = span_make((uint32_t)start, (uint32_t)(end - start));
    return t;
}

/* Parses the digits at S..E as an int64; false on overflow. */
static bool parse_int(const char *s, const char *e, int64_t *out)
{
    int64_t v = 0;
    for (; s < e; s++) {
        int d = *s - '0';
        if (v > (INT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Describes the byte at P for a message: 'c', or U+XXXX, or \xNN. */
static void describe_char(const unsigned char *p, size_t avail, StrBuf *out, size_t *consumed)
{
    *consumed = 1;
    if (p[0] == '\'') {
        gvl_sb_add(out, "\"'\"");
        return;
    }
    if (p[0] >= 0x20 && p[0] < 0x7f) {
        gvl_sb_printf(out, "'%c'", p[0]);
        return;
    }
    size_t len = (p[0] >> 5) == 6 ? 2 : (p[0] >> 4) == 14 ? 3 : (p[0] >> 3) == 30 ? 4 : 0;
    if (len && len <= avail) {
        uint32_t cp = p[0] & (0x7f >> len);
        size_t i;
        for (i = 1; i < len && (p[i] & 0xC0) == 0x80; i++) cp = (cp << 6) | (p[i] & 0x3f);
        if (i == len) {
            /* a control or bidi character is named, not shown (terminal.h) */
            char shown[16];
            gvl_term_char(p, len, false, shown);
            if (shown[0]) gvl_sb_printf(out, "U+%04X", (unsigned)cp);
            else gvl_sb_printf(out, "U+%04X '%.*s'", (unsigned)cp, (int)len, (const char *)p);
            *consumed = len;
            return;
        }
    }
    gvl_sb_printf(out, "byte \\x%02X", p[0]);
}

/* Characters that lab sheets use and the language spells in ASCII. */
static const char *lookalike_hint(const unsigned char *p, size_t n)
{
    static const struct {
        const char *utf8, *hint;
    } table[] = {
        {"\xc3\x97", " (write * for an elementwise product, @ for a matrix product, 2x2 for a size)"},
        {"\xc2\xb7", " (write * for an elementwise product, @ for a matrix product)"},
        {"\xe2\x8b\x85", " (write * for an elementwise product, @ for a matrix product)"},
        {"\xe2\x88\x92", " (a typographic minus: write -)"},
        {"\xcf\x80", " (write pi)"},
        {"\xe2\x80\x9c", " (a typographic quote: write \")"},
        {"\xe2\x80\x9d", " (a typographic quote: write \")"},
        {"\xe2\x8a\xa4", " (write ^T to transpose)"},
        {"\xe1\xb5\x80", " (a superscript T: write ^T to transpose, as in w^T)"},
        {"\xe2\x88\x82", " (derivatives are what the tool computes; the file only describes the graph)"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].utf8) == n && memcmp(table[i].utf8, p, n) == 0) return table[i].hint;
    return "";
}

static Token next_token(Lexer *lx, bool *nl);

/* A comment is where the "Trojan Source" trick hides a bidirectional
 * override: the line then reads differently in an editor than it parses.
 * Its first control or bidi character gets a warning (the excerpt shows it
 * escaped, so the student sees what is really there). */
static void check_comment(Lexer *lx, size_t from, size_t to)
{
    const unsigned char *t = (const unsigned char *)lx->src->text;
    if (to > from && t[to - 1] == '\r') to--;   /* a CRLF line end; a lone CR is a control */
    for (size_t i = from; i < to;) {
        if (t[i] >= 0x20 && t[i] < 0x7f) {
            i++;
            continue;
        }
        char shown[16];
        size_t n = gvl_term_char(t + i, to - i, true, shown);
        if (shown[0] == '<' && shown[1] == 'U') {
            bool bidi = t[i] >= 0xD8;   /* U+061C and U+200E upwards; below are controls */
            gvl_diag_warning(lx->diag, span_make((uint32_t)i, (uint32_t)n),
                             "this comment contains %.*s, %s; remove it", (int)strlen(shown) - 2, shown + 1,
                             bidi ? "a character that changes how the rest of the line is shown (its direction or where it breaks), "
                                    "so the line can look different from what it means"
                                  : "a control character, which a terminal would obey instead of showing");
            return;
        }
        i += n;
    }
}

Token gvl_lexer_next(Lexer *lx)
{
    bool nl = false;
    Token t = next_token(lx, &nl);
    t.nl_before = nl;
    return t;
}

static Token next_token(Lexer *lx, bool *nlp)
{
    const char *t = lx->src->text;
    size_t n = lx->src->len;
    bool nl = false;
    for (;;) {
        size_t i = lx->pos;
        /* skip blanks, comments, and newlines inside brackets */
        while (i < n) {
            char c = t[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') i++;
            else if (c == '#') {
                size_t from = i;
                while (i < n && t[i] != '\n') i++;
                check_comment(lx, from, i);
            }
            else if (c == '\\' && i + 1 < n && t[i + 1] == '\n') i += 2;   /* line continuation */
            else if (c == '\n' && lx->depth > 0) { i++; nl = true; }
            else break;
        }
        lx->pos = i;
        *nlp = nl;
        if (i >= n) {
            lx->depth = 0;
            return make(TK_EOF, n, n);
        }
        unsigned char c = (unsigned char)t[i];
        size_t start = i;
        if (c == '\n' || c == ';') {
            lx->pos = i + 1;
            return make(TK_END, start, i + 1);
        }
        if (isalpha(c) || c == '_') {
            while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '_')) i++;
            lx->pos = i;
            return make(keyword_kind(t + start, i - start), start, i);
        }
        if (isdigit(c) || (c == '.' && i + 1 < n && isdigit((unsigned char)t[i + 1]))) {
            while (i < n && isdigit((unsigned char)t[i])) i++;
            size_t int_end = i;
            /* size literal: digits 'x' digits ('x' digits)* with no spaces */
            if (i + 1 < n && t[i] == 'x' && isdigit((unsigned char)t[i + 1]) && t[start] != '.') {
                Token tok = make(TK_SIZE, start, start);
                size_t a = start;
                bool ok = true;
                for (;;) {
                    size_t b = a;
                    while (b < n && isdigit((unsigned char)t[b])) b++;
                    int64_t v = 0;
                    if (!parse_int(t + a, t + b, &v)) ok = false;
                    if (tok.nsize < SIZE_MAX_DIMS) tok.size[tok.nsize] = v;
                    tok.nsize++;
                    if (b + 1 < n && t[b] == 'x' && isdigit((unsigned char)t[b + 1])) a = b + 1;
                    else { i = b; break; }
                }
                while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '_')) i++;
                tok.span = span_make((uint32_t)start, (uint32_t)(i - start));
                lx->pos = i;
                if (i > start && (isalpha((unsigned char)t[i - 1]) || t[i - 1] == '_')) {
                    gvl_diag_error(lx->diag, tok.span, "malformed size literal '%.*s'", (int)(i - start), t + start);
                    return make(TK_BAD, start, i);
                }
                if (tok.nsize > SIZE_MAX_DIMS) {
                    gvl_diag_error(lx->diag, tok.span, "size literal '%.*s' has %d parts; the limit is %d",
                               (int)(i - start), t + start, tok.nsize, SIZE_MAX_DIMS);
                    return make(TK_BAD, start, i);
                }
                if (!ok) {
                    gvl_diag_error(lx->diag, tok.span, "size literal '%.*s' is too large", (int)(i - start), t + start);
                    return make(TK_BAD, start, i);
                }
                return tok;
            }
            bool is_int = true;
            if (i < n && t[i] == '.' && !(i + 1 < n && t[i + 1] == '.')) {   /* 2..6 is a range */
                is_int = false;
                i++;
                while (i < n && isdigit((unsigned char)t[i])) i++;
            }
            if (i < n && (t[i] == 'e' || t[i] == 'E')) {
                size_t j = i + 1;
                if (j < n && (t[j] == '+' || t[j] == '-')) j++;
                if (j < n && isdigit((unsigned char)t[j])) {
                    is_int = false;
                    i = j;
                    while (i < n && isdigit((unsigned char)t[i])) i++;
                }
            }
            Token tok = make(TK_NUMBER, start, i);
            /* the whole token, however many digits: strtod rounds it once */
            StrBuf digits = {0};
            gvl_sb_addn(&digits, t + start, i - start);
            tok.num = strtod(gvl_sb_str(&digits), NULL);
            gvl_sb_free(&digits);
            if (is_int) tok.is_int = parse_int(t + start, t + int_end, &tok.ival);
            lx->pos = i;
            if (i + 1 < n && t[i] == 'X' && isdigit((unsigned char)t[i + 1]) && is_int) {
                size_t j = i + 1;
                while (j < n && (isalnum((unsigned char)t[j]) || t[j] == '_')) j++;
                gvl_diag_error(lx->diag, span_make((uint32_t)start, (uint32_t)(j - start)),
                           "malformed size literal '%.*s': sizes use a lowercase x, as in 2x2", (int)(j - start),
                           t + start);
                lx->pos = j;
                return make(TK_BAD, start, j);
            }
            /* "2y" is almost certainly a missing '*' */
            if (i < n && (isalpha((unsigned char)t[i]) || t[i] == '_')) {
                size_t j = i;
                while (j < n && (isalnum((unsigned char)t[j]) || t[j] == '_')) j++;
                gvl_diag_error(lx->diag, span_make((uint32_t)start, (uint32_t)(j - start)),
                           "malformed number '%.*s' (write '%.*s * %.*s' to multiply)",
                           (int)(j - start), t + start, (int)(i - start), t + start,
                           (int)(j - i), t + i);
                lx->pos = j;
                return make(TK_BAD, start, j);
            }
            if (!(tok.num <= 1.79769313486231570815e308)) {
                gvl_diag_error(lx->diag, tok.span, "number '%.*s' is too large for a double",
                           (int)(i - start), t + start);
                return make(TK_BAD, start, i);
            }
            return tok;
        }
        if (c == '"') {
            i++;
            while (i < n && t[i] != '"' && t[i] != '\n') i++;
            if (i >= n || t[i] != '"') {
                lx->pos = i;
                gvl_diag_error(lx->diag, span_make((uint32_t)start, 1), "unterminated string");
                return make(TK_BAD, start, i);
            }
            lx->pos = i + 1;
            return make(TK_STRING, start, i + 1);
        }
        TokenKind k = TK_EOF;
        size_t len = 1;
        switch (c) {
        case '+': k = TK_PLUS; break;
        case '-': k = TK_MINUS; break;
        case '*':
            if (i + 1 < n && t[i + 1] == '*') { k = TK_POW; len = 2; }
            else k = TK_STAR;
            break;
        case '/': k = TK_SLASH; break;
        case '@': k = TK_AT; break;
        case '^': k = TK_CARET; break;
        case '(': k = TK_LPAREN; if (lx->depth < 1000000) lx->depth++; break;
        case ')': k = TK_RPAREN; if (lx->depth > 0) lx->depth--; break;
        case '[': k = TK_LBRACK; if (lx->depth < 1000000) lx->depth++; break;
        case ']': k = TK_RBRACK; if (lx->depth > 0) lx->depth--; break;
        case ',': k = TK_COMMA; break;
        case '=': k = TK_ASSIGN; break;
        case '?': k = TK_QUESTION; break;
        case '.':
            if (i + 1 < n && t[i + 1] == '.') { k = TK_DOTDOT; len = 2; }
            break;
        default: break;
        }
        if (k != TK_EOF) {
            lx->pos = i + len;
            return make(k, start, i + len);
        }
        StrBuf what = {0};
        size_t used;
        describe_char((const unsigned char *)t + i, n - i, &what, &used);
        const char *hint = lookalike_hint((const unsigned char *)t + i, used);
        /* NumPy's x.T */
        if (c == '.' && i + 1 < n && t[i + 1] == 'T' && (i + 2 >= n || !(isalnum((unsigned char)t[i + 2]) || t[i + 2] == '_')))
            hint = " ('.T' is NumPy's transpose: write x^T)";
        gvl_diag_error(lx->diag, span_make((uint32_t)start, (uint32_t)used), "unexpected character %s%s",
                       gvl_sb_str(&what), hint);
        gvl_sb_free(&what);
        lx->pos = i + used;
        return make(TK_BAD, start, i + used);
    }
}
