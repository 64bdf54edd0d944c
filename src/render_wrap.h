/*
 * render_wrap.h - a deep graph drawn in columns side by side
 * (render_wrap.c): each column laid out by dot on its own, then placed.
 */
#ifndef GVL_RENDER_WRAP_H
#define GVL_RENDER_WRAP_H

#include "strbuf.h"

#include <graphviz/gvc.h>

/* Lays out each of the NPARTS graphs with dot and returns one graph
 * holding them all, left to right, top-aligned, laid out (with nop2) and
 * ready for gvRenderData; the caller frees it with gvFreeLayout and
 * agclose.  NULL on failure, with the reason in ERR. */
Agraph_t *gvl_render_wrap(GVC_t *gvc, Agraph_t **parts, int nparts, StrBuf *err);

#endif
