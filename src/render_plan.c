/*
 * render_plan.c - the layout a diagram gets when the user leaves it to us
 * (see render_plan.h).
 *
 * Left to right suits the lab's graphs, a few ranks deep: the boxes are
 * wider than tall and a slide is wider than tall.  A deeper graph (a
 * 3-layer MLP, a small CNN) drawn left to right is a strip thousands of
 * pixels long, so past PLAN_LR_MAX_RANKS ranks it runs top to bottom; and
 * a graph deeper than a few screens is cut, by rank, into columns laid out
 * side by side (render_wrap.c), each a fraction of the whole for dot,
 * whose layout cost grows faster than linearly in the nodes.
 *
 * The estimate counts ranks and boxes per rank only; the sizes are
 * typical ones, measured on bench/gen-chain.sh's chains of 40 to 5000
 * nodes: a box about 140 points tall with values, 40 without, 36 between
 * ranks and as much again for a rank of edge labels; 150 points a box
 * across (with its values, or the labels beside its edges, or the
 * copies of a shared leaf beside it).
 */
#include "render_plan.h"

#include "render_calls.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Wrap when a column would be taller than this (points; 3 screens). */
enum { WRAP_MIN_HEIGHT = 2400 };

/* The outermost call around N, or NULL: its nodes stay in one column, so
 * that its cluster is drawn whole. */
static const CallSite *top_call(const Node *n)
{
    const CallSite *c = n->call;
    while (c && c->parent) c = c->parent;
    return c;
}

void gvl_render_plan(RenderPlan *plan, const Graph *g, const Values *v, const RenderOptions *ro)
{
    memset(plan, 0, sizeof *plan);
    plan->columns = 1;
    size_t n = g->count;
    /* ranks: an op one past its deepest operand (none past one in its own
     * box); a leaf just before its first use, as dot places it */
    int *rank = gvl_xcalloc(n ? n : 1, sizeof *rank);
    const CallSite **call_box = gvl_render_call_boxes(g, ro);
    const CallSite **box = gvl_xcalloc(n ? n : 1, sizeof *box);   /* per node */
    for (size_t i = 0; i < n; i++) {
        const Node *a = g->nodes[i];
        box[i] = a->call ? call_box[a->call->index] : NULL;
        int r = 0;
        for (int k = 0; k < a->nsrc; k++) {
            const Node *u = a->src[k];
            int ru = rank[u->id] + (box[i] && box[u->id] == box[i] ? 0 : 1);
            if (ru > r) r = ru;
        }
        rank[i] = r;
    }
    for (size_t i = n; i-- > 0;) {
        const Node *a = g->nodes[i];
        for (int k = 0; k < a->nsrc; k++) {
            const Node *u = a->src[k];
            if (u->nsrc == 0 && (rank[u->id] == 0 || rank[i] - 1 < rank[u->id]))
                rank[u->id] = rank[i] > 0 ? rank[i] - 1 : 0;
        }
    }
    int ranks = 0;
    for (size_t i = 0; i < n; i++)
        if (rank[i] + 1 > ranks) ranks = rank[i] + 1;
    int *per_rank = gvl_xcalloc((size_t)ranks + 1, sizeof *per_rank);
    int breadth = 0;
    for (size_t i = 0; i < n; i++) {
        /* a box counts once, at its result */
        if (box[i] && g->nodes[i] != box[i]->result) continue;
        if (++per_rank[rank[i]] > breadth) breadth = per_rank[rank[i]];
    }
    free(per_rank);
    free(box);
    free(call_box);
    plan->ranks = ranks;
    plan->rankdir = ro->rankdir ? ro->rankdir : ranks > PLAN_LR_MAX_RANKS ? "TB" : "LR";
    /* a deep chain drifts sideways rank by rank (each skip edge pushing
     * it), doubling a column's width: dot keeps a group's edges straight */
    plan->straight = ranks > PLAN_LR_MAX_RANKS;

    /* the columns: only dot draws ranks, and DOT is written whole, for the
     * user to lay out as they like */
    bool values = ro->values && v && n <= RENDER_VALUES_MAX_NODES;
    bool labels = ro->jacobians && n <= RENDER_LABELS_MAX_NODES;
    bool label_ranks = labels && n <= RENDER_XLABEL_FROM;
    double rank_h = (values ? 140 : 40) + 36 + (label_ranks ? 36 : 0);
    double col_w = breadth * 150.0 + 60;
    if (strcmp(ro->engine, "dot") != 0 || strcmp(ro->format, "dot") == 0 || strcmp(plan->rankdir, "TB") != 0 ||
        ranks * rank_h <= WRAP_MIN_HEIGHT) {
        free(rank);
        return;
    }
    /* as many columns as make the whole about 4:3 */
    int columns = (int)lround(sqrt(4.0 / 3.0 * ranks * rank_h / col_w));
    if (columns < 2) {
        free(rank);
        return;
    }
    int per_column = (ranks + columns - 1) / columns;
    plan->column = gvl_xcalloc(n ? n : 1, sizeof *plan->column);
    for (size_t i = 0; i < n; i++) {
        /* a call's nodes go with its last one, so that its cluster is whole */
        const CallSite *c = top_call(g->nodes[i]);
        int r = c && c->end > c->first ? rank[c->end - 1] : rank[i];
        plan->column[i] = r / per_column;
    }
    /* a leaf goes with its first use: the earliest column that uses it */
    for (size_t i = 0; i < n; i++)
        if (g->nodes[i]->nsrc == 0 && !g->nodes[i]->call) plan->column[i] = INT_MAX;
    for (size_t i = 0; i < n; i++) {
        const Node *a = g->nodes[i];
        for (int k = 0; k < a->nsrc; k++) {
            const Node *u = a->src[k];
            if (u->nsrc == 0 && !u->call && plan->column[i] < plan->column[u->id])
                plan->column[u->id] = plan->column[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        if (plan->column[i] == INT_MAX) plan->column[i] = rank[i] / per_column;
    int used = 0;
    for (size_t i = 0; i < n; i++)
        if (plan->column[i] + 1 > used) used = plan->column[i] + 1;
    plan->columns = used;
    free(rank);
}

void gvl_render_plan_free(RenderPlan *plan)
{
    free(plan->column);
    plan->column = NULL;
}
