/*
 * terminal.h - text on its way to a terminal: what a file, a file name or
 * an argument could use to drive it is shown, not obeyed.
 *
 * A diagnostic quotes the source line, and messages quote names, strings
 * and paths the user gave.  Raw, a C0 or C1 control character (ESC, the
 * 8-bit CSI U+009B) would move the cursor or recolour the screen, and a
 * bidirectional override or isolate (U+202E, U+2066, ...) would reorder
 * how a line reads (the "Trojan Source" trick).  Each such character is
 * written as rustc writes it, <U+202E>; a byte that is not UTF-8 as <0x9B>
 * (a terminal in an 8-bit mode would take 0x9B for CSI).  Everything else,
 * including ×, ∂ and other printable UTF-8, passes unchanged.
 */
#ifndef GVL_TERMINAL_H
#define GVL_TERMINAL_H

#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How the character at S (N > 0 bytes available) is shown.  Returns the
 * number of bytes it takes in S.  When it is shown as it is, SHOWN is
 * left empty; otherwise SHOWN receives its escape (NUL-terminated, at
 * most 10 bytes).  A tab is shown as it is when KEEP_TAB (the caret line
 * below a source line repeats it). */
size_t gvl_term_char(const unsigned char *s, size_t n, bool keep_tab, char shown[16]);

/* Appends S (LEN bytes) to B with every unsafe character escaped. */
void gvl_term_escape(StrBuf *b, const char *s, size_t len);
/* S, NUL-terminated, escaped into a new string (free it). */
char *gvl_term_escaped(const char *s);

/* How messages on standard error look, set once from the command line:
 * --color=auto|always|never (auto: standard error is a terminal, TERM is
 * not "dumb" and NO_COLOR is unset or empty, as https://no-color.org
 * asks) and --diagnostics-format=text|json (json: one JSON object a line,
 * for editors and scripts). */
typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } ColorWhen;
void gvl_term_set_style(ColorWhen color, bool json);
bool gvl_term_color(void);
bool gvl_term_json(void);
/* The escape sequences of gcc's colours ("" without colour): the place
 * in bold, error red, warning magenta, note cyan, the caret line green. */
typedef enum { PAINT_RESET, PAINT_PLACE, PAINT_ERROR, PAINT_WARNING, PAINT_NOTE, PAINT_CARET, PAINT_COUNT } Paint;
const char *gvl_paint(Paint p);
/* The paint of a severity's name ("error", "warning", "note"). */
Paint gvl_paint_of(const char *severity);

/* {"severity":..,"file":..,"message":..} on a line of its own. */
void gvl_term_json_line(FILE *out, const char *severity, const char *file, const char *message);

/* The program's own one-line messages, "graphviz-lab: error: ..." on
 * standard error, with what the format inserts escaped (a JSON object
 * with --diagnostics-format=json). */
void gvl_say(const char *severity, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
