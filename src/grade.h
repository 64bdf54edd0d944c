/*
 * grade.h - grade KEY.graph ANSWERS...: each answers file (or student's
 * .graph file) against the questions of KEY, and the results in text,
 * JSON, Gradescope's and PrairieLearn's results.json, or CSV.
 */
#ifndef GVL_GRADE_H
#define GVL_GRADE_H

#include "eval.h"
#include "quiz.h"

#include <stdio.h>

typedef struct GradeOptions {
    double tol;             /* --tol: absolute or relative, default 1e-3 */
    bool show_answers;      /* --show-answers: the expected answer of each wrong one */
    const char *format;     /* text, json, gradescope, prairielearn, csv */
    int64_t max_line;       /* --max-line-length, for reading the files */
    EvalOptions eval;       /* for a student's .graph file: the key's variant and limits */
    SizeSetting *sets;      /* the key's --set, for a student's .graph file */
    int nsets;
    bool has_variant;       /* --variant N: the version of the key graded against */
    uint64_t variant;
    const char *out;        /* -o OUT, or "-" */
    const char *input;      /* the key's file, which OUT may not be */
} GradeOptions;

/* Grades FILES against QUESTIONS (the worksheet's) or, for a file named
 * *.graph, against BY_NODE (the shape, value and gradient of each named
 * node of the key).  Writes the results to OUT and the files' diagnostics
 * to standard error.  Returns 0 when every file was graded, 1 when a file
 * has errors, 2 when one cannot be read. */
int gvl_grade_run(const Quiz *questions, const Quiz *by_node, char **files, int nfiles, const GradeOptions *go,
                  FILE *out);

#endif
