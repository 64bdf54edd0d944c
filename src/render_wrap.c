/*
 * render_wrap.c - a deep graph drawn in columns (see render_wrap.h).
 *
 * Each column is a graph of its own, laid out by dot; the column with
 * every position written as attributes (attach_attrs, what dot -Tdot
 * writes) goes,
 * as a subgraph, into one graph, each moved right past the one before and
 * up to a common top, and that graph is drawn with Graphviz's "nop2"
 * layout, which keeps the positions it is given: so each box, edge,
 * cluster and label is where dot put it in its column.  dot's cost grows
 * faster than the nodes (5000 in one piece took 18 s, 10 s of it in one
 * network simplex), so forty columns of 120 cost far less than the whole.
 */
#include "render_wrap.h"

#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Points between two columns. */
enum { COLUMN_GAP = 36 };

/* VALUE with every coordinate pair moved by (DX, DY): a node's "x,y", an
 * edge's "e,x,y s,x,y x,y ...", a cluster's "x1,y1,x2,y2". */
static void shift_points(StrBuf *out, const char *value, double dx, double dy)
{
    gvl_sb_clear(out);
    const char *p = value;
    int k = 0;   /* coordinates so far: even ones are x */
    while (*p) {
        if ((p[0] == 'e' || p[0] == 's') && p[1] == ',') {
            gvl_sb_addn(out, p, 2);
            p += 2;
            continue;
        }
        char *end;
        double x = strtod(p, &end);
        if (end == p) {
            gvl_sb_addn(out, p, 1);
            p++;
            continue;
        }
        gvl_sb_printf(out, "%.2f", x + (k++ % 2 == 0 ? dx : dy));
        p = end;
    }
}

static void shift_attr(void *obj, const char *key, double dx, double dy, StrBuf *tmp)
{
    char *value = agget(obj, (char *)key);
    if (!value || !*value) return;
    shift_points(tmp, value, dx, dy);
    agsafeset(obj, (char *)key, (char *)gvl_sb_str(tmp), "");
}

static void shift_graph(Agraph_t *sub, double dx, double dy, StrBuf *tmp)
{
    static const char *const edge_keys[] = {"pos", "lp", "xlp", "head_lp", "tail_lp"};
    for (Agnode_t *n = agfstnode(sub); n; n = agnxtnode(sub, n)) {
        shift_attr(n, "pos", dx, dy, tmp);
        shift_attr(n, "xlp", dx, dy, tmp);
        for (Agedge_t *e = agfstout(sub, n); e; e = agnxtout(sub, e))
            for (size_t k = 0; k < sizeof edge_keys / sizeof edge_keys[0]; k++) shift_attr(e, edge_keys[k], dx, dy, tmp);
    }
}

/* Moves every cluster of SUB, at any depth, by (DX, DY); shift_graph
 * has moved the nodes and edges already (a subgraph's nodes are SUB's). */
static void shift_clusters(Agraph_t *sub, double dx, double dy, StrBuf *tmp)
{
    for (Agraph_t *c = agfstsubg(sub); c; c = agnxtsubg(c)) {
        shift_attr(c, "bb", dx, dy, tmp);
        shift_attr(c, "lp", dx, dy, tmp);
        shift_clusters(c, dx, dy, tmp);
    }
}

Agraph_t *gvl_render_wrap(GVC_t *gvc, Agraph_t **parts, int nparts, StrBuf *err)
{
    StrBuf all = {0}, tmp = {0};
    double *width = gvl_xcalloc((size_t)nparts, sizeof *width);
    double *height = gvl_xcalloc((size_t)nparts, sizeof *height);
    gvl_sb_add(&all, "digraph \"graph\" {\n");
    for (int s = 0; s < nparts; s++) {
        char *text = NULL;
        size_t len = 0;
        if (gvLayout(gvc, parts[s], "dot") != 0) {
            gvl_sb_printf(err, "the dot layout of column %d failed", s + 1);
            goto fail;
        }
        boxf bb = GD_bb(parts[s]);
        width[s] = bb.UR.x - bb.LL.x;
        height[s] = bb.UR.y - bb.LL.y;
        /* the positions as attributes (what dot -Tdot writes), then the text */
        attach_attrs(parts[s]);
        FILE *mem = open_memstream(&text, &len);
        if (!mem || agwrite(parts[s], mem) == EOF) gvl_out_of_memory();
        fclose(mem);
        gvFreeLayout(gvc, parts[s]);
        /* the column's statements, inside a subgraph of the whole */
        const char *open = memchr(text, '{', len), *close = text + len;
        while (close > text && close[-1] != '}') close--;
        if (!open || close <= open + 1) {
            free(text);
            gvl_sb_printf(err, "column %d's layout is not a graph", s + 1);
            goto fail;
        }
        gvl_sb_printf(&all, "subgraph gvl_column%d {\n", s);
        gvl_sb_addn(&all, open + 1, (size_t)(close - 1 - (open + 1)));
        gvl_sb_add(&all, "}\n");
        free(text);
    }
    gvl_sb_add(&all, "}\n");
    Agraph_t *whole = agmemread(gvl_sb_str(&all));
    if (!whole) {
        gvl_sb_add(err, "reading the columns back failed");
        goto fail;
    }
    double top = 0, x = 0;
    for (int s = 0; s < nparts; s++)
        if (height[s] > top) top = height[s];
    for (int s = 0; s < nparts; s++) {
        char name[32];
        snprintf(name, sizeof name, "gvl_column%d", s);
        Agraph_t *sub = agsubg(whole, name, 0);
        if (sub) {
            shift_graph(sub, x, top - height[s], &tmp);
            shift_clusters(sub, x, top - height[s], &tmp);
        }
        x += width[s] + COLUMN_GAP;
    }
    gvl_sb_clear(&tmp);
    gvl_sb_printf(&tmp, "0,0,%.2f,%.2f", x - COLUMN_GAP, top);
    agsafeset(whole, "bb", (char *)gvl_sb_str(&tmp), "");
    if (gvLayout(gvc, whole, "nop2") != 0) {
        agclose(whole);
        gvl_sb_add(err, "placing the columns failed");
        goto fail;
    }
    free(width);
    free(height);
    gvl_sb_free(&all);
    gvl_sb_free(&tmp);
    return whole;
fail:
    free(width);
    free(height);
    gvl_sb_free(&all);
    gvl_sb_free(&tmp);
    return NULL;
}
