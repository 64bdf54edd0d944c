/*
 * report_table.h - one table of strings, printed as aligned text, Markdown, CSV
 * or LaTeX.  Reports build their sections as tables and never format
 * columns themselves, so every command gets every format for free.
 */
#ifndef GVL_REPORT_TABLE_H
#define GVL_REPORT_TABLE_H

#include "arena.h"

#include <stdint.h>
#include <stdio.h>

typedef enum { FMT_TEXT, FMT_MD, FMT_CSV, FMT_LATEX, FMT_JSON } Format;

typedef struct Table {
    const char *title;   /* printed above the table (text, md, latex) */
    int ncols;
    const char **cells;  /* row-major, header row first; owned by the table */
    int nrows;           /* including the header */
    int cap;
    Arena text;          /* the cells' copies: a million rows are not a million mallocs */
    int *width;          /* per column, its widest cell in characters (kept as rows come) */
    uint16_t *cell_width; /* per cell, its width (capped): the padding needs no second scan */
} Table;

void gvl_table_init(Table *t, const char *title, int ncols, const char *const *headers);
/* Room for ROWS more rows than the header without growing (a million
 * rows grew by copying twenty times). */
void gvl_table_reserve(Table *t, size_t rows);
/* Appends a row of NCOLS strings; they are copied. */
void gvl_table_add(Table *t, const char *const *row);
void gvl_table_free(Table *t);
/* Cells must already be in the target format's markup (LaTeX cells are
 * LaTeX); only CSV quoting and Markdown pipes are handled here. */
void gvl_table_print(const Table *t, Format f, FILE *out);
/* Display width of UTF-8 text: one column per code point. */
int gvl_text_width(const char *s);

#endif
