/*
 * gemm.c - the one dense matrix product the kernels share:
 * C = beta C + op(A) op(B), row-major, float64.
 *
 * Built with OpenBLAS (configure finds it with pkg-config openblas), a
 * product of at least GEMM_BLAS_MIN multiply-adds goes to cblas_dgemm;
 * smaller ones, and every one in a build without it, run the loops below.
 * The library is opened at the first such product, not when the program
 * starts: OpenBLAS maps tens of megabytes and starts a thread per core as
 * it loads, which under a small `ulimit -v` fails before main (or spins
 * forever when a thread cannot start).  Opened later, a failure is just the
 * loops; under a memory limit it runs one thread (unless
 * OPENBLAS_NUM_THREADS says otherwise).
 * The lab's graphs are far below the threshold, so their numbers are the
 * same digit for digit in either build (BLAS sums in another order, and
 * with fused multiply-adds); large products differ in the last bits, as
 * PyTorch's own do from one BLAS to another, well inside the tolerances of
 * tests/reference.
 */
#include "kernels.h"

#include <limits.h>

#ifdef GVL_HAVE_OPENBLAS
#include <cblas.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/resource.h>

typedef __typeof__(&cblas_dgemm) DgemmFn;

/* cblas_dgemm from libopenblas.so.0, opened once; NULL if it cannot be. */
static DgemmFn blas_dgemm(void)
{
    static DgemmFn fn;
    static bool tried;
    if (tried) return fn;
    tried = true;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) setenv("OPENBLAS_NUM_THREADS", "1", 0);
    void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (h) fn = (DgemmFn)dlsym(h, "cblas_dgemm");
    return fn;
}
#endif

/* Below this many multiply-adds the call costs more than it saves. */
enum { GEMM_BLAS_MIN = 32768 };

const char *gvl_gemm_backend(void)
{
#ifdef GVL_HAVE_OPENBLAS
    return blas_dgemm() ? "OpenBLAS (cblas_dgemm for products of 32768 multiply-adds or more)"
                        : "own loops (built for OpenBLAS, but libopenblas.so.0 cannot be opened)";
#else
    return "own loops (built without OpenBLAS)";
#endif
}

bool gvl_gemm_uses_blas(double work)
{
#ifdef GVL_HAVE_OPENBLAS
    return work >= GEMM_BLAS_MIN;
#else
    (void)work;
    return false;
#endif
}

/* The loops: i-k-j for C += A B (the inner loop along rows of B and C),
 * a dot of rows for C += A B^T, and rank-1 updates for C += A^T B. */
static void loops(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const double *A, const double *B, double *C)
{
    if (!ta && !tb) {
        for (int64_t i = 0; i < M; i++) {
            double *c = C + i * N;
            for (int64_t k = 0; k < K; k++) {
                const double aik = A[i * K + k];
                const double *brow = B + k * N;
                for (int64_t j = 0; j < N; j++) c[j] += aik * brow[j];
            }
        }
    } else if (!ta && tb) {
        /* B is [N,K]: row i of A against row j of B, both contiguous */
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) {
                const double *a = A + i * K, *b = B + j * K;
                double s = 0.0;
                for (int64_t k = 0; k < K; k++) s += a[k] * b[k];
                C[i * N + j] += s;
            }
    } else if (ta && !tb) {
        /* A is [K,M]: row k of A spreads over row k of B */
        for (int64_t k = 0; k < K; k++)
            for (int64_t i = 0; i < M; i++) {
                const double aki = A[k * M + i];
                const double *b = B + k * N;
                double *c = C + i * N;
                for (int64_t j = 0; j < N; j++) c[j] += aki * b[j];
            }
    } else {
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) {
                double s = 0.0;
                for (int64_t k = 0; k < K; k++) s += A[k * M + i] * B[j * K + k];
                C[i * N + j] += s;
            }
    }
}

void gvl_gemm(bool ta, bool tb, int64_t M, int64_t N, int64_t K, const double *A, const double *B, double beta,
              double *C)
{
    if (M == 0 || N == 0) return;
#ifdef GVL_HAVE_OPENBLAS
    /* cblas takes int sizes: anything larger stays with the loops */
    DgemmFn dgemm;
    if (gvl_gemm_uses_blas((double)M * (double)N * (double)K) && M <= INT_MAX && N <= INT_MAX && K <= INT_MAX &&
        (dgemm = blas_dgemm())) {
        dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (int)M, (int)N,
                    (int)K, 1.0, A, ta ? (int)M : (int)K, B, tb ? (int)K : (int)N, beta, C, (int)N);
        return;
    }
#endif
    if (beta == 0.0) {
        for (int64_t i = 0; i < M * N; i++) C[i] = 0.0;
    } else if (beta != 1.0) {
        for (int64_t i = 0; i < M * N; i++) C[i] *= beta;
    }
    loops(ta, tb, M, N, K, A, B, C);
}
