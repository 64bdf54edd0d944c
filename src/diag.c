/*
 * diag.c - collecting, printing and serialising diagnostics.
 *
 * Printing follows gcc: the location, the severity, the message, then the
 * source line with a gutter and a caret under the culprit, widened with '~'
 * over the rest of its span.  Bytes that are not printable text are shown as
 * '?' so a binary file cannot garble the terminal.
 */
#include "diag.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <string.h>

static const char *const sev_name[] = {"error", "warning", "note"};

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

static void add(DiagSink *d, Severity sev, Span at, const char *fmt, va_list ap)
{
    if (sev == SEV_ERROR) {
        if (gvl_diag_full(d)) {
            d->truncated = true;
            d->dropping = true;
            return;
        }
        d->errors++;
        d->dropping = false;
    } else if (sev == SEV_WARNING) {
        d->dropping = false;
        d->warnings++;
    } else if (d->dropping) {
        return;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *msg = gvl_arena_alloc(&d->arena, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    Diag g = {sev, at, 1, 1, msg};
    if (d->src) {
        uint32_t off = at.off <= d->src->len ? at.off : (uint32_t)d->src->len;
        gvl_source_loc(d->src, off, &g.line, &g.col);
    }
    VEC_PUSH(d->items, d->count, d->cap, g);
}

#define DEFINE_REPORTER(fn, sev)                                     \
    void fn(DiagSink *d, Span at, const char *fmt, ...)              \
    {                                                                \
        va_list ap;                                                  \
        va_start(ap, fmt);                                           \
        add(d, sev, at, fmt, ap);                                    \
        va_end(ap);                                                  \
    }
DEFINE_REPORTER(gvl_diag_error, SEV_ERROR)
DEFINE_REPORTER(gvl_diag_warning, SEV_WARNING)
DEFINE_REPORTER(gvl_diag_note, SEV_NOTE)

static void print_excerpt(const Source *src, const Diag *g, FILE *out)
{
    size_t len;
    const unsigned char *line = (const unsigned char *)gvl_source_line(src, g->line, &len);
    /* the caret is placed by bytes; the printed column counts characters */
    size_t start = (size_t)(line - (const unsigned char *)src->text);
    size_t col0 = g->span.off >= start ? g->span.off - start : 0;
    size_t end = col0 + (g->span.len ? g->span.len : 1);
    /* a long line is shown as a window around the culprit */
    size_t from = 0;
    if (col0 > 100) {
        from = col0 - 60;
        while (from < len && (line[from] & 0xC0) == 0x80) from++;
    }
    size_t to = len - from > 200 ? from + 200 : len;
    while (to < len && (line[to] & 0xC0) == 0x80) to++;
    int width = snprintf(NULL, 0, "%d", g->line);
    if (width < 5) width = 5;
    fprintf(out, "%*d | %s", width, g->line, from ? "..." : "");
    /* the caret line repeats tabs and counts each printed character once */
    char caret[1024];
    size_t ci = 0;
    if (from) { memcpy(caret, "   ", 3); ci = 3; }
    for (size_t i = from; i < to;) {
        size_t n = gvl_utf8_seq_len(line + i, to - i);
        bool printable = n > 1 || (n == 1 && (line[i] >= 0x20 || line[i] == '\t') && line[i] != 0x7f);
        if (printable) fwrite(line + i, 1, n, out); else { fputc('?', out); n = 1; }
        if (i < end && ci < sizeof caret - 2)
            caret[ci++] = i < col0 ? (line[i] == '\t' ? '\t' : ' ') : (i == col0 ? '^' : '~');
        i += n;
    }
    if (to < len) fputs("...", out);
    if (col0 >= to && ci < sizeof caret - 2)   /* just past the end of the line */
        caret[ci++] = '^';
    caret[ci] = '\0';
    fprintf(out, "\n%*s | %s\n", width, "", caret);
}

/* Index of the error or warning that the note at I belongs to. */
static size_t group_head(const DiagSink *d, size_t i)
{
    while (i > 0 && d->items[i].sev == SEV_NOTE) i--;
    return i;
}

static const DiagSink *sort_sink;

static int cmp_groups(const void *a, const void *b)
{
    const Diag *x = &sort_sink->items[*(const size_t *)a], *y = &sort_sink->items[*(const size_t *)b];
    if (x->span.off != y->span.off) return x->span.off < y->span.off ? -1 : 1;
    /* equal places keep the order they were found in */
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void gvl_diag_sort(DiagSink *d)
{
    /* phases run one after another, so a check made at the end (the
     * loss) can come after a later line's error: sort each error with its
     * notes into file order */
    size_t ngroups = 0;
    size_t *heads = gvl_xmalloc(sizeof *heads * (d->count ? d->count : 1));
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].sev != SEV_NOTE || i == 0) heads[ngroups++] = i;
    sort_sink = d;
    qsort(heads, ngroups, sizeof *heads, cmp_groups);
    Diag *sorted = gvl_xmalloc(sizeof *sorted * (d->count ? d->count : 1));
    size_t k = 0;
    for (size_t g = 0; g < ngroups; g++) {
        size_t i = heads[g];
        do sorted[k++] = d->items[i++];
        while (i < d->count && d->items[i].sev == SEV_NOTE && group_head(d, i) == heads[g]);
    }
    free(heads);
    free(d->items);
    d->items = sorted;
    d->cap = d->count;
}

void gvl_diag_print(const DiagSink *d, FILE *out)
{
    gvl_diag_print_from(d, out, 0);
}

void gvl_diag_print_from(const DiagSink *d, FILE *out, size_t from)
{
    for (size_t i = from; i < d->count; i++) {
        const Diag *g = &d->items[i];
        const char *name = d->src ? d->src->name : "graphviz-lab";
        fprintf(out, "%s:%d:%d: %s: %s\n", name, g->line, g->col, sev_name[g->sev], g->msg);
        if (d->src) print_excerpt(d->src, g, out);
    }
    if (d->truncated)
        fprintf(out, "%s: note: too many errors (%d); stopping here\n",
                d->src ? d->src->name : "graphviz-lab", DIAG_MAX_ERRORS);
}

struct cJSON *gvl_diag_to_json(const DiagSink *d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < d->count; i++) {
        const Diag *g = &d->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "severity", sev_name[g->sev]);
        cJSON_AddStringToObject(o, "file", d->src ? d->src->name : "");
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
        cJSON_AddStringToObject(o, "file", d->src ? d->src->name : "");
        cJSON_AddNumberToObject(o, "line", last ? last->line : 1);
        cJSON_AddNumberToObject(o, "col", last ? last->col : 1);
        char msg[64];
        snprintf(msg, sizeof msg, "too many errors (%d); stopping here", DIAG_MAX_ERRORS);
        cJSON_AddStringToObject(o, "message", msg);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
