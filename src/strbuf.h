/*
 * strbuf.h - growable strings: every message, name and formatted size is
 * built in one of these, so nothing is ever cut at a fixed length.
 *
 * A StrBuf starts empty ({0} or gvl_sb_init) and grows geometrically from
 * malloc; its text is always NUL-terminated once anything was added, and
 * gvl_sb_str gives "" for a buffer that never was.  Formatting functions
 * across the program append to a StrBuf rather than fill a char array, and
 * gvl_sb_arena copies a finished string into an arena when it must outlive
 * the buffer (a diagnostic's message, a table cell).
 */
#ifndef GVL_STRBUF_H
#define GVL_STRBUF_H

#include "arena.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct StrBuf {
    char *s;        /* NUL-terminated text, or NULL while empty */
    size_t len;     /* bytes before the NUL */
    size_t cap;
} StrBuf;

void gvl_sb_init(StrBuf *b);
/* Releases the text; the buffer can be used again. */
void gvl_sb_free(StrBuf *b);
/* Forgets the text but keeps the memory for reuse. */
void gvl_sb_clear(StrBuf *b);
void gvl_sb_add(StrBuf *b, const char *text);
void gvl_sb_addn(StrBuf *b, const char *text, size_t n);
/* N spaces (none when N <= 0). */
void gvl_sb_pad(StrBuf *b, int n);
void gvl_sb_putc(StrBuf *b, char c);
void gvl_sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* TEXT with &, <, > and " as HTML's entities (pages, worksheets, Graphviz's HTML-like labels). */
void gvl_sb_add_html(StrBuf *b, const char *text);
void gvl_sb_vprintf(StrBuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends V in decimal (the fast path of sizes and counts). */
void gvl_sb_add_int(StrBuf *b, int64_t v);
/* Drops bytes from the end so that LEN bytes remain (LEN <= b->len). */
void gvl_sb_truncate(StrBuf *b, size_t len);
/* The text, "" when empty; valid until the next change to B. */
const char *gvl_sb_str(const StrBuf *b);
/* A copy of the text in arena A. */
char *gvl_sb_arena(const StrBuf *b, Arena *a);

#endif
