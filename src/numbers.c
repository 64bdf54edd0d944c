/*
 * numbers.c - how numbers are written in text: %g with a precision, the
 * shortest decimal that reads back exactly, and a tensor's summary.
 * Shared by every report (text tables, cells, JSON strings).
 */
#include "numbers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gvl_fmt_number(StrBuf *out, double x, int precision)
{
    if (isnan(x)) gvl_sb_add(out, "nan");
    else if (isinf(x)) gvl_sb_add(out, x > 0 ? "inf" : "-inf");
    else gvl_sb_printf(out, "%.*g", precision, x);
}

void gvl_fmt_summary(StrBuf *out, const Tensor *t, int precision)
{
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int64_t i = 0; i < t->numel; i++) {
        lo = fmin(lo, t->data[i]);
        hi = fmax(hi, t->data[i]);
        sum += t->data[i];
    }
    gvl_sb_add(out, "min ");
    gvl_fmt_number(out, lo, precision);
    gvl_sb_add(out, ", max ");
    gvl_fmt_number(out, hi, precision);
    gvl_sb_add(out, ", mean ");
    gvl_fmt_number(out, sum / (double)t->numel, precision);
}

void gvl_fmt_exact(StrBuf *out, double x)
{
    if (!isfinite(x)) {
        gvl_fmt_number(out, x, 17);
        return;
    }
    char buf[32];   /* %.17g of a double needs at most 24 bytes */
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*g", p, x);
        if (strtod(buf, NULL) == x) break;
    }
    gvl_sb_add(out, buf);
}

