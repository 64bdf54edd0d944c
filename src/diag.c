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
    Diag g = {.sev = sev, .span = at, .line = 1, .col = 1, .msg = msg};
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

void gvl_diag_add_range(DiagBuilder *b, Span range)
{
    if (b->nranges < DIAG_MAX_RANGES && range.len) b->ranges[b->nranges++] = range;
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
        Diag g = make(d, b->sev, b->at, gvl_sb_arena(&b->msg, &d->arena));
        memcpy(g.ranges, b->ranges, sizeof g.ranges);
        g.nranges = b->nranges;
        VEC_PUSH(d->items, d->count, d->cap, g);
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
    /* the caret line repeats tabs and counts each printed character once:
     * '^' at the culprit, '~' over the rest of its span and over each
     * operand's range on this line (clang's "~~~ ^ ~~~") */
    StrBuf caret = {0};
    if (from) gvl_sb_add(&caret, "   ");
    size_t marked = caret.len;   /* the caret line up to its last mark */
    for (size_t i = from; i < to;) {
        /* a control or bidi character is shown as <U+202E> (terminal.h), and
         * the caret line is as wide there, so the caret stays in its column */
        char shown[16];
        size_t n = gvl_term_char(line + i, to - i, true, shown);
        size_t w = shown[0] ? strlen(shown) : 1;
        if (shown[0]) fputs(shown, out); else fwrite(line + i, 1, n, out);
        bool under = i >= col0 && i < end;
        for (int r = 0; r < g->nranges && !under; r++) {
            size_t r0 = g->ranges[r].off >= start ? g->ranges[r].off - start : SIZE_MAX;
            under = r0 != SIZE_MAX && i >= r0 && i < r0 + g->ranges[r].len;
        }
        for (size_t k = 0; k < w; k++) {
            gvl_sb_putc(&caret, i == col0 && k == 0 ? '^' : under ? '~' : line[i] == '\t' ? '\t' : ' ');
            if (under) marked = caret.len;
        }
        i += n;
    }
    if (to < len) fputs("...", out);
    if (col0 >= to) marked = caret.len;   /* the caret goes after the blanks */
    caret.len = marked;   /* no trailing blanks */
    if (caret.s) caret.s[caret.len] = '\0';
    if (col0 >= to) gvl_sb_putc(&caret, '^');   /* just past the end of the line */
    fprintf(out, "\n%*s | %s%s%s\n", width, "", gvl_paint(PAINT_CARET), gvl_sb_str(&caret), gvl_paint(PAINT_RESET));
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

/* {"line":L,"column":C} of byte offset OFF (columns count characters). */
static cJSON *json_place(const DiagSink *d, uint32_t off)
{
    int line = 1, col = 1;
    if (d->src) gvl_source_loc(d->src, off <= d->src->len ? off : (uint32_t)d->src->len, &line, &col);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "line", line);
    cJSON_AddNumberToObject(o, "column", col);
    return o;
}

/* {"start":..,"end":..}: END is one past the last character, as in LSP. */
static cJSON *json_range(const DiagSink *d, Span s)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddItemToObject(r, "start", json_place(d, s.off));
    cJSON_AddItemToObject(r, "end", json_place(d, s.off + (s.len ? s.len : 1)));
    return r;
}

/* One diagnostic as a JSON object: its place, its ranges (the culprit
 * first, then the operands) and its message. */
static cJSON *json_diag(const DiagSink *d, const Diag *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "severity", gvl_severity_names[g->sev]);
    cJSON_AddStringToObject(o, "file", d->src ? d->src->path : "graphviz-lab");
    if (!g->whole_file && d->src) {
        cJSON_AddNumberToObject(o, "line", g->line);
        cJSON_AddNumberToObject(o, "column", g->col);
        cJSON *ranges = cJSON_AddArrayToObject(o, "ranges");
        cJSON_AddItemToArray(ranges, json_range(d, g->span));
        for (int r = 0; r < g->nranges; r++) cJSON_AddItemToArray(ranges, json_range(d, g->ranges[r]));
    }
    cJSON_AddStringToObject(o, "message", g->msg);
    return o;
}

/* --diagnostics-format=json: each error or warning on a line of its own,
 * its notes inside it. */
static void flush_json(DiagSink *d, FILE *out)
{
    cJSON *cur = NULL;
    for (size_t i = d->printed; i <= d->count; i++) {
        const Diag *g = i < d->count ? &d->items[i] : NULL;
        if (cur && (!g || g->sev != SEV_NOTE)) {
            char *text = cJSON_PrintUnformatted(cur);
            if (!text) gvl_out_of_memory();
            fprintf(out, "%s\n", text);
            free(text);
            cJSON_Delete(cur);
            cur = NULL;
        }
        if (!g) break;
        if (g->sev != SEV_NOTE || !cur) {
            cur = json_diag(d, g);
            cJSON_AddArrayToObject(cur, "notes");
        } else {
            cJSON_AddItemToArray(cJSON_GetObjectItem(cur, "notes"), json_diag(d, g));
        }
    }
    d->printed = d->count;
    if (d->truncated && !d->printed_truncation) {
        char msg[64];
        snprintf(msg, sizeof msg, "too many errors (%d); stopping here", DIAG_MAX_ERRORS);
        gvl_term_json_line(out, "note", "graphviz-lab", msg);
        d->printed_truncation = true;
    }
}

void gvl_diag_flush(DiagSink *d, FILE *out)
{
    if (gvl_term_json()) {
        flush_json(d, out);
        return;
    }
    for (size_t i = d->printed; i < d->count; i++) {
        const Diag *g = &d->items[i];
        /* messages quote names and text of the file: escaped like its lines */
        StrBuf msg = {0};
        gvl_term_escape(&msg, g->msg, strlen(g->msg));
        const char *sev = gvl_severity_names[g->sev], *paint = gvl_paint(gvl_paint_of(sev)),
                   *place = gvl_paint(PAINT_PLACE), *reset = gvl_paint(PAINT_RESET);
        if (g->whole_file)
            fprintf(out, "%s%s:%s %s%s:%s %s\n", place, file_name(d), reset, paint, sev, reset, gvl_sb_str(&msg));
        else
            fprintf(out, "%s%s:%d:%d:%s %s%s:%s %s\n", place, file_name(d), g->line, g->col, reset, paint, sev, reset,
                    gvl_sb_str(&msg));
        gvl_sb_free(&msg);
        if (d->src && !g->hint && !g->whole_file) print_excerpt(d->src, g, out);
    }
    d->printed = d->count;
    if (d->truncated && !d->printed_truncation) {
        fprintf(out, "%s: %snote:%s too many errors (%d); stopping here\n", file_name(d), gvl_paint(PAINT_NOTE),
                gvl_paint(PAINT_RESET), DIAG_MAX_ERRORS);
        d->printed_truncation = true;
    }
}

void gvl_diag_summary(const DiagSink *d, FILE *out)
{
    if (gvl_term_json() || (d->errors == 0 && d->warnings == 0)) return;
    if (d->warnings) fprintf(out, "%d warning%s", d->warnings, d->warnings == 1 ? "" : "s");
    if (d->warnings && d->errors) fputs(" and ", out);
    if (d->errors) fprintf(out, "%d error%s", d->errors, d->errors == 1 ? "" : "s");
    fputs(" generated.\n", out);
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
