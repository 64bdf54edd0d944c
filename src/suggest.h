/*
 * suggest.h - "did you mean": the edit distance between two names.
 *
 * Shared by the op registry (unknown ops) and the name table (unknown
 * tensors), so both suggest by the same measure.
 */
#ifndef GVL_SUGGEST_H
#define GVL_SUGGEST_H

#include <stddef.h>

/* Levenshtein distance plus swaps of neighbours, capped at CAP + 1 (cheap
 * for long names, which are never close to anything). */
int gvl_edit_distance(const char *a, size_t na, const char *b, size_t nb, int cap);

#endif
