/*
 * check_kernels.c - the numeric kernels of every op in ops.def, called
 * through gvl_op_forward/gvl_op_backward on graphs built from .graph text.
 *
 * Three kinds of test.  The gradient checks run each case's op on random
 * inputs (a fixed-seed PRNG, so a failure repeats), take a random upstream
 * gradient G, and compare every element of the backward kernel's result
 * with a central finite difference of sum(G * forward); inputs are drawn
 * away from kinks (relu and abs away from 0, distinct values for max and
 * max pooling, positive arguments for log, sqrt and pow).  The reference
 * checks recompute matmul, transpose, dot, conv2d, the pools, softmax,
 * log_softmax and cross_entropy straight from their definitions, one
 * output element at a time.  The exact checks assert the lab's answers
 * and a few other values worked out by hand, each with its calculation
 * beside it.
 *
 * Shapes come from the graph's own shape rules, so a kernel that disagrees
 * with its rule about a size shows up here too.  Run under valgrind with
 * CK_FORK=no: every test frees what it allocates.
 */
#include "autodiff.h"
#include "jacobian.h"
#include "kernels.h"
#include "testutil.h"
#include "train.h"

#include <math.h>

/* ---- a fixed-seed PRNG (splitmix64) ------------------------------------- */

static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    rng_state = s * 0x9E3779B97F4A7C15ull + 12345;
}

static double rng_unit(void)   /* [0, 1) */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static double rng_range(double lo, double hi)
{
    return lo + (hi - lo) * rng_unit();
}

/* How a case's operand is filled.  Literals (`a ** 2`) keep their value. */
typedef enum {
    D_ANY,       /* uniform in [-1, 1] */
    D_POS,       /* uniform in [0.5, 2]: log, sqrt, the base of pow */
    D_AWAY,      /* +-[0.3, 1]: relu, abs, divisors */
    D_DISTINCT,  /* a shuffled ramp with gaps >> eps: max and max pooling */
    D_DEHOM,     /* uniform in [-1, 1], the last row in [1, 2] */
} Domain;

static void fill_random(Tensor *t, Domain d)
{
    double *v = t->data;
    const int64_t n = t->numel;
    switch (d) {
    case D_ANY:
        for (int64_t i = 0; i < n; i++) v[i] = rng_range(-1, 1);
        break;
    case D_POS:
        for (int64_t i = 0; i < n; i++) v[i] = rng_range(0.5, 2);
        break;
    case D_AWAY:
        for (int64_t i = 0; i < n; i++) v[i] = (rng_unit() < 0.5 ? -1 : 1) * rng_range(0.3, 1);
        break;
    case D_DISTINCT:
        /* k-th value near -1 + 2(k+0.5)/n: neighbours differ by at least 1.6/n */
        for (int64_t i = 0; i < n; i++) v[i] = -1 + 2 * (i + 0.5) / n + rng_range(-0.2, 0.2) / n;
        for (int64_t i = n - 1; i > 0; i--) {
            int64_t j = (int64_t)(rng_unit() * (double)(i + 1));
            double tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        break;
    case D_DEHOM: {
        const int64_t cols = t->ndim == 2 ? t->dims[1] : 1;
        for (int64_t i = 0; i < n; i++) v[i] = i >= n - cols ? rng_range(1, 2) : rng_range(-1, 1);
        break;
    }
    }
}

/* ---- tensors for graph nodes -------------------------------------------- */

static void pool_init(TensorPool *p)
{
    memset(p, 0, sizeof *p);
    p->max_elements = (int64_t)1 << 20;
    p->max_total = (int64_t)1 << 24;
}

/* A zero-filled tensor with ND's (concrete) shape. */
static Tensor *tensor_of(GraphRun *gr, TensorPool *pool, const Node *nd)
{
    int64_t dims[SHAPE_MAX_RANK];
    for (int i = 0; i < nd->shape.ndim; i++)
        ck_assert_msg(gvl_dim_known(&gr->g.dims, nd->shape.d[i], &dims[i]), "a size of node %u is unknown", nd->id);
    Tensor *t = gvl_tensor_new(pool, nd->shape.ndim, dims);
    ck_assert_msg(t != NULL, "gvl_tensor_new: %s", pool->reason);
    return t;
}

static void fill_init(Tensor *t, const Init *in)
{
    if (in->fill) {
        gvl_tensor_fill(t, in->vals[0]);
        return;
    }
    ck_assert_int_eq(in->nvals, t->numel);
    memcpy(t->data, in->vals, sizeof(double) * (size_t)t->numel);
}

#define CIN(a) ((const Tensor *const *)(a))

/* ---- whole graphs through the production evaluator ----------------------- */

/* A graph built from text and evaluated by eval.c, as `graphviz-lab eval`
 * does: leaves from their initialisers, every forward kernel in order. */
typedef struct Eval {
    GraphRun *gr;
    Values v;
} Eval;

static Eval *eval_graph(const char *text)
{
    Eval *e = calloc(1, sizeof *e);
    e->gr = build(text);
    ck_assert_clean(e->gr);
    EvalOptions eo = {false, 0, (int64_t)1 << 20, (int64_t)1 << 24, false, 0};
    ck_assert_msg(gvl_values_init(&e->v, &e->gr->g, &eo), "values_init failed: %s",
                  e->gr->diag.count ? e->gr->diag.items[0].msg : "");
    gvl_values_forward(&e->v);
    return e;
}

/* Backpropagates from node NAME, which must hold one element (sum() of a
 * tensor gives the gradients of ones upstream). */
static void eval_backward(Eval *e, const char *name)
{
    const Node *root = node_named(e->gr, name);
    ck_assert_msg(gvl_shape_is_one(&e->gr->g, &root->shape), "%s is not a one-element node", name);
    ck_assert(gvl_values_backward(&e->v, root));
}

static const Tensor *val_of(Eval *e, const char *name)
{
    return e->v.val[node_named(e->gr, name)->id];
}

static const Tensor *grad_of(Eval *e, const char *name)
{
    const Tensor *t = e->v.grad[node_named(e->gr, name)->id];
    ck_assert_msg(t != NULL, "the root does not depend on %s", name);
    return t;
}

static void eval_free(Eval *e)
{
    gvl_values_free(&e->v);
    build_free(e->gr);
    free(e);
}

/* Asserts that T holds exactly the N values WANT (within TOL). */
static void expect_values(const Tensor *t, const char *what, const double *want, int64_t n, double tol)
{
    ck_assert_msg(t->numel == n, "%s has %lld elements, expected %lld", what, (long long)t->numel, (long long)n);
    for (int64_t i = 0; i < n; i++)
        ck_assert_msg(fabs(t->data[i] - want[i]) <= tol || (isnan(want[i]) && isnan(t->data[i])),
                      "%s[%lld] = %.17g, expected %.17g", what, (long long)i, t->data[i], want[i]);
}

#define EXPECT(t, what, ...)                                                                       \
    do {                                                                                           \
        const double w_[] = {__VA_ARGS__};                                                         \
        expect_values((t), (what), w_, (int64_t)(sizeof w_ / sizeof w_[0]), 1e-12);                \
    } while (0)

/* ---- the cases: one op node `y` each, over every op in ops.def ----------- */

typedef struct Case {
    const char *decls;   /* declarations of the operands, no values */
    const char *expr;    /* y = EXPR */
    Domain dom[2];       /* how operand 0 and 1 are filled */
} Case;

static const Case cases[] = {
    /* elementwise, one operand */
    {"input a[2,3]", "a", {D_ANY}},                       /* identity: y = a */
    {"input a[2,3]", "-a", {D_ANY}},
    {"input a[4]", "sin(a)", {D_ANY}},
    {"input a[2,2]", "cos(a)", {D_ANY}},
    {"input a[4]", "tan(a)", {D_ANY}},
    {"input a[2,3]", "exp(a)", {D_ANY}},
    {"input a", "exp(a)", {D_ANY}},                        /* a scalar */
    {"input a[2,3]", "log(a)", {D_POS}},
    {"input a[2,3]", "log1p(a)", {D_POS}},
    {"input a[5]", "sqrt(a)", {D_POS}},
    {"input a[2,3]", "abs(a)", {D_AWAY}},
    {"input a[2,3]", "tanh(a)", {D_ANY}},
    {"input a[3,2]", "sigmoid(a)", {D_ANY}},
    {"input a[2,4]", "relu(a)", {D_AWAY}},
    {"input a[2,4]", "leaky_relu(a, negative_slope=0.2)", {D_AWAY}},
    /* elementwise, two operands, with broadcasting */
    {"input a[2,3]\ninput b[2,3]", "a + b", {D_ANY, D_ANY}},
    {"input a[2,3]\ninput b[3]", "a + b", {D_ANY, D_ANY}},
    {"input a[2,1]\ninput b[1,3]", "a + b", {D_ANY, D_ANY}},
    {"input a\ninput b[2,2]", "a + b", {D_ANY, D_ANY}},
    {"input a[4,1,3]\ninput b[2,1]", "a + b", {D_ANY, D_ANY}},
    {"input a[3]", "a + a", {D_ANY}},                      /* one operand twice */
    {"input a[2,3]\ninput b[3]", "a - b", {D_ANY, D_ANY}},
    {"input a[3,1]\ninput b[2,1,4]", "a - b", {D_ANY, D_ANY}},
    {"input a\ninput b[3]", "a - b", {D_ANY, D_ANY}},
    {"input a[2,3]\ninput b[2,1]", "a * b", {D_ANY, D_ANY}},
    {"input a[1,3]\ninput b[2,1]", "a * b", {D_ANY, D_ANY}},
    {"input a[3]", "a * a", {D_ANY}},
    {"input a[2,3]\ninput b[3]", "a / b", {D_ANY, D_AWAY}},
    {"input a\ninput b[2,2]", "a / b", {D_ANY, D_AWAY}},
    {"input a[2,1]\ninput b[1,3]", "a / b", {D_ANY, D_AWAY}},
    {"input a[2,3]\ninput b[3]", "a ** b", {D_POS, D_ANY}},
    {"input a[2,3]\ninput b", "a ** b", {D_POS, D_ANY}},
    {"input a[3]\ninput b[2,1]", "a ** b", {D_POS, D_ANY}},
    {"input a[2,2]", "a ** 2", {D_POS}},
    {"input a[3]", "a ** 0.5", {D_POS}},
    /* matmul in every form of torch.matmul */
    {"input a[3]\ninput b[3]", "a @ b", {D_ANY, D_ANY}},             /* dot -> [] */
    {"input a[2,3]\ninput b[3,4]", "a @ b", {D_ANY, D_ANY}},         /* [2,4] */
    {"input a[3]\ninput b[3,4]", "a @ b", {D_ANY, D_ANY}},           /* [4] */
    {"input a[2,3]\ninput b[3]", "a @ b", {D_ANY, D_ANY}},           /* [2] */
    {"input a[2,2,3]\ninput b[2,3,4]", "a @ b", {D_ANY, D_ANY}},     /* [2,2,4] */
    {"input a[2,2,3]\ninput b[3,4]", "a @ b", {D_ANY, D_ANY}},       /* b broadcast: [2,2,4] */
    {"input a[2,3]\ninput b[2,3,4]", "a @ b", {D_ANY, D_ANY}},       /* a broadcast: [2,2,4] */
    {"input a[3]\ninput b[2,3,4]", "a @ b", {D_ANY, D_ANY}},         /* [2,4] */
    {"input a[2,2,3]\ninput b[3]", "a @ b", {D_ANY, D_ANY}},         /* [2,2] */
    {"input a[2,1,2,3]\ninput b[3,3,2]", "a @ b", {D_ANY, D_ANY}},   /* batch [2,1] x [3]: [2,3,2,2] */
    {"input a[1,2,3]\ninput b[2,3,4]", "a @ b", {D_ANY, D_ANY}},     /* size-1 batch: [2,2,4] */
    {"input a[3,3]", "a @ a", {D_ANY}},
    {"input x[2,1]\nparam w[2,1]", "w^T @ x", {D_ANY, D_ANY}},       /* the lab's w^T x */
    /* transpose */
    {"input a[2,3]", "a^T", {D_ANY}},
    {"input a[2,3,4]", "transpose(a)", {D_ANY}},
    {"input a[3]", "a^T", {D_ANY}},
    {"input a", "a^T", {D_ANY}},
    /* dot */
    {"input a[3]\ninput b[3]", "dot(a, b)", {D_ANY, D_ANY}},
    {"input a[2,3]\ninput b[6]", "dot(a, b)", {D_ANY, D_ANY}},
    {"input a[2,2]\ninput b[4,1]", "dot(a, b)", {D_ANY, D_ANY}},
    {"input a[4]", "dot(a, a)", {D_ANY}},
    /* reductions */
    {"input a[2,3]", "sum(a)", {D_ANY}},
    {"input a[2,3]", "sum(a, dim=0)", {D_ANY}},
    {"input a[2,3]", "sum(a, dim=-1)", {D_ANY}},
    {"input a[2,3,4]", "sum(a, dim=1)", {D_ANY}},
    {"input a", "sum(a, dim=0)", {D_ANY}},
    {"input a[2,3]", "mean(a)", {D_ANY}},
    {"input a[2,3]", "mean(a, dim=0)", {D_ANY}},
    {"input a[2,3,4]", "mean(a, dim=-1)", {D_ANY}},
    {"input a[2,3,4]", "mean(a, dim=1)", {D_ANY}},
    {"input a[2,3]", "max(a)", {D_DISTINCT}},
    {"input a[7]", "max(a)", {D_DISTINCT}},
    {"input a[2,3]", "norm(a)", {D_AWAY}},
    /* reshaping */
    {"input a[2,3]", "reshape(a, [3, 2])", {D_ANY}},
    {"input a[2,3]", "reshape(a, 6x1)", {D_ANY}},
    {"input a[2,3,2]", "reshape(a, [-1, 3])", {D_ANY}},
    {"input a[2,3]", "vec(a)", {D_ANY}},
    {"input a[4]", "vec(a)", {D_ANY}},
    {"input a[3]", "hom(a)", {D_ANY}},
    {"input a[2,4]", "hom(a)", {D_ANY}},
    {"input a[3]", "dehom(a)", {D_DEHOM}},
    {"input a[3,4]", "dehom(a)", {D_DEHOM}},
    /* conv2d: the three forms, every option */
    {"input x[5,6]\nparam w[2,3]", "conv2d(x, w)", {D_ANY, D_ANY}},
    {"input x[5,6]\nparam w[2,3]", "conv2d(x, w, stride=2)", {D_ANY, D_ANY}},
    {"input x[5,6]\nparam w[2,3]", "conv2d(x, w, padding=1)", {D_ANY, D_ANY}},
    {"input x[5,6]\nparam w[2,3]", "conv2d(x, w, dilation=2)", {D_ANY, D_ANY}},
    {"input x[5,6]\nparam w[2,3]", "conv2d(x, w, stride=2x1, padding=1x0, dilation=1x2)", {D_ANY, D_ANY}},
    {"input x[6,5]\nparam w[3,2]", "conv2d(x, w, stride=3, padding=2)", {D_ANY, D_ANY}},
    {"input x[2,5,5]\nparam w[3,2,3,3]", "conv2d(x, w)", {D_ANY, D_ANY}},
    {"input x[2,5,5]\nparam w[3,2,3,3]", "conv2d(x, w, stride=2, padding=1)", {D_ANY, D_ANY}},
    {"input x[2,2,5,4]\nparam w[3,2,2,2]", "conv2d(x, w)", {D_ANY, D_ANY}},
    {"input x[2,2,5,4]\nparam w[3,2,2,2]", "conv2d(x, w, stride=1x2, padding=1x2, dilation=2x1)", {D_ANY, D_ANY}},
    {"input x[5,5]\nparam w[3,3]", "conv(x, w, padding=\"same\")", {D_ANY, D_ANY}},       /* odd kernel */
    {"input x[4,5]\nparam w[2,4]", "conv(x, w, padding=\"same\")", {D_ANY, D_ANY}},       /* even: extra right */
    {"input x[2,6,5]\nparam w[2,2,2,3]", "conv(x, w, padding=\"same\", dilation=2)", {D_ANY, D_ANY}},
    {"input x[1,2,4,4]\nparam w[2,2,2,2]", "conv(x, w, padding=\"same\", dilation=1x3)", {D_ANY, D_ANY}},
    {"input x[5,6]\nparam w[3,3]", "conv(x, w, padding=\"valid\")", {D_ANY, D_ANY}},
    {"input x[1,3]\nparam w[1,2]", "conv(x, w)", {D_ANY, D_ANY}},                        /* the lab's ex 3 */
    {"input x[3,3]", "conv(x, x)", {D_ANY}},                                              /* one node twice */
    /* pooling: the three forms, stride and padding */
    {"input x[4,4]", "max(x, 2x2)", {D_DISTINCT}},
    {"input x[5,5]", "maxpool2d(x, 3x3, stride=2, padding=1)", {D_DISTINCT}},
    {"input x[2,5,6]", "maxpool2d(x, 2x3, stride=1x2, padding=1x1)", {D_DISTINCT}},
    {"input x[2,2,4,5]", "maxpool2d(x, 2x2, stride=1)", {D_DISTINCT}},
    {"input x[1,3]", "max(x, 1x2)", {D_DISTINCT}},
    {"input x[4,4]", "avgpool2d(x, 2x2)", {D_ANY}},
    {"input x[5,5]", "avgpool2d(x, 3x3, stride=2, padding=1)", {D_ANY}},
    {"input x[2,5,6]", "avgpool2d(x, 2x3, stride=1x2, padding=1x1)", {D_ANY}},
    {"input x[2,2,4,5]", "avgpool2d(x, 2x2, stride=1)", {D_ANY}},
    /* softmax and log_softmax */
    {"input a[2,3]", "softmax(a)", {D_ANY}},
    {"input a[2,3]", "softmax(a, dim=-1)", {D_ANY}},
    {"input a[2,3]", "softmax(a, dim=0)", {D_ANY}},
    {"input a[2,3,4]", "softmax(a, dim=1)", {D_ANY}},
    {"input a[4]", "softmax(a, dim=0)", {D_ANY}},
    {"input a", "softmax(a)", {D_ANY}},
    {"input a[2,3]", "log_softmax(a)", {D_ANY}},
    {"input a[2,3]", "log_softmax(a, dim=0)", {D_ANY}},
    {"input a[2,3,4]", "log_softmax(a, dim=1)", {D_ANY}},
    {"input a", "log_softmax(a, dim=-1)", {D_ANY}},
    /* losses, with broadcasting */
    {"input y[2,3]\nlabel t[2,3]", "mse(y, t)", {D_ANY, D_ANY}},
    {"input y[2,3]\nlabel t[3]", "mse(y, t)", {D_ANY, D_ANY}},
    {"input y[3,1]\nlabel t[1,4]", "mse(y, t)", {D_ANY, D_ANY}},
    {"input y\nlabel t[3]", "mse(y, t)", {D_ANY, D_ANY}},
    {"input y[2,3]\nlabel t[2,3]", "sse(y, t)", {D_ANY, D_ANY}},
    {"input y[2,3]\nlabel t[2,1]", "sse(y, t)", {D_ANY, D_ANY}},
    {"input y[4]\nlabel t", "sse(y, t)", {D_ANY, D_ANY}},
    {"input z[4]", "cross_entropy(z, 2)", {D_ANY}},
    {"input z[1,5]", "cross_entropy(z, 0)", {D_ANY}},
    {"input z[3]", "cross_entropy(z, 2)", {D_ANY}},
    {"input z[3,4]\nlabel c[3] = [3, 0, 1]", "cross_entropy(z, c)", {D_ANY, D_ANY}},
    {"input z[1,5]\nlabel c = 4", "cross_entropy(z, c)", {D_ANY, D_ANY}},
    {"input z[2,3]\nlabel c[2] = [2, 2]", "cross_entropy(z * 3, c)", {D_ANY, D_ANY}},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

/* One case's op node with its operands filled and its output allocated. */
typedef struct Run {
    GraphRun *gr;
    const Node *y;
    TensorPool pool;
    int nin;
    Tensor *in[2];       /* in[1] == in[0] when both operands are one node */
    bool shared;
    Tensor *out;
    char text[512];
} Run;

static Run *run_open(const Case *c)
{
    Run *r = calloc(1, sizeof *r);
    pool_init(&r->pool);
    snprintf(r->text, sizeof r->text, "%s\ny = %s\n", c->decls, c->expr);
    r->gr = build(r->text);
    ck_assert_clean(r->gr);
    r->y = node_named(r->gr, "y");
    ck_assert_int_eq(r->y->kind, NK_OP);
    r->nin = r->y->nsrc;
    for (int i = 0; i < r->nin; i++) {
        if (i == 1 && r->y->src[1] == r->y->src[0]) {
            r->in[1] = r->in[0];
            r->shared = true;
            continue;
        }
        r->in[i] = tensor_of(r->gr, &r->pool, r->y->src[i]);
        if (r->y->src[i]->init) fill_init(r->in[i], r->y->src[i]->init);
        else fill_random(r->in[i], c->dom[i]);
    }
    r->out = tensor_of(r->gr, &r->pool, r->y);
    return r;
}

/* Runs the forward kernel into OUT, zero-filled first as the evaluator does. */
static void run_forward(Run *r, Tensor *out)
{
    gvl_tensor_fill(out, 0.0);
    gvl_op_forward[r->y->op](r->y, CIN(r->in), out);
}

static void run_close(Run *r)
{
    gvl_tensor_free(&r->pool, r->in[0]);
    if (!r->shared) gvl_tensor_free(&r->pool, r->in[1]);
    gvl_tensor_free(&r->pool, r->out);
    build_free(r->gr);
    ck_assert_int_eq(r->pool.live, 0);
    free(r);
}

/* ---- the gradient check -------------------------------------------------- */

static const double FD_EPS = 1e-6, FD_RTOL = 1e-6, FD_ATOL = 1e-8;

static bool unchanged(const Tensor *a, const Tensor *b)
{
    return memcmp(a->data, b->data, sizeof(double) * (size_t)a->numel) == 0;
}

START_TEST(test_gradcheck)
{
    const Case *c = &cases[_i];
    rng_seed((uint64_t)_i + 1);
    Run *r = run_open(c);
    const BackwardFn bwd = gvl_op_backward[r->y->op];
    run_forward(r, r->out);

    Tensor *G = gvl_tensor_like(&r->pool, r->out);
    fill_random(G, D_ANY);
    Tensor *outp = gvl_tensor_like(&r->pool, r->out), *outm = gvl_tensor_like(&r->pool, r->out);
    Tensor *gin[2] = {NULL, NULL}, *pre[2] = {NULL, NULL}, *keep[2] = {NULL, NULL};
    int nuniq = r->shared ? 1 : r->nin;
    for (int i = 0; i < nuniq; i++) {
        /* GIN starts non-zero: backward must add to it, not overwrite it */
        gin[i] = gvl_tensor_like(&r->pool, r->in[i]);
        fill_random(gin[i], D_ANY);
        pre[i] = gvl_tensor_like(&r->pool, r->in[i]);
        gvl_tensor_copy(pre[i], gin[i]);
        keep[i] = gvl_tensor_like(&r->pool, r->in[i]);
        gvl_tensor_copy(keep[i], r->in[i]);
    }
    if (r->shared) gin[1] = gin[0];
    Tensor *keep_out = gvl_tensor_like(&r->pool, r->out);
    gvl_tensor_copy(keep_out, r->out);
    bwd(r->y, CIN(r->in), r->out, G, gin);
    for (int i = 0; i < nuniq; i++)
        ck_assert_msg(unchanged(r->in[i], keep[i]), "%s: backward changed operand %d", r->text, i);
    ck_assert_msg(unchanged(r->out, keep_out), "%s: backward changed OUT", r->text);

    /* forward is deterministic and does not depend on OUT's old contents */
    run_forward(r, outp);
    ck_assert_msg(unchanged(outp, r->out), "%s: forward gave two different results", r->text);

    for (int i = 0; i < nuniq; i++) {
        Tensor *x = r->in[i];
        if (r->y->op == OP_CROSS_ENTROPY && i == 1) {
            /* class indices take no gradient (a step off a class is no
             * class): backward leaves theirs as it was */
            ck_assert_msg(unchanged(gin[1], pre[1]), "%s: backward changed the classes' gradient", r->text);
            continue;
        }
        for (int64_t k = 0; k < x->numel; k++) {
            const double v = x->data[k];
            x->data[k] = v + FD_EPS;
            run_forward(r, outp);
            x->data[k] = v - FD_EPS;
            run_forward(r, outm);
            x->data[k] = v;
            /* differences first: out+ - out- loses nothing to cancellation */
            double s = 0.0;
            for (int64_t j = 0; j < G->numel; j++) s += G->data[j] * (outp->data[j] - outm->data[j]);
            const double num = s / (2 * FD_EPS);
            const double ana = gin[i]->data[k] - pre[i]->data[k];
            ck_assert_msg(fabs(ana - num) <= FD_ATOL + FD_RTOL * fabs(num),
                          "y = %s (%s): d/d operand %d [%lld]: backward %.12g, finite difference %.12g",
                          c->expr, c->decls, i, (long long)k, ana, num);
        }
    }

    /* an operand that needs no gradient gets NULL, and the other's is the same */
    if (r->nin == 2 && !r->shared)
        for (int i = 0; i < 2; i++) {
            Tensor *one = gvl_tensor_like(&r->pool, r->in[i]);
            Tensor *only[2] = {NULL, NULL};
            only[i] = one;
            bwd(r->y, CIN(r->in), r->out, G, only);
            for (int64_t k = 0; k < one->numel; k++)
                ck_assert_msg(fabs(one->data[k] - (gin[i]->data[k] - pre[i]->data[k])) <= 1e-12 * (1 + fabs(one->data[k])),
                              "%s: with the other gradient NULL, d/d operand %d [%lld] is %.17g, not %.17g", r->text,
                              i, (long long)k, one->data[k], gin[i]->data[k] - pre[i]->data[k]);
            gvl_tensor_free(&r->pool, one);
        }

    for (int i = 0; i < nuniq; i++) {
        gvl_tensor_free(&r->pool, gin[i]);
        gvl_tensor_free(&r->pool, pre[i]);
        gvl_tensor_free(&r->pool, keep[i]);
    }
    gvl_tensor_free(&r->pool, keep_out);
    gvl_tensor_free(&r->pool, G);
    gvl_tensor_free(&r->pool, outp);
    gvl_tensor_free(&r->pool, outm);
    run_close(r);
}
END_TEST

/* ---- each edge's Jacobian matrix, against central differences ----------- */

/* The matrix explain prints for every operand of every case is the op's
 * true Jacobian d vec(y) / d vec(x): numerator layout, column-major vec.
 * It is built from the backward kernel, so it is checked here against
 * finite differences of the forward kernel alone. */
START_TEST(test_jacobian_matrix)
{
    const Case *c = &cases[_i];
    rng_seed((uint64_t)_i + 101);
    Run *r = run_open(c);
    run_forward(r, r->out);
    /* a Values that holds just this op's operands and result */
    Values v;
    memset(&v, 0, sizeof v);
    v.g = &r->gr->g;
    v.val = calloc(r->gr->g.count, sizeof *v.val);
    for (int i = 0; i < r->nin; i++) v.val[r->y->src[i]->id] = r->in[i];
    v.val[r->y->id] = r->out;
    Tensor *outp = gvl_tensor_like(&r->pool, r->out), *outm = gvl_tensor_like(&r->pool, r->out);
    int64_t *mv = malloc(sizeof *mv * (size_t)r->out->numel);
    gvl_colmajor_map(r->out->ndim, r->out->dims, r->out->numel, mv);
    int nuniq = r->shared ? 1 : r->nin;
    for (int i = 0; i < nuniq; i++) {
        const Node *u = r->y->src[i];
        Tensor *x = r->in[i];
        JacMatrix J;
        ck_assert(gvl_jac_matrix(&v, r->y, u, 1 << 20, &J));
        if (!gvl_node_edge_differentiable(r->y, i)) {
            /* cross_entropy's classes: the Jacobian is all zeros */
            for (int64_t k = 0; k < J.rows * J.cols; k++)
                ck_assert_msg(J.data[k] == 0, "%s: the classes' Jacobian holds %g", r->text, J.data[k]);
            gvl_jac_matrix_free(&J);
            continue;
        }
        ck_assert_int_eq(J.rows, r->out->numel);
        ck_assert_int_eq(J.cols, x->numel);
        int64_t *mu = malloc(sizeof *mu * (size_t)x->numel);
        gvl_colmajor_map(x->ndim, x->dims, x->numel, mu);
        for (int64_t k = 0; k < x->numel; k++) {
            const double keep = x->data[k];
            x->data[k] = keep + FD_EPS;
            run_forward(r, outp);
            x->data[k] = keep - FD_EPS;
            run_forward(r, outm);
            x->data[k] = keep;
            for (int64_t j = 0; j < r->out->numel; j++) {
                const double num = (outp->data[j] - outm->data[j]) / (2 * FD_EPS);
                const double ana = J.data[mv[j] * J.cols + mu[k]];
                ck_assert_msg(fabs(ana - num) <= 1e-7 + FD_RTOL * fabs(num),
                              "y = %s (%s): d vec(y)[%lld] / d vec(operand %d)[%lld] is %.12g, finite difference %.12g",
                              c->expr, c->decls, (long long)mv[j], i, (long long)mu[k], ana, num);
            }
        }
        free(mu);
        gvl_jac_matrix_free(&J);
    }
    free(mv);
    free(v.val);
    gvl_tensor_free(&r->pool, outp);
    gvl_tensor_free(&r->pool, outm);
    run_close(r);
}
END_TEST

/* ---- gradcheck's error bound ------------------------------------------- */

/* Runs gradcheck on TEXT (leaves without values drawn with --random 3)
 * with the default tolerances; returns the results and the bound used. */
static int gradcheck_of(const char *text, GradcheckResult *res, double atol, double tol, double *used)
{
    GraphRun *gr = build(text);
    ck_assert_clean(gr);
    EvalOptions eo = {true, 3, (int64_t)1 << 20, (int64_t)1 << 24, false, 0};
    Values v;
    ck_assert(gvl_values_init(&v, &gr->g, &eo));
    const Node *root = gr->g.loss;
    int n = gvl_gradcheck_run(&v, root, 1e-6, tol, atol, res, used);
    for (int i = 0; i < n; i++) res[i].wrt = NULL;   /* the graph goes away */
    gvl_values_free(&v);
    build_free(gr);
    return n;
}

START_TEST(test_gradcheck_linear_at_scale)
{
    /* sum(x @ W) is linear, so backprop is exact; 200x200 failed at the
     * old relative-only tolerance (errors of 3e-6 from the sum's rounding) */
    GradcheckResult res[8];
    double used;
    int n = gradcheck_of("input x[200,200]\nparam W[200,200]\nL = sum(x @ W)\n", res, -1, 1e-6, &used);
    ck_assert_int_eq(n, 2);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(res[i].ok, "operand %d: max abs error %g with atol %g", i, res[i].max_abs_err, used);
        ck_assert_int_eq(res[i].numel, 40000);
        ck_assert_int_eq(res[i].checked, 200);   /* sampled */
    }
    /* the bound stays well below the gradients (about 14 here) */
    ck_assert_msg(used > 1e-6 && used < 1e-3, "atol %g", used);
    /* with no absolute allowance the same check fails: the bound matters */
    n = gradcheck_of("input x[200,200]\nparam W[200,200]\nL = sum(x @ W)\n", res, 0, 1e-9, &used);
    ck_assert(!res[0].ok || !res[1].ok);
}
END_TEST

START_TEST(test_gradcheck_true_failures_stay)
{
    /* relu at its kink: backprop says 0 (as PyTorch), the difference 0.5 */
    GradcheckResult res[8];
    double used;
    int n = gradcheck_of("param x[2] = [0, 1]\nL = sum(relu(x))\n", res, -1, 1e-6, &used);
    ck_assert_int_eq(n, 1);
    ck_assert(!res[0].ok);
    ck_assert_double_eq_tol(res[0].max_abs_err, 0.5, 1e-6);
    /* the same kink in every element of a 200x200 model: a wrong gradient
     * at scale is still far outside the bound */
    n = gradcheck_of("input x[200,200]\nparam W[200,200] = 0\nL = sum(x @ W) + sum(relu(W))\n", res, -1, 1e-6,
                     &used);
    ck_assert_int_eq(n, 2);
    ck_assert(res[0].ok);
    ck_assert(!res[1].ok);
    ck_assert_double_eq_tol(res[1].max_abs_err, 0.5, 1e-3);
}
END_TEST

/* Every op in ops.def has kernels in the table and at least one case above. */
START_TEST(test_every_op_is_covered)
{
    bool seen[OP_COUNT] = {false};
    for (int i = 0; i < NCASES; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s\ny = %s\n", cases[i].decls, cases[i].expr);
        GraphRun *gr = build(text);
        ck_assert_clean(gr);
        seen[node_named(gr, "y")->op] = true;
        build_free(gr);
    }
    for (int op = 0; op < OP_COUNT; op++) {
        ck_assert_msg(gvl_op_forward[op] != NULL && gvl_op_backward[op] != NULL, "%s has no kernel", gvl_op_table[op].name);
        ck_assert_msg(seen[op], "no case tests %s", gvl_op_table[op].name);
    }
}
END_TEST

/* ---- reference forwards, straight from the definitions ------------------- */

/* torch.matmul: OUT[b..., i, j] = sum_k A[b'..., i, k] B[b''..., k, j], where a
 * 1-D A has no i, a 1-D B no j, and b', b'' are b with broadcast dims at 0. */
static void ref_matmul(const Tensor *a, const Tensor *b, Tensor *out)
{
    const int na = a->ndim, nb = b->ndim;
    const int obat = out->ndim - (na >= 2) - (nb >= 2);
    const int64_t K = a->dims[na - 1];
    int64_t idx[TENSOR_MAX_RANK];
    for (int64_t f = 0; f < out->numel; f++) {
        int64_t rem = f;
        for (int d = out->ndim - 1; d >= 0; d--) {
            idx[d] = rem % out->dims[d];
            rem /= out->dims[d];
        }
        const int64_t i = na >= 2 ? idx[obat] : 0, j = nb >= 2 ? idx[out->ndim - 1] : 0;
        double s = 0.0;
        for (int64_t k = 0; k < K; k++) {
            int64_t ao = 0, bo = 0;
            for (int d = 0; d < na; d++) {
                int64_t id = d == na - 1 ? k : d == na - 2 ? i : a->dims[d] == 1 ? 0 : idx[obat - (na - 2) + d];
                ao = ao * a->dims[d] + id;
            }
            for (int d = 0; d < nb; d++) {
                int64_t id = nb == 1 ? k : d == nb - 1 ? j : d == nb - 2 ? k
                           : b->dims[d] == 1 ? 0 : idx[obat - (nb - 2) + d];
                bo = bo * b->dims[d] + id;
            }
            s += a->data[ao] * b->data[bo];
        }
        out->data[f] = s;
    }
}

/* F.conv2d on the 4-D view, zero padding tested element by element. */
static void ref_conv2d(const OpAttrs *at, const Tensor *x, const Tensor *w, Tensor *out)
{
    const int r = x->ndim;
    const int64_t N = r == 4 ? x->dims[0] : 1, C = r >= 3 ? x->dims[r - 3] : 1;
    const int64_t H = x->dims[r - 2], W = x->dims[r - 1];
    const int64_t O = w->ndim == 4 ? w->dims[0] : 1, kh = w->dims[w->ndim - 2], kw = w->dims[w->ndim - 1];
    const int64_t Ho = out->dims[out->ndim - 2], Wo = out->dims[out->ndim - 1];
    /* "same": total d(k-1), of which the top/left gets the floor of half */
    const int64_t pt = at->padding.same ? at->dilation[0] * (kh - 1) / 2 : at->padding.v[0];
    const int64_t pl = at->padding.same ? at->dilation[1] * (kw - 1) / 2 : at->padding.v[1];
    for (int64_t n = 0; n < N; n++)
        for (int64_t o = 0; o < O; o++)
            for (int64_t i = 0; i < Ho; i++)
                for (int64_t j = 0; j < Wo; j++) {
                    double s = 0.0;
                    for (int64_t c = 0; c < C; c++)
                        for (int64_t u = 0; u < kh; u++)
                            for (int64_t v = 0; v < kw; v++) {
                                int64_t ih = i * at->stride[0] - pt + u * at->dilation[0];
                                int64_t iw = j * at->stride[1] - pl + v * at->dilation[1];
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                                s += x->data[((n * C + c) * H + ih) * W + iw] * w->data[((o * C + c) * kh + u) * kw + v];
                            }
                    out->data[((n * O + o) * Ho + i) * Wo + j] = s;
                }
}

/* F.max_pool2d / F.avg_pool2d over the whole kernel, padding cells taking
 * -inf (max) or 0 (avg, which still divides by kh*kw). */
static void ref_pool(const OpAttrs *at, bool is_max, const Tensor *x, Tensor *out)
{
    const int64_t H = x->dims[x->ndim - 2], W = x->dims[x->ndim - 1], P = x->numel / (H * W);
    const int64_t Ho = out->dims[out->ndim - 2], Wo = out->dims[out->ndim - 1];
    for (int64_t p = 0; p < P; p++)
        for (int64_t i = 0; i < Ho; i++)
            for (int64_t j = 0; j < Wo; j++) {
                double m = -INFINITY, s = 0.0;
                for (int64_t u = 0; u < at->kernel_size[0]; u++)
                    for (int64_t v = 0; v < at->kernel_size[1]; v++) {
                        int64_t ih = i * at->stride[0] - at->padding.v[0] + u, iw = j * at->stride[1] - at->padding.v[1] + v;
                        bool inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
                        double val = inside ? x->data[(p * H + ih) * W + iw] : is_max ? -INFINITY : 0.0;
                        if (val > m) m = val;
                        s += val;
                    }
                out->data[(p * Ho + i) * Wo + j] = is_max ? m : s / (double)(at->kernel_size[0] * at->kernel_size[1]);
            }
}

/* softmax / log_softmax from exp(x) / sum(exp(x)) along the dim, without
 * the max shift (the inputs are small), element by element. */
static void ref_softmax(const OpAttrs *at, bool is_log, const Tensor *x, Tensor *out)
{
    const int nd = x->ndim;
    int64_t k = at->dim.v < 0 ? at->dim.v + (nd ? nd : 1) : at->dim.v;
    int64_t idx[TENSOR_MAX_RANK];
    for (int64_t f = 0; f < x->numel; f++) {
        int64_t rem = f, stride = 1;
        for (int d = nd - 1; d >= 0; d--) {
            idx[d] = rem % x->dims[d];
            rem /= x->dims[d];
        }
        for (int d = nd - 1; d > k; d--) stride *= x->dims[d];
        const int64_t len = nd ? x->dims[k] : 1, first = f - (nd ? idx[k] : 0) * stride;
        double s = 0.0;
        for (int64_t t = 0; t < len; t++) s += exp(x->data[first + t * stride]);
        out->data[f] = is_log ? x->data[f] - log(s) : exp(x->data[f]) / s;
    }
}

/* transpose: OUT[..., j, i] = X[..., i, j] */
static void ref_transpose(const Tensor *x, Tensor *out)
{
    if (x->ndim < 2) {
        gvl_tensor_copy(out, x);
        return;
    }
    const int64_t R = x->dims[x->ndim - 2], C = x->dims[x->ndim - 1];
    for (int64_t f = 0; f < x->numel; f++) {
        const int64_t m = f / (R * C), i = f / C % R, j = f % C;
        out->data[(m * C + j) * R + i] = x->data[f];
    }
}

START_TEST(test_reference_forward)
{
    int checked = 0;
    for (int ci = 0; ci < NCASES; ci++) {
        rng_seed(1000 + (uint64_t)ci);
        Run *r = run_open(&cases[ci]);
        const int op = r->y->op;
        Tensor *ref = gvl_tensor_like(&r->pool, r->out);
        run_forward(r, r->out);
        const Tensor *x = r->in[0];
        switch (op) {
        case OP_MATMUL: ref_matmul(x, r->in[1], ref); break;
        case OP_TRANSPOSE: ref_transpose(x, ref); break;
        case OP_DOT:
            for (int64_t k = 0; k < x->numel; k++) ref->data[0] += x->data[k] * r->in[1]->data[k];
            break;
        case OP_CONV2D: ref_conv2d(r->y->attrs, x, r->in[1], ref); break;
        case OP_MAXPOOL2D:
        case OP_AVGPOOL2D: ref_pool(r->y->attrs, op == OP_MAXPOOL2D, x, ref); break;
        case OP_SOFTMAX:
        case OP_LOG_SOFTMAX: ref_softmax(r->y->attrs, op == OP_LOG_SOFTMAX, x, ref); break;
        case OP_CROSS_ENTROPY: {
            /* the mean over the rows of -log(exp(z[cls]) / sum(exp(z))) */
            const int64_t C = x->dims[x->ndim - 1], N = x->numel / C;
            for (int64_t i = 0; i < N; i++) {
                double s = 0.0;
                for (int64_t k = 0; k < C; k++) s += exp(x->data[i * C + k]);
                const int64_t cls = (int64_t)r->in[1]->data[r->in[1]->numel == 1 ? 0 : i];
                ref->data[0] += (-x->data[i * C + cls] + log(s)) / (double)N;
            }
            break;
        }
        default:
            gvl_tensor_free(&r->pool, ref);
            run_close(r);
            continue;
        }
        for (int64_t k = 0; k < ref->numel; k++)
            ck_assert_msg(fabs(r->out->data[k] - ref->data[k]) <= 1e-13 * (1 + fabs(ref->data[k])),
                          "y = %s (%s): [%lld] is %.17g, the definition gives %.17g", cases[ci].expr,
                          cases[ci].decls, (long long)k, r->out->data[k], ref->data[k]);
        checked++;
        gvl_tensor_free(&r->pool, ref);
        run_close(r);
    }
    ck_assert_int_ge(checked, 50);
}
END_TEST

/* ---- the lab's exercises, by hand ---------------------------------------- */

static const char EX2[] =
    "input x[3,3] = [[1, 0, 2], [2, 1, -1], [0, 0, 2]]\n"
    "param w[2,2] = [[1, -1], [0, 2]]\n"
    "c1 = conv(x, w, stride=1, padding=0)\n"
    "c2 = conv(x, w, stride=3, padding=1)\n"
    "m = max(x, 2x2)\n";

START_TEST(test_lab_exercise_2)
{
    Eval *e = eval_graph(EX2);
    /* c1[i,j] = x[i,j]*1 + x[i,j+1]*(-1) + x[i+1,j]*0 + x[i+1,j+1]*2
     *   [0,0] = 1 - 0 + 0 + 2*1    =  3     [0,1] = 0 - 2 + 0 + 2*(-1) = -4
     *   [1,0] = 2 - 1 + 0 + 2*0    =  1     [1,1] = 1 + 1 + 0 + 2*2    =  6 */
    EXPECT(val_of(e, "c1"), "c1", 3, -4, 1, 6);
    /* padding 1 makes a 5x5 map with x at rows/cols 1..3; stride 3 puts the
     * windows at padded rows/cols {0,3}, i.e. x rows/cols {-1,0} and {2,3}:
     *   [0,0]: only x[0,0]*w[1,1] = 1*2  = 2
     *   [0,1]: only x[0,2]*w[1,0] = 2*0  = 0
     *   [1,0]: only x[2,0]*w[0,1] = 0*-1 = 0
     *   [1,1]: only x[2,2]*w[0,0] = 2*1  = 2 */
    EXPECT(val_of(e, "c2"), "c2", 2, 0, 0, 2);
    /* H' = floor((3 - 2)/2) + 1 = 1: one window x[0:2,0:2] = {1,0,2,1}, max 2 */
    EXPECT(val_of(e, "m"), "m", 2);
    eval_free(e);
}
END_TEST

START_TEST(test_lab_exercise_3)
{
    Eval *e = eval_graph("input x[1,3] = [2, 1, 2]\n"
                         "param w[1,2] = [1, 0]\n"
                         "c = conv(x, w, stride=1, padding=0)\n"
                         "f = max(c, 1x2)\n");
    /* c[j] = x[j]*w[0] + x[j+1]*w[1] = x[j]: c = [2*1 + 1*0, 1*1 + 2*0] = [2, 1] */
    EXPECT(val_of(e, "c"), "c", 2, 1);
    /* f = max(2, 1) = 2 */
    EXPECT(val_of(e, "f"), "f", 2);
    eval_backward(e, "f");
    /* df/dc = [1, 0] (the max is c[0]); df/dw[v] = sum_j df/dc[j] * x[j+v]
     *   = 1*x[0+v]: df/dw = [x[0], x[1]] = [2, 1]; a step of lr 0.5 gives
     *   w - 0.5*[2, 1] = [1 - 1, 0 - 0.5] = [0, -0.5] */
    EXPECT(grad_of(e, "c"), "df/dc", 1, 0);
    EXPECT(grad_of(e, "w"), "df/dw", 2, 1);
    /* df/dx[j+v] += df/dc[j] * w[v] = 1*w[v] for j = 0: [1, 0, 0] */
    EXPECT(grad_of(e, "x"), "df/dx", 1, 0, 0);
    eval_free(e);
}
END_TEST

START_TEST(test_lab_exercise_1)
{
    Eval *e = eval_graph("input x[2,1] = [2, 1]\n"
                         "param w[2,1] = [pi/2, pi]\n"
                         "const b = 0\n"
                         "label y_t = 2\n"
                         "y = sin(w^T @ x) - b\n"
                         "L = mse(y, y_t)\n");
    /* w^T x = pi/2*2 + pi*1 = 2pi (exact in binary: pi/2*2 == pi), and
     * sin(2pi rounded) = -2.4492935982947064e-16, the spec's -2.449e-16 */
    EXPECT(val_of(e, "y"), "y", -2.4492935982947064e-16);
    /* L = (y - 2)^2 = 4 (to rounding) */
    EXPECT(val_of(e, "L"), "L", 4);
    eval_backward(e, "L");
    /* dL/dy = 2(y - 2) = -4; dy/dw = cos(2pi) x = [2, 1]; dL/dw = [-8, -4] */
    EXPECT(grad_of(e, "w"), "dL/dw", -8, -4);
    eval_free(e);
}
END_TEST

/* ---- maxpool's tie rule and NaN ------------------------------------------ */

START_TEST(test_maxpool_ties_go_to_the_first)
{
    /* one 2x2 window {1,3,3,2}: the max 3 sits at (0,1) and (1,0); row-major
     * order meets (0,1) first, so it takes the whole gradient */
    Eval *e = eval_graph("input x[2,2] = [[1, 3], [3, 2]]\nm = max(x, 2x2)\n");
    EXPECT(val_of(e, "m"), "m", 3);
    eval_backward(e, "m");
    EXPECT(grad_of(e, "x"), "dm/dx", 0, 1, 0, 0);
    eval_free(e);

    /* overlapping windows (stride 1) over [5, 5, 1]: window 0 = {5, 5} picks
     * index 0, window 1 = {5, 1} picks index 1; with dL/dm = [1, 1] the
     * gradient is [1, 1, 0], not [2, 0, 0] or [0.5, 1.5, 0] */
    e = eval_graph("input x[1,3] = [5, 5, 1]\nm = maxpool2d(x, 1x2, stride=1)\nL = sum(m)\n");
    EXPECT(val_of(e, "m"), "m", 5, 5);
    eval_backward(e, "L");
    EXPECT(grad_of(e, "x"), "dm/dx", 1, 1, 0);
    eval_free(e);

    /* padding is -inf, never a maximum: [-3, -2] padded to [-inf, -3, -2, -inf],
     * kernel 2, stride 2: windows {-inf, -3} -> -3 and {-2, -inf} -> -2 */
    e = eval_graph("input x[1,2] = [-3, -2]\nm = maxpool2d(x, 1x2, padding=0x1)\nL = sum(m)\n");
    EXPECT(val_of(e, "m"), "m", -3, -2);
    eval_backward(e, "L");
    EXPECT(grad_of(e, "x"), "dm/dx", 1, 1);
    eval_free(e);
}
END_TEST

START_TEST(test_maxpool_nan_is_the_max)
{
    /* PyTorch's rule: a NaN replaces the running max, so the window's result
     * is NaN and the NaN's position gets the gradient (sqrt(-1) is NaN; an
     * initialiser 0/0 would be warned about) */
    Eval *e = eval_graph("input a[1,3] = [1, -1, 9]\nx = sqrt(a)\nm = max(x, 1x3)\n");
    ck_assert(isnan(val_of(e, "m")->data[0]));
    eval_backward(e, "m");
    EXPECT(grad_of(e, "x"), "dm/dx", 0, 1, 0);
    eval_free(e);
}
END_TEST

/* A NaN or an infinity is named where each kind first appears, even when
 * the other kind came in: the NaN of softmax over all -inf, of inf - inf
 * inside mse and of inf * 0 inside matmul (IEEE 754: both are NaN). */
START_TEST(test_nonfinite_named_where_each_kind_appears)
{
    static const struct {
        const char *text;
        DiagRow want[3];
    } tcases[] = {
        {"input a[3] = [1, 2, 3]\nb = a * -1e308 * 10\ny = softmax(b)\n",
         {{SEV_WARNING, 2, 7, "mul: 'a * -1e308' contains infinity, first produced here"},
          {SEV_WARNING, 3, 5, "softmax: 'y' contains NaN, first produced here"}, {0}}},
        {"input a[2] = [1, 2]\nb = a * 1e308 * 10\nL = mse(b, b)\n",
         {{SEV_WARNING, 2, 7, "mul: 'a * 1e308' contains infinity, first produced here"},
          {SEV_WARNING, 3, 5, "mse: 'L' contains NaN, first produced here"}, {0}}},
        {"input a[1,2] = [1, 0]\ninput x[2,1] = [0, 1]\nB = a * 1e308 * 10\nz = B @ x\n",
         {{SEV_WARNING, 3, 15, "mul: 'B' contains infinity, first produced here"},
          {SEV_WARNING, 4, 7, "matmul: 'z' contains NaN, first produced here"}, {0}}},
        /* a NaN that came in is not named again where it spreads */
        {"input a[2] = [1, -1]\nb = sqrt(a)\nc = b * 2\nd = log(c)\n",
         {{SEV_WARNING, 2, 5, "sqrt: 'b' contains NaN, first produced here"}, {0}}},
    };
    for (size_t i = 0; i < sizeof tcases / sizeof tcases[0]; i++) {
        Eval *e = eval_graph(tcases[i].text);
        expect_diags(&e->gr->diag, tcases[i].want);
        eval_free(e);
    }
    /* softmax of all -inf is NaN, as in PyTorch (exp(-inf - -inf) = exp(NaN)) */
    Eval *e = eval_graph("input a[3] = [1, 2, 3]\nb = a * -1e308 * 10\ny = softmax(b)\n");
    ck_assert(isnan(val_of(e, "y")->data[0]) && isnan(val_of(e, "y")->data[2]));
    eval_free(e);
}
END_TEST

/* Issue 11: parentheses around a name or a number are only grouping, so
 * (x) is x; and a number literal takes no gradient, so (y - t) ** 2 with a
 * negative residual warns about nothing (d/dp a**p = log(a) a**p is NaN
 * for a < 0, but 2 is not a tensor of the model, as in PyTorch). */
START_TEST(test_parentheses_and_literals)
{
    Eval *e = eval_graph("param x = 2\ny = (x) * 3\nz = -(x)\nu = sum((x))\nv = (x)^T\nL = y + z + u + v\n");
    EXPECT(val_of(e, "L"), "L", 2 * 3 - 2 + 2 + 2);
    eval_backward(e, "L");
    EXPECT(grad_of(e, "x"), "dL/dx", 3 - 1 + 1 + 1);
    eval_free(e);
    e = eval_graph("param y = 1\nlabel t = 3\nL = ((y - t)) ** 2\n");
    eval_backward(e, "L");
    EXPECT(grad_of(e, "y"), "dL/dy", 2 * (1 - 3));
    ck_assert_ndiags(&e->gr->diag, 0);
    /* the literal 2 has no gradient; the node is named (y - t), once */
    for (size_t i = 0; i < e->gr->g.count; i++)
        if (e->gr->g.nodes[i]->literal) ck_assert_ptr_null(e->v.grad[i]);
    int named = 0;
    for (size_t i = 0; i < e->gr->g.count; i++) {
        StrBuf b = {0};
        gvl_fmt_display_name(&b, &e->gr->g, e->gr->g.nodes[i]);
        named += strcmp(gvl_sb_str(&b), "(y - t)") == 0;
        gvl_sb_free(&b);
    }
    ck_assert_int_eq(named, 1);
    eval_free(e);
    /* an op on literals alone (2 * pi) takes none either */
    e = eval_graph("param w = 1\nL = w * (2 * pi)\n");
    eval_backward(e, "L");
    EXPECT(grad_of(e, "w"), "dL/dw", 2 * M_PI);
    for (size_t i = 0; i < e->gr->g.count; i++)
        if (e->gr->g.nodes[i]->kind == NK_OP && e->gr->g.nodes[i]->op == OP_MUL && e->gr->g.nodes[i] != node_named(e->gr, "L"))
            ck_assert_ptr_null(e->v.grad[i]);
    eval_free(e);
}
END_TEST

/* Issue 11: the lab's own notation, as the sheet writes it.  Exercise 1
 * with juxtaposition, y = sin(w^T x) - b, gives the sheet's dL/dw = [-8,
 * -4] (worked by hand in test_lab_exercise_1); W hom(p) is W @ hom(p);
 * max(x, 2 x 2) is max(x, 2x2); a byte-order mark is not a character. */
START_TEST(test_lab_notation)
{
    Eval *e = eval_graph("\xef\xbb\xbfinput x[2,1] = [2, 1]\nparam w[2,1] = [pi/2, pi]\nconst b = 0\n"
                         "label y_t = 2\ny = sin(w^T x) - b\nL = mse(y, y_t)\n");
    eval_backward(e, "L");
    EXPECT(val_of(e, "L"), "L", 4);
    EXPECT(grad_of(e, "w"), "dL/dw", -8, -4);
    eval_free(e);
    e = eval_graph("param W[2,3] = [1, 2, 3, 4, 5, 6]\ninput p[2,1] = [1, -1]\nz = W hom(p)\n"
                   "input x[3,3] = [1, 2, 3, 4, 5, 6, 7, 8, 9]\nm = max(x, 2 x 2)\nn = max(x, 2x2)\n");
    EXPECT(val_of(e, "z"), "z", 1 - 2 + 3, 4 - 5 + 6);
    EXPECT(val_of(e, "m"), "m", 5);
    EXPECT(val_of(e, "n"), "n", 5);
    eval_free(e);
}
END_TEST

/* ---- other values worked out by hand ------------------------------------- */

START_TEST(test_conv_same_padding_values)
{
    /* x = [1, 2, 3], w = [1, 10]: "same" pads d(k-1) = 1 in all, 0 on the
     * left and 1 on the right (PyTorch puts the odd one at the end):
     * y[j] = x[j]*1 + x[j+1]*10 = [1 + 20, 2 + 30, 3 + 0] = [21, 32, 3] */
    Eval *e = eval_graph("input x[1,3] = [1, 2, 3]\nparam w[1,2] = [1, 10]\n"
                         "y = conv(x, w, padding=\"same\")\n");
    EXPECT(val_of(e, "y"), "y", 21, 32, 3);
    eval_free(e);
    /* dilation 2: the taps are 2 apart, total pad 2*(2-1) = 2, 1 each side:
     * y[j] = x[j-1]*1 + x[j+1]*10 = [0 + 20, 1 + 30, 2 + 0] = [20, 31, 2] */
    e = eval_graph("input x[1,3] = [1, 2, 3]\nparam w[1,2] = [1, 10]\n"
                   "y = conv(x, w, padding=\"same\", dilation=2)\n");
    EXPECT(val_of(e, "y"), "y", 20, 31, 2);
    eval_free(e);
    /* a 2x2 kernel, 2x2 map: pad 0 top/left, 1 bottom/right;
     * x = [[1,2],[3,4]], w = [[1,2],[3,4]]:
     *   y[0,0] = 1*1 + 2*2 + 3*3 + 4*4 = 30   y[0,1] = 2*1 + 4*3 = 14
     *   y[1,0] = 3*1 + 4*2 = 11               y[1,1] = 4*1 = 4 */
    e = eval_graph("input x[2,2] = [[1, 2], [3, 4]]\nparam w[2,2] = [[1, 2], [3, 4]]\n"
                   "y = conv(x, w, padding=\"same\")\n");
    EXPECT(val_of(e, "y"), "y", 30, 14, 11, 4);
    eval_free(e);
}
END_TEST

START_TEST(test_conv_channels_values)
{
    /* x[2,1,2] (C=2), w[2,2,1,1] (O=2, 1x1 taps) mixes channels per pixel:
     * x channel 0 = [1, 2], channel 1 = [3, 4]; w[0] = (1, 10), w[1] = (-1, 1)
     *   out 0 = 1*[1,2] + 10*[3,4] = [31, 42];  out 1 = -[1,2] + [3,4] = [2, 2] */
    Eval *e = eval_graph("input x[2,1,2] = [1, 2, 3, 4]\nparam w[2,2,1,1] = [1, 10, -1, 1]\n"
                         "y = conv(x, w)\n");
    EXPECT(val_of(e, "y"), "y", 31, 42, 2, 2);
    eval_free(e);
}
END_TEST

START_TEST(test_avgpool_counts_padding)
{
    /* x = [2, 4], kernel 1x2, padding 0x1, stride = kernel: windows {0, 2}
     * and {4, 0} over the zero padding, each divided by kh*kw = 2: [1, 2] */
    Eval *e = eval_graph("input x[1,2] = [2, 4]\ny = avgpool2d(x, 1x2, padding=0x1)\nL = sum(y)\n");
    EXPECT(val_of(e, "y"), "y", 1, 2);
    eval_backward(e, "L");
    /* each x is in one window, weight 1/2 */
    EXPECT(grad_of(e, "x"), "dy/dx", 0.5, 0.5);
    eval_free(e);
    /* x = [[1,2],[3,4]] 2x2, stride 1: one window, (1+2+3+4)/4 = 2.5 */
    e = eval_graph("input x[2,2] = [[1, 2], [3, 4]]\ny = avgpool2d(x, 2x2)\n");
    EXPECT(val_of(e, "y"), "y", 2.5);
    eval_free(e);
}
END_TEST

START_TEST(test_matmul_values)
{
    /* 1-D @ 1-D: [1,2,3].[4,5,6] = 4 + 10 + 18 = 32 */
    Eval *e = eval_graph("input a[3] = [1, 2, 3]\ninput b[3] = [4, 5, 6]\ny = a @ b\n");
    EXPECT(val_of(e, "y"), "y", 32);
    eval_free(e);
    /* 1-D @ 2-D: [1, 2] @ [[1, 2, 3], [4, 5, 6]] = [1+8, 2+10, 3+12] = [9, 12, 15] */
    e = eval_graph("input a[2] = [1, 2]\ninput b[2,3] = [[1, 2, 3], [4, 5, 6]]\ny = a @ b\n");
    EXPECT(val_of(e, "y"), "y", 9, 12, 15);
    eval_free(e);
    /* 2-D @ 1-D: [[1, 2], [3, 4]] @ [1, -1] = [1-2, 3-4] = [-1, -1] */
    e = eval_graph("input a[2,2] = [[1, 2], [3, 4]]\ninput b[2] = [1, -1]\ny = a @ b\n");
    EXPECT(val_of(e, "y"), "y", -1, -1);
    eval_free(e);
    /* batch broadcast: a[2,1,2] = {[1,2]}, {[3,4]} @ b[2,1] = [[1],[1]]:
     * y = [[[1+2]], [[3+4]]] = [3, 7]; with dL/dy = 1, dL/db = sum over
     * the batch of a^T = [1+3, 2+4] = [4, 6] and dL/da = b^T per batch */
    e = eval_graph("input a[2,1,2] = [1, 2, 3, 4]\nparam b[2,1] = [1, 1]\ny = a @ b\nL = sum(y)\n");
    EXPECT(val_of(e, "y"), "y", 3, 7);
    eval_backward(e, "L");
    EXPECT(grad_of(e, "b"), "dy/db", 4, 6);
    EXPECT(grad_of(e, "a"), "dy/da", 1, 1, 1, 1);
    eval_free(e);
    /* transpose: [[1,2,3],[4,5,6]]^T = [[1,4],[2,5],[3,6]] */
    e = eval_graph("input a[2,3] = [[1, 2, 3], [4, 5, 6]]\ny = a^T\n");
    EXPECT(val_of(e, "y"), "y", 1, 4, 2, 5, 3, 6);
    eval_free(e);
    /* dot flattens row-major: [[1,2],[3,4]] . [1,0,0,1] = 1 + 4 = 5 */
    e = eval_graph("input a[2,2] = [[1, 2], [3, 4]]\ninput b[4] = [1, 0, 0, 1]\ny = dot(a, b)\n");
    EXPECT(val_of(e, "y"), "y", 5);
    eval_free(e);
}
END_TEST

START_TEST(test_softmax_values)
{
    /* z = [0, ln 3]: exp(z) = [1, 3], sum 4: softmax = [1/4, 3/4],
     * log_softmax = [ln(1/4), ln(3/4)], cross_entropy(z, 0) = -ln(1/4) = ln 4 */
    Eval *e = eval_graph("input z[2] = [0, log(3)]\n"
                         "s = softmax(z)\nl = log_softmax(z)\nc = cross_entropy(z, 0)\n");
    EXPECT(val_of(e, "s"), "s", 0.25, 0.75);
    EXPECT(val_of(e, "l"), "l", log(0.25), log(0.75));
    EXPECT(val_of(e, "c"), "c", log(4.0));
    eval_backward(e, "c");
    /* dc/dz = softmax - onehot(0) = [1/4 - 1, 3/4] */
    EXPECT(grad_of(e, "z"), "dc/dz", -0.75, 0.75);
    eval_free(e);
    /* [1,C] logits, class 1: z = [ln 1, ln 2, ln 5] -> softmax [1/8, 2/8, 5/8],
     * loss -ln(2/8) = ln 4, gradient [1/8, 2/8 - 1, 5/8] */
    e = eval_graph("input z[1,3] = [0, log(2), log(5)]\nc = cross_entropy(z, 1)\n");
    EXPECT(val_of(e, "c"), "c", log(4.0));
    eval_backward(e, "c");
    EXPECT(grad_of(e, "z"), "dc/dz", 0.125, -0.75, 0.625);
    eval_free(e);
    /* dim=0 of [[0, 0], [ln 3, 0]]: columns [0, ln 3] -> [1/4, 3/4] and [0, 0] -> [1/2, 1/2] */
    e = eval_graph("input z[2,2] = [[0, 0], [log(3), 0]]\ns = softmax(z, dim=0)\n");
    EXPECT(val_of(e, "s"), "s", 0.25, 0.5, 0.75, 0.5);
    eval_free(e);
    /* a scalar is a softmax over one element: 1, and log_softmax 0 */
    e = eval_graph("input z = 7\ns = softmax(z)\nl = log_softmax(z)\n");
    EXPECT(val_of(e, "s"), "s", 1);
    EXPECT(val_of(e, "l"), "l", 0);
    eval_free(e);
    /* large logits do not overflow: [1000, 1000] -> [1/2, 1/2] */
    e = eval_graph("input z[2] = [1000, 1000]\ns = softmax(z)\nl = log_softmax(z)\n");
    EXPECT(val_of(e, "s"), "s", 0.5, 0.5);
    EXPECT(val_of(e, "l"), "l", -log(2.0), -log(2.0));
    eval_free(e);
}
END_TEST

START_TEST(test_other_ops_values)
{
    Eval *e = eval_graph("input a[2,3] = [[1, 2, 3], [4, 5, 6]]\n"
                         "v = vec(a)\nr = reshape(a, [3, 2])\nt = a^T\n"
                         "s = sum(a)\ns0 = sum(a, dim=0)\nm = mean(a)\nm1 = mean(a, dim=-1)\nsv = sum(v)\n");
    /* vec stacks the columns [1,4], [2,5], [3,6]; reshape keeps row-major order */
    EXPECT(val_of(e, "v"), "vec(a)", 1, 4, 2, 5, 3, 6);
    EXPECT(val_of(e, "r"), "reshape(a)", 1, 2, 3, 4, 5, 6);
    /* sum = 21, column sums [1+4, 2+5, 3+6], mean 21/6, row means [6/3, 15/3] */
    EXPECT(val_of(e, "s"), "sum(a)", 21);
    EXPECT(val_of(e, "s0"), "sum(a, dim=0)", 5, 7, 9);
    EXPECT(val_of(e, "m"), "mean(a)", 3.5);
    EXPECT(val_of(e, "m1"), "mean(a, dim=-1)", 2, 5);
    eval_backward(e, "sv");
    /* d vec(a)/da with ones upstream: every element once */
    EXPECT(grad_of(e, "a"), "dvec/da", 1, 1, 1, 1, 1, 1);
    eval_free(e);

    e = eval_graph("input p[2] = [1, 2]\ninput q[2,2] = [[1, 2], [3, 4]]\n"
                   "input h[3] = [2, 4, 2]\ninput k[3,2] = [[2, 3], [4, 6], [2, 3]]\n"
                   "hp = hom(p)\nhq = hom(q)\ndh = dehom(h)\ndk = dehom(k)\n");
    /* hom appends a 1 / a row of ones; dehom divides by the last row and drops it:
     * [2,4]/2 = [1,2]; columns [2,4]/2 = [1,2] and [3,6]/3 = [1,2] */
    EXPECT(val_of(e, "hp"), "hom(p)", 1, 2, 1);
    EXPECT(val_of(e, "hq"), "hom(q)", 1, 2, 3, 4, 1, 1);
    EXPECT(val_of(e, "dh"), "dehom(h)", 1, 2);
    EXPECT(val_of(e, "dk"), "dehom(k)", 1, 1, 2, 2);
    eval_free(e);

    /* max of [1, 3, 3] is 3; the two maxima share the gradient: [0, 1/2, 1/2] */
    e = eval_graph("input a[3] = [1, 3, 3]\nm = max(a)\n");
    EXPECT(val_of(e, "m"), "max(a)", 3);
    eval_backward(e, "m");
    EXPECT(grad_of(e, "a"), "dmax/da", 0, 0.5, 0.5);
    eval_free(e);

    /* norm([3, 4]) = sqrt(9 + 16) = 5; [4, 9] ** 0.5 = [2, 3];
     * [[1], [2]] - [10, 20] broadcasts to [[1-10, 1-20], [2-10, 2-20]] */
    e = eval_graph("input a[2] = [3, 4]\ninput b[2] = [4, 9]\ninput c[2,1] = [1, 2]\ninput d[2] = [10, 20]\n"
                   "n = norm(a)\nr = b ** 0.5\ns = c - d\n");
    EXPECT(val_of(e, "n"), "norm(a)", 5);
    EXPECT(val_of(e, "r"), "b ** 0.5", 2, 3);
    EXPECT(val_of(e, "s"), "c - d", -9, -19, -8, -18);
    eval_free(e);

    /* y[2,1] = [1, 2] against t[1,2] = [0, 1] broadcasts to 2x2 differences
     * [[1-0, 1-1], [2-0, 2-1]] = [[1, 0], [2, 1]]: squares 1, 0, 4, 1,
     * sse = 6 and mse = 6/4 = 1.5 */
    e = eval_graph("input y[2,1] = [1, 2]\nlabel t[1,2] = [0, 1]\nm = mse(y, t)\ns = sse(y, t)\n");
    EXPECT(val_of(e, "m"), "mse", 1.5);
    EXPECT(val_of(e, "s"), "sse", 6);
    eval_backward(e, "m");
    /* dmse/dy[i] = sum_j 2(y[i] - t[j])/4: y0: 2(1 + 0)/4 = 0.5, y1: 2(2 + 1)/4 = 1.5 */
    EXPECT(grad_of(e, "y"), "dmse/dy", 0.5, 1.5);
    eval_free(e);
}
END_TEST

/* Every tensor lacking values is named in full (the list was cut at 1024
 * bytes, mid-name). */
START_TEST(test_missing_values_named_in_full)
{
    char names[3][401], text[1400] = "";
    for (int i = 0; i < 3; i++) {
        memset(names[i], 'p' + i, 400);
        names[i][400] = '\0';
        snprintf(text + strlen(text), sizeof text - strlen(text), "input %s[2]\n", names[i]);
    }
    GraphRun *gr = build(text);
    ck_assert_clean(gr);
    EvalOptions eo = {false, 0, 1 << 20, 1 << 24, false, 0};
    Values v;
    ck_assert(!gvl_values_init(&v, &gr->g, &eo));
    char want[1500];
    snprintf(want, sizeof want, "cannot evaluate: no values for %s, %s, %s; give them an initialiser (= [...]) or "
             "run with --random SEED", names[0], names[1], names[2]);
    const DiagRow rows[] = {{SEV_ERROR, 1, 7, want}, {0}};
    expect_diags(&gr->diag, rows);
    gvl_values_free(&v);
    build_free(gr);
}
END_TEST

static Suite *kernels_suite(void)
{
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("gradients");
    tcase_add_loop_test(tc, test_gradcheck, 0, NCASES);
    tcase_add_test(tc, test_every_op_is_covered);
    tcase_add_loop_test(tc, test_jacobian_matrix, 0, NCASES);
    suite_add_tcase(s, tc);

    tc = tcase_create("gradcheck");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_gradcheck_linear_at_scale);
    tcase_add_test(tc, test_gradcheck_true_failures_stay);
    suite_add_tcase(s, tc);
    tc = tcase_create("forward values");
    tcase_add_test(tc, test_reference_forward);
    tcase_add_test(tc, test_lab_exercise_1);
    tcase_add_test(tc, test_lab_exercise_2);
    tcase_add_test(tc, test_lab_exercise_3);
    tcase_add_test(tc, test_maxpool_ties_go_to_the_first);
    tcase_add_test(tc, test_maxpool_nan_is_the_max);
    tcase_add_test(tc, test_nonfinite_named_where_each_kind_appears);
    tcase_add_test(tc, test_parentheses_and_literals);
    tcase_add_test(tc, test_lab_notation);
    tcase_add_test(tc, test_conv_same_padding_values);
    tcase_add_test(tc, test_conv_channels_values);
    tcase_add_test(tc, test_avgpool_counts_padding);
    tcase_add_test(tc, test_matmul_values);
    tcase_add_test(tc, test_softmax_values);
    tcase_add_test(tc, test_other_ops_values);
    tcase_add_test(tc, test_missing_values_named_in_full);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(kernels_suite());
}
