/*
 * check_json.c - the JSON writer: numbers exact and shortest (checked on
 * random bit patterns against strtod, independently of how they were
 * made), the pretty layout identical to cJSON_Print's, compact output
 * that cJSON parses back to the same tree, and strings escaped so that
 * JSON on a terminal is safe and still exact.
 */
#include "testutil.h"

#include "json_writer.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>

/* What writing with F printed. */
#define WRITTEN(pretty, body)                                                                                  \
    ({                                                                                                         \
        Capture c_;                                                                                            \
        capture_open(&c_);                                                                                     \
        JsonWriter w_;                                                                                         \
        gvl_jw_init(&w_, c_.f, pretty);                                                                        \
        JsonWriter *w = &w_;                                                                                   \
        body;                                                                                                  \
        gvl_jw_finish(w);                                                                                      \
        capture_close(&c_);                                                                                    \
        c_.buf;                                                                                                \
    })

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The significant digits of a number as %g writes it: no sign, point,
 * exponent, leading or trailing zeros ("1.250e+03" and "1250" are "125"). */
static const char *significant(const char *num, char out[40])
{
    size_t n = 0;
    for (const char *p = num; *p && *p != 'e' && n < 39; p++)
        if (*p >= '0' && *p <= '9' && (n || *p != '0')) out[n++] = *p;
    while (n && out[n - 1] == '0') n--;
    out[n] = '\0';
    return out;
}

START_TEST(test_numbers_are_exact_and_shortest)
{
    /* 200000 doubles of every exponent (random bit patterns), and the
     * awkward ones: each reads back as itself, and no shorter %g does */
    double special[] = {0.1, 0.2 + 0.1, 1.0 / 3, 2.0 / 3, 5e-324, DBL_MIN, DBL_MAX, 1e23, 9007199254740993.0,
                        4.0000000000000018, 0.58030464086565006, -0.0, 1e15, 123456789012345678.0};
    for (int i = 0; i < 200000 + (int)(sizeof special / sizeof special[0]); i++) {
        double x;
        if (i < 200000) {
            uint64_t bits = next_random();
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x)) continue;
        } else {
            x = special[i - 200000];
        }
        char buf[32];
        int n = gvl_fmt_shortest(buf, x);
        ck_assert_int_eq(n, (int)strlen(buf));
        double back = strtod(buf, NULL);
        ck_assert_msg(memcmp(&back, &x, sizeof x) == 0 || (x == 0 && back == 0), "%.17g written as %s", x, buf);
        /* its significant digits are those of the fewest that read back */
        char fewest[400];
        for (int p = 1; p <= 17; p++) {
            snprintf(fewest, sizeof fewest, "%.*g", p, x);
            if (strtod(fewest, NULL) == x) break;
        }
        char a[40], b[40];
        ck_assert_msg(strcmp(significant(buf, a), significant(fewest, b)) == 0, "%s is written for %.17g, but %s is shorter",
                      buf, x, fewest);
    }
    char buf[32];
    gvl_fmt_shortest(buf, NAN);
    ck_assert_str_eq(buf, "nan");
    gvl_fmt_shortest(buf, -INFINITY);
    ck_assert_str_eq(buf, "-inf");
}
END_TEST

/* A tree cJSON_Print lays out byte for byte as the writer does. */
static cJSON *sample_tree(void)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *nodes = cJSON_AddArrayToObject(j, "nodes");
    for (int i = 0; i < 2; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", i);
        cJSON_AddStringToObject(o, "name", i ? "w^T @ x" : "x");
        cJSON *shape = cJSON_AddArrayToObject(o, "shape");
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(2));
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(1));
        cJSON_AddNullToObject(o, "op");
        cJSON_AddBoolToObject(o, "ok", i == 1);
        cJSON_AddItemToObject(o, "empty", cJSON_CreateObject());
        cJSON_AddItemToObject(o, "none", cJSON_CreateArray());
        cJSON_AddItemToArray(nodes, o);
    }
    cJSON_AddNumberToObject(j, "half", 0.5);
    cJSON_AddStringToObject(j, "text", "a \"quote\", a \\ and a tab\t");
    return j;
}

START_TEST(test_pretty_layout_is_cjson_print)
{
    cJSON *j = sample_tree();
    char *theirs = cJSON_Print(j);
    char *ours = WRITTEN(true, gvl_jw_cjson(w, j));
    ck_assert_uint_eq(strlen(ours), strlen(theirs) + 1);
    ck_assert(strncmp(ours, theirs, strlen(theirs)) == 0);
    ck_assert_str_eq(ours + strlen(theirs), "\n");
    free(ours);
    /* compact: cJSON reads back the same tree */
    ours = WRITTEN(false, gvl_jw_cjson(w, j));
    ck_assert_ptr_null(strchr(ours, '\t'));
    ck_assert_ptr_eq(strchr(ours, '\n'), ours + strlen(ours) - 1);
    cJSON *back = cJSON_Parse(ours);
    ck_assert_ptr_nonnull(back);
    ck_assert(cJSON_Compare(back, j, true));
    cJSON_Delete(back);
    free(ours);
    cJSON_free(theirs);
    cJSON_Delete(j);
}
END_TEST

START_TEST(test_streamed_values)
{
    char *out = WRITTEN(false, {
        gvl_jw_object_begin(w);
        gvl_jw_key(w, "v");
        gvl_jw_array_begin(w);
        gvl_jw_number(w, 0.1 + 0.2);
        gvl_jw_number(w, NAN);
        gvl_jw_number(w, INFINITY);
        gvl_jw_int(w, -4611686018427387904LL);
        gvl_jw_array_end(w);
        gvl_jw_key(w, "b");
        gvl_jw_bool(w, false);
        gvl_jw_key(w, "n");
        gvl_jw_null(w);
        gvl_jw_object_end(w);
    });
    ck_assert_str_eq(out, "{\"v\":[0.30000000000000004,\"nan\",\"inf\",-4611686018427387904],\"b\":false,\"n\":null}\n");
    free(out);
}
END_TEST

START_TEST(test_strings_are_safe_and_exact)
{
    /* controls as JSON requires; DEL, C1 and bidi as \u escapes too; a
     * byte that is not UTF-8 as U+FFFD; ×, ∂ and other text unchanged */
    char *out = WRITTEN(false, gvl_jw_string(w, "q\xe2\x80\xae \xc2\x9b \x1b[2J \x7f \x9b \n\"\\ \xc3\x97\xe2\x88\x82"));
    ck_assert_str_eq(out, "\"q\\u202e \\u009b \\u001b[2J \\u007f \\ufffd \\n\\\"\\\\ \xc3\x97\xe2\x88\x82\"\n");
    cJSON *back = cJSON_Parse(out);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(back->valuestring, "q\xe2\x80\xae \xc2\x9b \x1b[2J \x7f \xef\xbf\xbd \n\"\\ \xc3\x97\xe2\x88\x82");
    cJSON_Delete(back);
    free(out);
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("writer");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_numbers_are_exact_and_shortest);
    tcase_add_test(tc, test_pretty_layout_is_cjson_print);
    tcase_add_test(tc, test_streamed_values);
    tcase_add_test(tc, test_strings_are_safe_and_exact);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(json_suite());
}
