/*
 * source.h - one input file: its bytes, its name and its line map.
 *
 * Every later phase refers to text by Span (a byte offset and a length into
 * Source.text), never by copying it; this module turns a Span back into a
 * line and column for diagnostics, and hands out the text of a line.
 */
#ifndef GVL_SOURCE_H
#define GVL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Span {
    uint32_t off, len;
} Span;

/* A line longer than the reader's limit: only its start is kept. */
typedef struct LongLine {
    size_t line;          /* 1-based */
    size_t len;           /* its length in bytes (at least that, if MORE) */
    bool more;            /* it went on past what was counted: reading stopped */
} LongLine;

typedef struct Source {
    char *name;           /* as shown to a person: controls and bidi escaped (terminal.h) */
    char *path;           /* as the user gave it, for JSON; "<stdin>" for "-" */
    char *text;           /* the bytes, NUL-terminated (NULs inside are kept) */
    size_t len;
    uint32_t *line_start; /* offset of the first byte of each line */
    size_t nlines;
    LongLine *long_lines; /* the lines over MAX_LINE, in order */
    size_t nlong;
    size_t last_line;     /* gvl_source_loc's last answer: tables ask line after line */
} Source;

/* Reads FILE ("-" for standard input).  Of a line longer than MAX_LINE
 * bytes (0: no limit) only the start is kept, and it is listed in
 * long_lines; a line that does not end within 16 MiB stops the reading.
 * Returns 0, or -1 with errno set (EFBIG past 1 GiB). */
int gvl_source_read(Source *s, const char *path, int64_t max_line);
/* Takes a copy of TEXT; NAME is what diagnostics call it. */
void gvl_source_from_string(Source *s, const char *name, const char *text, size_t len);
void gvl_source_free(Source *s);

/* 1-based line and column of byte offset OFF; columns count UTF-8
 * characters (a stray byte counts as one). */
void gvl_source_loc(const Source *s, uint32_t off, int *line, int *col);

struct StrBuf;
/* Why PATH could not be read, ERR being gvl_source_read's errno:
 * "cannot read 'x.graph': No such file or directory" ("-" is standard input). */
void gvl_source_read_error(struct StrBuf *out, const char *path, int err);
/* The text of 1-based LINE without its newline. */
const char *gvl_source_line(const Source *s, int line, size_t *len);

static inline Span span_make(uint32_t off, uint32_t len)
{
    Span sp = {off, len};
    return sp;
}
/* Length of the valid UTF-8 sequence at S (at most N bytes), or 0 for a
 * byte that does not start one.  Such a byte counts as one column. */
size_t gvl_utf8_seq_len(const unsigned char *s, size_t n);
/* The smallest span covering A and B. */
Span gvl_span_join(Span a, Span b);

#endif
