// Fovea's thin door to OpenBLAS. The library is opened at run time so that the CPU backend can
// choose its kernel before OpenBLAS picks one (see fovea_blas.c for why).
#ifndef FOVEA_BLAS_H
#define FOVEA_BLAS_H

#include <stddef.h>

/// Opens OpenBLAS once (thread-safe). Returns 0 on success; otherwise writes a message to `error`.
int fovea_blas_open(char *error, size_t error_length);

/// The kernel OpenBLAS uses (`openblas_get_corename()`), e.g. "SkylakeX", "Zen", "Prescott".
const char *fovea_blas_corename(void);

/// 1 when Fovea chose the kernel (OPENBLAS_CORETYPE) because OpenBLAS fell back to Prescott.
int fovea_blas_kernel_was_forced(void);

/// 1 when the CPU and the operating system support AVX-512 F, BW, DQ and VL.
int fovea_cpu_has_avx512(void);

void fovea_blas_set_threads(int threads);

/// Row-major C = alpha * op(A) * op(B) + beta * C (cblas_sgemm with CblasRowMajor).
void fovea_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                 const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/// Eigenvalues (ascending) and eigenvectors of the symmetric n×n matrix `a` (LAPACK dsyev from
/// OpenBLAS; only the upper triangle in column-major order is read). On return `a` holds the
/// eigenvectors as columns (column-major). Returns 0 on success, LAPACK's `info` otherwise, and
/// a value ≤ −1000 when OpenBLAS is not open or has no dsyev. Call after `fovea_blas_open`.
int fovea_dsyev(int n, double *a, double *eigenvalues);

/// Row-major C = alpha * op(A) * op(B) + beta * C in double precision (cblas_dgemm).
void fovea_dgemm(int transA, int transB, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);

/// The rule for choosing the kernel: 1 when the user did not set OPENBLAS_CORETYPE (`user` is
/// NULL or empty), OpenBLAS chose its generic "Prescott" kernel, and the CPU has AVX-512.
int fovea_blas_should_force(const char *user, const char *corename, int has_avx512);

/// For tests: opens a fresh copy of OpenBLAS in a new link-map namespace with
/// OPENBLAS_CORETYPE=`coretype` (the mechanism used on Prescott fallbacks), writes the kernel it
/// chose into `corename` and the 2×2 product [[1,2],[3,4]]·[[5,6],[7,8]] into `c`. Returns 0 on
/// success. It changes the environment: call it only in a process of its own.
int fovea_blas_probe_fresh_copy(const char *coretype, char *corename, size_t corename_length, float c[4]);

/// Keeps large freed blocks in the heap (glibc mallopt) so that buffers reused every training
/// step do not page-fault afresh. No-op elsewhere.
void fovea_tune_allocator(void);

#endif
