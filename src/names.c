/*
 * names.c - the hash table of names, and suggestions from it.
 */
#include "names.h"

#include "arena.h"
#include "suggest.h"

#include <string.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20 };

static uint32_t hash_text(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

void gvl_names_init(NameTable *t, const char *text)
{
    memset(t, 0, sizeof *t);
    t->text = text;
}

static void free_slots(NameSlot *slots, size_t cap);

void gvl_names_free(NameTable *t)
{
    free_slots(t->slots, t->cap);
    t->slots = NULL;
    t->cap = t->count = 0;
}

/* The slot holding S, or the empty slot where it would go. */
static size_t probe(const NameTable *t, const char *s, size_t n, uint32_t h)
{
    size_t j = h & (t->cap - 1);
    while (t->slots[j].name.len) {
        const NameSlot *e = &t->slots[j];
        if (e->hash == h && e->name.len == n && memcmp(t->text + e->name.off, s, n) == 0) break;
        j = (j + 1) & (t->cap - 1);
    }
    return j;
}

/* NCAP empty slots.  A big table is probed at random, one TLB miss a
 * probe with 4 KiB pages; on 2 MiB pages (where the kernel grants them)
 * `check` of a million nodes took 0.98 s against 1.07 s (median of 5). */
static NameSlot *new_slots(size_t ncap)
{
    size_t bytes = ncap * sizeof(NameSlot);
    if (bytes < HUGE_PAGE) return gvl_xcalloc(ncap, sizeof(NameSlot));
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) gvl_out_of_memory();
    madvise(p, bytes, MADV_HUGEPAGE);
    return p;   /* zeroed by the kernel */
}

static void free_slots(NameSlot *slots, size_t cap)
{
    if (!slots) return;
    if (cap * sizeof(NameSlot) < HUGE_PAGE) free(slots);
    else munmap(slots, cap * sizeof(NameSlot));
}

static void grow(NameTable *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 64;
    NameSlot *ns = new_slots(ncap);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].name.len) continue;
        size_t j = t->slots[i].hash & (ncap - 1);
        while (ns[j].name.len) j = (j + 1) & (ncap - 1);
        ns[j] = t->slots[i];
    }
    free_slots(t->slots, t->cap);
    t->slots = ns;
    t->cap = ncap;
}

void gvl_names_reserve(NameTable *t, size_t n)
{
    /* growing rehashed every name at each doubling, in random order */
    while (t->cap < 2 * n) grow(t);
}

NameSlot *gvl_names_insert(NameTable *t, Span name)
{
    if ((t->count + 1) * 2 > t->cap) grow(t);
    const char *s = t->text + name.off;
    uint32_t h = hash_text(s, name.len);
    NameSlot *e = &t->slots[probe(t, s, name.len, h)];
    if (!e->name.len) {
        e->name = name;
        e->hash = h;
        e->node = NULL;
        e->sym = -1;
        t->count++;
    }
    return e;
}

const NameSlot *gvl_names_find(const NameTable *t, const char *s, size_t len)
{
    if (!t->cap || len == 0) return NULL;
    const NameSlot *e = &t->slots[probe(t, s, len, hash_text(s, len))];
    return e->name.len ? e : NULL;
}

NameSlot *gvl_names_find_mut(NameTable *t, const char *s, size_t len)
{
    /* the slot is T's own, so the table's owner may change it */
    return (NameSlot *)gvl_names_find(t, s, len);
}

const NameSlot *gvl_names_suggest(const NameTable *t, const char *s, size_t n)
{
    const NameSlot *best = NULL;
    /* any one-letter name is one edit from any other: short names only
     * match when they differ in case alone (Y for y) */
    int best_d = n <= 2 ? 0 : n <= 4 ? 1 : 2;
    for (size_t i = 0; i < t->cap; i++) {
        const NameSlot *e = &t->slots[i];
        if (!e->name.len) continue;
        int d = gvl_edit_distance(s, n, t->text + e->name.off, e->name.len, best_d);
        if (d <= best_d && (!best || d < best_d)) {
            best = e;
            best_d = d;
        }
    }
    return best;
}
