/*
 * render.c - from the built Agraph_t to bytes in OUT.
 *
 * DOT needs no layout: the graph is written with agwrite.  Every other
 * format goes through gvLayout and gvRenderData into memory, then to OUT in
 * one atomic write.  Layout settings are chosen by the graph's size: the
 * network-simplex limits that make dot take tens of seconds on a
 * thousand-node graph with edge labels are capped for large graphs.
 */
#include "render.h"

#include "output.h"
#include "report.h"
#include "report_values.h"
#include "terminal.h"

#include <cjson/cJSON.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const formats[] = {"svg", "png", "pdf", "dot", "json"};

const char *gvl_render_format_of(const char *out)
{
    const char *dot = strrchr(out, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(dot + 1, formats[i]) == 0) return formats[i];
    return NULL;
}

/* Graphviz reports problems through agerr; keep its messages so our
 * diagnostic can quote them instead of letting them print on their own.
 * (Graphviz's callback takes no context pointer, hence a file-level buffer,
 * used only between render_run's agseterrf calls.) */
static StrBuf gv_message;

static int gv_error(char *msg)
{
    /* Graphviz ends each message with a newline: they are joined into one
     * line, so that only the characters of the message itself are escaped */
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' || msg[n - 1] == ' ')) n--;
    if (n == 0) return 0;
    if (gv_message.len) gvl_sb_add(&gv_message, "; ");
    gvl_sb_addn(&gv_message, msg, n);
    return 0;
}

/* True when the layout engine and the output format have plugins. */
static bool have_plugins(GVC_t *gvc, const char *engine, const char *format, StrBuf *missing)
{
    static const char *const kinds[2] = {"layout", "device"};
    const char *want[2] = {engine, format};
    for (int k = 0; k < 2; k++) {
        int count = 0;
        char **list = gvPluginList(gvc, kinds[k], &count, NULL);
        bool found = false;
        for (int i = 0; i < count; i++) {
            /* entries look like "svg" or "png:cairo" */
            size_t n = strcspn(list[i], ":");
            if (strlen(want[k]) == n && strncmp(list[i], want[k], n) == 0) found = true;
            free(list[i]);
        }
        free(list);
        if (!found) {
            gvl_sb_printf(missing, "%s %s", kinds[k], want[k]);
            return false;
        }
    }
    return true;
}

/* Adds <title> to every <a xlink:title="...">, the element SVG viewers
 * show as a tooltip.  Returns a new malloc'd buffer. */
static char *svg_titles(const char *svg, size_t len, size_t *out_len)
{
    static const char open[] = "<a xlink:title=\"";
    size_t extra = 0;
    for (const char *p = svg; (p = strstr(p, open)); p += sizeof open - 1) {
        const char *q = strchr(p + sizeof open - 1, '"');
        if (!q) break;
        extra += (size_t)(q - (p + sizeof open - 1)) + 16;
    }
    char *res = gvl_xmalloc(len + extra + 1);
    size_t k = 0;
    const char *p = svg, *end = svg + len;
    while (p < end) {
        const char *a = strstr(p, open);
        if (!a) a = end;
        memcpy(res + k, p, (size_t)(a - p));
        k += (size_t)(a - p);
        if (a == end) break;
        const char *t = a + sizeof open - 1, *q = strchr(t, '"');
        const char *gt = q ? strchr(q, '>') : NULL;
        if (!gt) {
            memcpy(res + k, a, (size_t)(end - a));
            k += (size_t)(end - a);
            break;
        }
        memcpy(res + k, a, (size_t)(gt + 1 - a));
        k += (size_t)(gt + 1 - a);
        k += (size_t)sprintf(res + k, "<title>%.*s</title>", (int)(q - t), t);
        p = gt + 1;
    }
    res[k] = '\0';
    *out_len = k;
    return res;
}

static int write_out(const RenderOptions *ro, const char *out, const char *data, size_t len)
{
    StrBuf err = {0};
    int status = 0;
    if (gvl_output_write(out, ro->input, data, len, &err) != 0) {
        gvl_say("error", "%s", gvl_sb_str(&err));
        status = 2;
    }
    gvl_sb_free(&err);
    return status;
}

int gvl_render_run(const Graph *g, const Values *v, const Values *after, const RenderOptions *ro, const char *out)
{
    if (strcmp(ro->format, "json") == 0) {
        /* streamed into OUT as it is made: values are never a cJSON tree */
        StrBuf err = {0};
        OutFile *f = gvl_out_open(out, ro->input, &err);
        int st = 0;
        if (f) {
            JsonWriter w;
            gvl_jw_init(&w, gvl_out_stream(f), true);
            gvl_eval_json_write(&w, g, v);
            gvl_jw_key(&w, "edges");
            cJSON *edges = gvl_report_json_edges(g);
            gvl_jw_cjson(&w, edges);
            cJSON_Delete(edges);
            gvl_jw_object_end(&w);
            gvl_jw_finish(&w);
            if (gvl_out_commit(f, &err) != 0) st = 2;
        } else {
            st = 2;
        }
        if (st) gvl_say("error", "%s", gvl_sb_str(&err));
        gvl_sb_free(&err);
        return st;
    }
    RenderNotes notes;
    Agraph_t *ag = gvl_render_build(g, v, after, ro, &notes);
    size_t n_nodes = g->count;
    if (n_nodes > 150) {
        /* caps on dot's network simplex and crossing minimisation */
        agsafeset(ag, "nslimit", "2", "");
        agsafeset(ag, "nslimit1", "2", "");
        agsafeset(ag, "mclimit", "0.2", "");
        agsafeset(ag, "searchsize", "10", "");
        agsafeset(ag, "remincross", "false", "");
        notes.tuned_layout = true;
    }
    if (notes.dropped_values)
        gvl_say("note", "%zu nodes: values and gradients are left out of the diagram "
                        "(eval and render -o FILE.json have them)", n_nodes);
    if (notes.dropped_labels)
        gvl_say("note", "%zu nodes: edge labels are left out of the diagram "
                        "(dims has every Jacobian size)", n_nodes);
    if (notes.split_leaves)
        gvl_say("note", "%zu nodes: a leaf used in many places is drawn beside each use",
                n_nodes);
    if (notes.tuned_layout)
        gvl_say("note", "%zu nodes: using faster layout settings and external edge labels",
                n_nodes);
    int status = 0;
    if (strcmp(ro->format, "dot") == 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem || agwrite(ag, mem) == EOF) gvl_out_of_memory();
        fclose(mem);
        status = write_out(ro, out, buf, len);
        free(buf);
        agclose(ag);
        return status;
    }
    GVC_t *gvc = gvContext();
    StrBuf missing = {0};
    gvl_sb_clear(&gv_message);
    agusererrf prev = agseterrf(gv_error);
    /* Graphviz's warnings ("scaling to fit") are not the user's mistakes */
    agerrlevel_t prev_level = agseterr(AGERR);
    if (!have_plugins(gvc, ro->engine, ro->format, &missing)) {
        gvl_say("error", "Graphviz has no plugin for %s here. Install Debian's graphviz "
                        "and libgvc6 packages, then run 'dot -c' as root to register the plugins.",
                gvl_sb_str(&missing));
        status = 2;
    } else if (gvLayout(gvc, ag, ro->engine) != 0) {
        gvl_say("error", "the %s layout failed%s%s", ro->engine, gv_message.len ? ": " : "",
                gvl_sb_str(&gv_message));
        status = 1;
    } else {
        char *data = NULL;
        unsigned int len = 0;
        if (gvRenderData(gvc, ag, ro->format, &data, &len) != 0 || !data) {
            gvl_say("error", "rendering %s failed%s%s", ro->format, gv_message.len ? ": " : "",
                    gvl_sb_str(&gv_message));
            status = 1;
        } else if (strcmp(ro->format, "svg") == 0) {
            size_t n;
            char *svg = svg_titles(data, len, &n);
            status = write_out(ro, out, svg, n);
            free(svg);
        } else {
            status = write_out(ro, out, data, len);
        }
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, ag);
    }
    agseterrf(prev);
    agseterr(prev_level);
    gvl_sb_free(&missing);
    gvl_sb_free(&gv_message);
    agclose(ag);
    gvFreeContext(gvc);
    return status;
}
