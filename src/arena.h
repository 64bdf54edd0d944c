/*
 * arena.h - bump allocation for everything that lives as long as one run.
 *
 * Tokens, syntax, the graph and diagnostics are all allocated from arenas
 * and released together, so no phase has to free node by node.  A parser
 * that streams statements uses a second arena and resets it after each one,
 * which keeps memory proportional to the graph rather than to the text.
 */
#ifndef GVL_ARENA_H
#define GVL_ARENA_H

#include <stddef.h>
#include <stdlib.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;   /* newest block; allocation happens here */
    size_t used;        /* bytes handed out, for reporting */
} Arena;

void gvl_arena_init(Arena *a);
/* Releases every block.  The arena can be used again afterwards. */
void gvl_arena_free(Arena *a);
/* Keeps the first block and forgets everything allocated so far. */
void gvl_arena_reset(Arena *a);
/* Zeroed, 16-byte aligned memory; aborts only if the machine is out of memory. */
void *gvl_arena_alloc(Arena *a, size_t size);
/* SIZE bytes, not zeroed: for text the caller writes whole. */
void *gvl_arena_alloc_uninit(Arena *a, size_t size);
char *gvl_arena_strndup(Arena *a, const char *s, size_t n);
char *gvl_arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable array of pointers or values whose storage comes from malloc;
 * used where the final count is unknown (node lists, line tables). */
#define VEC_PUSH(arr, count, cap, value)                                     \
    do {                                                                     \
        if ((count) == (cap)) {                                              \
            size_t ncap_ = (cap) ? (size_t)(cap) * 2 : 16;                   \
            void *np_ = realloc((arr), ncap_ * sizeof(*(arr)));              \
            if (!np_) gvl_out_of_memory();                                   \
            (arr) = np_;                                                     \
            (cap) = ncap_;                                                   \
        }                                                                    \
        (arr)[(count)++] = (value);                                          \
    } while (0)

/* Prints a message and exits with status 2: the one allocation failure we
 * cannot turn into a diagnostic, because there is no memory left to do so. */
_Noreturn void gvl_out_of_memory(void);
void *gvl_xmalloc(size_t n);
void *gvl_xcalloc(size_t n, size_t size);
void *gvl_xrealloc(void *p, size_t n);

#endif
