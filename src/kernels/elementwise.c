/*
 * elementwise.c - unary functions and broadcasting binary operators.
 *
 * Each unary op is one row: its value y = f(x) and its derivative written
 * with the incoming gradient g, the input x and the output y, in the form
 * PyTorch's autograd uses (tan' = 1 + y², sqrt' = 1/(2y)), so the numbers
 * agree to the last bit where PyTorch's do.  Binary ops walk the broadcast
 * shape once; their backward adds into the operands' gradients through
 * the same strides, which sums over broadcast dimensions for free.
 */
#include "kernels.h"

#include <math.h>

static double sgn(double x)
{
    /* PyTorch's sign, (0 < x) - (x < 0): 0 at NaN, so abs passes no NaN back */
    return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0;
}

/* relu keeps NaN, as clamp_min does */
static double relu(double x)
{
    return x > 0 ? x : x != x ? x : 0.0;
}

static double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* UNARY(name, y from x, dL/dx from g, x, y).  relu's is PyTorch's
 * threshold_backward, 0 where y <= 0: a NaN passes the gradient on. */
#define UNARY_OPS(X)                                          \
    X(identity, x, g)                                         \
    X(neg, -x, -g)                                            \
    X(sin, sin(x), g * cos(x))                                \
    X(cos, cos(x), g * -sin(x))                               \
    X(tan, tan(x), g * (1.0 + y * y))                         \
    X(exp, exp(x), g * y)                                     \
    X(log, log(x), g / x)                                     \
    X(log1p, log1p(x), g / (1.0 + x))                         \
    X(sqrt, sqrt(x), g / (2.0 * y))                           \
    X(abs, fabs(x), g * sgn(x))                               \
    X(tanh, tanh(x), g * (1.0 - y * y))                       \
    X(sigmoid, sigmoid(x), g * (1.0 - y) * y)                 \
    X(relu, relu(x), y <= 0 ? 0.0 : g)                        \
    X(leaky_relu, x > 0 ? x : x * n->attrs->negative_slope,   \
      x > 0 ? g : g * n->attrs->negative_slope)

#define DEFINE_UNARY(name, fx, dx)                                                                   \
    void gvl_fwd_##name(const Node *n, const Tensor *const *in, Tensor *out)                            \
    {                                                                                                \
        const double *xs = in[0]->data;                                                              \
        for (int64_t i = 0; i < out->numel; i++) {                                                   \
            double x = xs[i];                                                                        \
            out->data[i] = (fx);                                                                     \
        }                                                                                            \
    }                                                                                                \
    void gvl_bwd_##name(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout,  \
                    Tensor *const *gin)                                                              \
    {                                                                                                \
        if (!gin[0]) return;                                                                         \
        for (int64_t i = 0; i < out->numel; i++) {                                                   \
            double x = in[0]->data[i], y = out->data[i], g = gout->data[i];                          \
            (void)x;                                                                                 \
            (void)y;                                                                                 \
            gin[0]->data[i] += (dx);                                                                 \
        }                                                                                            \
    }
UNARY_OPS(DEFINE_UNARY)

/* ---- broadcasting binary operators ---------------------------------- */

/* BINARY(name, value from a and b, dL/da, dL/db from g, a, b, y).
 * div's dL/db is PyTorch's -g * ((a / b) / b): b * b would over- or
 * underflow where the quotient does not (a = 1e-300, b = 1e-200). */
#define BINARY_OPS(X)                                                                 \
    X(add, a + b, g, g)                                                               \
    X(sub, a - b, g, -g)                                                              \
    X(mul, a * b, g * b, g * a)                                                       \
    X(div, a / b, g / b, -g * ((a / b) / b))                                          \
    X(pow, pow(a, b), pow_grad_base(g, a, b), pow_grad_exponent(g, a, b, y))

/* PyTorch masks the terms that would be 0 * inf: d(a^0)/da = 0 ... */
static double pow_grad_base(double g, double a, double b)
{
    return b == 0.0 ? 0.0 : g * b * pow(a, b - 1.0);
}

/* ... and d(0^b)/db = 0 for b >= 0 */
static double pow_grad_exponent(double g, double a, double b, double y)
{
    return (a == 0.0 && b >= 0.0) ? 0.0 : g * y * log(a);
}

#define DEFINE_BINARY(name, fy, da, db)                                                              \
    void gvl_fwd_##name(const Node *n, const Tensor *const *in, Tensor *out)                            \
    {                                                                                                \
        int64_t sa[TENSOR_MAX_RANK], sb[TENSOR_MAX_RANK];                                            \
        gvl_tensor_bcast_strides(in[0], out->ndim, out->dims, sa);                                       \
        gvl_tensor_bcast_strides(in[1], out->ndim, out->dims, sb);                                       \
        BcastIter it;                                                                                \
        gvl_bcast_iter_init(&it, out->ndim, out->dims, sa, sb);                                          \
        for (int64_t i = 0; i < out->numel; i++, gvl_bcast_iter_next(&it)) {                             \
            double a = in[0]->data[it.oa], b = in[1]->data[it.ob];                                   \
            out->data[i] = (fy);                                                                     \
        }                                                                                            \
    }                                                                                                \
    void gvl_bwd_##name(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout,  \
                    Tensor *const *gin)                                                              \
    {                                                                                                \
        int64_t sa[TENSOR_MAX_RANK], sb[TENSOR_MAX_RANK];                                            \
        gvl_tensor_bcast_strides(in[0], out->ndim, out->dims, sa);                                       \
        gvl_tensor_bcast_strides(in[1], out->ndim, out->dims, sb);                                       \
        BcastIter it;                                                                                \
        gvl_bcast_iter_init(&it, out->ndim, out->dims, sa, sb);                                          \
        for (int64_t i = 0; i < out->numel; i++, gvl_bcast_iter_next(&it)) {                             \
            double a = in[0]->data[it.oa], b = in[1]->data[it.ob], g = gout->data[i];                \
            double y = out->data[i];                                                                 \
            (void)a;                                                                                 \
            (void)b;                                                                                 \
            (void)y;                                                                                 \
            if (gin[0]) gin[0]->data[it.oa] += (da);                                                 \
            if (gin[1]) gin[1]->data[it.ob] += (db);                                                 \
        }                                                                                            \
    }
BINARY_OPS(DEFINE_BINARY)
