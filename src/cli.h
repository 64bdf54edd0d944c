/*
 * cli.h - the command line: options into a struct, and the help texts.
 */
#ifndef GVL_CLI_H
#define GVL_CLI_H

#include "graph.h"
#include "report_table.h"
#include "terminal.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum { CMD_NONE, CMD_CHECK, CMD_DIMS, CMD_EVAL, CMD_TRAIN, CMD_GRADCHECK, CMD_RENDER, CMD_EXPLAIN, CMD_EXPORT, CMD_QUIZ, CMD_GRADE, CMD_OPS } Command;

typedef struct Options {
    Command cmd;
    const char *file;
    Format format;
    int precision;           /* --precision N, or 0 when not given */
    bool ascii;
    bool no_warnings;   /* -w */
    const char *of;          /* --of NODE */
    const char *wrt;         /* explain --wrt V */
    int max_paths;           /* explain --max-paths N, or 0 */
    bool torch;              /* export --torch */
    bool has_random;
    uint64_t random_seed;
    int64_t max_elements;
    int64_t max_total;       /* --max-memory, in elements */
    bool has_lr, has_steps;
    double lr;               /* train --lr */
    int64_t steps;           /* train --steps */
    int64_t every;           /* train --every N: print every N-th step; 0 is each */
    double eps, tol, atol;   /* gradcheck */
    bool has_eps, has_tol, has_atol;
    const char *out;         /* render, export -o */
    const char *render_format;   /* render -T */
    const char *engine, *rankdir;
    bool no_values, no_grads, no_jacobians, backward;
    bool collapse_all;       /* render --collapse */
    const char **collapse;   /* render --collapse NAME, repeatable */
    int ncollapse;
    int64_t max_nodes, max_line, max_render_nodes;
    bool help, version;
    SizeSetting *sets;       /* --set NAME=INT, repeatable */
    int nsets;
    bool has_variant;        /* quiz, grade --variant N */
    uint64_t variant;
    const char *key_out;     /* quiz --key FILE */
    unsigned question_kinds; /* quiz --questions: a bit per QuestionKind, 0 for all */
    const char *only;        /* quiz, grade --only KEY,... */
    bool show_answers;       /* grade --show-answers */
    const char *format_name; /* quiz and grade: their own --format names */
    char **answers;          /* grade: the files after KEY */
    int nanswers;
} Options;

/* Significant digits for numbers in text: --precision, or 6. */
static inline int gvl_cli_precision(const Options *o)
{
    return o->precision ? o->precision : 6;
}

/* Fills O from ARGV.  Returns 0, or 2 after printing a usage error. */
/* Sets how messages look (gvl_term_set_style) from --color and
 * --diagnostics-format in ARGV, before anything else is read. */
void gvl_cli_style(int argc, char **argv);
int gvl_cli_parse(int argc, char **argv, Options *o);
void gvl_cli_help(Command cmd, FILE *out);
/* Frees what gvl_cli_parse allocated (the --set list). */
void gvl_cli_free(Options *o);

#endif
