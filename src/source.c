/*
 * source.c - reading input files and mapping offsets to line:column.
 *
 * The line map is built once when the file is read, so each lookup is a
 * binary search: diagnostics stay cheap even for files of a million lines.
 */
#include "source.h"

#include "arena.h"
#include "strbuf.h"
#include "terminal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Files over 1 GiB are refused: offsets are 32-bit, and no lab needs it. */
#define SOURCE_MAX_BYTES ((size_t)1 << 30)

/* A UTF-8 byte-order mark (Windows editors write one) is not part of the
 * graph: it is dropped, so columns count from the first real character. */
static void drop_bom(Source *s)
{
    if (s->len >= 3 && memcmp(s->text, "\xef\xbb\xbf", 3) == 0) {
        memmove(s->text, s->text + 3, s->len - 3 + 1);
        s->len -= 3;
    }
}

static void build_lines(Source *s)
{
    drop_bom(s);
    size_t cap = 0;
    s->line_start = NULL;
    s->nlines = 0;
    VEC_PUSH(s->line_start, s->nlines, cap, 0);
    for (size_t i = 0; i < s->len; i++)
        if (s->text[i] == '\n' && i + 1 <= s->len)
            VEC_PUSH(s->line_start, s->nlines, cap, (uint32_t)(i + 1));
}

/* NAME as given (for JSON) and as shown to a person (escaped). */
static void set_names(Source *s, const char *name)
{
    s->path = gvl_xmalloc(strlen(name) + 1);
    strcpy(s->path, name);
    s->name = gvl_term_escaped(name);
}

void gvl_source_from_string(Source *s, const char *name, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    set_names(s, name);
    s->text = gvl_xmalloc(len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    build_lines(s);
}

/* How far past the limit a long line is still read, only to count it: the
 * message then says how long it is.  Beyond this it says "more than". */
#define LONG_LINE_COUNT_MAX ((size_t)16 << 20)
/* How much of a long line is kept past the limit, for the excerpt. */
#define LONG_LINE_KEEP 256

int gvl_source_read(Source *s, const char *path, int64_t max_line)
{
    memset(s, 0, sizeof *s);
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 4096, len = 0;
    char *buf = gvl_xmalloc(cap);
    size_t line_no = 1, line_len = 0;   /* the line being read and its bytes so far */
    size_t counted = 0;                 /* bytes of a long line read but not kept */
    size_t long_cap = 0;
    bool in_long = false, endless = false;
    errno = 0;
    while (!endless) {
        if (len + 1 >= cap) {
            if (cap >= SOURCE_MAX_BYTES) {
                free(buf);
                free(s->long_lines);
                if (f != stdin) fclose(f);
                errno = EFBIG;
                return -1;
            }
            cap *= 2;
            buf = gvl_xrealloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0) break;
        /* follow the lines as they come: of a line over the limit only a
         * little is kept (for the excerpt) and the rest is counted, so
         * that /dev/zero or a runaway generator is refused after at most
         * LONG_LINE_COUNT_MAX bytes, not at 1 GiB */
        size_t w = len, end = len + n;
        for (size_t i = len; i < end; i++) {
            char c = buf[i];
            if (c == '\n') {
                if (in_long) {
                    VEC_PUSH(s->long_lines, s->nlong, long_cap, ((LongLine){line_no, line_len + counted, false}));
                    in_long = false;
                    counted = 0;
                }
                buf[w++] = c;
                line_no++;
                line_len = 0;
            } else if (!in_long) {
                buf[w++] = c;
                if (max_line > 0 && (int64_t)++line_len > max_line) in_long = true;
            } else if (line_len < (size_t)max_line + LONG_LINE_KEEP) {
                buf[w++] = c;
                line_len++;
            } else if (++counted > LONG_LINE_COUNT_MAX) {
                endless = true;
                break;
            }
        }
        len = w;
    }
    if (in_long) VEC_PUSH(s->long_lines, s->nlong, long_cap, ((LongLine){line_no, line_len + counted, endless}));
    int err = ferror(f) ? (errno ? errno : EIO) : 0;   /* EISDIR for a directory */
    if (f != stdin) fclose(f);
    if (err) {
        free(buf);
        free(s->long_lines);
        errno = err;
        return -1;
    }
    buf[len] = '\0';
    set_names(s, strcmp(path, "-") == 0 ? "<stdin>" : path);
    s->text = buf;
    s->len = len;
    build_lines(s);
    return 0;
}

void gvl_source_free(Source *s)
{
    free(s->name);
    free(s->path);
    free(s->long_lines);
    free(s->text);
    free(s->line_start);
    memset(s, 0, sizeof *s);
}

/* True when OFF is on line index I. */
static bool on_line(const Source *s, size_t i, uint32_t off)
{
    return i < s->nlines && s->line_start[i] <= off && (i + 1 == s->nlines || off < s->line_start[i + 1]);
}

void gvl_source_loc(const Source *s, uint32_t off, int *line, int *col)
{
    size_t lo = 0, hi = s->nlines;
    if (on_line(s, s->last_line, off)) {
        lo = s->last_line;
    } else if (on_line(s, s->last_line + 1, off)) {
        lo = s->last_line + 1;
    } else {
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->line_start[mid] <= off) lo = mid; else hi = mid;
        }
    }
    ((Source *)s)->last_line = lo;   /* a cache: S is the caller's, never const itself */
    *line = (int)lo + 1;
    /* columns count characters, not bytes, so a caret under "x × 2" and
     * the column a student counts agree */
    int c = 1;
    for (size_t i = s->line_start[lo]; i < off && i < s->len; c++) {
        /* the \r of a CRLF line end is not a column: the caret is not drawn under it */
        if (s->text[i] == '\r' && i + 1 < s->len && s->text[i + 1] == '\n') {
            c--;
            i++;
            continue;
        }
        size_t n = gvl_utf8_seq_len((const unsigned char *)s->text + i, s->len - i);
        i += n ? n : 1;
    }
    *col = c;
}

const char *gvl_source_line(const Source *s, int line, size_t *len)
{
    if (line < 1 || (size_t)line > s->nlines) {
        *len = 0;
        return "";
    }
    size_t start = s->line_start[line - 1];
    size_t end = (size_t)line < s->nlines ? s->line_start[line] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r') end--;
    *len = end - start;
    return s->text + start;
}

size_t gvl_utf8_seq_len(const unsigned char *s, size_t n)
{
    if (n == 0) return 0;
    size_t len = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3
               : (s[0] >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

Span gvl_span_join(Span a, Span b)
{
    uint32_t lo = a.off < b.off ? a.off : b.off;
    uint32_t ea = a.off + a.len, eb = b.off + b.len;
    uint32_t hi = ea > eb ? ea : eb;
    return span_make(lo, hi - lo);
}

void gvl_source_read_error(StrBuf *out, const char *path, int err)
{
    const char *what = strcmp(path, "-") == 0 ? "standard input" : path;
    gvl_sb_printf(out, "cannot read '%s': %s", what, err == EFBIG ? "it is larger than 1 GiB" : strerror(err));
}
