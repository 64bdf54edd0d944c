/*
 * render_budget.c - the memory a drawing needs against RLIMIT_AS (see
 * render_budget.h).
 */
#include "render_budget.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* Measured with bench/render-memory.sh (Debian 12, Graphviz 2.42): the
 * least ulimit -v that draws a graph, less what the program had mapped
 * before drawing, was 48 MiB for 10 nodes as SVG and 78 MiB for 2000;
 * these are kept below that, so a refusal is never wrong. */
#define NEED_BASE ((int64_t)40 << 20)
#define NEED_PER_NODE ((int64_t)8 << 10)

int64_t gvl_memory_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return -1;
    return rl.rlim_cur > INT64_MAX ? INT64_MAX : (int64_t)rl.rlim_cur;
}

int64_t gvl_memory_left(void)
{
    int64_t limit = gvl_memory_limit();
    if (limit < 0) return -1;
    /* what is mapped now: the first field of /proc/self/statm, in pages */
    long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld", &pages) != 1) pages = 0;
        fclose(f);
    }
    int64_t left = limit - (int64_t)pages * sysconf(_SC_PAGESIZE);
    return left > 0 ? left : 0;
}

int64_t gvl_render_need(size_t nodes)
{
    return NEED_BASE + NEED_PER_NODE * (int64_t)nodes;
}

int64_t gvl_bitmap_bytes(double width_px, double height_px)
{
    double bytes = (width_px + 1) * (height_px + 1) * 4;
    return bytes > 9e18 ? INT64_MAX : (int64_t)bytes;
}

int64_t gvl_bitmap_headroom(void)
{
    return (int64_t)32 << 20;
}
