/*
 * strbuf.c - the growable string behind every message and label.
 */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void gvl_sb_init(StrBuf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
}

void gvl_sb_free(StrBuf *b)
{
    free(b->s);
    gvl_sb_init(b);
}

void gvl_sb_clear(StrBuf *b)
{
    b->len = 0;
    if (b->s) b->s[0] = '\0';
}

/* Makes room for N more bytes and the NUL. */
static void reserve(StrBuf *b, size_t n)
{
    if (n > SIZE_MAX / 2 - b->len - 1) gvl_out_of_memory();
    if (b->len + n + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    b->s = gvl_xrealloc(b->s, cap);
    b->cap = cap;
}

void gvl_sb_addn(StrBuf *b, const char *text, size_t n)
{
    reserve(b, n);
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void gvl_sb_pad(StrBuf *b, int n)
{
    if (n <= 0) return;
    reserve(b, (size_t)n);
    memset(b->s + b->len, ' ', (size_t)n);
    b->len += (size_t)n;
    b->s[b->len] = '\0';
}

void gvl_sb_add(StrBuf *b, const char *text)
{
    gvl_sb_addn(b, text, strlen(text));
}

void gvl_sb_putc(StrBuf *b, char c)
{
    /* a character at a time in the name and number formatters: no memcpy */
    if (b->len + 2 > b->cap) reserve(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void gvl_sb_vprintf(StrBuf *b, const char *fmt, va_list ap)
{
    /* print into the room there is; only a longer text is printed twice */
    reserve(b, 32);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    if (n > 0 && (size_t)n >= b->cap - b->len) {
        reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
    }
    if (n > 0) b->len += (size_t)n;
    b->s[b->len] = '\0';
    va_end(ap2);
}

void gvl_sb_add_int(StrBuf *b, int64_t v)
{
    char digits[24];   /* 20 digits and a sign */
    size_t k = sizeof digits;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do digits[--k] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0) digits[--k] = '-';
    gvl_sb_addn(b, digits + k, sizeof digits - k);
}

void gvl_sb_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(b, fmt, ap);
    va_end(ap);
}

void gvl_sb_truncate(StrBuf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->s[len] = '\0';
    }
}

const char *gvl_sb_str(const StrBuf *b)
{
    return b->s ? b->s : "";
}

char *gvl_sb_arena(const StrBuf *b, Arena *a)
{
    return gvl_arena_strndup(a, gvl_sb_str(b), b->len);
}

void gvl_sb_add_html(StrBuf *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&': gvl_sb_add(b, "&amp;"); break;
        case '<': gvl_sb_add(b, "&lt;"); break;
        case '>': gvl_sb_add(b, "&gt;"); break;
        case '"': gvl_sb_add(b, "&quot;"); break;
        default: gvl_sb_putc(b, *p); break;
        }
    }
}
