/*
 * quiz.h - the questions a graph file answers, as a worksheet (quiz) and
 * as the key that grade compares students' answers with.
 *
 * The questions are those of the lab sheet: the shape of each computed
 * node, the size of each edge's Jacobian and of each dL/dv, and when the
 * file has values each computed value, each gradient, and each param
 * after the optimize steps.  Each has a key in the answers format
 * (answers.h) and its expected answer.
 */
#ifndef GVL_QUIZ_H
#define GVL_QUIZ_H

#include "answers.h"
#include "eval.h"

#include <stdio.h>

typedef enum { QK_SHAPE, QK_JACOBIAN, QK_GRADIENT, QK_VALUE, QK_GRAD, QK_STEP, QK_COUNT } QuestionKind;
/* The names --questions takes: shape, jacobian, gradient, value, grad, step. */
extern const char *const gvl_question_kind_names[QK_COUNT];

typedef struct Question {
    QuestionKind kind;
    char *key;              /* size(dz/dw) */
    char *prompt;           /* what it asks, in words */
    char *size;             /* the expected size, for the size kinds */
    const Tensor *t;        /* the expected numbers, for the others */
    Expected expect;
} Question;

typedef struct Quiz {
    const Graph *g;
    const Values *v, *after;    /* NULL without values / without optimize */
    const Node *root;           /* the loss (or --of), or NULL */
    int64_t steps;
    double lr;
    bool has_variant;
    uint64_t variant;
    Question *q;
    int n, cap;
} Quiz;

/* Every question of G whose kind is in KINDS (a bit per QuestionKind) and,
 * when ONLY is not NULL, whose key is in that comma list.  With
 * NAMED_NODES, the questions of grading a student's .graph file instead:
 * the shape, value and gradient of each named node.  False with a message
 * in ERR when ONLY names a question G does not have. */
bool gvl_quiz_build(Quiz *qz, const Graph *g, const Values *v, const Values *after, const Node *root,
                    unsigned kinds, const char *only, bool named_nodes, StrBuf *err);
void gvl_quiz_free(Quiz *qz);

/* The worksheet in FORMAT (text, md, latex or html): the graph, as a file
 * of the variant's sizes and values, then a blank per question. */
void gvl_quiz_worksheet(const Quiz *qz, const char *format, StrBuf *out);
/* The questions as JSON: {"file", "variant", "graph", "questions": [{"key",
 * "kind", "prompt"}]}, without their answers. */
void gvl_quiz_json(const Quiz *qz, StrBuf *out);
/* The key: every question with its answer, in the answers format. */
void gvl_quiz_key(const Quiz *qz, StrBuf *out);

/* The answers-format keyword of a question kind (QK_JACOBIAN: size). */
AnswerKind gvl_question_answer_kind(QuestionKind k);

/* Q's expected answer as the answers format writes it: 4x24, or the numbers. */
void gvl_quiz_answer_text(StrBuf *out, const Question *q);

/* A tensor as an answer: 1.5, [1, 2], [[1, 2], [3, 4]], every digit. */
void gvl_quiz_tensor_text(StrBuf *out, const Tensor *t);

#endif
