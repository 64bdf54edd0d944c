/*
 * report_table.c - rendering a table in the four text formats.
 */
#include "report_table.h"

#include "arena.h"
#include "strbuf.h"

#include <limits.h>
#include <string.h>

void gvl_table_init(Table *t, const char *title, int ncols, const char *const *headers)
{
    memset(t, 0, sizeof *t);
    gvl_arena_init(&t->text);
    t->title = title;
    t->ncols = ncols;
    t->width = gvl_xcalloc((size_t)ncols, sizeof *t->width);
    gvl_table_add(t, headers);
}

static void resize(Table *t, int cap)
{
    t->cap = cap;
    t->cells = gvl_xrealloc(t->cells, sizeof(char *) * (size_t)t->cap * (size_t)t->ncols);
    t->cell_width = gvl_xrealloc(t->cell_width, sizeof(uint16_t) * (size_t)t->cap * (size_t)t->ncols);
}

void gvl_table_reserve(Table *t, size_t rows)
{
    if (rows + 1 > (size_t)t->cap && rows < INT_MAX / 2) resize(t, (int)rows + 1);
}

void gvl_table_add(Table *t, const char *const *row)
{
    if (t->nrows == t->cap) resize(t, t->cap ? t->cap * 2 : 16);
    /* the row's cells in one piece of the arena, one after the other */
    size_t total = 0;
    for (int c = 0; c < t->ncols; c++) total += (row[c] ? strlen(row[c]) : 0) + 1;
    char *at = gvl_arena_alloc_uninit(&t->text, total);
    for (int c = 0; c < t->ncols; c++) {
        const char *s = row[c] ? row[c] : "";
        int w = 0;
        size_t n = 0;
        for (; s[n]; n++) w += ((unsigned char)s[n] & 0xC0) != 0x80;
        if (w > t->width[c]) t->width[c] = w;
        memcpy(at, s, n + 1);
        t->cells[t->nrows * t->ncols + c] = at;
        t->cell_width[t->nrows * t->ncols + c] = (uint16_t)(w < UINT16_MAX ? w : UINT16_MAX);
        at += n + 1;
    }
    t->nrows++;
}

void gvl_table_free(Table *t)
{
    gvl_arena_free(&t->text);
    free(t->cells);
    free(t->width);
    free(t->cell_width);
    memset(t, 0, sizeof *t);
}

int gvl_text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static void print_text(const Table *t, FILE *out)
{
    if (t->title) fprintf(out, "%s\n", t->title);
    /* each line made whole, then written at once (unlocked: one thread
     * writes), where three stdio calls a cell were a tenth of dims's time */
    StrBuf line = {0};
    for (int r = 0; r < t->nrows; r++) {
        gvl_sb_clear(&line);
        gvl_sb_addn(&line, "  ", 2);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            gvl_sb_add(&line, s);
            if (c + 1 < t->ncols) gvl_sb_pad(&line, t->width[c] - t->cell_width[r * t->ncols + c] + 2);
        }
        gvl_sb_putc(&line, '\n');
        fwrite_unlocked(line.s, 1, line.len, out);
    }
    gvl_sb_free(&line);
}

static void print_md(const Table *t, FILE *out)
{
    if (t->title) fprintf(out, "### %s\n\n", t->title);
    for (int r = 0; r < t->nrows; r++) {
        fputc('|', out);
        for (int c = 0; c < t->ncols; c++) {
            fputc(' ', out);
            for (const char *s = t->cells[r * t->ncols + c]; *s; s++) {
                /* characters Markdown would read as markup */
                if (strchr("|*_`\\<", *s)) fputc('\\', out);
                fputc(*s, out);
            }
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (int c = 0; c < t->ncols; c++) fputs("---|", out);
            fputc('\n', out);
        }
    }
}

static void print_csv(const Table *t, FILE *out)
{
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (c) fputc(',', out);
            if (strpbrk(s, ",\"\n")) {
                fputc('"', out);
                for (; *s; s++) {
                    if (*s == '"') fputc('"', out);
                    fputc(*s, out);
                }
                fputc('"', out);
            } else {
                fputs(s, out);
            }
        }
        fputc('\n', out);
    }
}

static void print_latex(const Table *t, FILE *out)
{
    /* booktabs rules, as slides and papers set tables (\\usepackage{booktabs}) */
    if (t->title) fprintf(out, "%% %s\n", t->title);
    fputs("\\begin{tabular}{", out);
    for (int c = 0; c < t->ncols; c++) fputc('l', out);
    fputs("}\n\\toprule\n", out);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++)
            fprintf(out, "%s%s", c ? " & " : "", t->cells[r * t->ncols + c]);
        fputs(" \\\\\n", out);
        if (r == 0) fputs("\\midrule\n", out);
    }
    fputs("\\bottomrule\n\\end{tabular}\n", out);
}

void gvl_table_print(const Table *t, Format f, FILE *out)
{
    switch (f) {
    case FMT_MD: print_md(t, out); break;
    case FMT_CSV: print_csv(t, out); break;
    case FMT_LATEX: print_latex(t, out); break;
    default: print_text(t, out); break;
    }
}
