/*
 * train.c - gradient descent and the finite-difference gradient check.
 *
 * Both rerun the whole forward pass after changing leaf values in place:
 * graphs from a lab are small, and one code path for values keeps the
 * checked numbers the same ones eval prints.
 */
#include "train.h"

#include "autodiff.h"
#include "progress.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

bool gvl_train_run(Values *v, const Node *loss, double lr, int64_t steps, StepFn on_step, void *ctx)
{
    const Graph *g = v->g;
    Progress pr;
    gvl_progress_begin(&pr, "gradient descent", "step", steps);
    for (int64_t s = 1; s <= steps; s++) {
        gvl_values_forward(v);
        double before = gvl_values_scalar(v, loss);
        if (!gvl_values_backward(v, loss)) {
            gvl_progress_end(&pr);
            return false;
        }
        for (size_t i = 0; i < g->count; i++) {
            const Node *n = g->nodes[i];
            if (n->kind != NK_PARAM || !v->grad[i]) continue;
            Tensor *p = v->val[i];
            bool was_finite = true, now_finite = true;
            for (int64_t k = 0; k < p->numel; k++) {
                was_finite &= isfinite(p->data[k]) != 0;
                p->data[k] -= lr * v->grad[i]->data[k];
                now_finite &= isfinite(p->data[k]) != 0;
            }
            if (was_finite && !now_finite && !v->warned_step) {
                gvl_diag_warning(g->diag, n->name, "step %lld made '%s' NaN or infinite (its gradient was not finite, "
                                 "or lr is too large)", (long long)s, gvl_name_text(&v->text, g, n));
                v->warned_step = true;
            }
        }
        if (on_step) on_step(ctx, s, before, v);
        gvl_progress_at(&pr, s);
    }
    gvl_progress_end(&pr);
    gvl_values_forward(v);   /* leave the values consistent with the new params */
    return true;
}

/* ---- the central difference's own rounding error ------------------------ */

/* The root mean square of T's elements: the size of a typical term. */
static double rms(const Tensor *t)
{
    double s = 0;
    for (int64_t i = 0; i < t->numel; i++) s += t->data[i] * t->data[i];
    return sqrt(s / (double)(t->numel ? t->numel : 1));
}

/* How many terms one element of N's result adds up (k), and the size of
 * a typical term (*term); k = 1 for an op that rounds once per element. */
static double accumulation(const Values *v, const Node *n, double *term)
{
    const Tensor *a = v->val[n->src[0]->id], *b = n->nsrc > 1 ? v->val[n->src[1]->id] : NULL;
    const Tensor *out = v->val[n->id];
    switch (n->op) {
    case OP_MATMUL:
        *term = rms(a) * rms(b);
        return (double)a->dims[a->ndim - 1];
    case OP_DOT:
        *term = rms(a) * rms(b);
        return (double)a->numel;
    case OP_CONV2D:
        *term = rms(a) * rms(b);
        return (double)(b->ndim == 4 ? b->numel / b->dims[0] : b->numel);
    case OP_SUM: case OP_MEAN: case OP_AVGPOOL2D:
        *term = rms(a);
        return (double)a->numel / (double)out->numel;
    case OP_MSE: case OP_SSE:
        *term = (rms(a) + rms(b)) * (rms(a) + rms(b));
        return (double)(a->numel > b->numel ? a->numel : b->numel);
    case OP_NORM:
        *term = rms(a) * rms(a);
        return (double)a->numel;
    case OP_SOFTMAX: case OP_LOG_SOFTMAX: case OP_CROSS_ENTROPY:
        *term = 1;   /* the kernels shift by the maximum: exp(z - m) <= 1 */
        return (double)(a->ndim ? a->dims[a->ndim - 1] : 1);
    default:
        return 1;
    }
}

/* To first order, each element v_j of each node is off by its rounding,
 * about u |v_j| (u = 2^-53), or u sqrt(k) |term| for an element that sums
 * k terms (independent roundings add up like a random walk), and that
 * reaches f = ROOT times |df/dv_j|, the gradient backward just computed:
 * S = sum |df/dv_j| err_j / u.  f(x+h) and f(x-h) each carry that much, so
 * their difference over 2h carries about 2 u S / 2h; the bound is 4 times
 * that.  Measured: sum(x @ W) with 200x200 normal tensors gives a bound
 * 100 times the error seen, and a gradient 0.1% off still fails. */
static double rounding_bound(const Values *v, const Node *root, double eps)
{
    const Graph *g = v->g;
    const double u = 0x1p-53;
    double s = fabs(gvl_values_scalar(v, root));
    for (size_t i = 0; i <= root->id; i++) {
        const Node *n = g->nodes[i];
        const Tensor *gr = v->grad[i], *val = v->val[i];
        if (n->kind != NK_OP || !gr) continue;
        double term = 0, k = accumulation(v, n, &term);
        for (int64_t j = 0; j < val->numel; j++)
            if (gr->data[j] != 0) s += fabs(gr->data[j]) * (k > 1 ? sqrt(k) * term : fabs(val->data[j]));
    }
    /* a non-finite value gives no bound: then only tol allows for error */
    return isfinite(s) ? 4 * u * s / eps : 0;
}

/* gradcheck compares the gradient of each param and input that has one
 * at every STEP-th element, STEP making at most MOST of them */
static bool checked_leaf(const Values *v, size_t i)
{
    const Node *n = v->g->nodes[i];
    return (n->kind == NK_PARAM || n->kind == NK_INPUT) && v->grad[i];
}

static int64_t sample_step(int64_t numel, int64_t most)
{
    return (numel + most - 1) / most;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Elements to check per tensor: GRADCHECK_MAX_ELEMENTS, fewer when one
 * forward pass is slow, so that the check takes about GRADCHECK_SECONDS
 * (each element costs two passes) but never fewer than 10 per tensor. */
static int64_t samples_per_tensor(Values *v, int nleaves)
{
    double t0 = now();
    gvl_values_forward(v);
    double pass = now() - t0;
    if (nleaves < 1 || pass <= 0) return GRADCHECK_MAX_ELEMENTS;
    double fit = GRADCHECK_SECONDS / (2 * pass * nleaves);
    return fit >= GRADCHECK_MAX_ELEMENTS ? GRADCHECK_MAX_ELEMENTS : fit < 10 ? 10 : (int64_t)fit;
}

int gvl_gradcheck_run(Values *v, const Node *root, double eps, double tol, double atol, GradcheckResult *results,
                      double *atol_used)
{
    const Graph *g = v->g;
    gvl_values_forward(v);
    if (!gvl_values_backward(v, root)) return -1;
    double bound = atol >= 0 ? atol : rounding_bound(v, root, eps);
    *atol_used = bound;
    int count = 0;
    /* a NaN at x - eps is the difference quotient's, not the graph's */
    bool warned = v->warned_forward;
    v->warned_forward = true;
    int64_t total = 0, evaluated = 0;
    int nleaves = 0;
    for (size_t i = 0; i < g->count; i++) nleaves += checked_leaf(v, i);
    const int64_t most = samples_per_tensor(v, nleaves);
    for (size_t i = 0; i < g->count; i++)
        if (checked_leaf(v, i)) {
            int64_t numel = v->val[i]->numel, step = sample_step(numel, most);
            total += (numel + step - 1) / step;
        }
    Progress pr;
    gvl_progress_begin(&pr, "gradcheck", "element", total);
    for (size_t i = 0; i < g->count; i++) {
        const Node *n = g->nodes[i];
        if (!checked_leaf(v, i)) continue;
        GradcheckResult *r = &results[count++];
        r->wrt = n;
        r->max_abs_err = r->max_rel_err = 0;
        Tensor *x = v->val[i];
        int64_t step = sample_step(x->numel, most);
        r->numel = x->numel;
        r->checked = 0;
        r->ok = true;
        for (int64_t k = 0; k < x->numel; k += step) {
            gvl_progress_at(&pr, ++evaluated);
            r->checked++;
            double keep = x->data[k];
            x->data[k] = keep + eps;
            gvl_values_forward(v);
            double plus = gvl_values_scalar(v, root);
            x->data[k] = keep - eps;
            gvl_values_forward(v);
            double minus = gvl_values_scalar(v, root);
            x->data[k] = keep;
            double numeric = (plus - minus) / (2 * eps), analytic = v->grad[i]->data[k];
            double abs_err = fabs(analytic - numeric);
            double rel_err = abs_err / fmax(1.0, fabs(numeric));
            if (!(abs_err <= r->max_abs_err)) r->max_abs_err = abs_err;   /* NaN sticks */
            if (!(rel_err <= r->max_rel_err)) r->max_rel_err = rel_err;
            /* x + eps itself is rounded: off by up to u |x|, times the gradient */
            double step_err = atol >= 0 ? 0 : fabs(analytic) * 0x1p-52 * fabs(keep) / eps;
            if (!(abs_err <= bound + step_err + tol * fmax(1.0, fabs(numeric)))) r->ok = false;
        }
    }
    gvl_progress_end(&pr);
    v->warned_forward = warned;
    gvl_values_forward(v);
    return count;
}
