/*
 * grade.c - grading answers files against a key (grade.h).
 *
 * Each file is read and parsed on its own: a malformed line is a
 * diagnostic at its line and column and the other lines are still graded;
 * a file that cannot be read is reported and the others go on.  A
 * student's .graph file is built and evaluated like any graph, and its
 * named nodes answer the key's by name.  Every question is worth one
 * point; a question left blank, or answered by a line that did not parse,
 * scores 0.
 */
#include "grade.h"

#include "autodiff.h"
#include "diag.h"
#include "frontend.h"
#include "suggest.h"
#include "json_writer.h"
#include "output.h"
#include "terminal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct Result {
    const char *path;
    const Quiz *quiz;       /* the questions this file answers */
    bool read_error;        /* could not be read at all */
    bool unreadable;        /* read, but not an answers file */
    char *message;          /* why, for those two */
    const char **given;     /* per question: the answer, or NULL */
    bool *correct;
    char **why;             /* per question: why an answer could not be read, or NULL */
    int score, errors;
    cJSON *diags;
} Result;

/* ---- one file ---------------------------------------------------------- */

static bool is_graph_file(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && !strcmp(path + n - 6, ".graph");
}

/* A student's graph as answers: the shape, value and gradient of each of
 * its named nodes, in the answers format. */
static bool graph_answers(AnswerFile *af, const Source *src, DiagSink *diag, const GradeOptions *go)
{
    Graph g;
    gvl_graph_open(&g, src, diag);
    g.sets = go->sets;
    g.nsets = go->nsets;
    bool ok = gvl_frontend_build(&g);
    Values v = {0};
    bool have_values = false;
    if (ok) {
        EvalOptions eo = go->eval;
        eo.has_variant = false;   /* the student's file has the variant's values written in it */
        eo.has_random = false;
        bool all = true;
        for (size_t i = 0; i < g.count; i++) all &= g.nodes[i]->kind == NK_OP || g.nodes[i]->init != NULL;
        if (all && gvl_values_init(&v, &g, &eo)) {
            gvl_values_forward(&v);
            have_values = !g.loss || gvl_values_backward(&v, g.loss);
        }
    }
    Quiz mine;
    StrBuf err = {0};
    unsigned kinds = 1u << QK_SHAPE | 1u << QK_VALUE | 1u << QK_GRAD;
    gvl_quiz_build(&mine, &g, have_values ? &v : NULL, NULL, g.loss, kinds, NULL, true, &err);
    for (int i = 0; i < mine.n; i++) {
        const Question *q = &mine.q[i];
        StrBuf text = {0};
        gvl_quiz_answer_text(&text, q);
        if (af->n == af->cap) {
            af->cap = af->cap ? af->cap * 2 : 16;
            af->a = gvl_xrealloc(af->a, sizeof *af->a * (size_t)af->cap);
        }
        char *key = gvl_xmalloc(strlen(q->key) + 1), *t = gvl_xmalloc(text.len + 1);
        strcpy(key, q->key);
        memcpy(t, gvl_sb_str(&text), text.len + 1);
        af->a[af->n++] = (Answer){gvl_question_answer_kind(q->kind), key, t, {0, 0}, {0, 0}};
        gvl_sb_free(&text);
    }
    gvl_quiz_free(&mine);
    gvl_sb_free(&err);
    if (v.val) gvl_values_free(&v);
    gvl_graph_free(&g);
    return ok;
}

/* Grades PATH into R. */
static void grade_file(Result *r, const char *path, const Quiz *questions, const Quiz *by_node, const GradeOptions *go)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    bool graph = is_graph_file(path);
    const Quiz *qz = r->quiz = graph ? by_node : questions;
    r->given = gvl_xcalloc((size_t)(qz->n ? qz->n : 1), sizeof *r->given);
    r->correct = gvl_xcalloc((size_t)(qz->n ? qz->n : 1), sizeof *r->correct);
    r->why = gvl_xcalloc((size_t)(qz->n ? qz->n : 1), sizeof *r->why);
    Source src;
    if (gvl_source_read(&src, path, go->max_line) != 0) {
        StrBuf m = {0};
        gvl_source_read_error(&m, path, errno);
        r->message = gvl_xmalloc(m.len + 1);
        memcpy(r->message, gvl_sb_str(&m), m.len + 1);
        gvl_sb_free(&m);
        r->read_error = true;
        gvl_say("error", "%s", r->message);
        return;
    }
    DiagSink diag;
    gvl_diag_init(&diag, &src);
    AnswerFile af = {0};
    if (graph) graph_answers(&af, &src, &diag, go);
    else gvl_answers_parse(&af, &src, &diag);
    /* each answer to the question it names; a key no question has, or a
     * second answer to one, is the student's mistake at its line */
    int *answered = gvl_xcalloc((size_t)(qz->n ? qz->n : 1), sizeof *answered);
    for (int a = 0; a < af.n && !graph; a++) {
        int found = -1;
        for (int i = 0; i < qz->n && found < 0; i++)
            if (!strcmp(qz->q[i].key, af.a[a].key)) found = i;
        if (found < 0) {
            /* most often a typo: the nearest key, if one is near */
            DiagBuilder b;
            gvl_diag_begin(&b, &diag, SEV_ERROR, af.a[a].at);
            gvl_diag_printf(&b, "the worksheet has no question %s", af.a[a].key);
            int best = -1, best_d = 4;
            for (int i = 0; i < qz->n; i++) {
                int d = gvl_edit_distance(af.a[a].key, strlen(af.a[a].key), qz->q[i].key, strlen(qz->q[i].key), best_d);
                if (d < best_d) {
                    best_d = d;
                    best = i;
                }
            }
            if (best >= 0) gvl_diag_add_hint(&b, "did you mean %s?", qz->q[best].key);
            gvl_diag_emit(&b);
        } else if (answered[found] && !af.a[answered[found] - 1].text && af.a[a].text) {
            answered[found] = a + 1;   /* a readable answer after one that did not parse (reported already) */
        } else if (answered[found]) {
            DiagBuilder b;
            gvl_diag_begin(&b, &diag, SEV_ERROR, af.a[a].at);
            gvl_diag_printf(&b, "%s is answered twice: the first answer is graded", af.a[a].key);
            gvl_diag_add_note(&b, af.a[answered[found] - 1].at, "the first answer");
            gvl_diag_emit(&b);
        } else {
            answered[found] = a + 1;
        }
    }
    for (int a = 0; a < af.n && graph; a++)
        for (int i = 0; i < qz->n; i++)
            if (!answered[i] && !strcmp(qz->q[i].key, af.a[a].key)) answered[i] = a + 1;
    /* a worksheet says which variant it is: grading it as another one
     * marks right answers wrong */
    if (af.has_variant && (!go->has_variant || go->variant != af.variant)) {
        StrBuf as = {0};
        if (go->has_variant) gvl_sb_printf(&as, "variant %llu", (unsigned long long)go->variant);
        else gvl_sb_add(&as, "the key's own values and sizes");
        gvl_diag_warning(&diag, (Span){0, src.nlines && src.line_start ? (uint32_t)strcspn(src.text, "\n") : 0},
                         "this worksheet is variant %llu, and it is graded against %s: grade it with --variant %llu",
                         (unsigned long long)af.variant, gvl_sb_str(&as), (unsigned long long)af.variant);
        gvl_sb_free(&as);
    }
    for (int i = 0; i < qz->n; i++) {
        if (!answered[i]) continue;
        const Answer *a = &af.a[answered[i] - 1];
        if (!a->text) {
            r->given[i] = strcpy(gvl_xmalloc(14), "(unreadable)");
            r->why[i] = strcpy(gvl_xmalloc(48), "the answer could not be read (see its error)");
            continue;
        }
        StrBuf why = {0};
        r->correct[i] = gvl_answer_matches(a->text, &qz->q[i].expect, go->tol, &why);
        r->given[i] = strcpy(gvl_xmalloc(strlen(a->text) + 1), a->text);
        if (why.len) r->why[i] = strcpy(gvl_xmalloc(why.len + 1), gvl_sb_str(&why));
        gvl_sb_free(&why);
        r->score += r->correct[i];
    }
    free(answered);
    r->unreadable = af.unreadable;
    gvl_diag_sort(&diag);
    gvl_diag_flush(&diag, stderr);
    r->errors = diag.errors;
    r->diags = gvl_diag_to_json(&diag);
    gvl_answers_free(&af);
    gvl_diag_free(&diag);
    gvl_source_free(&src);
}

static void result_free(Result *r)
{
    for (int i = 0; i < r->quiz->n; i++) {
        free((char *)r->given[i]);
        free(r->why[i]);
    }
    free(r->given);
    free(r->correct);
    free(r->why);
    free(r->message);
    cJSON_Delete(r->diags);
}

/* ---- the reports ------------------------------------------------------- */

/* What a question's line says: right, wrong (and why), or not answered. */
static void verdict(StrBuf *out, const Result *r, int i, const GradeOptions *go)
{
    const Question *q = &r->quiz->q[i];
    if (r->correct[i]) gvl_sb_add(out, "right");
    else if (!r->given[i]) gvl_sb_add(out, "not answered");
    else if (r->why[i]) gvl_sb_printf(out, "wrong: %s", r->why[i]);
    else gvl_sb_printf(out, "wrong: %s", r->given[i]);
    if (!r->correct[i] && go->show_answers) {
        gvl_sb_add(out, "; expected ");
        gvl_quiz_answer_text(out, q);
    }
}

/* The diagnostics as lines "file:line:col: error: message". */
static void diag_lines(StrBuf *out, const Result *r)
{
    if (r->message) gvl_sb_printf(out, "%s\n", r->message);
    const cJSON *d;
    cJSON_ArrayForEach(d, r->diags) {
        const char *sev = cJSON_GetStringValue(cJSON_GetObjectItem(d, "severity"));
        int line = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "line"));
        int col = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(d, "col"));
        if (line > 0) gvl_sb_printf(out, "%s:%d:%d: ", r->path, line, col);
        else gvl_sb_printf(out, "%s: ", r->path);   /* about the whole file */
        gvl_sb_printf(out, "%s: %s\n", sev ? sev : "error", cJSON_GetStringValue(cJSON_GetObjectItem(d, "message")));
    }
}

static void report_text(StrBuf *out, const Result *rs, int n, const GradeOptions *go)
{
    for (int f = 0; f < n; f++) {
        const Result *r = &rs[f];
        if (r->read_error || r->unreadable) {
            gvl_sb_printf(out, "%s: not graded (%s)\n", r->path, r->read_error ? r->message : "not an answers file");
            continue;
        }
        gvl_sb_printf(out, "%s: %d of %d\n", r->path, r->score, r->quiz->n);
        StrBuf v = {0};
        for (int i = 0; i < r->quiz->n; i++) {
            gvl_sb_clear(&v);
            verdict(&v, r, i, go);
            gvl_sb_printf(out, "  %-5s %s  %s\n", r->correct[i] ? "ok" : "FAIL", r->quiz->q[i].key, gvl_sb_str(&v));
        }
        gvl_sb_free(&v);
    }
}

static cJSON *json_file(const Result *r, const GradeOptions *go)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", r->path);
    cJSON_AddBoolToObject(o, "graded", !r->read_error && !r->unreadable);
    cJSON_AddNumberToObject(o, "score", r->score);
    cJSON_AddNumberToObject(o, "max_score", r->quiz->n);
    cJSON *qs = cJSON_AddArrayToObject(o, "questions");
    for (int i = 0; i < r->quiz->n; i++) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "question", r->quiz->q[i].key);
        cJSON_AddBoolToObject(q, "correct", r->correct[i]);
        if (r->given[i]) cJSON_AddStringToObject(q, "answer", r->given[i]);
        else cJSON_AddNullToObject(q, "answer");
        if (go->show_answers) {
            StrBuf e = {0};
            gvl_quiz_answer_text(&e, &r->quiz->q[i]);
            cJSON_AddStringToObject(q, "expected", gvl_sb_str(&e));
            gvl_sb_free(&e);
        }
        cJSON_AddItemToArray(qs, q);
    }
    cJSON_AddItemToObject(o, "diagnostics", cJSON_Duplicate(r->diags, true));
    if (r->message) cJSON_AddStringToObject(o, "error", r->message);
    return o;
}

/* What each autograder calls a test's fields. */
typedef struct TestKeys {
    const char *points, *max_points, *message;
    bool status;            /* "passed" or "failed" too */
} TestKeys;
static const TestKeys gradescope_keys = {"score", "max_score", "output", true};
static const TestKeys prairielearn_keys = {"points", "max_points", "message", false};

/* "tests": one per question, a point each. */
static void add_tests(cJSON *o, const Result *r, const GradeOptions *go, const TestKeys *k)
{
    cJSON *tests = cJSON_AddArrayToObject(o, "tests");
    StrBuf v = {0};
    for (int i = 0; i < r->quiz->n; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "name", r->quiz->q[i].key);
        cJSON_AddNumberToObject(t, k->points, r->correct[i]);
        cJSON_AddNumberToObject(t, k->max_points, 1);
        if (k->status) cJSON_AddStringToObject(t, "status", r->correct[i] ? "passed" : "failed");
        gvl_sb_clear(&v);
        verdict(&v, r, i, go);
        cJSON_AddStringToObject(t, k->message, gvl_sb_str(&v));
        cJSON_AddItemToArray(tests, t);
    }
    gvl_sb_free(&v);
}

/* Gradescope's results.json: a test per question. */
static cJSON *gradescope_file(const Result *r, const GradeOptions *go)
{
    cJSON *o = cJSON_CreateObject();
    /* only the keys of Gradescope's specification: the maximum is the sum
     * of the tests' max_score */
    cJSON_AddNumberToObject(o, "score", r->score);
    StrBuf out = {0};
    diag_lines(&out, r);
    if (r->read_error || r->unreadable) gvl_sb_add(&out, "The file could not be graded.\n");
    cJSON_AddStringToObject(o, "output", gvl_sb_str(&out));
    add_tests(o, r, go, &gradescope_keys);
    gvl_sb_free(&out);
    return o;
}

/* PrairieLearn's results.json: gradable, a score in [0, 1], and a test
 * per question; a file that cannot be read is not gradable and carries
 * its diagnostics in format_errors. */
static cJSON *prairielearn_file(const Result *r, const GradeOptions *go)
{
    cJSON *o = cJSON_CreateObject();
    bool gradable = !r->read_error && !r->unreadable;
    cJSON_AddBoolToObject(o, "gradable", gradable);
    StrBuf out = {0};
    diag_lines(&out, r);
    if (!gradable) {
        cJSON *fe = cJSON_AddArrayToObject(o, "format_errors");
        const char *p = gvl_sb_str(&out), *nl;
        while ((nl = strchr(p, '\n'))) {
            StrBuf line = {0};
            gvl_sb_addn(&line, p, (size_t)(nl - p));
            cJSON_AddItemToArray(fe, cJSON_CreateString(gvl_sb_str(&line)));
            gvl_sb_free(&line);
            p = nl + 1;
        }
        gvl_sb_free(&out);
        return o;
    }
    cJSON_AddNumberToObject(o, "score", r->quiz->n ? (double)r->score / r->quiz->n : 1.0);
    cJSON_AddStringToObject(o, "output", gvl_sb_str(&out));
    add_tests(o, r, go, &prairielearn_keys);
    gvl_sb_free(&out);
    return o;
}

static void csv_cell(StrBuf *out, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        gvl_sb_add(out, s);
        return;
    }
    gvl_sb_putc(out, '"');
    for (; *s; s++) {
        if (*s == '"') gvl_sb_putc(out, '"');
        gvl_sb_putc(out, *s);
    }
    gvl_sb_putc(out, '"');
}

/* One row per file: its score, then 1 or 0 per question. */
static void report_csv(StrBuf *out, const Result *rs, int n, const Quiz *questions)
{
    gvl_sb_add(out, "file,score,max_score");
    for (int i = 0; i < questions->n; i++) {
        gvl_sb_putc(out, ',');
        csv_cell(out, questions->q[i].key);
    }
    gvl_sb_putc(out, '\n');
    for (int f = 0; f < n; f++) {
        const Result *r = &rs[f];
        csv_cell(out, r->path);
        gvl_sb_printf(out, ",%d,%d", r->score, r->quiz->n);
        bool graded = !r->read_error && !r->unreadable;
        /* a .graph file answers other questions: its cells by key */
        for (int i = 0; i < questions->n; i++) {
            int k = -1;
            for (int j = 0; j < r->quiz->n && k < 0; j++)
                if (!strcmp(r->quiz->q[j].key, questions->q[i].key)) k = j;
            /* a file that was not graded has empty cells, not 0s */
            gvl_sb_add(out, k < 0 || !graded ? "," : r->correct[k] ? ",1" : ",0");
        }
        gvl_sb_putc(out, '\n');
    }
}

static int write_results(const Quiz *questions, Result *rs, int nfiles, const GradeOptions *go, FILE *out);

int gvl_grade_run(const Quiz *questions, const Quiz *by_node, char **files, int nfiles, const GradeOptions *go,
                  FILE *out)
{
    Result *rs = gvl_xcalloc((size_t)nfiles, sizeof *rs);
    int status = 0;
    for (int f = 0; f < nfiles; f++) {
        grade_file(&rs[f], files[f], questions, by_node, go);
        if (rs[f].read_error) status = 2;
        else if ((rs[f].errors || rs[f].unreadable) && status == 0) status = 1;
    }
    if (go->out && strcmp(go->out, "-")) {
        /* -o OUT: written whole or not at all, like every output file */
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem) gvl_out_of_memory();
        write_results(questions, rs, nfiles, go, mem);
        if (fclose(mem) != 0) gvl_out_of_memory();
        StrBuf err = {0};
        if (gvl_output_write(go->out, go->input, buf, len, &err) != 0) {
            gvl_say("error", "%s", gvl_sb_str(&err));
            status = 2;
        }
        gvl_sb_free(&err);
        free(buf);
    } else {
        write_results(questions, rs, nfiles, go, out);
    }
    for (int f = 0; f < nfiles; f++) result_free(&rs[f]);
    free(rs);
    return status;
}

static int write_results(const Quiz *questions, Result *rs, int nfiles, const GradeOptions *go, FILE *out)
{
    StrBuf text = {0};
    if (!strcmp(go->format, "csv")) {
        report_csv(&text, rs, nfiles, questions);
        fputs(gvl_sb_str(&text), out);
    } else if (!strcmp(go->format, "text")) {
        report_text(&text, rs, nfiles, go);
        fputs(gvl_sb_str(&text), out);
    } else {
        /* one object for one file (what an autograder reads), an array for more */
        cJSON *all = nfiles == 1 ? NULL : cJSON_CreateArray();
        cJSON *one = NULL;
        for (int f = 0; f < nfiles; f++) {
            cJSON *o = !strcmp(go->format, "gradescope")     ? gradescope_file(&rs[f], go)
                       : !strcmp(go->format, "prairielearn") ? prairielearn_file(&rs[f], go)
                                                             : json_file(&rs[f], go);
            if (all) cJSON_AddItemToArray(all, o);
            else one = o;
        }
        gvl_jw_print_tree(out, all ? all : one, true);
    }
    gvl_sb_free(&text);
    return 0;
}
