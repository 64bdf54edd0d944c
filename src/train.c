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

/* gradcheck compares the gradient of each param and input that has one
 * at every STEP-th element, STEP making at most GRADCHECK_MAX_ELEMENTS */
static bool checked_leaf(const Values *v, size_t i)
{
    const Node *n = v->g->nodes[i];
    return (n->kind == NK_PARAM || n->kind == NK_INPUT) && v->grad[i];
}

static int64_t sample_step(int64_t numel)
{
    return (numel + GRADCHECK_MAX_ELEMENTS - 1) / GRADCHECK_MAX_ELEMENTS;
}

int gvl_gradcheck_run(Values *v, const Node *root, double eps, double tol, GradcheckResult *results)
{
    const Graph *g = v->g;
    gvl_values_forward(v);
    if (!gvl_values_backward(v, root)) return -1;
    int count = 0;
    /* a NaN at x - eps is the difference quotient's, not the graph's */
    bool warned = v->warned_forward;
    v->warned_forward = true;
    int64_t total = 0, evaluated = 0;
    for (size_t i = 0; i < g->count; i++)
        if (checked_leaf(v, i)) {
            int64_t numel = v->val[i]->numel, step = sample_step(numel);
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
        int64_t step = sample_step(x->numel);
        r->numel = x->numel;
        r->checked = 0;
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
        }
        r->ok = r->max_rel_err <= tol;
    }
    gvl_progress_end(&pr);
    v->warned_forward = warned;
    gvl_values_forward(v);
    return count;
}
