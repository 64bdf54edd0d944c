/*
 * diag.h - diagnostics: collected while every phase carries on, printed
 * gcc-style with the source line and a caret, or emitted as JSON.
 *
 * A note always belongs to the error or warning just before it ("n was set
 * to 3 here").  After DIAG_MAX_ERRORS errors, further ones are dropped and a
 * single "too many errors" line says so, so binary garbage cannot flood the
 * terminal.  Tests read the collected list directly.
 */
#ifndef GVL_DIAG_H
#define GVL_DIAG_H

#include "arena.h"
#include "source.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum { SEV_ERROR, SEV_WARNING, SEV_NOTE } Severity;

typedef struct Diag {
    Severity sev;
    Span span;
    int line, col;   /* 1-based, from span.off */
    char *msg;
} Diag;

enum { DIAG_MAX_ERRORS = 50 };

typedef struct DiagSink {
    const Source *src;
    Arena arena;       /* messages */
    Diag *items;
    size_t count, cap;
    int errors, warnings;
    bool truncated;    /* errors were dropped after DIAG_MAX_ERRORS */
    bool dropping;     /* the last error was dropped, so drop its notes too */
} DiagSink;

void gvl_diag_init(DiagSink *d, const Source *src);
void gvl_diag_free(DiagSink *d);

void gvl_diag_error(DiagSink *d, Span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gvl_diag_warning(DiagSink *d, Span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void gvl_diag_note(DiagSink *d, Span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True once the error cap is reached: phases may stop early. */
bool gvl_diag_full(const DiagSink *d);

/* Puts each error or warning, with its notes, in file order. */
void gvl_diag_sort(DiagSink *d);
/* Prints every diagnostic: "FILE:LINE:COL: error: MSG", the line, a caret. */
void gvl_diag_print(const DiagSink *d, FILE *out);
/* The same for the diagnostics from index FROM on (added by a later phase). */
void gvl_diag_print_from(const DiagSink *d, FILE *out, size_t from);

struct cJSON;
/* An array of {"severity","file","line","col","message"}; caller owns it. */
struct cJSON *gvl_diag_to_json(const DiagSink *d);

#endif
