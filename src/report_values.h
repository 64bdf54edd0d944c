/*
 * report_values.h - what eval, train and gradcheck print: tensors as
 * matrices in text, nested arrays in JSON (the keys of docs/cli.md).
 */
#ifndef GVL_REPORT_VALUES_H
#define GVL_REPORT_VALUES_H

#include "cli.h"
#include "eval.h"
#include "json_writer.h"
#include "numbers.h"
#include "train.h"

#include <stdio.h>

int gvl_report_eval(const Values *v, const Options *o, FILE *out);
/* Runs the steps and prints them as they happen (text) or at the end (JSON). */
int gvl_report_train(Values *v, const Node *loss, double lr, int64_t steps, const Options *o, FILE *out);
/* Returns 0 when every gradient agrees, 1 otherwise. */
int gvl_report_gradcheck(Values *v, const Node *root, const Options *o, FILE *out);

struct cJSON;
/* The eval --json object written as it is made, left open for more keys
 * (render -o x.json adds "edges"); V may be NULL (value and grad null). */
void gvl_eval_json_write(JsonWriter *w, const Graph *g, const Values *v);
/* A tensor as PyTorch's tolist() into W: nested arrays, a plain number for 0-D. */
void gvl_jw_tensor(JsonWriter *w, const Tensor *t);
/* A tensor as PyTorch's tolist(): nested arrays, a plain number for 0-D;
 * NaN and infinities, which JSON lacks, as the strings "nan", "inf", "-inf". */
struct cJSON *gvl_json_tensor(const Tensor *t);
/* Prints T as a matrix: "4", "[1, 2]", rows aligned for 2-D and more;
 * tensors over 100 elements as a summary.  Continuation lines start with
 * INDENT spaces. */
void gvl_print_tensor(FILE *out, const Tensor *t, int precision, int indent);

#endif
