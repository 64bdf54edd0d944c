/*
 * report_value_tables.h - eval, train and gradcheck as md, csv and latex
 * tables (report_value_tables.c).
 */
#ifndef GVL_REPORT_VALUE_TABLES_H
#define GVL_REPORT_VALUE_TABLES_H

#include "cli.h"
#include "eval.h"
#include "report_table.h"
#include "train.h"

#include <stdio.h>

int gvl_report_eval_table(const Values *v, const Options *o, FILE *out);

/* train's steps, a row each (CSV: a row per param element), printed at
 * the end; row 0 holds the params before the first step. */
typedef struct TrainTable {
    const Options *o;
    FILE *out;
    const Node *loss;
    const char *loss_name;
    Table table;
    int ncols;
    Arena text;
} TrainTable;

void gvl_train_table_begin(TrainTable *tt, const Values *v, const Node *loss, double lr, int64_t steps,
                           const Options *o, FILE *out);
void gvl_train_table_row(TrainTable *tt, int64_t step, double loss_before, const Values *v);
/* Prints the table (unless PRINT is false: the run failed) and frees it. */
void gvl_train_table_end(TrainTable *tt, double final_loss, bool print);

void gvl_gradcheck_table(const Graph *g, const GradcheckResult *res, int n, double atol, const Options *o,
                         FILE *out);

#endif
