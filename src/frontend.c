/*
 * frontend.c - the driver of the front end: lines, statements, passes,
 * the checks that need the whole file, and the freeze.
 */
#include "frontend.h"

#include "lint.h"
#include "lower.h"
#include "parser.h"

static const char *txt(const Graph *g, Span s)
{
    return gvl_graph_text(g, s);
}

/* Lines over the limit are refused before parsing: a generated file with
 * a megabyte on one line is almost certainly not meant as one statement.
 * The reader found them (and kept only their start); a source made from a
 * string is measured here. */
static bool check_lines(Graph *g)
{
    bool ok = true;
    for (size_t i = 0; i < g->src->nlines && !gvl_diag_full(g->diag); i++) {
        size_t len;
        const char *line = gvl_source_line(g->src, (int)i + 1, &len);
        if ((int64_t)len <= g->max_line) continue;
        size_t full = len;
        bool more = false;
        for (size_t k = 0; k < g->src->nlong; k++)
            if (g->src->long_lines[k].line == i + 1) {
                full = g->src->long_lines[k].len;
                more = g->src->long_lines[k].more;
            }
        gvl_diag_error(g->diag, span_make((uint32_t)(line - g->src->text + g->max_line), 1),
                       "line %zu is %s%zu bytes long; the limit is %lld (raise it with --max-line-length N)", i + 1,
                       more ? "more than " : "", full, (long long)g->max_line);
        ok = false;
    }
    return ok;
}

/* The default loss: the last assigned node that holds one element. */
static void pick_loss(Graph *g)
{
    if (g->loss) return;
    for (size_t i = g->count; i-- > 0;) {
        Node *n = g->nodes[i];
        if (n->named && n->kind == NK_OP && !n->failed && gvl_shape_is_one(g, &n->shape)) {
            g->loss = n;
            return;
        }
    }
}

/* An explicit loss must hold one element. */
static void check_loss(Graph *g)
{
    if (!g->loss || !g->loss_explicit || g->loss->failed || gvl_shape_is_one(g, &g->loss->shape)) return;
    Numel m = gvl_shape_numel(g, &g->loss->shape);
    DiagBuilder b;
    gvl_diag_begin(&b, g->diag, SEV_ERROR, g->loss_at);
    gvl_diag_printf(&b, "the loss must hold exactly one element, but '%.*s' is %s (%s elements)",
                    (int)g->loss_at.len, txt(g, g->loss_at), gvl_shape_text(&g->arena, g, &g->loss->shape, true),
                    gvl_numel_text(&g->arena, g, &m, true));
    gvl_diag_add_note(&b, g->loss->named ? g->loss->name : g->loss->loc,
                      "'%.*s' is %s here; reduce it to one element with sum(), mean() or mse()",
                      (int)g->loss_at.len, txt(g, g->loss_at), g->loss->kind == NK_OP ? "computed" : "declared");
    gvl_diag_emit(&b);
}

/* A declared n-1 can reach 0 once n is solved as 1: each declared size
 * must still be at least 1 when all sizes are known. */
static void check_declared_sizes(Graph *g)
{
    for (size_t i = 0; i < g->count; i++) {
        Node *n = g->nodes[i];
        if (n->kind == NK_OP || n->literal || n->failed) continue;
        for (int k = 0; k < n->shape.ndim; k++) {
            int64_t v;
            if (!gvl_dim_known(&g->dims, n->shape.d[k], &v) || v >= 1) continue;
            DiagBuilder b;
            gvl_diag_begin(&b, g->diag, SEV_ERROR, n->name);
            gvl_diag_printf(&b, "'%.*s' would have a size of %lld in its dimension number %d (counting from 1) "
                            "once every size is known; every size must be at least 1",
                            (int)n->name.len, txt(g, n->name), (long long)v, k + 1);
            if (n->shape.d[k].v >= 0) {
                const DimVar *var = &g->dims.v[n->shape.d[k].v];
                const DimVar *r = gvl_dim_root(&g->dims, n->shape.d[k].v);
                if (r->bound && var->kind == VAR_SYM)
                    gvl_diag_add_note(&b, r->bound_at, "%.*s was inferred as %lld here", (int)var->name.len,
                                      txt(g, var->name), (long long)r->value);
                else if (r->bound)
                    gvl_diag_add_note(&b, r->bound_at, "its size was inferred here");
            }
            gvl_diag_emit(&b);
            n->failed = true;
            break;
        }
    }
}

/* A symbol declared with a range (size n in 2..6) must end up inside it. */
static void check_ranges(Graph *g)
{
    for (size_t i = 0; i < g->dims.n; i++) {
        const DimVar *v = &g->dims.v[i];
        int64_t val;
        if (!v->has_range || !gvl_dim_known(&g->dims, (Dim){0, (int32_t)i}, &val)) continue;
        if (val >= v->lo && val <= v->hi) continue;
        const DimVar *r = gvl_dim_root(&g->dims, (int32_t)i);
        DiagBuilder b;
        gvl_diag_begin(&b, g->diag, SEV_ERROR, v->range_at);
        gvl_diag_printf(&b, "%.*s is %lld, outside its range %lld..%lld", (int)v->name.len, txt(g, v->name),
                        (long long)val, (long long)v->lo, (long long)v->hi);
        if (v->from_command_line)
            gvl_diag_add_hint(&b, "--set %.*s=%lld gives it that value", (int)v->name.len, txt(g, v->name),
                              (long long)val);
        else if (r->bound)
            gvl_diag_add_note(&b, r->bound_at, "%.*s is fixed here", (int)v->name.len, txt(g, v->name));
        gvl_diag_emit(&b);
    }
}

/* A '?' that nothing pinned down is probably a forgotten size: say so
 * once per declaration (symbols like n are meant to stay symbolic). */
static void warn_unsolved(Graph *g)
{
    if (g->diag->errors) return;
    for (size_t i = 0; i < g->count; i++) {
        Node *n = g->nodes[i];
        if (n->kind == NK_OP || n->literal) continue;
        for (int k = 0; k < n->shape.ndim; k++) {
            Dim d = gvl_dim_resolve(&g->dims, n->shape.d[k]);
            if (d.v >= 0 && g->dims.v[d.v].kind != VAR_SYM) {
                gvl_diag_warning(g->diag, n->name, "the shape of '%.*s' stays %s: nothing in the file fixes its "
                                 "'?' sizes, so tables show them as ?", (int)n->name.len, txt(g, n->name),
                                 gvl_shape_text(&g->arena, g, &n->shape, true));
                break;
            }
        }
    }
}

/* Marks the unnamed nodes among ids [FROM, TO) that are named relative
 * to SCOPE and repeat an earlier one's text. */
static void mark_repeated_in(Graph *g, const CallSite *scope, size_t from, size_t to)
{
    NameTable seen;
    gvl_names_init(&seen, g->src->text);
    for (size_t i = from; i < to; i++) {
        Node *n = g->nodes[i];
        if (n->named || !n->name.len || gvl_node_scope(n) != scope) continue;
        NameSlot *e = gvl_names_insert(&seen, n->name);
        if (e->node) n->repeated = true;
        else e->node = n;
    }
    gvl_names_free(&seen);
}

/* (y - 2)**2 has two nodes called 2: the later ones are named by their
 * place too (2@2:14), so that no table lists one name twice.  Inside a
 * call the call's name sets them apart already (h1/W @ x, h2/W @ x), so
 * each call is a table of its own. */
static void mark_repeated(Graph *g)
{
    mark_repeated_in(g, NULL, 0, g->count);
    for (size_t i = 0; i < g->ncalls; i++) mark_repeated_in(g, g->calls[i], g->calls[i]->first, g->calls[i]->end);
}

/* Every size resolved once: later phases read shapes without the union-find. */
static void freeze(Graph *g)
{
    gvl_dim_freeze(&g->dims);
    for (size_t i = 0; i < g->count; i++) {
        Shape *s = &g->nodes[i]->shape;
        for (int k = 0; k < s->ndim; k++) s->d[k] = gvl_dim_eval(&g->dims, s->d[k]);
    }
}

bool gvl_frontend_build(Graph *g)
{
    if (!check_lines(g)) {
        freeze(g);
        return false;
    }
    Arena scratch, defs;
    gvl_arena_init(&scratch);
    gvl_arena_init(&defs);
    /* a name a line, roughly: the table is made at its size once */
    gvl_names_reserve(&g->names, g->src->nlines < (1u << 22) ? g->src->nlines : (1u << 22));
    Parser p;
    gvl_parser_init(&p, g->src, g->diag, &scratch);
    p.keep = &defs;
    Lowerer lw;
    gvl_lowerer_init(&lw, g);
    Stmt *st;
    while (!g->too_many_nodes && (st = gvl_parser_next(&p))) {
        if (st->broken) {
            /* the statement was reported; its name stands for a failed
             * node so that its uses do not each report it again */
            if (!gvl_graph_lookup(g, txt(g, st->name), st->name.len) || st->kind == ST_ASSIGN)
                gvl_lower_bind(g, st->name, gvl_lower_failed(g, st->name));
        } else {
            switch (st->kind) {
            case ST_DECL: gvl_lower_decl(&lw, st); break;
            case ST_ASSIGN: gvl_lower_assign(&lw, st); break;
            case ST_LOSS: gvl_lower_loss(&lw, st); break;
            case ST_OPTIMIZE: gvl_lower_optimize(&lw, st); break;
            case ST_SIZE: gvl_lower_size(&lw, st); break;
            case ST_DEF: gvl_lower_def(&lw, st); break;
            }
        }
        gvl_arena_reset(&scratch);
    }
    gvl_arena_free(&scratch);
    if (!g->too_many_nodes && !g->diag->errors) gvl_lower_unused_functions(&lw);
    gvl_lowerer_free(&lw);
    gvl_arena_free(&defs);
    /* each pass may pin sizes that an earlier rule needed; a few passes
     * settle any graph a student writes, and each one is linear */
    for (int pass = 0; pass < 4 && lw.cx.deferred; pass++) {
        lw.cx.deferred = false;
        lw.cx.recheck = true;
        for (size_t i = 0; i < g->count; i++) {
            Node *n = g->nodes[i];
            if (n->kind == NK_OP && !n->failed && n->nsrc) gvl_shape_infer(&lw.cx, n);
        }
    }
    check_declared_sizes(g);
    check_ranges(g);
    warn_unsolved(g);
    pick_loss(g);
    check_loss(g);
    freeze(g);
    mark_repeated(g);
    gvl_lint(g);
    return g->diag->errors == 0;
}
