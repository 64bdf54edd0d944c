/*
 * terminal.c - escaping the characters that drive a terminal or reorder a
 * line, and the program's one-line messages (see terminal.h).
 */
#include "terminal.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Code points beyond ASCII that are shown as <U+XXXX>: the C1 controls,
 * and every character that changes the direction of what follows it or
 * breaks a line where a terminal does not expect it. */
static const struct {
    uint32_t lo, hi;
} unsafe_ranges[] = {
    {0x0080, 0x009F},   /* C1 controls, among them U+009B (CSI) */
    {0x061C, 0x061C},   /* arabic letter mark */
    {0x200E, 0x200F},   /* left-to-right and right-to-left marks */
    {0x2028, 0x2029},   /* line and paragraph separators */
    {0x202A, 0x202E},   /* embeddings and overrides */
    {0x2066, 0x2069},   /* isolates */
};

/* The length of the well-formed UTF-8 sequence at S (N bytes available)
 * and its code point, or 0: a stray byte, a cut sequence, an overlong
 * form (C1 9B for '['), a surrogate or a value past U+10FFFF. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    *cp = len == 1 ? s[0] : s[0] & (0x7fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    if (len > 1 && (*cp < least[len] || (*cp >= 0xD800 && *cp <= 0xDFFF) || *cp > 0x10FFFF)) return 0;
    return len;
}

size_t gvl_term_char(const unsigned char *s, size_t n, bool keep_tab, char shown[16])
{
    shown[0] = '\0';
    uint32_t cp = 0;
    size_t len = decode(s, n, &cp);
    if (len == 0) {
        /* not UTF-8: a stray byte, shown by its value */
        snprintf(shown, 16, "<0x%02X>", s[0]);
        return 1;
    }
    bool unsafe = cp < 0x20 ? !(keep_tab && cp == '\t') : cp == 0x7f;
    for (size_t i = 0; !unsafe && i < sizeof unsafe_ranges / sizeof unsafe_ranges[0]; i++)
        unsafe = cp >= unsafe_ranges[i].lo && cp <= unsafe_ranges[i].hi;
    if (unsafe) snprintf(shown, 16, "<U+%04X>", (unsigned)cp);
    return len;
}

void gvl_term_escape(StrBuf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, clean = 0;
    while (i < len) {
        /* printable ASCII, the common case, is copied in runs */
        if (p[i] >= 0x20 && p[i] < 0x7f) {
            i++;
            continue;
        }
        char shown[16];
        size_t n = gvl_term_char(p + i, len - i, false, shown);
        if (shown[0]) {
            gvl_sb_addn(b, s + clean, i - clean);
            gvl_sb_add(b, shown);
            clean = i + n;
        }
        i += n;
    }
    gvl_sb_addn(b, s + clean, len - clean);
}

char *gvl_term_escaped(const char *s)
{
    StrBuf b = {0};
    gvl_term_escape(&b, s, strlen(s));
    if (!b.s) gvl_sb_add(&b, "");
    return b.s;
}

/* The style of standard error's messages: one setting for the process,
 * as a terminal has one (gvl_term_set_style). */
static bool use_color, use_json;

void gvl_term_set_style(ColorWhen color, bool json)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    use_json = json;
    use_color = !json && (color == COLOR_ALWAYS ||
                          (color == COLOR_AUTO && isatty(STDERR_FILENO) && term && strcmp(term, "dumb") != 0 &&
                           !(no_color && *no_color)));
}

bool gvl_term_color(void) { return use_color; }
bool gvl_term_json(void) { return use_json; }

const char *gvl_paint(Paint p)
{
    static const char *const codes[] = {
        [PAINT_RESET] = "\033[m",        [PAINT_PLACE] = "\033[1m",   [PAINT_ERROR] = "\033[1;31m",
        [PAINT_WARNING] = "\033[1;35m",  [PAINT_NOTE] = "\033[1;36m", [PAINT_CARET] = "\033[1;32m",
    };
    _Static_assert(sizeof codes / sizeof codes[0] == PAINT_COUNT, "a code per paint");
    return use_color ? codes[p] : "";
}

Paint gvl_paint_of(const char *severity)
{
    return !strcmp(severity, "error") ? PAINT_ERROR : !strcmp(severity, "warning") ? PAINT_WARNING : PAINT_NOTE;
}

void gvl_term_json_line(FILE *out, const char *severity, const char *file, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "severity", severity);
    cJSON_AddStringToObject(o, "file", file);
    cJSON_AddStringToObject(o, "message", message);
    char *text = cJSON_PrintUnformatted(o);
    if (!text) gvl_out_of_memory();
    fprintf(out, "%s\n", text);
    free(text);
    cJSON_Delete(o);
}

void gvl_say(const char *severity, const char *fmt, ...)
{
    StrBuf raw = {0}, line = {0};
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&raw, fmt, ap);
    va_end(ap);
    if (use_json) {
        /* about the program, not a place in a file: no line or column */
        gvl_term_escape(&line, gvl_sb_str(&raw), raw.len);
        gvl_term_json_line(stderr, severity, "graphviz-lab", gvl_sb_str(&line));
    } else {
        gvl_sb_printf(&line, "graphviz-lab: %s%s:%s ", gvl_paint(gvl_paint_of(severity)), severity, gvl_paint(PAINT_RESET));
        gvl_term_escape(&line, gvl_sb_str(&raw), raw.len);
        gvl_sb_putc(&line, '\n');
        fputs(gvl_sb_str(&line), stderr);
    }
    gvl_sb_free(&raw);
    gvl_sb_free(&line);
}
