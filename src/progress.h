/*
 * progress.h - a line on standard error while long work runs, so that
 * `optimize steps=100000000` never looks like a hang.
 *
 * Nothing is printed for work that ends within two seconds.  After that a
 * line says how far it is and about how long is left, as
 * "graphviz-lab: note: gradient descent: step 123456 of 100000000 (0.1%), about 4 min
 * left": on a terminal the line is redrawn in place every half second and
 * cleared at the end; otherwise (a log, a pipe) a new line is printed every
 * ten seconds.  A tick reads the monotonic clock (tens of nanoseconds,
 * against a microsecond for the smallest training step).
 */
#ifndef GVL_PROGRESS_H
#define GVL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct Progress {
    const char *what;       /* "gradient descent", "gradcheck" */
    const char *unit;       /* "step", "element" */
    int64_t total, done;
    double start, last;     /* seconds, CLOCK_MONOTONIC */
    bool tty, shown;
    FILE *out;
} Progress;

void gvl_progress_begin(Progress *p, const char *what, const char *unit, int64_t total);
/* DONE units of TOTAL are finished. */
void gvl_progress_at(Progress *p, int64_t done);
/* The work is over: a line drawn on a terminal is cleared. */
void gvl_progress_end(Progress *p);

#endif
