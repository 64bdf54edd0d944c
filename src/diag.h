/*
 * diag.h - diagnostics: built with their notes, collected in a sink while
 * every phase carries on, printed gcc-style with the source line and a
 * caret, or emitted as JSON.
 *
 * A diagnostic is made with a builder: gvl_diag_begin, the message and any
 * notes ("n was set to 3 here"), then gvl_diag_emit hands the whole group
 * to the sink at once, so a note can never end up under somebody else's
 * error.  One-line reports without notes use gvl_diag_error and
 * gvl_diag_warning.  After DIAG_MAX_ERRORS errors further ones are dropped
 * with their notes and a single "too many errors" line says so, so binary
 * garbage cannot flood the terminal.
 *
 * The sink is the only state: the collected list (in emission order, each
 * error or warning followed by its notes), the counts, and how much of the
 * list has been printed, so each phase prints only what it added.  Tests
 * read the list directly.
 */
#ifndef GVL_DIAG_H
#define GVL_DIAG_H

#include "arena.h"
#include "source.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stdio.h>

typedef enum { SEV_ERROR, SEV_WARNING, SEV_NOTE, SEV_COUNT } Severity;
extern const char *const gvl_severity_names[];

/* At most this many operand ranges a diagnostic: underlined with '~'
 * under the source line, as clang marks the operands of a bad '+'. */
enum { DIAG_MAX_RANGES = 4 };

typedef struct Diag {
    Severity sev;
    Span span;
    Span ranges[DIAG_MAX_RANGES];
    int nranges;
    int line, col;   /* 1-based, from span.off */
    char *msg;       /* in the sink's arena */
    bool hint;       /* a note about the diagnostic before it, at its place: no second excerpt */
    bool whole_file; /* about the file, not a place in it: no line (0:0 in JSON) */
} Diag;

enum { DIAG_MAX_ERRORS = 50 };

/* Where the front end is while it reports: inside the inlined body of a
 * call, each error and warning gets a note at the call (and at the call
 * of that one), as gcc says "in expansion of macro". */
typedef struct DiagContext {
    Span at;
    const char *note;
    const struct DiagContext *up;
} DiagContext;

typedef struct DiagSink {
    const Source *src;   /* NULL: no file, messages are about the command line */
    Arena arena;         /* messages */
    Diag *items;
    size_t count, cap;
    int errors, warnings;
    bool truncated;      /* errors were dropped after DIAG_MAX_ERRORS */
    size_t printed;      /* items[0..printed) have been printed */
    bool printed_truncation;
    bool no_warnings;    /* -w: warnings (and their notes) are dropped */
    const DiagContext *context;  /* innermost first; NULL outside calls */
} DiagSink;

void gvl_diag_init(DiagSink *d, const Source *src);
void gvl_diag_free(DiagSink *d);

/* A diagnostic being built: its message grows with gvl_diag_printf, its
 * notes are added in order, and nothing reaches the sink before emit. */
typedef struct DiagBuilder {
    DiagSink *sink;
    Severity sev;
    Span at;
    StrBuf msg;
    Diag *notes;
    size_t nnotes, cap;
    Span ranges[DIAG_MAX_RANGES];
    int nranges;
} DiagBuilder;

void gvl_diag_begin(DiagBuilder *b, DiagSink *d, Severity sev, Span at);
void gvl_diag_printf(DiagBuilder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gvl_diag_add_note(DiagBuilder *b, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An operand's range, underlined beside the caret (ignored past
 * DIAG_MAX_RANGES, and where it is on another line). */
void gvl_diag_add_range(DiagBuilder *b, Span range);
/* A note at the diagnostic's own place ("write w^T x for a product"),
 * printed without quoting the source line a second time. */
void gvl_diag_add_hint(DiagBuilder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the diagnostic and its notes to the sink (or drops them past the
 * error cap) and releases the builder. */
void gvl_diag_emit(DiagBuilder *b);

/* A diagnostic without notes, in one call. */
void gvl_diag_error(DiagSink *d, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void gvl_diag_warning(DiagSink *d, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* An error about the whole file ("train needs a loss"): "FILE: error: ..." */
void gvl_diag_file_error(DiagSink *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True once the error cap is reached: phases may stop early. */
bool gvl_diag_full(const DiagSink *d);

/* Puts each not yet printed error or warning, with its notes, in file order. */
void gvl_diag_sort(DiagSink *d);
/* Prints every diagnostic not printed yet: "FILE:LINE:COL: error: MSG",
 * the line, a caret; then, once, the "too many errors" line if any were
 * dropped. */
void gvl_diag_flush(DiagSink *d, FILE *out);
/* "2 errors generated." (or "1 warning and 2 errors generated."), as
 * clang ends, when there were any; nothing with JSON diagnostics. */
void gvl_diag_summary(const DiagSink *d, FILE *out);

struct cJSON;
/* An array of {"severity","file","line","col","message"}; caller owns it. */
struct cJSON *gvl_diag_to_json(const DiagSink *d);

#endif
