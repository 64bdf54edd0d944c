/*
 * report_table.c - rendering a table in the four text formats.
 */
#include "report_table.h"

#include "arena.h"

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

void gvl_table_add(Table *t, const char *const *row)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->cells = gvl_xrealloc(t->cells, sizeof(char *) * (size_t)t->cap * (size_t)t->ncols);
        t->cell_width = gvl_xrealloc(t->cell_width, sizeof(uint16_t) * (size_t)t->cap * (size_t)t->ncols);
    }
    for (int c = 0; c < t->ncols; c++) {
        const char *s = row[c] ? row[c] : "";
        /* the length and the width in characters, in one pass */
        int w = 0;
        const char *p = s;
        for (; *p; p++) w += ((unsigned char)*p & 0xC0) != 0x80;
        if (w > t->width[c]) t->width[c] = w;
        t->cells[t->nrows * t->ncols + c] = gvl_arena_strndup(&t->text, s, (size_t)(p - s));
        t->cell_width[t->nrows * t->ncols + c] = (uint16_t)(w < UINT16_MAX ? w : UINT16_MAX);
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

/* N spaces: a million rows are padded, so not through printf. */
static void pad(FILE *out, int n)
{
    static const char spaces[] = "                                                                ";
    while (n > 0) {
        int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;
        fwrite_unlocked(spaces, 1, (size_t)k, out);
        n -= k;
    }
}

static void print_text(const Table *t, FILE *out)
{
    if (t->title) fprintf(out, "%s\n", t->title);
    for (int r = 0; r < t->nrows; r++) {
        /* unlocked: one thread writes, and the locking was a tenth of dims's time */
        fwrite_unlocked("  ", 1, 2, out);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            fputs_unlocked(s, out);
            if (c + 1 < t->ncols) pad(out, t->width[c] - t->cell_width[r * t->ncols + c] + 2);
        }
        fputc_unlocked('\n', out);
    }
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
