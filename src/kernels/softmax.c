/*
 * softmax.c - softmax and log_softmax along one dim, and cross_entropy of
 * one sample's logits, with their vector-Jacobian products, computed the
 * way PyTorch computes them: subtract the maximum before exponentiating,
 * take log_softmax as x - max - log(sum(exp(x - max))), and differentiate
 * through the saved output (softmax: y*(g - sum(g*y)); log_softmax:
 * g - exp(y)*sum(g)).
 *
 * A tensor is seen as [outer, D, inner] around the softmax dim.  Each of
 * the outer*inner lanes is done on its own, stepping by INNER: doing whole
 * rows at once would need a scratch row for the maxima and the sums, and
 * kernels may not allocate.  With the default dim=-1, INNER is 1 and every
 * lane is contiguous.  A 0-D tensor is one lane of one element, which
 * gives softmax 1 and log_softmax 0, as PyTorch does.
 */
#include "kernels.h"

#include <math.h>

typedef struct Lanes {
    int64_t outer, D, inner;
} Lanes;

static Lanes lanes(const Node *n, const Tensor *t)
{
    Lanes l = {1, 1, 1};
    if (t->ndim == 0) return l;
    int64_t k = n->attrs && n->attrs->dim.set ? n->attrs->dim.v : -1;
    if (k < 0) k += t->ndim;   /* the shape rule checked the range */
    for (int i = 0; i < t->ndim; i++) {
        if (i < k) l.outer *= t->dims[i];
        else if (i > k) l.inner *= t->dims[i];
    }
    l.D = t->dims[k];
    return l;
}

/* The maximum of a lane; a NaN is passed over here but still reaches every
 * output through exp(x - max) and the sum, as in PyTorch. */
static double lane_max(const double *x, int64_t D, int64_t step)
{
    double m = -INFINITY;
    for (int64_t d = 0; d < D; d++)
        if (x[d * step] > m) m = x[d * step];
    return m;
}

void gvl_fwd_softmax(const Node *n, const Tensor *const *in, Tensor *out)
{
    const Lanes l = lanes(n, in[0]);
    for (int64_t o = 0; o < l.outer; o++)
        for (int64_t i = 0; i < l.inner; i++) {
            const double *x = in[0]->data + o * l.D * l.inner + i;   // one lane, step inner
            double *y = out->data + o * l.D * l.inner + i;
            const double m = lane_max(x, l.D, l.inner);
            double s = 0.0;
            for (int64_t d = 0; d < l.D; d++) {
                y[d * l.inner] = exp(x[d * l.inner] - m);
                s += y[d * l.inner];
            }
            for (int64_t d = 0; d < l.D; d++) y[d * l.inner] /= s;
        }
}

void gvl_bwd_softmax(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    const Lanes l = lanes(n, in[0]);
    for (int64_t o = 0; o < l.outer; o++)
        for (int64_t i = 0; i < l.inner; i++) {
            const int64_t base = o * l.D * l.inner + i;
            const double *y = out->data + base, *g = gout->data + base;
            double *gx = gin[0]->data + base;
            double dot = 0.0;
            for (int64_t d = 0; d < l.D; d++) dot += g[d * l.inner] * y[d * l.inner];
            for (int64_t d = 0; d < l.D; d++) gx[d * l.inner] += y[d * l.inner] * (g[d * l.inner] - dot);
        }
}

void gvl_fwd_log_softmax(const Node *n, const Tensor *const *in, Tensor *out)
{
    const Lanes l = lanes(n, in[0]);
    for (int64_t o = 0; o < l.outer; o++)
        for (int64_t i = 0; i < l.inner; i++) {
            const double *x = in[0]->data + o * l.D * l.inner + i;
            double *y = out->data + o * l.D * l.inner + i;
            const double m = lane_max(x, l.D, l.inner);
            double s = 0.0;
            for (int64_t d = 0; d < l.D; d++) s += exp(x[d * l.inner] - m);
            const double lse = log(s);
            for (int64_t d = 0; d < l.D; d++) y[d * l.inner] = x[d * l.inner] - m - lse;
        }
}

void gvl_bwd_log_softmax(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout,
                     Tensor *const *gin)
{
    if (!gin[0]) return;
    const Lanes l = lanes(n, in[0]);
    for (int64_t o = 0; o < l.outer; o++)
        for (int64_t i = 0; i < l.inner; i++) {
            const int64_t base = o * l.D * l.inner + i;
            const double *y = out->data + base, *g = gout->data + base;
            double *gx = gin[0]->data + base;
            double gs = 0.0;
            for (int64_t d = 0; d < l.D; d++) gs += g[d * l.inner];
            for (int64_t d = 0; d < l.D; d++) gx[d * l.inner] += g[d * l.inner] - exp(y[d * l.inner]) * gs;
        }
}

/* ---- cross_entropy: N rows of C logits, N classes, mean over the rows --- */

/* log(sum(exp(z - m))) with m the maximum: log_softmax(z)[k] = z[k] - m - this */
static double log_sum_exp_shifted(const double *z, int64_t C, double m)
{
    double s = 0.0;
    for (int64_t k = 0; k < C; k++) s += exp(z[k] - m);
    return log(s);
}

/* Class I of the target, or -1 when it is not a whole number in 0..C-1
 * (eval.c reports a label's bad values before any kernel runs; this keeps
 * the kernel safe whatever it is given) */
static int64_t class_of(const Tensor *t, int64_t i, int64_t C)
{
    double k = t->data[t->numel == 1 ? 0 : i];
    return k >= 0 && k < (double)C && k == floor(k) ? (int64_t)k : -1;
}

void gvl_fwd_cross_entropy(const Node *n, const Tensor *const *in, Tensor *out)
{
    const int64_t C = in[0]->dims[in[0]->ndim - 1], N = in[0]->numel / C;
    double sum = 0.0;
    for (int64_t i = 0; i < N; i++) {
        const double *z = in[0]->data + i * C;
        const int64_t cls = class_of(in[1], i, C);
        const double m = lane_max(z, C, 1);
        sum += cls < 0 ? NAN : -(z[cls] - m - log_sum_exp_shifted(z, C, m));
    }
    out->data[0] = sum / (double)N;
    (void)n;
}

void gvl_bwd_cross_entropy(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout,
                       Tensor *const *gin)
{
    /* the classes take no gradient: gin[1], if any, stays zero */
    if (!gin[0]) return;
    const int64_t C = in[0]->dims[in[0]->ndim - 1], N = in[0]->numel / C;
    const double g = gout->data[0] / (double)N;
    for (int64_t i = 0; i < N; i++) {
        const double *z = in[0]->data + i * C;
        double *gz = gin[0]->data + i * C;
        const int64_t cls = class_of(in[1], i, C);
        const double m = lane_max(z, C, 1);
        const double lse = log_sum_exp_shifted(z, C, m);
        /* d/dz of -log_softmax(z)[cls] = softmax(z) - onehot(cls) */
        for (int64_t k = 0; k < C; k++)
            gz[k] += cls < 0 ? NAN : g * (exp(z[k] - m - lse) - (k == cls ? 1.0 : 0.0));
    }
    (void)n;
    (void)out;
}
