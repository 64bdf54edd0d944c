/*
 * render_html.c - render -o OUT.html: one self-contained page.
 *
 * The page is src/page/page.html with its markers filled in: the diagram
 * (the SVG libgvc drew with IDs on boxes, edges and value cells, without
 * its XML prologue), the data as JSON blocks (eval --json, dims --json,
 * explain --json of every node, and the page's own: the loss, the backward
 * order, the params after the optimize steps), the style, and the scripts
 * (the vendored svg-pan-zoom with its licence, then src/page/page.js).
 * All of them are compiled in (src/page/embed.sh), so the program needs no
 * data files and the page loads nothing.
 */
#include "render.h"

#include "explain.h"
#include "json_writer.h"
#include "report.h"
#include "report_values.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char page_html[] =
#include "page_html.inc"
    ;
static const char page_css[] =
#include "page_css.inc"
    ;
static const char page_js[] =
#include "page_js.inc"
    ;
static const char panzoom_js[] =
#include "svg_pan_zoom_js.inc"
    ;
static const char panzoom_licence[] =
#include "svg_pan_zoom_license.inc"
    ;

/* The chain rule of every node makes the page grow with the square of a
 * deep graph's size: past this many nodes the panel points to explain. */
enum { PAGE_EXPLAIN_MAX_NODES = 200, PAGE_EXPLAIN_PATHS = 4 };
/* A factor's matrix is carried when it is small enough to read. */
enum { PAGE_FACTOR_MAX_ENTRIES = 36 };

/* JSON into a <script type="application/json">: every '<' (only ever
 * inside a string) as \u003c, so no name can close the element. */
static void add_json_block(StrBuf *page, const char *id, const char *json, size_t len)
{
    gvl_sb_printf(page, "<script type=\"application/json\" id=\"%s\">", id);
    const char *p = json, *end = json + len;
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) lt = end;
        gvl_sb_addn(page, p, (size_t)(lt - p));
        if (lt < end) gvl_sb_add(page, "\\u003c");
        p = lt + 1;
    }
    gvl_sb_add(page, "</script>\n");
}

/* A JSON block written through a JsonWriter into memory. */
typedef struct Block {
    char *buf;
    size_t len;
    FILE *f;
    JsonWriter w;
} Block;

static JsonWriter *block_open(Block *b)
{
    b->buf = NULL;
    b->len = 0;
    b->f = open_memstream(&b->buf, &b->len);
    if (!b->f) gvl_out_of_memory();
    gvl_jw_init(&b->w, b->f, true);   /* as the commands print it */
    return &b->w;
}

static void block_close(Block *b, StrBuf *page, const char *id)
{
    if (fclose(b->f) != 0) gvl_out_of_memory();
    add_json_block(page, id, b->buf, b->len);
    free(b->buf);
}

/* explain --json of every node with a gradient, keyed by node id. */
static void explain_block(JsonWriter *w, const Graph *g, const Values *v, const Node *root, bool *omitted)
{
    gvl_jw_object_begin(w);
    *omitted = root && g->count > PAGE_EXPLAIN_MAX_NODES;
    if (root && !*omitted) {
        bool *grads = gvl_graph_gradient_nodes(g, root);
        for (size_t i = 0; i < g->count; i++) {
            if (!grads[i] || i == root->id) continue;
            Explanation e;
            StrBuf err = {0};
            if (gvl_explain_build(&e, g, v, root, g->nodes[i], PAGE_EXPLAIN_PATHS, PAGE_FACTOR_MAX_ENTRIES, &err)) {
                char key[32];
                snprintf(key, sizeof key, "%zu", i);
                gvl_jw_key(w, key);
                cJSON *j = gvl_explain_json(&e);
                gvl_jw_cjson(w, j);
                cJSON_Delete(j);
            }
            gvl_explain_free(&e);
            gvl_sb_free(&err);
        }
        free(grads);
    }
    gvl_jw_object_end(w);
}

/* The page's own data: the file, the node differentiated, the order of
 * the backward pass, and the params after the optimize steps. */
static void page_block(JsonWriter *w, const Graph *g, const Values *v, const Values *after,
                       const RenderOptions *ro, bool explain_omitted)
{
    const char *base = strrchr(g->src->name, '/');
    gvl_jw_object_begin(w);
    gvl_jw_key(w, "file");
    gvl_jw_string(w, base ? base + 1 : g->src->name);
    gvl_jw_key(w, "root");
    if (ro->root) gvl_jw_int(w, ro->root->id);
    else gvl_jw_null(w);
    gvl_jw_key(w, "has_values");
    gvl_jw_bool(w, v != NULL);
    gvl_jw_key(w, "backward");
    gvl_jw_array_begin(w);
    if (ro->root) {
        /* the seed first, then every node taking a gradient, last id first */
        bool *grads = gvl_graph_gradient_nodes(g, ro->root);
        gvl_jw_int(w, ro->root->id);
        for (size_t i = ro->root->id; i-- > 0;)
            if (grads[i]) gvl_jw_int(w, (int64_t)i);
        free(grads);
    }
    gvl_jw_array_end(w);
    gvl_jw_key(w, "steps");
    gvl_jw_int(w, after ? ro->steps : 0);
    gvl_jw_key(w, "lr");
    gvl_jw_number(w, after ? ro->lr : 0);
    gvl_jw_key(w, "after");
    gvl_jw_object_begin(w);
    for (size_t i = 0; after && i < g->count; i++) {
        if (g->nodes[i]->kind != NK_PARAM) continue;
        char key[32];
        snprintf(key, sizeof key, "%zu", i);
        gvl_jw_key(w, key);
        gvl_jw_tensor(w, after->val[i]);
    }
    gvl_jw_object_end(w);
    gvl_jw_key(w, "explain_omitted");
    gvl_jw_bool(w, explain_omitted);
    gvl_jw_object_end(w);
}

/* The SVG as an element of the page: from <svg on, without the
 * namespace declarations the HTML parser does not need. */
static void add_svg(StrBuf *page, const char *svg, size_t len)
{
    const char *start = strstr(svg, "<svg");
    if (!start) start = svg;
    const char *end = svg + len;
    static const char *const drop[] = {" xmlns=\"", " xmlns:xlink=\""};
    const char *tag_end = memchr(start, '>', (size_t)(end - start));
    for (const char *p = start; p < end;) {
        bool dropped = false;
        for (size_t k = 0; tag_end && p < tag_end && k < sizeof drop / sizeof drop[0]; k++) {
            size_t n = strlen(drop[k]);
            if (strncmp(p, drop[k], n) == 0) {
                const char *q = memchr(p + n, '"', (size_t)(tag_end - (p + n)));
                if (q) {
                    p = q + 1;
                    dropped = true;
                }
            }
        }
        if (!dropped) gvl_sb_putc(page, *p++);
    }
}

void gvl_render_html_page(StrBuf *page, const Graph *g, const Values *v, const Values *after,
                          const RenderOptions *ro, const char *svg, size_t svg_len)
{
    static const char marker[] = "<!--gvl:";
    const char *base = strrchr(g->src->name, '/');
    base = base ? base + 1 : g->src->name;
    /* the template's first comment documents the template, not the page */
    const char *p = page_html, *doc = strstr(p, "<!--\n"), *doc_end = doc ? strstr(doc, "-->\n") : NULL;
    if (doc && doc_end) {
        gvl_sb_addn(page, p, (size_t)(doc - p));
        p = doc_end + 4;
    }
    while (*p) {
        const char *m = strstr(p, marker);
        if (!m) {
            gvl_sb_add(page, p);
            break;
        }
        gvl_sb_addn(page, p, (size_t)(m - p));
        const char *name = m + sizeof marker - 1, *close = strstr(name, "-->");
        size_t n = close ? (size_t)(close - name) : 0;
        p = close ? close + 3 : name;
        if (n == 5 && !strncmp(name, "title", 5)) {
            gvl_sb_add_html(page, base);
        } else if (n == 5 && !strncmp(name, "style", 5)) {
            gvl_sb_add(page, page_css);
        } else if (n == 3 && !strncmp(name, "svg", 3)) {
            add_svg(page, svg, svg_len);
        } else if (n == 4 && !strncmp(name, "data", 4)) {
            Block b;
            JsonWriter *w = block_open(&b);
            gvl_eval_json_write(w, g, v);
            gvl_jw_object_end(w);
            gvl_jw_finish(w);
            block_close(&b, page, "gvl-eval");
            block_open(&b);
            gvl_report_dims_json(g, ro->root, b.f);
            block_close(&b, page, "gvl-dims");
            bool omitted;
            w = block_open(&b);
            explain_block(w, g, v, ro->root, &omitted);
            gvl_jw_finish(w);
            block_close(&b, page, "gvl-explain");
            w = block_open(&b);
            page_block(w, g, v, after, ro, omitted);
            gvl_jw_finish(w);
            block_close(&b, page, "gvl-page");
        } else if (n == 7 && !strncmp(name, "scripts", 7)) {
            gvl_sb_add(page, "<script>\n/* svg-pan-zoom 3.6.2, vendored unmodified (vendor/svg-pan-zoom); its licence:\n");
            gvl_sb_add(page, panzoom_licence);
            gvl_sb_add(page, "*/\n");
            gvl_sb_add(page, panzoom_js);
            gvl_sb_add(page, "\n</script>\n<script>\n");
            gvl_sb_add(page, page_js);
            gvl_sb_add(page, "</script>\n");
        } else {
            /* not a marker of ours: kept as it is */
            gvl_sb_addn(page, m, (size_t)(p - m));
        }
    }
}
