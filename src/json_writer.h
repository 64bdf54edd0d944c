/*
 * json_writer.h - JSON written as it is produced, never built as a tree
 * first: eval --json of a 2048x2048 tensor streams its 2^22 numbers
 * instead of holding a cJSON node (64 bytes and more) for each.
 *
 * Every JSON output of the program goes through here, so all of it agrees
 * on three things: numbers are exact and shortest (%.15g, %.16g or %.17g,
 * whichever first reads back as the same double; NaN and infinities are
 * the strings "nan", "inf" and "-inf"); strings escape, beyond what JSON
 * requires, DEL, the C1 controls and the bidirectional controls as
 * \u202e, so that JSON shown on a terminal cannot drive it (terminal.h)
 * while staying exact, and a byte that is not UTF-8 becomes U+FFFD; and
 * the layout is either compact or, with PRETTY, the one cJSON_Print
 * writes (tabs, "key":<tab>value, arrays on one line).  A small tree
 * already built with cJSON (diagnostics, a table) is written through the
 * same rules with gvl_jw_cjson.
 *
 * Errors are not checked call by call: the stream's error flag is, once,
 * by whoever commits the output (output.h).
 */
#ifndef GVL_JSON_WRITER_H
#define GVL_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cJSON;

enum { JSON_MAX_DEPTH = 64 };

typedef struct JsonWriter {
    FILE *out;
    bool pretty;
    int depth;
    bool has_items[JSON_MAX_DEPTH];     /* per open container: something was written */
    bool is_object[JSON_MAX_DEPTH];
    bool after_key;                     /* a key was written: its value comes next */
} JsonWriter;

void gvl_jw_init(JsonWriter *w, FILE *out, bool pretty);
void gvl_jw_object_begin(JsonWriter *w);
void gvl_jw_object_end(JsonWriter *w);
void gvl_jw_array_begin(JsonWriter *w);
void gvl_jw_array_end(JsonWriter *w);
/* The key of the next value, inside an object. */
void gvl_jw_key(JsonWriter *w, const char *key);
void gvl_jw_string(JsonWriter *w, const char *s);
void gvl_jw_string_n(JsonWriter *w, const char *s, size_t len);
void gvl_jw_number(JsonWriter *w, double x);
void gvl_jw_int(JsonWriter *w, int64_t v);
void gvl_jw_bool(JsonWriter *w, bool b);
void gvl_jw_null(JsonWriter *w);
/* ITEM and everything under it, with this writer's numbers, strings and layout. */
void gvl_jw_cjson(JsonWriter *w, const struct cJSON *item);
/* The members of OBJECT (keys and values) into the object being written,
 * which stays open for more. */
void gvl_jw_cjson_members(JsonWriter *w, const struct cJSON *object);
/* Ends the document with a newline. */
void gvl_jw_finish(JsonWriter *w);

/* A cJSON tree as a whole document on OUT, then deleted. */
void gvl_jw_print_tree(FILE *out, struct cJSON *root, bool pretty);

/* X exactly and shortest, as JSON and the tooltips write it, into BUF
 * (at least 32 bytes); returns its length.  NaN and infinities are
 * "nan", "inf", "-inf". */
int gvl_fmt_shortest(char *buf, double x);

#endif
