/*
 * check_diag.c - the diagnostic builder and the sink: notes and hints stay
 * with their diagnostic, the error cap drops whole diagnostics, sorting
 * keeps each group together, and printing shows each diagnostic once.
 */
#include "testutil.h"

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

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("builder and sink");
    tcase_add_test(tc, test_builder_keeps_notes_and_hints_with_their_diagnostic);
    tcase_add_test(tc, test_sort_moves_groups_whole);
    tcase_add_test(tc, test_error_cap_drops_whole_diagnostics);
    tcase_add_test(tc, test_long_message_and_command_line_sink);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(diag_suite());
}
