/*
 * diag.c - building, collecting, printing and serialising diagnostics.
 *
 * Printing follows gcc: the location, the severity, the message, then the
 * source line with a gutter and a caret under the culprit, widened with '~'
 * over the rest of its span.  Bytes that are not printable text are shown as
 * '?' so a binary file cannot garble the terminal.
 */
#include "diag.h"

#include "terminal.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

const char *const gvl_severity_names[] = {[SEV_ERROR] = "error", [SEV_WARNING] = "warning", [SEV_NOTE] = "note"};
_Static_assert(sizeof gvl_severity_names / sizeof gvl_severity_names[0] == SEV_COUNT, "a name per severity");

void gvl_diag_init(DiagSink *d, const Source *src)
{
    memset(d, 0, sizeof *d);
    d->src = src;
    gvl_arena_init(&d->arena);
}

void gvl_diag_free(DiagSink *d)
{
    gvl_arena_free(&d->arena);
    free(d->items);
    memset(d, 0, sizeof *d);
}

bool gvl_diag_full(const DiagSink *d)
{
    return d->errors >= DIAG_MAX_ERRORS;
}

static Diag make(const DiagSink *d, Severity sev, Span at, char *msg)
{
    Diag g = {sev, at, 1, 1, msg, false, false};
    if (d->src) {
        uint32_t off = at.off <= d->src->len ? at.off : (uint32_t)d->src->len;
        gvl_source_loc(d->src, off, &g.line, &g.col);
    }
    return g;
}

void gvl_diag_begin(DiagBuilder *b, DiagSink *d, Severity sev, Span at)
{
    memset(b, 0, sizeof *b);
    b->sink = d;
    b->sev = sev;
    b->at = at;
}

void gvl_diag_printf(DiagBuilder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&b->msg, fmt, ap);
    va_end(ap);
}

static void add_note(DiagBuilder *b, Span at, bool hint, const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void add_note(DiagBuilder *b, Span at, bool hint, const char *fmt, va_list ap)
{
    StrBuf s = {0};
    gvl_sb_vprintf(&s, fmt, ap);
    Diag note = make(b->sink, SEV_NOTE, at, gvl_sb_arena(&s, &b->sink->arena));
    note.hint = hint;
    gvl_sb_free(&s);
    VEC_PUSH(b->notes, b->nnotes, b->cap, note);
}

void gvl_diag_add_note(DiagBuilder *b, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(b, at, false, fmt, ap);
    va_end(ap);
}

void gvl_diag_add_hint(DiagBuilder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(b, b->at, true, fmt, ap);
    va_end(ap);
}

void gvl_diag_emit(DiagBuilder *b)
{
    DiagSink *d = b->sink;
    bool keep = true;
    if (b->sev == SEV_ERROR) {
        if (gvl_diag_full(d)) {
            d->truncated = true;
            keep = false;
        } else {
            d->errors++;
        }
    } else if (b->sev == SEV_WARNING) {
        if (d->no_warnings) keep = false;
        else d->warnings++;
    }
    if (keep) {
        VEC_PUSH(d->items, d->count, d->cap, make(d, b->sev, b->at, gvl_sb_arena(&b->msg, &d->arena)));
        for (size_t i = 0; i < b->nnotes; i++) VEC_PUSH(d->items, d->count, d->cap, b->notes[i]);
        for (const DiagContext *c = d->context; c && b->sev != SEV_NOTE; c = c->up)
            VEC_PUSH(d->items, d->count, d->cap, make(d, SEV_NOTE, c->at, (char *)c->note));
    }
    gvl_sb_free(&b->msg);
    free(b->notes);
    memset(b, 0, sizeof *b);
}

static void report(DiagSink *d, Severity sev, Span at, const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void report(DiagSink *d, Severity sev, Span at, const char *fmt, va_list ap)
{
    DiagBuilder b;
    gvl_diag_begin(&b, d, sev, at);
    gvl_sb_vprintf(&b.msg, fmt, ap);
    gvl_diag_emit(&b);
}

void gvl_diag_error(DiagSink *d, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, SEV_ERROR, at, fmt, ap);
    va_end(ap);
}

void gvl_diag_warning(DiagSink *d, Span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, SEV_WARNING, at, fmt, ap);
    va_end(ap);
}

void gvl_diag_file_error(DiagSink *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    StrBuf msg = {0};
    gvl_sb_vprintf(&msg, fmt, ap);
    va_end(ap);
    Diag g = make(d, SEV_ERROR, span_make(0, 0), gvl_sb_arena(&msg, &d->arena));
    gvl_sb_free(&msg);
    g.whole_file = true;
    g.line = g.col = 0;
    d->errors++;
    VEC_PUSH(d->items, d->count, d->cap, g);
}

/* ---- printing -------------------------------------------------------------- */

static void print_excerpt(const Source *src, const Diag *g, FILE *out)
{
    size_t len;
    const unsigned char *line = (const unsigned char *)gvl_source_line(src, g->line, &len);
    /* the caret is placed by bytes; the printed column counts characters */
    size_t start = (size_t)(line - (const unsigned char *)src->text);
    size_t col0 = g->span.off >= start ? g->span.off - start : 0;
    size_t end = col0 + (g->span.len ? g->span.len : 1);
    /* a long line is shown as a window around the culprit, measured in
     * what is shown: an escaped character is as wide as its <U+XXXX> */
    size_t from = 0, shown_before = 0;
    for (size_t i = 0; i < col0 && i < len;) {
        char esc[16];
        size_t n = gvl_term_char(line + i, len - i, true, esc);
        shown_before += esc[0] ? strlen(esc) : 1;
        i += n;
    }
    if (shown_before > 100) {
        /* back from the culprit, whole characters, until 60 columns are shown */
        size_t w = 0;
        from = col0 < len ? col0 : len;
        while (from > 0 && w < 60) {
            size_t k = from - 1;
            while (k > 0 && (line[k] & 0xC0) == 0x80 && from - k < 4) k--;
            char esc[16];
            size_t n = gvl_term_char(line + k, len - k, true, esc);
            if (k + n != from) {
                k = from - 1;   /* a stray continuation byte stands alone */
                n = 1;
                gvl_term_char(line + k, 1, true, esc);
            }
            w += esc[0] ? strlen(esc) : 1;
            from = k;
        }
    }
    size_t to = from;
    for (size_t w = 0; to < len && w < 200;) {
        char esc[16];
        size_t n = gvl_term_char(line + to, len - to, true, esc);
        w += esc[0] ? strlen(esc) : 1;
        to += n;
    }
    int width = snprintf(NULL, 0, "%d", g->line);
    if (width < 5) width = 5;
    fprintf(out, "%*d | %s", width, g->line, from ? "..." : "");
    /* the caret line repeats tabs and counts each printed character once */
    StrBuf caret = {0};
    if (from) gvl_sb_add(&caret, "   ");
    for (size_t i = from; i < to;) {
        /* a control or bidi character is shown as <U+202E> (terminal.h), and
         * the caret line is as wide there, so the caret stays in its column */
        char shown[16];
        size_t n = gvl_term_char(line + i, to - i, true, shown);
        size_t w = shown[0] ? strlen(shown) : 1;
        if (shown[0]) fputs(shown, out); else fwrite(line + i, 1, n, out);
        for (size_t k = 0; k < w && i < end; k++)
            gvl_sb_putc(&caret, i < col0 ? (line[i] == '\t' ? '\t' : ' ') : (i == col0 && k == 0 ? '^' : '~'));
        i += n;
    }
    if (to < len) fputs("...", out);
    if (col0 >= to) gvl_sb_putc(&caret, '^');   /* just past the end of the line */
    fprintf(out, "\n%*s | %s\n", width, "", gvl_sb_str(&caret));
    gvl_sb_free(&caret);
}

/* One error or warning with its notes: items[first .. first+n). */
typedef struct Group {
    uint32_t off;
    size_t first, n;
} Group;

static int cmp_groups(const void *a, const void *b)
{
    const Group *x = a, *y = b;
    if (x->off != y->off) return x->off < y->off ? -1 : 1;
    /* equal places keep the order they were found in */
    return x->first < y->first ? -1 : x->first > y->first;
}

void gvl_diag_sort(DiagSink *d)
{
    /* phases run one after another, so a check made at the end (the
     * loss) can come after a later line's error: sort each error with its
     * notes into file order */
    size_t from = d->printed, n = d->count - from, ngroups = 0;
    if (n < 2) return;
    Group *groups = gvl_xmalloc(sizeof *groups * n);
    for (size_t i = from; i < d->count; i++) {
        if (d->items[i].sev != SEV_NOTE || ngroups == 0)
            groups[ngroups++] = (Group){d->items[i].span.off, i, 0};
        groups[ngroups - 1].n++;
    }
    qsort(groups, ngroups, sizeof *groups, cmp_groups);
    Diag *sorted = gvl_xmalloc(sizeof *sorted * n);
    size_t k = 0;
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = 0; i < groups[g].n; i++) sorted[k++] = d->items[groups[g].first + i];
    memcpy(d->items + from, sorted, sizeof *sorted * n);
    free(sorted);
    free(groups);
}

static const char *file_name(const DiagSink *d)
{
    return d->src ? d->src->name : "graphviz-lab";
}

void gvl_diag_flush(DiagSink *d, FILE *out)
{
    for (size_t i = d->printed; i < d->count; i++) {
        const Diag *g = &d->items[i];
        /* messages quote names and text of the file: escaped like its lines */
        StrBuf msg = {0};
        gvl_term_escape(&msg, g->msg, strlen(g->msg));
        if (g->whole_file)
            fprintf(out, "%s: %s: %s\n", file_name(d), gvl_severity_names[g->sev], gvl_sb_str(&msg));
        else
            fprintf(out, "%s:%d:%d: %s: %s\n", file_name(d), g->line, g->col, gvl_severity_names[g->sev],
                    gvl_sb_str(&msg));
        gvl_sb_free(&msg);
        if (d->src && !g->hint && !g->whole_file) print_excerpt(d->src, g, out);
    }
    d->printed = d->count;
    if (d->truncated && !d->printed_truncation) {
        fprintf(out, "%s: note: too many errors (%d); stopping here\n", file_name(d), DIAG_MAX_ERRORS);
        d->printed_truncation = true;
    }
}

struct cJSON *gvl_diag_to_json(const DiagSink *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < d->count; i++) {
        const Diag *g = &d->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", gvl_severity_names[g->sev]);
        cJSON_AddStringToObject(o, "file", d->src ? d->src->path : "");
        cJSON_AddNumberToObject(o, "line", g->line);
        cJSON_AddNumberToObject(o, "col", g->col);
        cJSON_AddStringToObject(o, "message", g->msg);
        cJSON_AddItemToArray(arr, o);
    }
    if (d->truncated) {
        /* the same closing note as the text form, at the last error kept */
        const Diag *last = d->count ? &d->items[d->count - 1] : NULL;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", "note");
        cJSON_AddStringToObject(o, "file", d->src ? d->src->path : "");
        cJSON_AddNumberToObject(o, "line", last ? last->line : 1);
        cJSON_AddNumberToObject(o, "col", last ? last->col : 1);
        StrBuf msg = {0};
        gvl_sb_printf(&msg, "too many errors (%d); stopping here", DIAG_MAX_ERRORS);
        cJSON_AddStringToObject(o, "message", gvl_sb_str(&msg));
        gvl_sb_free(&msg);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
