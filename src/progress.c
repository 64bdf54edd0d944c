/*
 * progress.c - the progress line of long work (see progress.h).
 */
#include "progress.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* GVL_PROGRESS_AFTER=SECONDS moves the two-second threshold (0: at once);
 * the tests use it to see the line without waiting. */
static double threshold(void)
{
    const char *s = getenv("GVL_PROGRESS_AFTER");
    char *end;
    double t = s ? strtod(s, &end) : 2.0;
    return s && end != s && t >= 0 ? t : 2.0;
}

void gvl_progress_begin(Progress *p, const char *what, const char *unit, int64_t total)
{
    p->what = what;
    p->unit = unit;
    p->total = total;
    p->done = 0;
    p->out = stderr;
    p->tty = isatty(fileno(stderr)) == 1;
    p->shown = false;
    p->start = now();
    p->last = p->start + threshold() - (p->tty ? 0.5 : 10.0);   /* the first line comes at the threshold */
}

static void left(FILE *out, double secs)
{
    if (secs < 60) fprintf(out, "about %.0f s left", secs < 1 ? 1 : secs);
    else if (secs < 3600) fprintf(out, "about %.0f min left", secs / 60);
    else fprintf(out, "about %.1f h left", secs / 3600);
}

void gvl_progress_at(Progress *p, int64_t done)
{
    p->done = done;
    double t = now(), every = p->tty ? 0.5 : 10.0;
    if (t - p->last < every) return;
    p->last = t;
    double frac = p->total ? (double)done / (double)p->total : 0;
    fprintf(p->out, "%sgraphviz-lab: note: %s: %s %lld of %lld (%.1f%%), ", p->tty ? "\r" : "", p->what, p->unit,
            (long long)done, (long long)p->total, 100 * frac);
    left(p->out, frac > 0 ? (t - p->start) * (1 - frac) / frac : 0);
    fputs(p->tty ? "\033[K" : "\n", p->out);
    fflush(p->out);
    p->shown = true;
}

void gvl_progress_end(Progress *p)
{
    if (p->shown && p->tty) fputs("\r\033[K", p->out);
    fflush(p->out);
}
