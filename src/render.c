/*
 * render.c - from the built Agraph_t to bytes in OUT.
 *
 * DOT needs no layout: the graph is written with agwrite.  Every other
 * format goes through gvLayout and gvRenderData into memory, in a child
 * process (a library that runs out of memory kills the child, not us:
 * see render_budget.h), then to OUT in one atomic write.  Layout settings are chosen by the graph's size: the
 * network-simplex limits that make dot take tens of seconds on a
 * thousand-node graph with edge labels are capped for large graphs.
 */
#include "render.h"

#include "output.h"
#include "render_budget.h"
#include "render_plan.h"
#include "render_wrap.h"
#include "report.h"
#include "report_values.h"
#include "terminal.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <graphviz/gvc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const formats[] = {"svg", "png", "pdf", "dot", "json", "html"};

static const char *known(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i]) == 0) return formats[i];
    return NULL;
}

const char *gvl_render_format_of(const char *out)
{
    const char *dot = strrchr(out, '.');
    if (!dot || strchr(dot, '/')) return NULL;
    return known(dot + 1);
}

bool gvl_render_format_known(const char *name) { return known(name) != NULL; }

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

/* 0 when a PNG of the laid-out AG fits in the memory left; otherwise 2,
 * with the message.  cairo draws the whole bitmap in memory, 4 bytes a
 * pixel at 96 dpi, at most 32767 pixels a side (Graphviz scales a larger
 * diagram down to that). */
static int bitmap_fits(Agraph_t *ag, const char *format)
{
    if (strcmp(format, "png") != 0) return 0;
    int64_t left = gvl_memory_left();
    if (left < 0) return 0;
    double w = (GD_bb(ag).UR.x - GD_bb(ag).LL.x) * 96 / 72 + 8;
    double h = (GD_bb(ag).UR.y - GD_bb(ag).LL.y) * 96 / 72 + 8;
    double scale = 1;
    if (w * scale > 32767) scale = 32767 / w;
    if (h * scale > 32767) scale = 32767 / h;
    int64_t bytes = gvl_bitmap_bytes(w * scale, h * scale);
    if (bytes + gvl_bitmap_headroom() <= left) return 0;
    gvl_say("error", "a PNG of this diagram is %.0f x %.0f pixels, a bitmap of %lld MiB, and the "
                    "limit on memory (ulimit -v) leaves %lld MiB; draw it as SVG or PDF (-T svg), "
                    "or raise the limit",
            w * scale, h * scale, (long long)(bytes >> 20), (long long)(left >> 20));
    return 2;
}

/* Edge labels that Graphviz found no room for beside their edge (an
 * xlabel with forcelabels=false is then left out), and how many there were. */
static void count_unplaced(Agraph_t *ag, size_t *unplaced, size_t *labels)
{
    for (Agnode_t *n = agfstnode(ag); n; n = agnxtnode(ag, n))
        for (Agedge_t *e = agfstout(ag, n); e; e = agnxtout(ag, e)) {
            if (!ED_xlabel(e)) continue;
            (*labels)++;
            if (!ED_xlabel(e)->set) (*unplaced)++;
        }
}

/* Lays out the NPARTS graphs of PARTS (one, or a deep graph's columns,
 * put side by side by render_wrap.c) and renders the drawing as
 * RO->format into *DATA (malloc'd, *LEN bytes).  0, 1 when Graphviz
 * rejects the graph, 2 when there is no plugin or too little memory for
 * the bitmap; the message is printed. */
static int draw(Agraph_t **parts, int nparts, const RenderOptions *ro, char **data, size_t *len)
{
    Agraph_t *ag = parts[0], *whole = NULL;
    GVC_t *gvc = gvContext();
    StrBuf missing = {0};
    gvl_sb_clear(&gv_message);
    agusererrf prev = agseterrf(gv_error);
    /* Graphviz's warnings ("scaling to fit") are not the user's mistakes */
    agerrlevel_t prev_level = agseterr(AGERR);
    int status = 0;
    StrBuf why = {0};
    size_t unplaced = 0, labels = 0;
    if (!have_plugins(gvc, ro->engine, ro->format, &missing) ||
        (nparts > 1 && !have_plugins(gvc, "nop2", ro->format, &missing))) {
        gvl_say("error", "Graphviz has no plugin for %s here. Install Debian's graphviz "
                        "and libgvc6 packages, then run 'dot -c' as root to register the plugins.",
                gvl_sb_str(&missing));
        status = 2;
    } else if ((nparts > 1 && !(whole = gvl_render_wrap(gvc, parts, nparts, &why))) ||
               (nparts == 1 && gvLayout(gvc, ag, ro->engine) != 0)) {
        if (gvl_memory_limit() >= 0 && strstr(gvl_sb_str(&gv_message), "not recognized")) {
            /* the plugin was listed, so it is there: under ulimit -v its
             * library could not be loaded (seen 1 run in 80 at 107 MiB) */
            gvl_say("error", "Graphviz could not load its layout plugin under the limit on memory (ulimit -v) "
                            "of %lld MiB; raise the limit, or write DOT (-T dot)",
                    (long long)(gvl_memory_limit() >> 20));
            status = 2;
        } else {
            if (!why.len) gvl_sb_printf(&why, "the %s layout failed", ro->engine);
            gvl_say("error", "%s%s%s", gvl_sb_str(&why), gv_message.len ? ": " : "", gvl_sb_str(&gv_message));
            status = 1;
        }
    } else {
        if (whole) ag = whole;
        count_unplaced(ag, &unplaced, &labels);
        if (unplaced)
            gvl_say("note", "%zu of %zu edge labels had no room beside their edge and are left out "
                            "(dims lists every Jacobian size)", unplaced, labels);
        status = bitmap_fits(ag, ro->format);
        char *gv_data = NULL;
        unsigned int gv_len = 0;
        if (status) {
            /* the message is printed */
        } else if (gvRenderData(gvc, ag, ro->format, &gv_data, &gv_len) != 0 || !gv_data) {
            gvl_say("error", "rendering %s failed%s%s", ro->format, gv_message.len ? ": " : "",
                    gvl_sb_str(&gv_message));
            status = 1;
        } else if (strcmp(ro->format, "svg") == 0 && !ro->html) {
            *data = svg_titles(gv_data, gv_len, len);
        } else {
            *data = gvl_xmalloc(gv_len);
            memcpy(*data, gv_data, gv_len);
            *len = gv_len;
        }
        if (gv_data) gvFreeRenderData(gv_data);
        gvFreeLayout(gvc, ag);
        if (whole) agclose(whole);
    }
    agseterrf(prev);
    agseterr(prev_level);
    gvl_sb_free(&why);
    gvl_sb_free(&missing);
    gvl_sb_free(&gv_message);
    gvFreeContext(gvc);
    return status;
}

/* "SIGSEGV" */
static const char *signame(int sig)
{
    static char buf[32];
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev) snprintf(buf, sizeof buf, "SIG%s", abbrev);
    else snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}

/* Writes all of BUF to FD; false on a write error. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t k = write(fd, buf, len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        buf += k;
        len -= (size_t)k;
    }
    return true;
}

/* Passes on what the child printed on standard error: its own messages
 * as they are, and what a library wrote there itself ("(null): graph is
 * too large for cairo-renderer bitmaps") as a note, escaped.  Returns the
 * last such library line (malloc'd) or NULL, for a crash message. */
static char *pass_on_stderr(FILE *errf)
{
    char *last = NULL, *line = NULL;
    size_t cap = 0;
    ssize_t n;
    rewind(errf);
    while ((n = getline(&line, &cap, errf)) > 0) {
        /* ours: gvl_say's lines, as text or as JSON (--diagnostics-format) */
        if (strncmp(line, "graphviz-lab: ", 14) == 0 || (gvl_term_json() && strncmp(line, "{\"severity\":", 12) == 0)) {
            fwrite(line, 1, (size_t)n, stderr);
            continue;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (!n) continue;
        free(last);
        /* Graphviz names itself by its command name, which a library has not */
        last = gvl_term_escaped(strncmp(line, "(null): ", 8) == 0 ? line + 8 : line);
        double scale;
        if (sscanf(last, "graph is too large for cairo-renderer bitmaps. Scaling by %lf", &scale) == 1)
            /* our own words for the one message every large PNG gets */
            gvl_say("note", "the picture is larger than cairo's bitmap limit (32767 pixels a side), so the PNG "
                            "is drawn at %.0f%% of its size; -o OUT.svg or OUT.pdf keeps every detail",
                    scale * 100);
        else
            gvl_say("note", "Graphviz says: %s", last);
    }
    free(line);
    return last;
}

/* draw() in a child process, the bytes coming back through a pipe and
 * its standard error through a temporary file.  Graphviz, cairo, pango
 * and fontconfig do not survive running out of memory (a SIGSEGV in
 * cairo, a GLib abort when pango cannot start a thread): in a child, that
 * is a message and exit 2, never the user's crash.  An exit status other
 * than 0, 1 and 2 (valgrind's error code) is passed on. */
static int draw_isolated(Agraph_t **parts, int nparts, const RenderOptions *ro, char **data, size_t *len)
{
    int fds[2];
    fflush(gvl_stdout());   /* nothing buffered is written twice */
    fflush(stderr);
    FILE *errf = tmpfile(); /* unlinked already: nothing is left behind */
    if (!errf || pipe(fds) != 0) {
        if (errf) fclose(errf);
        return draw(parts, nparts, ro, data, len);
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        fclose(errf);
        return draw(parts, nparts, ro, data, len);
    }
    if (pid == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_DFL);
        dup2(fileno(errf), STDERR_FILENO);
        int st = draw(parts, nparts, ro, data, len);
        if (st == 0 && !write_all(fds[1], *data, *len)) st = 2;
        free(*data);
        for (int s = 0; s < nparts; s++) agclose(parts[s]);
        _exit(st);
    }
    close(fds[1]);
    StrBuf got = {0};
    char chunk[65536];
    for (;;) {
        ssize_t k = read(fds[0], chunk, sizeof chunk);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        gvl_sb_addn(&got, chunk, (size_t)k);
    }
    close(fds[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {}
    char *said = pass_on_stderr(errf);
    fclose(errf);
    int status;
    if (WIFEXITED(ws)) {
        status = WEXITSTATUS(ws);
    } else {
        int sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
        int64_t limit = gvl_memory_limit();
        if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
            gvl_say("error", "drawing was interrupted (%s)", signame(sig));
        } else if (limit >= 0) {
            gvl_say("error", "Graphviz crashed while drawing (%s): the limit on memory (ulimit -v) "
                            "is %lld MiB, most likely too little for this diagram; raise it, "
                            "or draw %s", signame(sig), (long long)(limit >> 20),
                    strcmp(ro->format, "svg") == 0 ? "fewer nodes, or write DOT (-T dot)"
                                                   : "SVG (-T svg), which needs the least");
        } else {
            gvl_say("error", "Graphviz crashed while drawing (%s)%s%s; please report it with the "
                            ".graph file", signame(sig), said ? " after saying: " : "", said ? said : "");
        }
        status = 2;
    }
    free(said);
    if (status == 0) {
        *len = got.len;
        *data = got.s ? got.s : gvl_xmalloc(1);
        gvl_sb_init(&got);   /* the bytes are the caller's now */
    }
    gvl_sb_free(&got);
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
    /* the page's diagram is an SVG drawn with IDs the page script uses */
    RenderOptions page_ro = *ro;
    bool page = strcmp(ro->format, "html") == 0;
    if (page) {
        page_ro.format = "svg";
        page_ro.html = true;
        ro = &page_ro;
    }
    /* the direction, and the columns of a deep graph, when left to us */
    RenderPlan plan;
    gvl_render_plan(&plan, g, v, ro);
    RenderOptions planned = *ro;
    planned.rankdir = plan.rankdir;
    planned.column = plan.column;
    planned.columns = plan.columns;
    planned.straight = plan.straight;
    ro = &planned;
    int nparts = plan.columns;
    Agraph_t **parts = gvl_xcalloc((size_t)nparts, sizeof *parts);
    RenderNotes notes = {0};
    size_t n_nodes = g->count;
    for (int s = 0; s < nparts; s++) {
        RenderNotes part_notes;
        planned.col = s;
        Agraph_t *ag = parts[s] = gvl_render_build(g, v, after, ro, &part_notes);
        notes.dropped_values |= part_notes.dropped_values;
        notes.dropped_labels |= part_notes.dropped_labels;
        notes.split_leaves |= part_notes.split_leaves;
        if (n_nodes > RENDER_XLABEL_FROM && nparts == 1) {
            /* caps on dot's network simplex and crossing minimisation
             * (a column of a wrapped graph is small enough without) */
            agsafeset(ag, "nslimit", "2", "");
            agsafeset(ag, "nslimit1", "2", "");
            agsafeset(ag, "mclimit", "0.2", "");
            agsafeset(ag, "searchsize", "10", "");
            agsafeset(ag, "remincross", "false", "");
            notes.tuned_layout = true;
        }
    }
    Agraph_t *ag = parts[0];
    if (nparts > 1)
        gvl_say("note", "%d ranks deep: drawn in %d columns, left to right; a dashed box stands for a "
                        "node drawn in an earlier column", plan.ranks, nparts);
    gvl_render_plan_free(&plan);
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
        free(parts);
        return status;
    }
    /* an estimate below what was ever measured: refusing here never
     * refuses a drawing that would have worked (bench/render-memory.sh
     * measures both, GVL_RENDER_NO_ESTIMATE=1 turning it off) */
    int64_t left = gvl_memory_left(), need = gvl_render_need(n_nodes);
    if (left >= 0 && left < need && !getenv("GVL_RENDER_NO_ESTIMATE")) {
        gvl_say("error", "drawing %zu nodes as %s needs at least %lld MiB of memory, and the limit "
                        "(ulimit -v) leaves %lld MiB; raise the limit, or write DOT (-T dot) and "
                        "lay it out elsewhere",
                n_nodes, ro->format, (long long)(need >> 20), (long long)(left >> 20));
        for (int s = 0; s < nparts; s++) agclose(parts[s]);
        free(parts);
        return 2;
    }
    char *data = NULL;
    size_t len = 0;
    status = draw_isolated(parts, nparts, ro, &data, &len);
    if (status == 0 && page) {
        StrBuf html = {0};
        gvl_render_html_page(&html, g, v, after, ro, data, len);
        status = write_out(ro, out, html.s, html.len);
        gvl_sb_free(&html);
    } else if (status == 0) {
        status = write_out(ro, out, data, len);
    }
    free(data);
    for (int s = 0; s < nparts; s++) agclose(parts[s]);
    free(parts);
    return status;
}
