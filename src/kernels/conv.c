/*
 * conv.c - convolution and pooling kernels: conv2d (F.conv2d, groups=1, no
 * bias), maxpool2d (F.max_pool2d) and avgpool2d (F.avg_pool2d with
 * count_include_pad=True), each with its vector-Jacobian product.
 *
 * Every accepted form is read as the 4-D case, because a missing leading
 * size-1 dim does not change a row-major layout: x[H,W] is [1,1,H,W],
 * x[C,H,W] is [1,C,H,W], w[kh,kw] is [1,1,kh,kw], and a pool's leading
 * dims are just a count of independent [H,W] planes.  Output sizes come
 * from OUT's dims, which the shape rule computed, so the kernels and the
 * rule cannot disagree about them.  Padding is never materialised: each
 * loop runs only over the output positions whose input index is inside
 * the image, which is zero padding for conv and -inf padding for maxpool
 * (a padded cell can never win, since PyTorch keeps padding <= kernel/2
 * and so every window holds a real cell).
 */
#include "kernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Output positions o in [*lo, *hi) whose input index o*s + off lies in
 * [0, len): the positions that touch the image rather than padding. */
static void valid_range(int64_t off, int64_t s, int64_t len, int64_t nout, int64_t *lo, int64_t *hi)
{
    int64_t l = off >= 0 ? 0 : (-off + s - 1) / s;
    int64_t h = len - off <= 0 ? 0 : (len - 1 - off) / s + 1;
    if (h > nout) h = nout;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* ---- conv2d ---------------------------------------------------------------- */

typedef struct ConvGeom {
    int64_t N, C, H, W;      /* x as [N,C,H,W] */
    int64_t O, kh, kw;       /* w as [O,C,kh,kw] */
    int64_t Ho, Wo;          /* out as [N,O,Ho,Wo] */
    int64_t sh, sw, dh, dw;
    int64_t ph, pw;          /* padding before the first row / column */
} ConvGeom;

static void conv_geom(const Node *n, const Tensor *x, const Tensor *w, const Tensor *out, ConvGeom *g)
{
    const OpAttrs *at = n->attrs;
    const int r = x->ndim;
    g->N = r == 4 ? x->dims[0] : 1;
    g->C = r >= 3 ? x->dims[r - 3] : 1;
    g->H = x->dims[r - 2];
    g->W = x->dims[r - 1];
    g->O = w->ndim == 4 ? w->dims[0] : 1;
    g->kh = w->dims[w->ndim - 2];
    g->kw = w->dims[w->ndim - 1];
    g->Ho = out->dims[out->ndim - 2];
    g->Wo = out->dims[out->ndim - 1];
    g->sh = at ? at->stride[0] : 1;
    g->sw = at ? at->stride[1] : 1;
    g->dh = at ? at->dilation[0] : 1;
    g->dw = at ? at->dilation[1] : 1;
    if (at && at->padding.same) {
        /* PyTorch's "same": total d(k-1), the odd one extra at the bottom/right */
        g->ph = g->dh * (g->kh - 1) / 2;
        g->pw = g->dw * (g->kw - 1) / 2;
    } else {
        g->ph = at ? at->padding.v[0] : 0;
        g->pw = at ? at->padding.v[1] : 0;
    }
}

/* A large conv as matrix products (im2col): the image of batch B laid out
 * as COLS [C*kh*kw, Ho*Wo], one row per kernel tap, zero where the tap
 * falls on padding; then out = W [O, C*kh*kw] @ COLS, dW += G @ COLS^T,
 * dCOLS = W^T @ G added back into dX (col2im).  Only when the products go
 * to BLAS: otherwise the direct loops below are as fast and keep every
 * digit of the lab's small convs. */
static double *conv_cols(const ConvGeom *g)
{
    int64_t rows = g->C * g->kh * g->kw, cols = g->Ho * g->Wo;
    if (!gvl_gemm_uses_blas((double)g->O * (double)rows * (double)cols)) return NULL;
    if ((double)rows * (double)cols > (double)(INT64_MAX / 16)) return NULL;
    return malloc(sizeof(double) * (size_t)(rows * cols));   /* NULL: the loops, which need nothing */
}

/* DIR 0: COLS = im2col(XP); DIR 1: XP += col2im(COLS). */
static void im2col(const ConvGeom *g, double *xp, double *cols, int dir)
{
    const int64_t HW = g->Ho * g->Wo;
    for (int64_t c = 0; c < g->C; c++)
        for (int64_t u = 0; u < g->kh; u++)
            for (int64_t v = 0; v < g->kw; v++) {
                double *row = cols + ((c * g->kh + u) * g->kw + v) * HW;
                double *x = xp + c * g->H * g->W;
                int64_t ilo, ihi, jlo, jhi;
                valid_range(u * g->dh - g->ph, g->sh, g->H, g->Ho, &ilo, &ihi);
                valid_range(v * g->dw - g->pw, g->sw, g->W, g->Wo, &jlo, &jhi);
                if (dir == 0)
                    for (int64_t k = 0; k < HW; k++) row[k] = 0.0;
                for (int64_t i = ilo; i < ihi; i++) {
                    int64_t r = (i * g->sh + u * g->dh - g->ph) * g->W + v * g->dw - g->pw;
                    double *ro = row + i * g->Wo;
                    if (dir == 0)
                        for (int64_t j = jlo; j < jhi; j++) ro[j] = x[r + j * g->sw];
                    else
                        for (int64_t j = jlo; j < jhi; j++) x[r + j * g->sw] += ro[j];
                }
            }
}

void gvl_fwd_conv2d(const Node *n, const Tensor *const *in, Tensor *out)
{
    ConvGeom g;
    conv_geom(n, in[0], in[1], out, &g);
    double *cols = conv_cols(&g);
    if (cols) {
        const int64_t CKK = g.C * g.kh * g.kw, HW = g.Ho * g.Wo;
        for (int64_t b = 0; b < g.N; b++) {
            im2col(&g, in[0]->data + b * g.C * g.H * g.W, cols, 0);
            gvl_gemm(false, false, g.O, HW, CKK, in[1]->data, cols, 0.0, out->data + b * g.O * HW);
        }
        free(cols);
        return;
    }
    const double *x = in[0]->data, *w = in[1]->data;
    for (int64_t i = 0; i < out->numel; i++) out->data[i] = 0.0;
    for (int64_t b = 0; b < g.N; b++)
        for (int64_t o = 0; o < g.O; o++) {
            double *y = out->data + (b * g.O + o) * g.Ho * g.Wo;          // [Ho,Wo]
            for (int64_t c = 0; c < g.C; c++) {
                const double *xp = x + (b * g.C + c) * g.H * g.W;         // [H,W]
                const double *wp = w + (o * g.C + c) * g.kh * g.kw;       // [kh,kw]
                for (int64_t u = 0; u < g.kh; u++) {
                    int64_t ilo, ihi;
                    valid_range(u * g.dh - g.ph, g.sh, g.H, g.Ho, &ilo, &ihi);
                    for (int64_t v = 0; v < g.kw; v++) {
                        const double wv = wp[u * g.kw + v];
                        int64_t jlo, jhi;
                        valid_range(v * g.dw - g.pw, g.sw, g.W, g.Wo, &jlo, &jhi);
                        /* one kernel tap over the output rows it reaches */
                        for (int64_t i = ilo; i < ihi; i++) {
                            const double *xr = xp + (i * g.sh + u * g.dh - g.ph) * g.W + v * g.dw - g.pw;
                            double *yr = y + i * g.Wo;
                            for (int64_t j = jlo; j < jhi; j++) yr[j] += wv * xr[j * g.sw];
                        }
                    }
                }
            }
        }
}

void gvl_bwd_conv2d(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    ConvGeom g;
    conv_geom(n, in[0], in[1], out, &g);
    double *cols = conv_cols(&g);
    if (cols) {
        const int64_t CKK = g.C * g.kh * g.kw, HW = g.Ho * g.Wo;
        for (int64_t b = 0; b < g.N; b++) {
            const double *gy = gout->data + b * g.O * HW;
            if (gin[1]) {
                im2col(&g, in[0]->data + b * g.C * g.H * g.W, cols, 0);
                gvl_gemm(false, true, g.O, CKK, HW, gy, cols, 1.0, gin[1]->data);
            }
            if (gin[0]) {
                gvl_gemm(true, false, CKK, HW, g.O, in[1]->data, gy, 0.0, cols);
                im2col(&g, gin[0]->data + b * g.C * g.H * g.W, cols, 1);
            }
        }
        free(cols);
        return;
    }
    const double *x = in[0]->data, *w = in[1]->data;
    double *gx = gin[0] ? gin[0]->data : NULL, *gw = gin[1] ? gin[1]->data : NULL;
    for (int64_t b = 0; b < g.N; b++)
        for (int64_t o = 0; o < g.O; o++) {
            const double *gy = gout->data + (b * g.O + o) * g.Ho * g.Wo;  // [Ho,Wo]
            for (int64_t c = 0; c < g.C; c++) {
                const int64_t xoff = (b * g.C + c) * g.H * g.W;
                const int64_t woff = (o * g.C + c) * g.kh * g.kw;
                for (int64_t u = 0; u < g.kh; u++) {
                    int64_t ilo, ihi;
                    valid_range(u * g.dh - g.ph, g.sh, g.H, g.Ho, &ilo, &ihi);
                    for (int64_t v = 0; v < g.kw; v++) {
                        const double wv = w[woff + u * g.kw + v];
                        int64_t jlo, jhi;
                        valid_range(v * g.dw - g.pw, g.sw, g.W, g.Wo, &jlo, &jhi);
                        double acc = 0.0;   /* dL/dw for this tap */
                        for (int64_t i = ilo; i < ihi; i++) {
                            const int64_t r = xoff + (i * g.sh + u * g.dh - g.ph) * g.W + v * g.dw - g.pw;
                            const double *gr = gy + i * g.Wo;
                            if (gx)
                                for (int64_t j = jlo; j < jhi; j++) gx[r + j * g.sw] += wv * gr[j];
                            if (gw)
                                for (int64_t j = jlo; j < jhi; j++) acc += gr[j] * x[r + j * g.sw];
                        }
                        if (gw) gw[woff + u * g.kw + v] += acc;
                    }
                }
            }
        }
}

/* ---- pooling --------------------------------------------------------------- */

typedef struct PoolGeom {
    int64_t P, H, W;         /* x as P planes of [H,W] */
    int64_t Ho, Wo;
    int64_t kh, kw, sh, sw, ph, pw;
} PoolGeom;

static void pool_geom(const Node *n, const Tensor *x, const Tensor *out, PoolGeom *g)
{
    const OpAttrs *at = n->attrs;
    g->H = x->dims[x->ndim - 2];
    g->W = x->dims[x->ndim - 1];
    g->P = x->numel / (g->H * g->W);
    g->Ho = out->dims[out->ndim - 2];
    g->Wo = out->dims[out->ndim - 1];
    g->kh = at->kernel_size[0];
    g->kw = at->kernel_size[1];
    g->sh = at->stride[0];
    g->sw = at->stride[1];
    g->ph = at->padding.v[0];
    g->pw = at->padding.v[1];
}

/* The window of output (i, j), clipped to the image: rows [h0,h1), cols [w0,w1). */
static void window(const PoolGeom *g, int64_t i, int64_t j, int64_t *h0, int64_t *h1, int64_t *w0, int64_t *w1)
{
    int64_t hs = i * g->sh - g->ph, ws = j * g->sw - g->pw;
    *h1 = hs + g->kh < g->H ? hs + g->kh : g->H;
    *w1 = ws + g->kw < g->W ? ws + g->kw : g->W;
    *h0 = hs > 0 ? hs : 0;
    *w0 = ws > 0 ? ws : 0;
}

/* Flat index (within the plane) of the window's maximum, PyTorch's rule:
 * scan row-major, replace on a strictly greater value or on any NaN, so
 * the first of equal maxima wins and a NaN always does. */
static int64_t window_argmax(const double *x, const PoolGeom *g, int64_t h0, int64_t h1, int64_t w0, int64_t w1)
{
    int64_t best = h0 * g->W + w0;
    double m = -INFINITY;
    for (int64_t h = h0; h < h1; h++) {
        const double *row = x + h * g->W;
        for (int64_t w = w0; w < w1; w++)
            if (row[w] > m || isnan(row[w])) {
                m = row[w];
                best = h * g->W + w;
            }
    }
    return best;
}

void gvl_fwd_maxpool2d(const Node *n, const Tensor *const *in, Tensor *out)
{
    PoolGeom g;
    pool_geom(n, in[0], out, &g);
    for (int64_t p = 0; p < g.P; p++) {
        const double *x = in[0]->data + p * g.H * g.W;   // [H,W]
        double *y = out->data + p * g.Ho * g.Wo;        // [Ho,Wo]
        for (int64_t i = 0; i < g.Ho; i++)
            for (int64_t j = 0; j < g.Wo; j++) {
                int64_t h0, h1, w0, w1;
                window(&g, i, j, &h0, &h1, &w0, &w1);
                y[i * g.Wo + j] = x[window_argmax(x, &g, h0, h1, w0, w1)];
            }
    }
}

void gvl_bwd_maxpool2d(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    PoolGeom g;
    pool_geom(n, in[0], out, &g);
    /* the argmax is found again: a kernel has nowhere to keep indices */
    for (int64_t p = 0; p < g.P; p++) {
        const double *x = in[0]->data + p * g.H * g.W;   // [H,W]
        const double *gy = gout->data + p * g.Ho * g.Wo; // [Ho,Wo]
        double *gx = gin[0]->data + p * g.H * g.W;
        for (int64_t i = 0; i < g.Ho; i++)
            for (int64_t j = 0; j < g.Wo; j++) {
                int64_t h0, h1, w0, w1;
                window(&g, i, j, &h0, &h1, &w0, &w1);
                gx[window_argmax(x, &g, h0, h1, w0, w1)] += gy[i * g.Wo + j];
            }
    }
}

/* count_include_pad=True: the divisor is the whole kernel, kh*kw, even
 * where the window hangs over the padding (it never reaches past it,
 * since ceil_mode is false). */
void gvl_fwd_avgpool2d(const Node *n, const Tensor *const *in, Tensor *out)
{
    PoolGeom g;
    pool_geom(n, in[0], out, &g);
    const double div = (double)(g.kh * g.kw);
    for (int64_t p = 0; p < g.P; p++) {
        const double *x = in[0]->data + p * g.H * g.W;   // [H,W]
        double *y = out->data + p * g.Ho * g.Wo;        // [Ho,Wo]
        for (int64_t i = 0; i < g.Ho; i++)
            for (int64_t j = 0; j < g.Wo; j++) {
                int64_t h0, h1, w0, w1;
                window(&g, i, j, &h0, &h1, &w0, &w1);
                double s = 0.0;
                for (int64_t h = h0; h < h1; h++)
                    for (int64_t w = w0; w < w1; w++) s += x[h * g.W + w];
                y[i * g.Wo + j] = s / div;
            }
    }
}

void gvl_bwd_avgpool2d(const Node *n, const Tensor *const *in, const Tensor *out, const Tensor *gout, Tensor *const *gin)
{
    if (!gin[0]) return;
    PoolGeom g;
    pool_geom(n, in[0], out, &g);
    const double div = (double)(g.kh * g.kw);
    for (int64_t p = 0; p < g.P; p++) {
        const double *gy = gout->data + p * g.Ho * g.Wo; // [Ho,Wo]
        double *gx = gin[0]->data + p * g.H * g.W;       // [H,W]
        for (int64_t i = 0; i < g.Ho; i++)
            for (int64_t j = 0; j < g.Wo; j++) {
                int64_t h0, h1, w0, w1;
                window(&g, i, j, &h0, &h1, &w0, &w1);
                const double share = gy[i * g.Wo + j] / div;
                for (int64_t h = h0; h < h1; h++)
                    for (int64_t w = w0; w < w1; w++) gx[h * g.W + w] += share;
            }
    }
}
