/*
 * arena.c - the bump allocator behind every phase.
 *
 * Blocks grow geometrically so a million-node graph needs only a few dozen
 * mallocs; a request larger than a block gets a block of its own.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t size, pos;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_FIRST = 16 * 1024, ARENA_MAX_BLOCK = 64 * 1024 * 1024 };

_Noreturn void gvl_out_of_memory(void)
{
    fputs("graphviz-lab: error: out of memory\n", stderr);
    exit(2);
}

void *gvl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) gvl_out_of_memory();
    return p;
}

void *gvl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) gvl_out_of_memory();
    return p;
}

void *gvl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) gvl_out_of_memory();
    return q;
}

void gvl_arena_init(Arena *a)
{
    a->head = NULL;
    a->used = 0;
}

void gvl_arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}

void gvl_arena_reset(Arena *a)
{
    if (!a->head) return;
    /* keep only the oldest block, the one allocations would start from */
    ArenaBlock *b = a->head, *keep = NULL;
    while (b) {
        ArenaBlock *next = b->next;
        if (!next) keep = b; else free(b);
        b = next;
    }
    keep->pos = 0;
    keep->next = NULL;
    a->head = keep;
    a->used = 0;
}

void *gvl_arena_alloc_uninit(Arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    ArenaBlock *b = a->head;
    if (!b || b->size - b->pos < size) {
        size_t bs = b ? b->size * 2 : ARENA_FIRST;
        if (bs > ARENA_MAX_BLOCK) bs = ARENA_MAX_BLOCK;
        if (bs < size) bs = size;
        if (bs > SIZE_MAX - sizeof(ArenaBlock)) gvl_out_of_memory();
        ArenaBlock *nb = malloc(sizeof(ArenaBlock) + bs);
        if (!nb) gvl_out_of_memory();
        nb->size = bs;
        nb->pos = 0;
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->pos;
    b->pos += size;
    a->used += size;
    return p;
}

void *gvl_arena_alloc(Arena *a, size_t size)
{
    void *p = gvl_arena_alloc_uninit(a, size);
    memset(p, 0, (size + 15) & ~(size_t)15);
    return p;
}

char *gvl_arena_strndup(Arena *a, const char *s, size_t n)
{
    /* no zeroing: every byte is written (a million table cells) */
    char *p = gvl_arena_alloc_uninit(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gvl_arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = gvl_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
