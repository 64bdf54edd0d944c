/*
 * export_torch.h - `graphviz-lab export --torch`: a standalone Python 3
 * script that recomputes a graph with PyTorch in float64, the code the lab
 * asks students to write to validate their answers.
 */
#ifndef GVL_EXPORT_TORCH_H
#define GVL_EXPORT_TORCH_H

#include "cli.h"
#include "eval.h"

typedef struct ExportOptions {
    const Node *root;       /* the backward pass starts here (the loss or --of); may be NULL */
    bool train;             /* take gradient-descent steps */
    double lr;
    int64_t steps;
} ExportOptions;

/* Appends the script for G, whose leaves hold the values in V (after
 * gvl_values_init: the file's own, or --random ones), to OUT. */
void gvl_export_torch(StrBuf *out, const Graph *g, const Values *v, const ExportOptions *eo);

#endif
