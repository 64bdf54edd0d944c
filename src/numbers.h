/*
 * numbers.h - numbers as text (numbers.c).
 */
#ifndef GVL_NUMBERS_H
#define GVL_NUMBERS_H

#include "strbuf.h"
#include "tensor.h"

/* Appends "2.5", "nan", "-inf": %g with PRECISION significant digits. */
void gvl_fmt_number(StrBuf *out, double x, int precision);
/* Appends the shortest decimal that reads back as X ("0.1", "1e+100"), as
 * Python's repr prints it; "nan", "inf", "-inf" for the others. */
void gvl_fmt_exact(StrBuf *out, double x);
/* Appends "min -1, max 3, mean 0.5": how a tensor too large to print is shown. */
void gvl_fmt_summary(StrBuf *out, const Tensor *t, int precision);

#endif
