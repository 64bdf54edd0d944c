/*
 * eval.c - the forward pass: leaf values, then each op's kernel in node
 * order (which is a topological order).
 *
 * --random SEED fills leaves without values from a standard normal, using
 * splitmix64 and Box-Muller: the same seed gives the same numbers on every
 * machine, so a teaching assistant can hand out "run with --random 7".
 */
#include "eval.h"

#include "kernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A standard normal sample from two uniforms in (0, 1]. */
static double normal(uint64_t *s)
{
    double u1 = ((double)(splitmix64(s) >> 11) + 1.0) / 9007199254740992.0;
    double u2 = (double)(splitmix64(s) >> 11) / 9007199254740992.0;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

/* Every size must be a number before anything is allocated. */
static bool check_concrete(Values *v)
{
    const Graph *g = v->g;
    bool ok = true;
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        for (int k = 0; k < n->shape.ndim; k++)
            if (!gvl_dim_value(&g->dims, n->shape.d[k], NULL)) {
                /* report where the unknown starts: at the leaves */
                if (n->kind != NK_OP)
                    gvl_diag_error(g->diag, n->name, "cannot evaluate: the shape of '%s' is %s, and numbers need "
                                   "every size known (fix it in the declaration)", gvl_name_text(&v->text, g, n),
                                   gvl_shape_text(&v->text, g, &n->shape, true));
                ok = false;
                break;
            }
    }
    if (!ok && g->diag->errors == 0)
        gvl_diag_error(g->diag, span_make(0, 0), "cannot evaluate: some sizes are not known");
    return ok;
}

/* For each node, the number of classes of the cross_entropy that takes it
 * as its classes, or 0: such values must be class indices.  Caller frees. */
static int64_t *class_counts(const Graph *g)
{
    int64_t *c = gvl_xcalloc(g->count ? g->count : 1, sizeof *c);
    for (size_t j = 0; j < g->count; j++) {
        const Node *n = g->nodes[j];
        if (n->op != OP_CROSS_ENTROPY || n->src[1]->literal) continue;
        const Shape *z = &n->src[0]->shape;
        gvl_dim_value(&g->dims, z->d[z->ndim - 1], &c[n->src[1]->id]);
    }
    return c;
}

/* A label of classes must hold whole numbers in 0..C-1, as PyTorch's
 * long targets do: said at its declaration, before any kernel runs. */
static bool check_classes(Values *v, const Node *n, int64_t C)
{
    const Tensor *t = v->val[n->id];
    for (int64_t k = 0; k < t->numel; k++) {
        double c = t->data[k];
        if (c >= 0 && c < (double)C && c == floor(c)) continue;
        gvl_diag_error(v->g->diag, n->name, "'%s' holds %.17g at element %lld (counting from 0), but "
                       "cross_entropy needs class indices, whole numbers from 0 to %lld",
                       gvl_name_text(&v->text, v->g, n), c, (long long)k, (long long)C - 1);
        return false;
    }
    return true;
}

bool gvl_values_init(Values *v, const Graph *g, const EvalOptions *o)
{
    memset(v, 0, sizeof *v);
    v->g = g;
    gvl_arena_init(&v->text);
    v->pool.max_elements = o->max_elements;
    v->pool.max_total = o->max_total;
    v->val = calloc(g->count ? g->count : 1, sizeof *v->val);
    v->grad = calloc(g->count ? g->count : 1, sizeof *v->grad);
    if (!v->val || !v->grad) gvl_out_of_memory();
    if (!check_concrete(v)) return false;

    /* a shapes-only file names what lacks values, all in one message */
    if (!o->has_random) {
        StrBuf list = {0};
        const Node *first = NULL;
        int missing = 0;
        for (size_t i = 0; i < g->count; i++) {
            const Node *n = g->nodes[i];
            if (n->kind == NK_OP || n->init) continue;
            if (!first) first = n;
            if (missing < 8) {
                if (missing) gvl_sb_add(&list, ", ");
                gvl_fmt_display_name(&list, g, n);
            }
            missing++;
        }
        if (missing)
            gvl_diag_error(g->diag, first->name, "cannot evaluate: no values for %s%s; give %s an initialiser "
                           "(= [...]) or run with --random SEED", gvl_sb_str(&list), missing > 8 ? ", ..." : "",
                           missing == 1 ? "it" : "them");
        gvl_sb_free(&list);
        if (missing) return false;
    }

    uint64_t state = o->seed;
    /* a variant's values: multiples of 0.5 in [-3, 3], to work by hand */
    uint64_t vstate = o->variant ^ 0x5851f42d4c957f2du;
    int64_t *classes_for = class_counts(g);
    bool ok = true;
    for (size_t i = 0; ok && i < g->count; i++) {
        const Node *n = g->nodes[i];
        int64_t dims[TENSOR_MAX_RANK];
        for (int k = 0; k < n->shape.ndim; k++) gvl_dim_value(&g->dims, n->shape.d[k], &dims[k]);
        Tensor *t = gvl_tensor_new(&v->pool, n->shape.ndim, dims);
        if (!t) {
            gvl_diag_error(g->diag, n->named ? n->name : n->loc, "cannot evaluate '%s': %s",
                           gvl_name_text(&v->text, g, n), v->pool.reason);
            ok = false;
            break;
        }
        v->val[i] = t;
        if (n->kind == NK_OP) continue;
        int64_t classes = classes_for[i];
        bool redraw = o->has_variant && n->init && !n->literal;
        if (redraw && classes) {
            for (int64_t k = 0; k < t->numel; k++) t->data[k] = (double)(splitmix64(&vstate) % (uint64_t)classes);
        } else if (redraw) {
            for (int64_t k = 0; k < t->numel; k++) t->data[k] = -3 + 0.5 * (double)(splitmix64(&vstate) % 13);
        } else if (!n->init && classes) {
            /* --random gives classes a uniform class index each */
            for (int64_t k = 0; k < t->numel; k++) t->data[k] = (double)(splitmix64(&state) % (uint64_t)classes);
        } else if (!n->init) {
            for (int64_t k = 0; k < t->numel; k++) t->data[k] = normal(&state);
        } else if (n->init->fill) {
            gvl_tensor_fill(t, n->init->vals[0]);
        } else {
            memcpy(t->data, n->init->vals, sizeof(double) * (size_t)t->numel);
        }
        if (classes && !check_classes(v, n, classes)) ok = false;
    }
    free(classes_for);
    return ok;
}

/* Which kinds of non-finite number T holds: bit 1 NaN, bit 2 infinity. */
enum { HAS_NAN = 1, HAS_INF = 2 };
static int nonfinite_kinds(const Tensor *t)
{
    int kinds = 0;
    for (int64_t i = 0; i < t->numel && kinds != (HAS_NAN | HAS_INF); i++)
        if (!isfinite(t->data[i])) kinds |= isnan(t->data[i]) ? HAS_NAN : HAS_INF;
    return kinds;
}

void gvl_values_forward(Values *v)
{
    const Graph *g = v->g;
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (n->kind != NK_OP) continue;
        const Tensor *in[2] = {NULL, NULL};
        for (int k = 0; k < n->nsrc; k++) in[k] = v->val[n->src[k]->id];
        gvl_op_forward[n->op](n, in, v->val[i]);
        /* say where a NaN or an infinity first appears, not everywhere it
         * spreads; each kind on its own, so that the NaN of softmax over
         * all -inf, of inf - inf or of inf * 0 is named although an
         * infinity came in */
        int warned = (v->warned_nan ? HAS_NAN : 0) | (v->warned_inf ? HAS_INF : 0);
        if (v->warned_forward || warned == (HAS_NAN | HAS_INF)) continue;
        int out = nonfinite_kinds(v->val[i]) & ~warned;
        if (!out) continue;
        for (int k = 0; k < n->nsrc; k++) out &= ~nonfinite_kinds(in[k]);
        if (!out) continue;
        gvl_diag_warning(g->diag, n->loc, "%s: '%s' contains %s, first produced here", gvl_node_op_name(n),
                         gvl_name_text(&v->text, g, n),
                         out == (HAS_NAN | HAS_INF) ? "NaN and infinity" : out == HAS_NAN ? "NaN" : "infinity");
        v->warned_nan |= (out & HAS_NAN) != 0;
        v->warned_inf |= (out & HAS_INF) != 0;
    }
}

double gvl_values_scalar(const Values *v, const Node *n)
{
    return v->val[n->id]->data[0];
}

void gvl_values_free(Values *v)
{
    if (v->val)
        for (size_t i = 0; i < v->g->count; i++) {
            gvl_tensor_free(&v->pool, v->val[i]);
            if (v->grad) gvl_tensor_free(&v->pool, v->grad[i]);
        }
    free(v->val);
    free(v->grad);
    gvl_arena_free(&v->text);
    memset(v, 0, sizeof *v);
}
