/*
 * render_budget.h - what drawing a diagram costs in memory, and what the
 * process's limit (ulimit -v) leaves for it.
 *
 * Graphviz, cairo, pango and fontconfig do not survive running out of
 * memory: under a tight `ulimit -v` they crash (SIGSEGV in cairo's surface
 * code, a GLib abort when pango cannot start a thread).  render.c guards
 * against that three ways: before the layout it refuses a limit below the
 * least a drawing of that many nodes was ever measured to need
 * (bench/render-memory.sh); after the layout it refuses a PNG whose bitmap
 * does not fit in what is left; and it draws in a child process, so that
 * what the estimates miss is still a message, not a crash.
 */
#ifndef GVL_RENDER_BUDGET_H
#define GVL_RENDER_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of address space the limit allows in all, or -1 without a limit. */
int64_t gvl_memory_limit(void);
/* Bytes of address space the limit still allows, or -1 without a limit. */
int64_t gvl_memory_left(void);
/* The least address space, beyond what is mapped already, that laying out
 * and drawing NODES nodes was measured to take. */
int64_t gvl_render_need(size_t nodes);
/* Bytes of a bitmap of W x H pixels (4 bytes a pixel). */
int64_t gvl_bitmap_bytes(double width_px, double height_px);
/* What cairo and pango take beside the bitmap itself. */
int64_t gvl_bitmap_headroom(void);

#endif
