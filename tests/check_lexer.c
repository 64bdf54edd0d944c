/*
 * check_lexer.c - tokens, spans, numbers, size literals, keywords,
 * statement ends, bracket newlines and the lexer's error messages.
 */
#include "testutil.h"

#include <math.h>

/* ---- every token kind ------------------------------------------------------ */

START_TEST(test_operators_and_punctuation)
{
    /*            0123456789012345678901234567 */
    LexRun *r = lex("+ - * / ** @ ^ ( ) [ ] , = ?");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 15);
    ck_assert_tok(r, 0, TK_PLUS, 0, 1);
    ck_assert_tok(r, 1, TK_MINUS, 2, 1);
    ck_assert_tok(r, 2, TK_STAR, 4, 1);
    ck_assert_tok(r, 3, TK_SLASH, 6, 1);
    ck_assert_tok(r, 4, TK_POW, 8, 2);
    ck_assert_tok(r, 5, TK_AT, 11, 1);
    ck_assert_tok(r, 6, TK_CARET, 13, 1);
    ck_assert_tok(r, 7, TK_LPAREN, 15, 1);
    ck_assert_tok(r, 8, TK_RPAREN, 17, 1);
    ck_assert_tok(r, 9, TK_LBRACK, 19, 1);
    ck_assert_tok(r, 10, TK_RBRACK, 21, 1);
    ck_assert_tok(r, 11, TK_COMMA, 23, 1);
    ck_assert_tok(r, 12, TK_ASSIGN, 25, 1);
    ck_assert_tok(r, 13, TK_QUESTION, 27, 1);
    ck_assert_tok(r, 14, TK_EOF, 28, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_keywords)
{
    /*            0         1         2         3         4 */
    /*            01234567890123456789012345678901234567890123 */
    LexRun *r = lex("input param const label loss optimize as pi");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 9);
    ck_assert_tok(r, 0, TK_INPUT, 0, 5);
    ck_assert_tok(r, 1, TK_PARAM, 6, 5);
    ck_assert_tok(r, 2, TK_CONST, 12, 5);
    ck_assert_tok(r, 3, TK_LABEL, 18, 5);
    ck_assert_tok(r, 4, TK_LOSS, 24, 4);
    ck_assert_tok(r, 5, TK_OPTIMIZE, 29, 8);
    ck_assert_tok(r, 6, TK_AS, 38, 2);
    ck_assert_tok(r, 7, TK_PI, 41, 2);
    ck_assert_tok(r, 8, TK_EOF, 43, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_identifiers_not_keywords)
{
    /* T and e are ordinary names; keywords are whole words, case-sensitive */
    /*            0         1         2         3 */
    /*            0123456789012345678901234567890123456 */
    LexRun *r = lex("T e x_1 _tmp Input pi2 asx loss_ w9");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 10);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_IDENT, 2, 1);
    ck_assert_tok(r, 2, TK_IDENT, 4, 3);
    ck_assert_tok(r, 3, TK_IDENT, 8, 4);
    ck_assert_tok(r, 4, TK_IDENT, 13, 5);
    ck_assert_tok(r, 5, TK_IDENT, 19, 3);
    ck_assert_tok(r, 6, TK_IDENT, 23, 3);
    ck_assert_tok(r, 7, TK_IDENT, 27, 5);
    ck_assert_tok(r, 8, TK_IDENT, 33, 2);
    ck_assert_tok(r, 9, TK_EOF, 35, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_lexer_is_keyword)
{
    ck_assert(gvl_lexer_is_keyword("input", 5));
    ck_assert(gvl_lexer_is_keyword("optimize", 8));
    ck_assert(gvl_lexer_is_keyword("as", 2));
    ck_assert(gvl_lexer_is_keyword("pi", 2));
    ck_assert(!gvl_lexer_is_keyword("T", 1));
    ck_assert(!gvl_lexer_is_keyword("e", 1));
    ck_assert(!gvl_lexer_is_keyword("inputs", 6));
    ck_assert(!gvl_lexer_is_keyword("inputs", 4));   /* "inpu": a prefix is not a keyword */
    ck_assert(!gvl_lexer_is_keyword("Loss", 4));
}
END_TEST

START_TEST(test_transpose_of_T)
{
    /* T^T lexes as name, caret, name */
    LexRun *r = lex("T^T");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_CARET, 1, 1);
    ck_assert_tok(r, 2, TK_IDENT, 2, 1);
    ck_assert_tok(r, 3, TK_EOF, 3, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_string)
{
    /*            0         1         2 */
    /*            0123456789012345678901234 */
    LexRun *r = lex("padding=\"same\" \"\"");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 5);
    ck_assert_tok(r, 0, TK_IDENT, 0, 7);
    ck_assert_tok(r, 1, TK_ASSIGN, 7, 1);
    ck_assert_tok(r, 2, TK_STRING, 8, 6);   /* the span includes both quotes */
    ck_assert_tok(r, 3, TK_STRING, 15, 2);
    ck_assert_tok(r, 4, TK_EOF, 17, 0);
    lex_free(r);
}
END_TEST

/* ---- numbers ------------------------------------------------------------------ */

START_TEST(test_integer)
{
    LexRun *r = lex("2 42 007");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_NUMBER, 0, 1);
    ck_assert(r->tok[0].is_int);
    ck_assert_int_eq(r->tok[0].ival, 2);
    ck_assert_double_eq(r->tok[0].num, 2.0);
    ck_assert_tok(r, 1, TK_NUMBER, 2, 2);
    ck_assert(r->tok[1].is_int);
    ck_assert_int_eq(r->tok[1].ival, 42);
    ck_assert_tok(r, 2, TK_NUMBER, 5, 3);
    ck_assert(r->tok[2].is_int);
    ck_assert_int_eq(r->tok[2].ival, 7);
    lex_free(r);
}
END_TEST

START_TEST(test_fractions_and_exponents)
{
    /*            0         1 */
    /*            012345678901234567890123 */
    LexRun *r = lex("0.5 1e-3 .5 2.5E+2 1e3 3.");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 7);
    ck_assert_tok(r, 0, TK_NUMBER, 0, 3);
    ck_assert(!r->tok[0].is_int);
    ck_assert_double_eq(r->tok[0].num, 0.5);
    ck_assert_tok(r, 1, TK_NUMBER, 4, 4);
    ck_assert(!r->tok[1].is_int);
    ck_assert_double_eq(r->tok[1].num, 1e-3);
    ck_assert_tok(r, 2, TK_NUMBER, 9, 2);
    ck_assert(!r->tok[2].is_int);
    ck_assert_double_eq(r->tok[2].num, 0.5);
    ck_assert_tok(r, 3, TK_NUMBER, 12, 6);
    ck_assert(!r->tok[3].is_int);
    ck_assert_double_eq(r->tok[3].num, 250.0);
    ck_assert_tok(r, 4, TK_NUMBER, 19, 3);
    ck_assert(!r->tok[4].is_int);   /* an exponent makes it a real, even when whole */
    ck_assert_double_eq(r->tok[4].num, 1000.0);
    ck_assert_tok(r, 5, TK_NUMBER, 23, 2);
    ck_assert(!r->tok[5].is_int);
    ck_assert_double_eq(r->tok[5].num, 3.0);
    lex_free(r);
}
END_TEST

START_TEST(test_negative_number_is_minus_then_number)
{
    LexRun *r = lex("-1");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 3);
    ck_assert_tok(r, 0, TK_MINUS, 0, 1);
    ck_assert_tok(r, 1, TK_NUMBER, 1, 1);
    ck_assert_int_eq(r->tok[1].ival, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_integer_too_large_for_int64)
{
    /* 2^63 is a fine double but not an int64: is_int is false */
    LexRun *r = lex("9223372036854775808 9223372036854775807");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_tok(r, 0, TK_NUMBER, 0, 19);
    ck_assert(!r->tok[0].is_int);
    ck_assert_double_eq(r->tok[0].num, 9223372036854775808.0);
    ck_assert_tok(r, 1, TK_NUMBER, 20, 19);
    ck_assert(r->tok[1].is_int);
    ck_assert_int_eq(r->tok[1].ival, INT64_MAX);
    lex_free(r);
}
END_TEST

START_TEST(test_number_followed_by_operator)
{
    /* "2e" is not an exponent: 'e' is a name glued to 2 -> error; "2*e" is fine */
    LexRun *r = lex("2*e 1e+ ");
    ck_assert_tok(r, 0, TK_NUMBER, 0, 1);
    ck_assert_tok(r, 1, TK_STAR, 1, 1);
    ck_assert_tok(r, 2, TK_IDENT, 2, 1);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 5, "malformed number '1e' (write '1 * e' to multiply)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_tok(r, 3, TK_BAD, 4, 2);   /* the rejected text, already reported */
    ck_assert_tok(r, 4, TK_PLUS, 6, 1);
    ck_assert_tok(r, 5, TK_EOF, 8, 0);
    lex_free(r);
}
END_TEST

/* ---- size literals ------------------------------------------------------------- */

START_TEST(test_size_literals)
{
    /*            0         1 */
    /*            01234567890123 */
    LexRun *r = lex("2x2 3x1 1x2x3");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_SIZE, 0, 3);
    ck_assert_int_eq(r->tok[0].nsize, 2);
    ck_assert_int_eq(r->tok[0].size[0], 2);
    ck_assert_int_eq(r->tok[0].size[1], 2);
    ck_assert_tok(r, 1, TK_SIZE, 4, 3);
    ck_assert_int_eq(r->tok[1].nsize, 2);
    ck_assert_int_eq(r->tok[1].size[0], 3);
    ck_assert_int_eq(r->tok[1].size[1], 1);
    ck_assert_tok(r, 2, TK_SIZE, 8, 5);
    ck_assert_int_eq(r->tok[2].nsize, 3);
    ck_assert_int_eq(r->tok[2].size[0], 1);
    ck_assert_int_eq(r->tok[2].size[1], 2);
    ck_assert_int_eq(r->tok[2].size[2], 3);
    ck_assert_tok(r, 3, TK_EOF, 13, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_size_literal_multi_digit)
{
    LexRun *r = lex("max(x, 16x32)");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_tok(r, 4, TK_SIZE, 7, 5);
    ck_assert_int_eq(r->tok[4].nsize, 2);
    ck_assert_int_eq(r->tok[4].size[0], 16);
    ck_assert_int_eq(r->tok[4].size[1], 32);
    ck_assert_tok(r, 5, TK_RPAREN, 12, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_size_literal_needs_no_spaces)
{
    /* "2 x 2" is a number, a name and a number */
    LexRun *r = lex("2 x 2");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_NUMBER, 0, 1);
    ck_assert_tok(r, 1, TK_IDENT, 2, 1);
    ck_assert_tok(r, 2, TK_NUMBER, 4, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_malformed_size_literal)
{
    LexRun *r = lex("a = 2x2b\nc");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 5, "malformed size literal '2x2b'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.off, 4);
    ck_assert_int_eq(r->diag.items[0].span.len, 4);
    /* the bad literal becomes one TK_BAD token */
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_ASSIGN, 2, 1);
    ck_assert_tok(r, 2, TK_BAD, 4, 4);
    ck_assert_tok(r, 3, TK_END, 8, 1);
    ck_assert_tok(r, 4, TK_IDENT, 9, 1);
    lex_free(r);
}
END_TEST

/* ---- ** versus * ---------------------------------------------------------------- */

START_TEST(test_pow_versus_star)
{
    /*            0123456789 */
    LexRun *r = lex("a**b*c***d");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 9);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_POW, 1, 2);
    ck_assert_tok(r, 2, TK_IDENT, 3, 1);
    ck_assert_tok(r, 3, TK_STAR, 4, 1);
    ck_assert_tok(r, 4, TK_IDENT, 5, 1);
    ck_assert_tok(r, 5, TK_POW, 6, 2);    /* "***" is '**' then '*' */
    ck_assert_tok(r, 6, TK_STAR, 8, 1);
    ck_assert_tok(r, 7, TK_IDENT, 9, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_spaced_stars_are_two_stars)
{
    LexRun *r = lex("a * * b");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_tok(r, 1, TK_STAR, 2, 1);
    ck_assert_tok(r, 2, TK_STAR, 4, 1);
    lex_free(r);
}
END_TEST

/* ---- comments and statement ends ----------------------------------------------- */

START_TEST(test_comments)
{
    /*            0         1         2 */
    /*            0123456789 0123456789012345 */
    LexRun *r = lex("a # x = 1 ;\n# whole line\nb");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 5);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_END, 11, 1);   /* the ';' inside the comment is ignored */
    ck_assert_tok(r, 2, TK_END, 24, 1);   /* the comment line still ends with a newline */
    ck_assert_tok(r, 3, TK_IDENT, 25, 1);
    ck_assert_tok(r, 4, TK_EOF, 26, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_semicolon_and_newline_end_statements)
{
    /*            012345678 9 */
    LexRun *r = lex("a;b ; c\n\nd");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 9);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_END, 1, 1);
    ck_assert_tok(r, 2, TK_IDENT, 2, 1);
    ck_assert_tok(r, 3, TK_END, 4, 1);
    ck_assert_tok(r, 4, TK_IDENT, 6, 1);
    ck_assert_tok(r, 5, TK_END, 7, 1);
    ck_assert_tok(r, 6, TK_END, 8, 1);
    ck_assert_tok(r, 7, TK_IDENT, 9, 1);
    ck_assert_tok(r, 8, TK_EOF, 10, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_crlf_line_endings)
{
    LexRun *r = lex("a\r\nb");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_END, 2, 1);
    ck_assert_tok(r, 2, TK_IDENT, 3, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_newlines_inside_brackets_are_skipped)
{
    /*            0 1234567 89012345678 9 */
    LexRun *r = lex("[1,\n 2] (a\n#c\n+ b)\nz");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 13);
    ck_assert_tok(r, 0, TK_LBRACK, 0, 1);
    ck_assert_tok(r, 1, TK_NUMBER, 1, 1);
    ck_assert(!r->tok[1].nl_before);
    ck_assert_tok(r, 2, TK_COMMA, 2, 1);
    ck_assert_tok(r, 3, TK_NUMBER, 5, 1);
    ck_assert(r->tok[3].nl_before);
    ck_assert_tok(r, 4, TK_RBRACK, 6, 1);
    ck_assert(!r->tok[4].nl_before);
    ck_assert_tok(r, 5, TK_LPAREN, 8, 1);
    ck_assert_tok(r, 6, TK_IDENT, 9, 1);
    ck_assert_tok(r, 7, TK_PLUS, 14, 1);   /* after a newline, a comment and a newline */
    ck_assert(r->tok[7].nl_before);
    ck_assert_tok(r, 8, TK_IDENT, 16, 1);
    ck_assert(!r->tok[8].nl_before);
    ck_assert_tok(r, 9, TK_RPAREN, 17, 1);
    ck_assert_tok(r, 10, TK_END, 18, 1);   /* outside brackets the newline counts again */
    ck_assert(!r->tok[10].nl_before);
    ck_assert_tok(r, 11, TK_IDENT, 19, 1);
    ck_assert_tok(r, 12, TK_EOF, 20, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_nested_brackets_over_lines)
{
    LexRun *r = lex("[[1],\n[2]]\nx");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 12);
    ck_assert_tok(r, 5, TK_LBRACK, 6, 1);
    ck_assert(r->tok[5].nl_before);
    ck_assert_tok(r, 8, TK_RBRACK, 9, 1);
    ck_assert_tok(r, 9, TK_END, 10, 1);
    ck_assert_tok(r, 10, TK_IDENT, 11, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_line_continuation)
{
    LexRun *r = lex("a + \\\n b");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_PLUS, 2, 1);
    ck_assert_tok(r, 2, TK_IDENT, 7, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_empty_input)
{
    LexRun *r = lex("");
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_int_eq(r->n, 1);
    ck_assert_tok(r, 0, TK_EOF, 0, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_eof_repeats)
{
    Source src;
    DiagSink d;
    gvl_source_from_string(&src, "t", "a", 1);
    gvl_diag_init(&d, &src);
    Lexer lx;
    gvl_lexer_init(&lx, &src, &d);
    ck_assert_int_eq(gvl_lexer_next(&lx).kind, TK_IDENT);
    ck_assert_int_eq(gvl_lexer_next(&lx).kind, TK_EOF);
    ck_assert_int_eq(gvl_lexer_next(&lx).kind, TK_EOF);
    ck_assert_int_eq(d.count, 0);
    gvl_diag_free(&d);
    gvl_source_free(&src);
}
END_TEST

START_TEST(test_token_names)
{
    ck_assert_str_eq(gvl_token_names[TK_EOF], "end of file");
    ck_assert_str_eq(gvl_token_names[TK_END], "end of statement");
    ck_assert_str_eq(gvl_token_names[TK_POW], "'**'");
    ck_assert_str_eq(gvl_token_names[TK_PI], "'pi'");
    ck_assert_str_eq(gvl_token_names[TK_BAD], "invalid text");
}
END_TEST

/* ---- errors --------------------------------------------------------------------- */

START_TEST(test_stray_character)
{
    LexRun *r = lex("x = 1\ny = a $ b\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 7, "unexpected character '$'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.off, 12);
    ck_assert_int_eq(r->diag.items[0].span.len, 1);
    /* the byte becomes a TK_BAD token: y = a <bad> b */
    ck_assert_tok(r, 4, TK_IDENT, 6, 1);
    ck_assert_tok(r, 5, TK_ASSIGN, 8, 1);
    ck_assert_tok(r, 6, TK_IDENT, 10, 1);
    ck_assert_tok(r, 7, TK_BAD, 12, 1);
    ck_assert_tok(r, 8, TK_IDENT, 14, 1);
    ck_assert_tok(r, 9, TK_END, 15, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_non_ascii_times_sign)
{
    /* U+00D7 (the multiplication sign) is two bytes, reported once */
    LexRun *r = lex("y = 2 \xc3\x97 3");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 7, "unexpected character U+00D7 '\xc3\x97' (write * for an elementwise "
            "product, @ for a matrix product, 2x2 for a size)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.len, 2);
    ck_assert_int_eq(r->n, 6);
    ck_assert_tok(r, 2, TK_NUMBER, 4, 1);
    ck_assert_tok(r, 3, TK_BAD, 6, 2);
    ck_assert_tok(r, 4, TK_NUMBER, 9, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_control_and_invalid_bytes)
{
    LexRun *r = lex_n("a\x01 \xff", 4);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 2, "unexpected character byte \\x01"},
        {SEV_ERROR, 1, 4, "unexpected character byte \\xFF"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 0, TK_IDENT, 0, 1);
    ck_assert_tok(r, 1, TK_BAD, 1, 1);
    ck_assert_tok(r, 2, TK_BAD, 3, 1);
    ck_assert_tok(r, 3, TK_EOF, 4, 0);
    lex_free(r);
}
END_TEST

START_TEST(test_nul_byte_inside_text)
{
    LexRun *r = lex_n("a\0b", 3);
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 2, "unexpected character byte \\x00"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 1, TK_BAD, 1, 1);
    ck_assert_tok(r, 2, TK_IDENT, 2, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_malformed_number)
{
    LexRun *r = lex("a = 1\nb = 2y + 1");
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 5, "malformed number '2y' (write '2 * y' to multiply)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.off, 10);
    ck_assert_int_eq(r->diag.items[0].span.len, 2);
    /* lexing carries on after the bad number */
    ck_assert_tok(r, 5, TK_ASSIGN, 8, 1);
    ck_assert_tok(r, 6, TK_BAD, 10, 2);
    ck_assert_tok(r, 7, TK_PLUS, 13, 1);
    ck_assert_tok(r, 8, TK_NUMBER, 15, 1);
    lex_free(r);
}
END_TEST

START_TEST(test_malformed_real_number)
{
    LexRun *r = lex("0.5w_1");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 1, "malformed number '0.5w_1' (write '0.5 * w_1' to multiply)"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 2);
    ck_assert_tok(r, 0, TK_BAD, 0, 6);
    lex_free(r);
}
END_TEST

START_TEST(test_unterminated_string)
{
    LexRun *r = lex("y = conv(x, w, padding=\"same)\nz = 1");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 24, "unterminated string"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.len, 1);
    /* the string runs to the end of the line; the next line lexes normally */
    ck_assert_tok(r, 10, TK_BAD, 23, 6);
    ck_assert_tok(r, 11, TK_IDENT, 30, 1);
    ck_assert(r->tok[11].nl_before);
    lex_free(r);
}
END_TEST

START_TEST(test_unterminated_string_at_eof)
{
    LexRun *r = lex("a\n\"abc");
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 1, "unterminated string"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 4);
    ck_assert_tok(r, 2, TK_BAD, 2, 4);
    ck_assert_tok(r, 3, TK_EOF, 6, 0);
    lex_free(r);
}
END_TEST

/* A literal of many digits is read by strtod whole, not cut at a buffer:
 * 130 digits once became 1e126. */
START_TEST(test_long_number_read_exactly)
{
    char text[256] = "";
    strcat(text, "1");
    for (int i = 0; i < 129; i++) strcat(text, i % 7 == 3 ? "7" : "0");   /* 130 digits */
    strcat(text, ".25e-100");
    LexRun *r = lex(text);
    ck_assert_ndiags(&r->diag, 0);
    ck_assert_tok(r, 0, TK_NUMBER, 0, strlen(text));
    ck_assert(r->tok[0].num == strtod(text, NULL));
    ck_assert(r->tok[0].num > 1e29 && r->tok[0].num < 1e30);   /* about 1.0007e29 */
    lex_free(r);
}
END_TEST

START_TEST(test_number_too_large)
{
    LexRun *r = lex("1e999");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 1, "number '1e999' is too large for a double"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 2);
    ck_assert_tok(r, 0, TK_BAD, 0, 5);
    lex_free(r);
}
END_TEST

START_TEST(test_size_literal_too_large)
{
    LexRun *r = lex("99999999999999999999x2");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 1, "size literal '99999999999999999999x2' is too large"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->n, 2);
    ck_assert_tok(r, 0, TK_BAD, 0, 22);
    lex_free(r);
}
END_TEST

START_TEST(test_errors_on_several_lines)
{
    LexRun *r = lex("a $\nb = 3q\nc = \"x\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 3, "unexpected character '$'"},
        {SEV_ERROR, 2, 5, "malformed number '3q' (write '3 * q' to multiply)"},
        {SEV_ERROR, 3, 5, "unterminated string"},
        {0}};
    expect_diags(&r->diag, want);
    lex_free(r);
}
END_TEST

START_TEST(test_lookalike_hints)
{
    /* characters a lab sheet uses, with the ASCII spelling */
    LexRun *r = lex("y = 2 \xe2\x88\x92 1\nz = 2*\xcf\x80\nw = a\xc2\xb7" "b\n");
    static const DiagRow want[] = {
        {SEV_ERROR, 1, 7, "unexpected character U+2212 '\xe2\x88\x92' (a typographic minus: write -)"},
        {SEV_ERROR, 2, 7, "unexpected character U+03C0 '\xcf\x80' (write pi)"},
        {SEV_ERROR, 3, 6, "unexpected character U+00B7 '\xc2\xb7' (write * for an elementwise "
            "product, @ for a matrix product)"},
        {0}};
    expect_diags(&r->diag, want);
    lex_free(r);
}
END_TEST

START_TEST(test_columns_count_characters)
{
    /* the '$' is the 9th character but the 10th byte of its line */
    LexRun *r = lex("a\nx = \"\xc3\xa9\" $");
    static const DiagRow want[] = {
        {SEV_ERROR, 2, 9, "unexpected character '$'"},
        {0}};
    expect_diags(&r->diag, want);
    ck_assert_int_eq(r->diag.items[0].span.off, 11);
    ck_assert_tok(r, 4, TK_STRING, 6, 4);
    lex_free(r);
}
END_TEST

static Suite *lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, test_operators_and_punctuation);
    tcase_add_test(tc, test_keywords);
    tcase_add_test(tc, test_identifiers_not_keywords);
    tcase_add_test(tc, test_lexer_is_keyword);
    tcase_add_test(tc, test_transpose_of_T);
    tcase_add_test(tc, test_string);
    tcase_add_test(tc, test_token_names);
    tcase_add_test(tc, test_empty_input);
    tcase_add_test(tc, test_eof_repeats);
    suite_add_tcase(s, tc);

    tc = tcase_create("numbers");
    tcase_add_test(tc, test_integer);
    tcase_add_test(tc, test_fractions_and_exponents);
    tcase_add_test(tc, test_negative_number_is_minus_then_number);
    tcase_add_test(tc, test_integer_too_large_for_int64);
    tcase_add_test(tc, test_number_followed_by_operator);
    tcase_add_test(tc, test_size_literals);
    tcase_add_test(tc, test_size_literal_multi_digit);
    tcase_add_test(tc, test_size_literal_needs_no_spaces);
    tcase_add_test(tc, test_malformed_size_literal);
    tcase_add_test(tc, test_pow_versus_star);
    tcase_add_test(tc, test_spaced_stars_are_two_stars);
    suite_add_tcase(s, tc);

    tc = tcase_create("layout");
    tcase_add_test(tc, test_comments);
    tcase_add_test(tc, test_semicolon_and_newline_end_statements);
    tcase_add_test(tc, test_crlf_line_endings);
    tcase_add_test(tc, test_newlines_inside_brackets_are_skipped);
    tcase_add_test(tc, test_nested_brackets_over_lines);
    tcase_add_test(tc, test_line_continuation);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_stray_character);
    tcase_add_test(tc, test_non_ascii_times_sign);
    tcase_add_test(tc, test_control_and_invalid_bytes);
    tcase_add_test(tc, test_nul_byte_inside_text);
    tcase_add_test(tc, test_malformed_number);
    tcase_add_test(tc, test_malformed_real_number);
    tcase_add_test(tc, test_unterminated_string);
    tcase_add_test(tc, test_unterminated_string_at_eof);
    tcase_add_test(tc, test_number_too_large);
    tcase_add_test(tc, test_size_literal_too_large);
    tcase_add_test(tc, test_errors_on_several_lines);
    tcase_add_test(tc, test_lookalike_hints);
    tcase_add_test(tc, test_columns_count_characters);
    tcase_add_test(tc, test_long_number_read_exactly);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(lexer_suite());
}
