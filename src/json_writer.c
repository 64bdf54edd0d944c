/*
 * json_writer.c - JSON as a stream: separators and the cJSON_Print layout
 * from a small stack of open containers, exact numbers, safe strings
 * (see json_writer.h).
 */
#include "json_writer.h"

#include "terminal.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int gvl_fmt_shortest(char *buf, double x)
{
    if (isnan(x)) return (int)strlen(strcpy(buf, "nan"));
    if (isinf(x)) return (int)strlen(strcpy(buf, x > 0 ? "inf" : "-inf"));
    /* a double that 15 significant digits name exactly is named by the
     * shortest such decimal when printed with %.15g (trailing zeros go);
     * otherwise 16 digits may do, and 17 always do (0 and subnormals
     * are searched from one digit up) */
    int n = 0;
    /* a subnormal has fewer digits of precision: search from 1 */
    for (int p = fabs(x) < DBL_MIN ? 1 : 15; p <= 17; p++) {
        n = snprintf(buf, 32, "%.*g", p, x);
        if (p == 17 || strtod(buf, NULL) == x) break;
    }
    return n;
}

void gvl_jw_init(JsonWriter *w, FILE *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void tabs(JsonWriter *w, int n)
{
    for (int i = 0; i < n; i++) putc('\t', w->out);
}

/* What comes before a value: nothing after a key or at the top, a comma
 * (and in pretty arrays a space) between the items of an array. */
static void before_value(JsonWriter *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    assert(!w->is_object[w->depth - 1] && "a value in an object needs a key");
    if (w->has_items[w->depth - 1]) fputs(w->pretty ? ", " : ",", w->out);
    w->has_items[w->depth - 1] = true;
}

static void open_container(JsonWriter *w, bool object)
{
    before_value(w);
    assert(w->depth < JSON_MAX_DEPTH);
    putc(object ? '{' : '[', w->out);
    if (object && w->pretty) putc('\n', w->out);
    w->is_object[w->depth] = object;
    w->has_items[w->depth] = false;
    w->depth++;
}

void gvl_jw_object_begin(JsonWriter *w)
{
    open_container(w, true);
}

void gvl_jw_array_begin(JsonWriter *w)
{
    open_container(w, false);
}

void gvl_jw_object_end(JsonWriter *w)
{
    assert(w->depth > 0 && w->is_object[w->depth - 1] && !w->after_key);
    if (w->pretty) {
        if (w->has_items[w->depth - 1]) putc('\n', w->out);
        tabs(w, w->depth - 1);
    }
    putc('}', w->out);
    w->depth--;
}

void gvl_jw_array_end(JsonWriter *w)
{
    assert(w->depth > 0 && !w->is_object[w->depth - 1]);
    putc(']', w->out);
    w->depth--;
}

/* S as a JSON string.  Beyond JSON's rules: DEL, C1 and bidi controls as
 * \u escapes (terminal.h decides which), a byte that is not UTF-8 as
 * U+FFFD, so that the output is valid UTF-8 and safe to show. */
static void put_string(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    size_t i = 0, clean = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            i++;
            continue;
        }
        fwrite(s + clean, 1, i - clean, out);
        size_t n = 1;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default: {
            char shown[16];
            n = gvl_term_char(p + i, len - i, false, shown);
            if (!shown[0]) fwrite(s + i, 1, n, out);
            else if (shown[1] == 'U') fprintf(out, "\\u%04lx", strtoul(shown + 3, NULL, 16));
            else fputs("\\ufffd", out);
        }
        }
        i += n;
        clean = i;
    }
    fwrite(s + clean, 1, len - clean, out);
    putc('"', out);
}

void gvl_jw_key(JsonWriter *w, const char *key)
{
    assert(w->depth > 0 && w->is_object[w->depth - 1] && !w->after_key);
    if (w->has_items[w->depth - 1]) fputs(w->pretty ? ",\n" : ",", w->out);
    w->has_items[w->depth - 1] = true;
    if (w->pretty) tabs(w, w->depth);
    put_string(w->out, key, strlen(key));
    fputs(w->pretty ? ":\t" : ":", w->out);
    w->after_key = true;
}

void gvl_jw_string_n(JsonWriter *w, const char *s, size_t len)
{
    before_value(w);
    put_string(w->out, s, len);
}

void gvl_jw_string(JsonWriter *w, const char *s)
{
    gvl_jw_string_n(w, s, strlen(s));
}

void gvl_jw_number(JsonWriter *w, double x)
{
    char buf[32];
    int n = gvl_fmt_shortest(buf, x);
    if (!isfinite(x)) {
        gvl_jw_string_n(w, buf, (size_t)n);
        return;
    }
    before_value(w);
    fwrite(buf, 1, (size_t)n, w->out);
}

void gvl_jw_int(JsonWriter *w, int64_t v)
{
    before_value(w);
    fprintf(w->out, "%lld", (long long)v);
}

void gvl_jw_bool(JsonWriter *w, bool b)
{
    before_value(w);
    fputs(b ? "true" : "false", w->out);
}

void gvl_jw_null(JsonWriter *w)
{
    before_value(w);
    fputs("null", w->out);
}

void gvl_jw_cjson(JsonWriter *w, const cJSON *item)
{
    switch (item->type & 0xFF) {
    case cJSON_False: gvl_jw_bool(w, false); break;
    case cJSON_True: gvl_jw_bool(w, true); break;
    case cJSON_NULL: gvl_jw_null(w); break;
    case cJSON_Number: gvl_jw_number(w, item->valuedouble); break;
    case cJSON_String: gvl_jw_string(w, item->valuestring ? item->valuestring : ""); break;
    case cJSON_Raw:
        before_value(w);
        fputs(item->valuestring ? item->valuestring : "null", w->out);
        break;
    case cJSON_Array:
        gvl_jw_array_begin(w);
        for (const cJSON *c = item->child; c; c = c->next) gvl_jw_cjson(w, c);
        gvl_jw_array_end(w);
        break;
    case cJSON_Object:
        gvl_jw_object_begin(w);
        gvl_jw_cjson_members(w, item);
        gvl_jw_object_end(w);
        break;
    default: gvl_jw_null(w); break;
    }
}

void gvl_jw_cjson_members(JsonWriter *w, const cJSON *object)
{
    for (const cJSON *c = object->child; c; c = c->next) {
        gvl_jw_key(w, c->string ? c->string : "");
        gvl_jw_cjson(w, c);
    }
}

void gvl_jw_finish(JsonWriter *w)
{
    assert(w->depth == 0 && !w->after_key);
    putc('\n', w->out);
}

void gvl_jw_print_tree(FILE *out, cJSON *root, bool pretty)
{
    JsonWriter w;
    gvl_jw_init(&w, out, pretty);
    gvl_jw_cjson(&w, root);
    gvl_jw_finish(&w);
    cJSON_Delete(root);
}
