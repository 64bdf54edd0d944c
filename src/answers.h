/*
 * answers.h - the answers format of quiz --key and grade (docs/cli.md):
 * one answer per line, `#` comments,
 *
 *     shape(x) = 6x1
 *     size(dz/dw) = 4x24
 *     value(y) = -2.449e-16
 *     grad(w) = [-8, -4]
 *
 * Parsing reports each malformed line as a diagnostic at its line and
 * column and keeps the others; a right-hand side is kept as text, and read
 * as a size or as numbers when it is compared (gvl_answer_matches).
 */
#ifndef GVL_ANSWERS_H
#define GVL_ANSWERS_H

#include "diag.h"
#include "source.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdint.h>

/* What a question asks: a node's shape, a Jacobian's or gradient's size,
 * a value, a gradient, a param after the optimize steps. */
typedef enum { ANS_SHAPE, ANS_SIZE, ANS_VALUE, ANS_GRAD, ANS_STEP, ANS_KIND_COUNT } AnswerKind;
extern const char *const gvl_answer_kind_names[ANS_KIND_COUNT];   /* "shape", "size", ... */

typedef struct Answer {
    AnswerKind kind;
    char *key;              /* "size(dz/dw)": the kind and the subject, blanks folded, ∂ as d */
    char *text;             /* the right-hand side as written, trimmed; NULL when malformed */
    Span at, value_at;      /* the key and the right-hand side in the file */
} Answer;

typedef struct AnswerFile {
    Answer *a;              /* with the lines that name a question but did not parse (text NULL) */
    int n, cap;
    bool unreadable;        /* not a text file: nothing in it is graded */
    bool has_variant;       /* the worksheet's first line says "variant N" */
    uint64_t variant;
} AnswerFile;

/* Parses SRC into AF; each malformed line is an error in DIAG. */
void gvl_answers_parse(AnswerFile *af, const Source *src, DiagSink *diag);
void gvl_answers_free(AnswerFile *af);

/* KIND(SUBJECT) as an answer's key: blanks folded, "∂" read as "d". */
char *gvl_answer_key(AnswerKind kind, const char *subject);

/* The expected answer of a question: a size ("4x24", "scalar", "(k+2)x1")
 * or numbers. */
typedef struct Expected {
    bool is_size;
    const char *size;       /* ASCII, as gvl_fmt_shape writes it */
    const double *nums;
    int64_t n;
} Expected;

/* True when TEXT, the answer given, is E: sizes exactly (4x24, 4×24 and
 * 4 x 24 alike, [4, 24] too), numbers all within TOL absolute or
 * relative (a nested list or a flat one of the same count).  A text that
 * cannot be read says why in WHY (then false). */
bool gvl_answer_matches(const char *text, const Expected *e, double tol, StrBuf *why);

#endif
