/*
 * suggest.c - the edit distance behind every "did you mean".
 */
#include "suggest.h"

#include <ctype.h>

int gvl_edit_distance(const char *a, size_t na, const char *b, size_t nb, int cap)
{
    /* Levenshtein plus swaps of neighbours ("cots" for "cost" is one typo) */
    if (na > 64 || nb > 64) return cap + 1;
    int rows[3][65];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++) prev[j] = (int)j;
    int prev_best = 0;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            /* case is no typo: MSE is mse at distance 0 */
            int sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            int v = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < best) best = v;
        }
        /* a row only grows from the two rows before it */
        if (best > cap && prev_best > cap) return cap + 1;
        prev_best = best;
        int *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}
