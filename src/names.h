/*
 * names.h - the name table: names written in the file, mapped to what they
 * stand for (the newest node of a tensor, the variable of a size symbol,
 * the tensor an `as` alias names).
 *
 * Open addressing over spans of the source text, so a name is never copied;
 * lookups by content also serve names that come from the command line.
 */
#ifndef GVL_NAMES_H
#define GVL_NAMES_H

#include "source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Node;

typedef struct NameSlot {
    Span name;              /* len 0: an empty slot */
    uint32_t hash;
    struct Node *node;      /* the newest node with this name, or the aliased tensor */
    int32_t sym;            /* a size symbol's variable, or -1 */
} NameSlot;

typedef struct NameTable {
    const char *text;       /* the source text the spans point into */
    NameSlot *slots;
    size_t cap, count;
} NameTable;

void gvl_names_init(NameTable *t, const char *text);
/* Room for about N names without growing (a hint: a table still grows). */
void gvl_names_reserve(NameTable *t, size_t n);
void gvl_names_free(NameTable *t);
/* The slot of NAME (a span of the text), made empty-valued if new. */
NameSlot *gvl_names_insert(NameTable *t, Span name);
/* The slot whose name is the LEN bytes at S, or NULL. */
const NameSlot *gvl_names_find(const NameTable *t, const char *s, size_t len);
NameSlot *gvl_names_find_mut(NameTable *t, const char *s, size_t len);
/* The closest name to S for "did you mean", or NULL when none is close. */
const NameSlot *gvl_names_suggest(const NameTable *t, const char *s, size_t len);

#endif
