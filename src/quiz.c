/*
 * quiz.c - the questions of a graph, the worksheet and the key (quiz.h).
 *
 * The worksheet starts with the graph itself, written back as a .graph
 * file: each declaration with the variant's shape and values, each ranged
 * size with the size drawn for it, every other line as the file has it.
 * Then comes one blank per question, in the answers format, so that a
 * student fills in the lines and hands them to grade as they are.
 */
#include "quiz.h"

#include "autodiff.h"
#include "format.h"
#include "json_writer.h"
#include "numbers.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const gvl_question_kind_names[QK_COUNT] = {"shape", "jacobian", "gradient", "value", "grad", "step"};
/* Each kind's answers-format keyword and its heading on the worksheet. */
static const struct {
    AnswerKind answer;
    const char *heading;
} kind_info[QK_COUNT] = {
    [QK_SHAPE] = {ANS_SHAPE, "The shape of each computed node"},
    [QK_JACOBIAN] = {ANS_SIZE, "The size of each edge's Jacobian (numerator layout: numel(v) x numel(u))"},
    [QK_GRADIENT] = {ANS_SIZE, "The size of each gradient of the loss (1 x numel(v))"},
    [QK_VALUE] = {ANS_VALUE, "The forward pass: each computed value"},
    [QK_GRAD] = {ANS_GRAD, "The backward pass: each gradient, shaped like its node"},
    [QK_STEP] = {ANS_STEP, "Each param after the optimize steps"},
};

AnswerKind gvl_question_answer_kind(QuestionKind k) { return kind_info[k].answer; }

static char *dup_sb(StrBuf *b)
{
    char *s = gvl_xmalloc(b->len + 1);
    memcpy(s, gvl_sb_str(b), b->len + 1);
    return s;
}

/* A new question, or NULL when its key is asked already: the Jacobian of
 * an edge into the loss and the loss's gradient are both dL/dy, the same
 * size, asked once. */
static Question *add(Quiz *qz, QuestionKind kind, const char *subject)
{
    char *key = gvl_answer_key(kind_info[kind].answer, subject);
    for (int i = 0; i < qz->n; i++)
        if (!strcmp(qz->q[i].key, key)) {
            free(key);
            return NULL;
        }
    if (qz->n == qz->cap) {
        qz->cap = qz->cap ? qz->cap * 2 : 32;
        qz->q = gvl_xrealloc(qz->q, sizeof *qz->q * (size_t)qz->cap);
    }
    Question *q = &qz->q[qz->n++];
    memset(q, 0, sizeof *q);
    q->kind = kind;
    q->key = key;
    return q;
}

/* "24", or "(m*(k+1))" when the count is an expression. */
static void numel_part(StrBuf *out, const Graph *g, const Node *n)
{
    Numel m = gvl_shape_numel(g, &n->shape);
    StrBuf t = {0};
    gvl_fmt_numel(&t, g, &m, true);
    bool plain = true;
    for (const char *p = gvl_sb_str(&t); *p; p++) plain &= isalnum((unsigned char)*p) || *p == '_';
    gvl_sb_printf(out, plain ? "%s" : "(%s)", gvl_sb_str(&t));
    gvl_sb_free(&t);
}

static void size_of(Question *q, const Graph *g, const Node *of, const Node *wrt)
{
    StrBuf b = {0};
    if (of) numel_part(&b, g, of);
    else gvl_sb_add(&b, "1");
    gvl_sb_putc(&b, 'x');
    numel_part(&b, g, wrt);
    q->size = dup_sb(&b);
    q->expect = (Expected){true, q->size, NULL, 0};
    gvl_sb_free(&b);
}

static void numbers_of(Question *q, const Tensor *t)
{
    q->t = t;
    q->expect = (Expected){false, NULL, t->data, t->numel};
}

static void prompt(Question *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void prompt(Question *q, const char *fmt, ...)
{
    StrBuf p = {0};
    va_list ap;
    va_start(ap, fmt);
    gvl_sb_vprintf(&p, fmt, ap);
    va_end(ap);
    q->prompt = dup_sb(&p);
    gvl_sb_free(&p);
}

bool gvl_quiz_build(Quiz *qz, const Graph *g, const Values *v, const Values *after, const Node *root,
                    unsigned kinds, const char *only, bool named_nodes, StrBuf *err)
{
    memset(qz, 0, sizeof *qz);
    qz->g = g;
    qz->v = v;
    qz->after = after;
    qz->root = root;
    bool *grads = root ? gvl_graph_gradient_nodes(g, root) : NULL;
    StrBuf name = {0}, other = {0};
    for (int k = 0; k < QK_COUNT; k++) {
        if (!(kinds & (1u << k))) continue;
        for (size_t i = 0; i < g->count; i++) {
            const Node *n = g->nodes[i];
            if (n->literal) continue;
            gvl_sb_clear(&name);
            gvl_fmt_display_name(&name, g, n);
            const char *nm = gvl_sb_str(&name);
            /* a student's graph answers for its named nodes; a worksheet
             * asks what is computed (the leaves are given) */
            bool asked = named_nodes ? n->named : n->kind == NK_OP;
            if (k == QK_SHAPE && asked) {
                Question *q = add(qz, QK_SHAPE, nm);
                if (!q) continue;
                StrBuf s = {0};
                gvl_fmt_shape(&s, g, &n->shape, true);
                q->size = dup_sb(&s);
                q->expect = (Expected){true, q->size, NULL, 0};
                gvl_sb_free(&s);
                prompt(q, "the shape of %s", nm);
            } else if (k == QK_JACOBIAN && !named_nodes) {
                for (int s = 0; s < n->nsrc; s++) {
                    if (!gvl_node_first_use(n, s) || !gvl_node_edge_differentiable(n, s)) continue;
                    gvl_sb_clear(&other);
                    gvl_fmt_partial(&other, g, n, n->src[s], "d");
                    Question *q = add(qz, QK_JACOBIAN, gvl_sb_str(&other));
                    if (!q) continue;
                    size_of(q, g, n, n->src[s]);
                    prompt(q, "the size of the Jacobian %s", gvl_sb_str(&other));
                }
            } else if (k == QK_GRADIENT && !named_nodes && grads && grads[i] && n != root) {
                gvl_sb_clear(&other);
                gvl_fmt_partial(&other, g, root, n, "d");
                Question *q = add(qz, QK_GRADIENT, gvl_sb_str(&other));
                if (!q) continue;
                size_of(q, g, NULL, n);
                prompt(q, "the size of %s", gvl_sb_str(&other));
            } else if (k == QK_VALUE && v && (named_nodes ? n->named : n->kind == NK_OP)) {
                Question *q = add(qz, QK_VALUE, nm);
                if (!q) continue;
                numbers_of(q, v->val[i]);
                prompt(q, "the value of %s", nm);
            } else if (k == QK_GRAD && v && v->grad[i] && n != root && (!named_nodes || n->named)) {
                Question *q = add(qz, QK_GRAD, nm);
                if (!q) continue;
                numbers_of(q, v->grad[i]);
                gvl_sb_clear(&other);
                gvl_fmt_partial(&other, g, root, n, "d");
                prompt(q, "the gradient %s, shaped like %s", gvl_sb_str(&other), nm);
            } else if (k == QK_STEP && after && n->kind == NK_PARAM && !named_nodes) {
                Question *q = add(qz, QK_STEP, nm);
                if (!q) continue;
                numbers_of(q, after->val[i]);
                prompt(q, "%s after the optimize steps", nm);
            }
        }
    }
    free(grads);
    gvl_sb_free(&name);
    gvl_sb_free(&other);
    if (!only) return true;
    /* --only: the questions named, in the order given */
    Quiz kept = *qz;
    kept.q = NULL;
    kept.n = kept.cap = 0;
    bool ok = true;
    const char *p = only;
    while (ok && *p) {
        const char *start = p;
        int depth = 0;
        while (*p && (depth || *p != ',')) {
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            p++;
        }
        /* the item as a key: KIND(SUBJECT), blanks folded */
        StrBuf item = {0};
        gvl_sb_addn(&item, start, (size_t)(p - start));
        const char *it = gvl_sb_str(&item), *open = strchr(it, '(');
        size_t close = item.len;
        while (close > 0 && isspace((unsigned char)it[close - 1])) close--;
        int kind = -1;
        if (open && close > 0 && it[close - 1] == ')') {
            size_t k0 = 0, k1 = (size_t)(open - it);
            while (k0 < k1 && isspace((unsigned char)it[k0])) k0++;
            while (k1 > k0 && isspace((unsigned char)it[k1 - 1])) k1--;
            for (int k = 0; k < ANS_KIND_COUNT; k++)
                if (k1 - k0 == strlen(gvl_answer_kind_names[k]) && !memcmp(it + k0, gvl_answer_kind_names[k], k1 - k0))
                    kind = k;
        }
        int found = -1;
        if (kind >= 0) {
            StrBuf subj = {0};
            gvl_sb_addn(&subj, open + 1, close - 1 - (size_t)(open + 1 - it));
            char *key = gvl_answer_key((AnswerKind)kind, gvl_sb_str(&subj));
            for (int i = 0; i < qz->n && found < 0; i++)
                if (qz->q[i].key && !strcmp(qz->q[i].key, key)) found = i;
            free(key);
            gvl_sb_free(&subj);
        }
        if (found < 0) {
            gvl_sb_printf(err, "--only: %s has no question '%s' (quiz %s lists them all)", g->src->name, it,
                          g->src->name);
            ok = false;
        } else {
            if (kept.n == kept.cap) {
                kept.cap = kept.cap ? kept.cap * 2 : 8;
                kept.q = gvl_xrealloc(kept.q, sizeof *kept.q * (size_t)kept.cap);
            }
            kept.q[kept.n++] = qz->q[found];
            qz->q[found].key = NULL;   /* moved */
            qz->q[found].prompt = qz->q[found].size = NULL;
        }
        gvl_sb_free(&item);
        if (*p == ',') p++;
    }
    Quiz all = *qz;
    *qz = kept;
    gvl_quiz_free(&all);
    return ok;
}

void gvl_quiz_free(Quiz *qz)
{
    for (int i = 0; i < qz->n; i++) {
        free(qz->q[i].key);
        free(qz->q[i].prompt);
        free(qz->q[i].size);
    }
    free(qz->q);
    qz->q = NULL;
    qz->n = qz->cap = 0;
}

/* ---- answers as text --------------------------------------------------- */

static void tensor_rec(StrBuf *out, const Tensor *t, int dim, int64_t *at)
{
    if (dim == t->ndim) {
        gvl_fmt_exact(out, t->data[(*at)++]);
        return;
    }
    gvl_sb_putc(out, '[');
    for (int64_t i = 0; i < t->dims[dim]; i++) {
        if (i) gvl_sb_add(out, ", ");
        tensor_rec(out, t, dim + 1, at);
    }
    gvl_sb_putc(out, ']');
}

void gvl_quiz_tensor_text(StrBuf *out, const Tensor *t)
{
    int64_t at = 0;
    tensor_rec(out, t, 0, &at);
}

void gvl_quiz_answer_text(StrBuf *out, const Question *q)
{
    if (q->expect.is_size) {
        gvl_sb_add(out, q->size);
        return;
    }
    gvl_quiz_tensor_text(out, q->t);
}

void gvl_quiz_key(const Quiz *qz, StrBuf *out)
{
    gvl_sb_printf(out, "# The answers to the worksheet of %s", qz->g->src->name);
    if (qz->has_variant) gvl_sb_printf(out, ", variant %llu", (unsigned long long)qz->variant);
    gvl_sb_add(out, " (graphviz-lab quiz --key)\n");
    for (int i = 0; i < qz->n; i++) {
        const Question *q = &qz->q[i];
        gvl_sb_printf(out, "%s = ", q->key);
        gvl_quiz_answer_text(out, q);
        gvl_sb_putc(out, '\n');
    }
}

/* ---- the graph, as the variant's file ------------------------------------ */

/* The 0-based line of OFF. */
static size_t line_of(const Source *src, uint32_t off)
{
    int line, col;
    gvl_source_loc(src, off, &line, &col);
    return (size_t)line - 1;
}

static const char *const decl_words[NK_COUNT] = {
    [NK_INPUT] = "input", [NK_PARAM] = "param", [NK_CONST] = "const", [NK_LABEL] = "label",
};

static void declaration(StrBuf *out, const Quiz *qz, const Node *n)
{
    const Graph *g = qz->g;
    gvl_sb_printf(out, "%s %.*s", decl_words[n->kind], (int)n->name.len, g->src->text + n->name.off);
    if (n->shape.ndim) {
        gvl_sb_putc(out, '[');
        for (int k = 0; k < n->shape.ndim; k++) {
            int64_t val;
            if (k) gvl_sb_putc(out, ',');
            if (gvl_dim_value(&g->dims, n->shape.d[k], &val)) gvl_sb_printf(out, "%lld", (long long)val);
            else gvl_sb_add(out, gvl_dim_text(&((Graph *)g)->arena, g, n->shape.d[k]));
        }
        gvl_sb_putc(out, ']');
    }
    if (n->alias.len) gvl_sb_printf(out, " as %.*s", (int)n->alias.len, g->src->text + n->alias.off);
    if (qz->v && n->init) {
        const Tensor *t = qz->v->val[n->id];
        gvl_sb_add(out, " = ");
        if (t->numel == 1) {
            gvl_fmt_exact(out, t->data[0]);
        } else {
            int64_t dims[1] = {t->numel};
            Tensor flat = {1, dims, t->numel, t->data};
            gvl_quiz_tensor_text(out, &flat);
        }
    }
}

/* The file with the variant's declarations and sizes, a line per line. */
static void graph_text(StrBuf *out, const Quiz *qz)
{
    const Graph *g = qz->g;
    const Source *src = g->src;
    const Node **decl = gvl_xcalloc(src->nlines ? src->nlines : 1, sizeof *decl);
    const DimVar **size = gvl_xcalloc(src->nlines ? src->nlines : 1, sizeof *size);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->kind != NK_OP && n->named && !n->literal && n->name.off < src->len) decl[line_of(src, n->name.off)] = n;
    }
    for (size_t i = 0; i < g->dims.n; i++)
        if (g->dims.v[i].has_range && g->dims.v[i].from_command_line) size[line_of(src, g->dims.v[i].range_at.off)] = &g->dims.v[i];
    for (size_t l = 0; l < src->nlines; l++) {
        size_t start = src->line_start[l], end = l + 1 < src->nlines ? src->line_start[l + 1] : src->len;
        while (end > start && (src->text[end - 1] == '\n' || src->text[end - 1] == '\r')) end--;
        if (decl[l] && (qz->has_variant || g->nsets)) {
            declaration(out, qz, decl[l]);
        } else if (size[l]) {
            int64_t val = 0;
            gvl_dim_value(&g->dims, (Dim){0, (int32_t)(size[l] - g->dims.v)}, &val);
            gvl_sb_printf(out, "size %.*s = %lld", (int)size[l]->name.len, src->text + size[l]->name.off, (long long)val);
        } else {
            gvl_sb_addn(out, src->text + start, end - start);
        }
        gvl_sb_putc(out, '\n');
    }
    free(decl);
    free(size);
}

/* ---- the worksheet ----------------------------------------------------- */

static void title(StrBuf *out, const Quiz *qz)
{
    gvl_sb_printf(out, "Worksheet: %s", qz->g->src->name);
    if (qz->has_variant) gvl_sb_printf(out, ", variant %llu", (unsigned long long)qz->variant);
}

/* The instructions of a worksheet on paper (LaTeX, HTML). */
static const char paper_instructions[] =
    "Write each answer on its line. Sizes as 4x24 (a vector's as [3], a scalar's as scalar); numbers as 1.5, "
    "a matrix as [[1, 2], [3, 4]]. Jacobians are in numerator layout: dv/du is numel(v) x numel(u), and vec "
    "stacks columns.";
static const char instructions[] =
    "Answer each question after its '=' and hand in the lines as they are: they are an answers file for "
    "graphviz-lab grade. Sizes as 4x24 (a vector's as [3], a scalar's as scalar); numbers as 1.5, a "
    "matrix as [[1, 2], [3, 4]] (or its numbers in a flat list, row by row). Jacobians are in numerator "
    "layout: dv/du is numel(v) x numel(u), and vec stacks columns.";

/* Plain text with each non-ASCII character LaTeX cannot set in verbatim
 * replaced: × by x, ∂ by d, · by *, → by ->, others by ?. */
static void ascii_only(StrBuf *out, const char *s)
{
    static const struct { const char *from, *to; } map[] = {
        {"\xc3\x97", "x"}, {"\xe2\x88\x82", "d"}, {"\xc2\xb7", "*"}, {"\xe2\x86\x92", "->"}, {"\xe2\x8a\x97", "(x)"},
    };
    for (const char *p = s; *p;) {
        if ((unsigned char)*p < 0x80) {
            gvl_sb_putc(out, *p++);
            continue;
        }
        bool done = false;
        for (size_t k = 0; k < sizeof map / sizeof map[0] && !done; k++)
            if (!strncmp(p, map[k].from, strlen(map[k].from))) {
                gvl_sb_add(out, map[k].to);
                p += strlen(map[k].from);
                done = true;
            }
        if (!done) {
            gvl_sb_putc(out, '?');
            p++;
            while ((*p & 0xc0) == 0x80) p++;
        }
    }
}

/* A verbatim delimiter that TEXT does not contain. */
static char verb_delim(const char *text)
{
    for (const char *d = "|!+@;:"; *d; d++)
        if (!strchr(text, *d)) return *d;
    return '"';
}

/* TEXT wrapped at 76 columns, each line starting with PREFIX. */
static void wrapped(StrBuf *out, const char *prefix, const char *text)
{
    const char *p = text;
    while (*p) {
        size_t room = 76 - strlen(prefix), n = strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ') n--;
            if (n == 0) n = strcspn(p, " ");
        }
        gvl_sb_printf(out, "%s%.*s\n", prefix, (int)n, p);
        p += n;
        while (*p == ' ') p++;
    }
}

/* Text: an answers file already, the graph and the instructions as
 * comments and a blank line per question.  Markdown: the same in blocks. */
static void worksheet_text(const Quiz *qz, StrBuf *out, bool md)
{
    StrBuf t = {0}, graph = {0};
    title(&t, qz);
    graph_text(&graph, qz);
    if (md) {
        gvl_sb_printf(out, "# %s\n\nThe graph:\n\n```\n%s```\n\n", gvl_sb_str(&t), gvl_sb_str(&graph));
        wrapped(out, "", instructions);
    } else {
        gvl_sb_printf(out, "# %s\n#\n# The graph:\n#\n", gvl_sb_str(&t));
        for (const char *p = gvl_sb_str(&graph); *p;) {
            size_t n = strcspn(p, "\n");
            gvl_sb_printf(out, "%s%.*s\n", n ? "#   " : "#", (int)n, p);
            p += n + (p[n] == '\n');
        }
        gvl_sb_add(out, "#\n");
        wrapped(out, "# ", instructions);
    }
    int last = -1;
    for (int i = 0; i < qz->n; i++) {
        const Question *q = &qz->q[i];
        if ((int)q->kind != last) {
            if (md) gvl_sb_printf(out, "%s\n## %s\n\n```\n", last >= 0 ? "```\n" : "", kind_info[q->kind].heading);
            else gvl_sb_printf(out, "\n# %s\n", kind_info[q->kind].heading);
            last = (int)q->kind;
        }
        gvl_sb_printf(out, "%s =\n", q->key);
    }
    if (md && last >= 0) gvl_sb_add(out, "```\n");
    gvl_sb_free(&t);
    gvl_sb_free(&graph);
}

static void worksheet_latex(const Quiz *qz, StrBuf *out)
{
    StrBuf t = {0}, graph = {0}, g8 = {0};
    title(&t, qz);
    graph_text(&g8, qz);
    ascii_only(&graph, gvl_sb_str(&g8));
    gvl_sb_add(out, "\\documentclass[11pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[margin=2cm]{geometry}\n"
                    "\\begin{document}\n\\section*{");
    StrBuf esc = {0};
    ascii_only(&esc, gvl_sb_str(&t));
    for (const char *p = gvl_sb_str(&esc); *p; p++) {
        if (strchr("#$%&_{}", *p)) gvl_sb_printf(out, "\\%c", *p);
        else if (*p == '~' || *p == '^' || *p == '\\') gvl_sb_printf(out, "\\char%d{}", *p);
        else gvl_sb_putc(out, *p);
    }
    gvl_sb_add(out, "}\n\nName: \\underline{\\hspace{7cm}} \\quad Student number: \\underline{\\hspace{3cm}}\n\n"
                    "The graph:\n\\begin{verbatim}\n");
    gvl_sb_add(out, gvl_sb_str(&graph));
    gvl_sb_add(out, "\\end{verbatim}\n\n");
    for (const char *p = paper_instructions; *p; p++) {
        if (strchr("#$%&_{}", *p)) gvl_sb_printf(out, "\\%c", *p);
        else if (*p == '[' || *p == ']') gvl_sb_printf(out, "{%c}", *p);
        else gvl_sb_putc(out, *p);
    }
    gvl_sb_add(out, "\n");
    int last = -1;
    for (int i = 0; i < qz->n; i++) {
        const Question *q = &qz->q[i];
        if ((int)q->kind != last) {
            if (last >= 0) gvl_sb_add(out, "\\end{enumerate}\n");
            /* one numbering across the sections */
            gvl_sb_printf(out, "\\subsection*{%s}\n\\begin{enumerate}\\setcounter{enumi}{%d}\n", kind_info[q->kind].heading, i);
            last = (int)q->kind;
        }
        StrBuf key = {0};
        ascii_only(&key, q->key);
        char d = verb_delim(gvl_sb_str(&key));
        gvl_sb_printf(out, "  \\item \\verb%c%s =%c \\underline{\\hspace{6cm}}\n", d, gvl_sb_str(&key), d);
        gvl_sb_free(&key);
    }
    if (last >= 0) gvl_sb_add(out, "\\end{enumerate}\n");
    gvl_sb_add(out, "\\end{document}\n");
    gvl_sb_free(&t);
    gvl_sb_free(&graph);
    gvl_sb_free(&g8);
    gvl_sb_free(&esc);
}

static void worksheet_html(const Quiz *qz, StrBuf *out)
{
    StrBuf t = {0}, graph = {0};
    title(&t, qz);
    graph_text(&graph, qz);
    gvl_sb_add(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    gvl_sb_add_html(out, gvl_sb_str(&t));
    gvl_sb_add(out, "</title>\n<style>body{font:15px/1.5 sans-serif;max-width:50em;margin:2em auto;padding:0 1em}"
                    "pre{background:#f3f4f6;padding:.6em}code{font-size:14px}li{margin:.4em 0}"
                    ".blank{display:inline-block;min-width:16em;border-bottom:1px solid #111}</style>\n"
                    "</head>\n<body>\n<h1>");
    gvl_sb_add_html(out, gvl_sb_str(&t));
    gvl_sb_add(out, "</h1>\n<p>Name: <span class=\"blank\"></span> Student number: <span class=\"blank\"></span></p>\n"
                    "<p>The graph:</p>\n<pre>");
    gvl_sb_add_html(out, gvl_sb_str(&graph));
    gvl_sb_add(out, "</pre>\n<p>");
    gvl_sb_add_html(out, paper_instructions);
    gvl_sb_add(out, "</p>\n");
    int last = -1;
    for (int i = 0; i < qz->n; i++) {
        const Question *q = &qz->q[i];
        if ((int)q->kind != last) {
            if (last >= 0) gvl_sb_add(out, "</ol>\n");
            gvl_sb_add(out, "<h2>");
            gvl_sb_add_html(out, kind_info[q->kind].heading);
            gvl_sb_printf(out, "</h2>\n<ol start=\"%d\">\n", i + 1);
            last = (int)q->kind;
        }
        gvl_sb_add(out, "<li><code>");
        gvl_sb_add_html(out, q->key);
        gvl_sb_add(out, " =</code> <span class=\"blank\"></span> <small>");
        gvl_sb_add_html(out, q->prompt);
        gvl_sb_add(out, "</small></li>\n");
    }
    if (last >= 0) gvl_sb_add(out, "</ol>\n");
    gvl_sb_add(out, "</body>\n</html>\n");
    gvl_sb_free(&t);
    gvl_sb_free(&graph);
}

void gvl_quiz_worksheet(const Quiz *qz, const char *format, StrBuf *out)
{
    if (!strcmp(format, "latex")) worksheet_latex(qz, out);
    else if (!strcmp(format, "html")) worksheet_html(qz, out);
    else worksheet_text(qz, out, !strcmp(format, "md"));
}

void gvl_quiz_json(const Quiz *qz, StrBuf *out)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "file", qz->g->src->path);
    if (qz->has_variant) cJSON_AddNumberToObject(j, "variant", (double)qz->variant);
    else cJSON_AddNullToObject(j, "variant");
    StrBuf graph = {0};
    graph_text(&graph, qz);
    cJSON_AddStringToObject(j, "graph", gvl_sb_str(&graph));
    gvl_sb_free(&graph);
    cJSON *qs = cJSON_AddArrayToObject(j, "questions");
    for (int i = 0; i < qz->n; i++) {
        cJSON *q = cJSON_CreateObject();
        cJSON_AddStringToObject(q, "key", qz->q[i].key);
        cJSON_AddStringToObject(q, "kind", gvl_question_kind_names[qz->q[i].kind]);
        cJSON_AddStringToObject(q, "prompt", qz->q[i].prompt);
        cJSON_AddItemToArray(qs, q);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) gvl_out_of_memory();
    gvl_jw_print_tree(f, j, true);
    if (fclose(f) != 0) gvl_out_of_memory();
    gvl_sb_addn(out, buf, len);
    free(buf);
}
