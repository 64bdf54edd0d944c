/*
 * render_plan.h - the layout a diagram gets when the user leaves it to us
 * (render_plan.c): its direction, and for a deep graph the columns it is
 * wrapped into, chosen from the graph's depth and breadth before anything
 * is laid out.
 */
#ifndef GVL_RENDER_PLAN_H
#define GVL_RENDER_PLAN_H

#include "render.h"

/* More ranks than this and the diagram runs top to bottom. */
enum { PLAN_LR_MAX_RANKS = 8 };

typedef struct RenderPlan {
    const char *rankdir;   /* LR or TB: the user's, or chosen */
    int ranks;             /* how deep the drawn graph is (a collapsed call counts once) */
    bool straight;         /* deep: the ops keep to one line where they can (dot's group) */
    int columns;           /* 1, or the columns a deep graph is wrapped into */
    int *column;           /* per node, its column (NULL when columns == 1) */
} RenderPlan;

/* Plans the drawing of G with RO (RO->rankdir NULL: choose).  Free with
 * gvl_render_plan_free. */
void gvl_render_plan(RenderPlan *plan, const Graph *g, const Values *v, const RenderOptions *ro);
void gvl_render_plan_free(RenderPlan *plan);

#endif
