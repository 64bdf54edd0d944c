/*
 * check_diag.c - the diagnostic builder and the sink: notes and hints stay
 * with their diagnostic, the error cap drops whole diagnostics, sorting
 * keeps each group together, printing shows each diagnostic once, and
 * what reaches the terminal is escaped (terminal.c); the reader keeps only
 * the start of a line over the limit.
 */
#include "testutil.h"

#include "terminal.h"

#include <unistd.h>

static const char *const TEXT = "x = 1\ny = x +\nz = q\n";

typedef struct Sink {
    Source src;
    DiagSink d;
} Sink;

static Sink *sink_open(void)
{
    Sink *s = calloc(1, sizeof *s);
    gvl_source_from_string(&s->src, "t.graph", TEXT, strlen(TEXT));
    gvl_diag_init(&s->d, &s->src);
    return s;
}

static void sink_close(Sink *s)
{
    gvl_diag_free(&s->d);
    gvl_source_free(&s->src);
    free(s);
}

/* What gvl_diag_flush prints now. */
static char *flushed(DiagSink *d)
{
    Capture c;
    capture_open(&c);
    gvl_diag_flush(d, c.f);
    capture_close(&c);
    return c.buf;
}

START_TEST(test_builder_keeps_notes_and_hints_with_their_diagnostic)
{
    Sink *s = sink_open();
    DiagBuilder b;
    gvl_diag_begin(&b, &s->d, SEV_ERROR, span_make(18, 1));        /* the q of line 3 */
    gvl_diag_printf(&b, "unknown name '%s'", "q");
    /* another diagnostic emitted while the first is being built */
    gvl_diag_warning(&s->d, span_make(0, 1), "x is %d", 1);
    gvl_diag_add_note(&b, span_make(0, 1), "'%s' is defined here", "x");
    gvl_diag_add_hint(&b, "did you mean '%s'?", "x");
    gvl_diag_emit(&b);
    const DiagRow want[] = {
        {SEV_WARNING, 1, 1, "x is 1"},
        {SEV_ERROR, 3, 5, "unknown name 'q'"},
        {SEV_NOTE, 1, 1, "'x' is defined here"},
        {SEV_NOTE, 3, 5, "did you mean 'x'?"},
        {0}};
    expect_diags(&s->d, want);
    ck_assert_int_eq(s->d.errors, 1);
    ck_assert_int_eq(s->d.warnings, 1);
    ck_assert(s->d.items[3].hint);
    char *out = flushed(&s->d);
    ck_assert_str_eq(out, "t.graph:1:1: warning: x is 1\n"
                          "    1 | x = 1\n"
                          "      | ^\n"
                          "t.graph:3:5: error: unknown name 'q'\n"
                          "    3 | z = q\n"
                          "      |     ^\n"
                          "t.graph:1:1: note: 'x' is defined here\n"
                          "    1 | x = 1\n"
                          "      | ^\n"
                          "t.graph:3:5: note: did you mean 'x'?\n");
    free(out);
    /* printed once: a later flush prints only what is new */
    gvl_diag_error(&s->d, span_make(12, 0), "expected an expression");
    out = flushed(&s->d);
    ck_assert_str_eq(out, "t.graph:2:7: error: expected an expression\n"
                          "    2 | y = x +\n"
                          "      |       ^\n");
    free(out);
    out = flushed(&s->d);
    ck_assert_str_eq(out, "");
    free(out);
    sink_close(s);
}
END_TEST

START_TEST(test_sort_moves_groups_whole)
{
    Sink *s = sink_open();
    gvl_diag_error(&s->d, span_make(18, 1), "third line");
    DiagBuilder b;
    gvl_diag_begin(&b, &s->d, SEV_ERROR, span_make(6, 1));
    gvl_diag_printf(&b, "second line");
    gvl_diag_add_note(&b, span_make(18, 1), "its note, on the third line");
    gvl_diag_emit(&b);
    gvl_diag_warning(&s->d, span_make(0, 1), "first line");
    gvl_diag_error(&s->d, span_make(6, 1), "second line, found later");
    gvl_diag_sort(&s->d);
    const DiagRow want[] = {
        {SEV_WARNING, 1, 1, "first line"},
        {SEV_ERROR, 2, 1, "second line"},
        {SEV_NOTE, 3, 5, "its note, on the third line"},
        {SEV_ERROR, 2, 1, "second line, found later"},   /* equal places keep their order */
        {SEV_ERROR, 3, 5, "third line"},
        {0}};
    expect_diags(&s->d, want);
    sink_close(s);
}
END_TEST

START_TEST(test_error_cap_drops_whole_diagnostics)
{
    Sink *s = sink_open();
    for (int i = 0; i < DIAG_MAX_ERRORS + 5; i++) {
        DiagBuilder b;
        gvl_diag_begin(&b, &s->d, SEV_ERROR, span_make(0, 1));
        gvl_diag_printf(&b, "error %d", i);
        gvl_diag_add_note(&b, span_make(6, 1), "note %d", i);
        gvl_diag_emit(&b);
    }
    ck_assert(gvl_diag_full(&s->d));
    ck_assert(s->d.truncated);
    ck_assert_int_eq(s->d.errors, DIAG_MAX_ERRORS);
    ck_assert_uint_eq(s->d.count, 2 * DIAG_MAX_ERRORS);   /* no orphan note of a dropped error */
    ck_assert_str_eq(s->d.items[s->d.count - 1].msg, "note 49");
    /* warnings still get through */
    gvl_diag_warning(&s->d, span_make(0, 1), "late warning");
    ck_assert_str_eq(s->d.items[s->d.count - 1].msg, "late warning");
    char *out = flushed(&s->d);
    const char *last = strstr(out, "t.graph: note: too many errors (50); stopping here\n");
    ck_assert_ptr_nonnull(last);
    ck_assert_str_eq(last, "t.graph: note: too many errors (50); stopping here\n");
    free(out);
    out = flushed(&s->d);   /* the closing line is printed once */
    ck_assert_str_eq(out, "");
    free(out);
    sink_close(s);
}
END_TEST

START_TEST(test_long_message_and_command_line_sink)
{
    /* a message of any length; a sink without a file speaks for the program */
    DiagSink d;
    gvl_diag_init(&d, NULL);
    char big[5001];
    memset(big, 'm', 5000);
    big[5000] = '\0';
    gvl_diag_error(&d, span_make(0, 0), "%s!", big);
    ck_assert_uint_eq(strlen(d.items[0].msg), 5001);
    char *out = flushed(&d);
    ck_assert(strncmp(out, "graphviz-lab:1:1: error: mmm", 28) == 0);
    ck_assert_uint_eq(strlen(out), strlen("graphviz-lab:1:1: error: ") + 5001 + 1);
    free(out);
    gvl_diag_free(&d);
}
END_TEST

/* Every kind of character a terminal would obey, and the ones it must show. */
START_TEST(test_terminal_escapes)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain ascii", "plain ascii"},
        {"x \xc3\x97 2, \xe2\x88\x82L/\xe2\x88\x82w, \xcf\x80", "x \xc3\x97 2, \xe2\x88\x82L/\xe2\x88\x82w, \xcf\x80"},
        {"esc \x1b[31m red", "esc <U+001B>[31m red"},
        {"tab\tnl\ncr\rdel\x7f", "tab<U+0009>nl<U+000A>cr<U+000D>del<U+007F>"},
        {"csi \xc2\x9b" "2J", "csi <U+009B>2J"},                      /* C1 as UTF-8 */
        {"raw \x9b" "2J", "raw <0x9B>2J"},                          /* C1 as a byte */
        {"overlong \xc1\x9b", "overlong <0xC1><0x9B>"},            /* '[' in two bytes */
        {"surrogate \xed\xa0\x80", "surrogate <0xED><0xA0><0x80>"},
        {"cut \xe2\x80", "cut <0xE2><0x80>"},
        {"rlo \xe2\x80\xae end", "rlo <U+202E> end"},
        {"lre \xe2\x80\xaa pdf \xe2\x80\xac", "lre <U+202A> pdf <U+202C>"},
        {"isolates \xe2\x81\xa6\xe2\x81\xa9", "isolates <U+2066><U+2069>"},
        {"marks \xe2\x80\x8e\xe2\x80\x8f \xd8\x9c", "marks <U+200E><U+200F> <U+061C>"},
        {"separators \xe2\x80\xa8\xe2\x80\xa9", "separators <U+2028><U+2029>"},
        {"\xe2\x80\xad kept: \xe2\x80\x8b zero width", "<U+202D> kept: \xe2\x80\x8b zero width"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = gvl_term_escaped(cases[i].in);
        ck_assert_msg(strcmp(got, cases[i].out) == 0, "case %zu: got '%s', want '%s'", i, got, cases[i].out);
        free(got);
    }
    /* a NUL inside a line (gvl_term_escape takes a length) */
    StrBuf b = {0};
    gvl_term_escape(&b, "a\0b", 3);
    ck_assert_str_eq(gvl_sb_str(&b), "a<U+0000>b");
    gvl_sb_free(&b);
}
END_TEST

/* The excerpt shows a control or bidi character escaped and keeps the
 * caret under the culprit: the caret line is as wide as what is shown. */
START_TEST(test_excerpt_escapes_and_keeps_the_caret)
{
    static const char text[] = "y = \xe2\x80\xae\x1b[2J q\t+ \x9b z\n";
    Source src;
    gvl_source_from_string(&src, "t.graph", text, strlen(text));
    DiagSink d;
    gvl_diag_init(&d, &src);
    size_t q = (size_t)(strchr(text, 'q') - text), z = (size_t)(strchr(text, 'z') - text);
    gvl_diag_error(&d, span_make((uint32_t)q, 1), "unknown name '%s'", "q\xe2\x80\xae");
    gvl_diag_error(&d, span_make(4, 3), "the override itself");
    gvl_diag_error(&d, span_make((uint32_t)z, 1), "after a stray byte");
    char *out = flushed(&d);
    ck_assert_str_eq(out,
                     "t.graph:1:11: error: unknown name 'q<U+202E>'\n"
                     "    1 | y = <U+202E><U+001B>[2J q\t+ <0x9B> z\n"
                     "      |                         ^\n"
                     "t.graph:1:5: error: the override itself\n"
                     "    1 | y = <U+202E><U+001B>[2J q\t+ <0x9B> z\n"
                     "      |     ^~~~~~~~\n"
                     "t.graph:1:17: error: after a stray byte\n"
                     "    1 | y = <U+202E><U+001B>[2J q\t+ <0x9B> z\n"
                     "      |                          \t         ^\n");
    free(out);
    gvl_diag_free(&d);
    gvl_source_free(&src);
    /* a file name is shown escaped too, and kept exact for JSON */
    gvl_source_from_string(&src, "evil\x1b]0;title\x07.graph", "x", 1);
    ck_assert_str_eq(src.name, "evil<U+001B>]0;title<U+0007>.graph");
    ck_assert_str_eq(src.path, "evil\x1b]0;title\x07.graph");
    gvl_source_free(&src);
}
END_TEST

/* The reader follows lines as they come: of a line over the limit only
 * the start is kept, its length is counted, and an endless one (/dev/zero)
 * stops the reading after 16 MiB instead of filling 1 GiB. */
START_TEST(test_reader_keeps_only_the_start_of_long_lines)
{
    char path[] = "/tmp/check_diag_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    for (int i = 0; i < 5000; i++) fputc('a', f);
    fputs("\nx = 1\n", f);
    for (int i = 0; i < 3000; i++) fputc('b', f);
    fclose(f);
    Source src;
    ck_assert_int_eq(gvl_source_read(&src, path, 1000), 0);
    ck_assert_uint_eq(src.nlong, 2);
    ck_assert_uint_eq(src.long_lines[0].line, 1);
    ck_assert_uint_eq(src.long_lines[0].len, 5000);
    ck_assert(!src.long_lines[0].more);
    ck_assert_uint_eq(src.long_lines[1].line, 3);
    ck_assert_uint_eq(src.long_lines[1].len, 3000);
    ck_assert_uint_eq(src.nlines, 3);
    ck_assert_uint_eq(src.len, (1000 + 256) + 7 + (1000 + 256));   /* the kept starts and line 2 */
    size_t n;
    ck_assert(strncmp(gvl_source_line(&src, 2, &n), "x = 1", 5) == 0 && n == 5);
    gvl_source_free(&src);
    /* no limit: everything is kept */
    ck_assert_int_eq(gvl_source_read(&src, path, 0), 0);
    ck_assert_uint_eq(src.len, 5000 + 7 + 3000);
    ck_assert_uint_eq(src.nlong, 0);
    gvl_source_free(&src);
    unlink(path);
    ck_assert_int_eq(gvl_source_read(&src, "/dev/zero", 100000), 0);
    ck_assert_uint_eq(src.nlong, 1);
    ck_assert(src.long_lines[0].more);
    ck_assert_uint_eq(src.len, 100000 + 256);
    ck_assert_uint_eq(src.long_lines[0].len, 100000 + 256 + (16u << 20) + 1);
    gvl_source_free(&src);
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("builder and sink");
    tcase_add_test(tc, test_builder_keeps_notes_and_hints_with_their_diagnostic);
    tcase_add_test(tc, test_sort_moves_groups_whole);
    tcase_add_test(tc, test_error_cap_drops_whole_diagnostics);
    tcase_add_test(tc, test_long_message_and_command_line_sink);
    tcase_add_test(tc, test_terminal_escapes);
    tcase_add_test(tc, test_excerpt_escapes_and_keeps_the_caret);
    tcase_add_test(tc, test_reader_keeps_only_the_start_of_long_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(diag_suite());
}
