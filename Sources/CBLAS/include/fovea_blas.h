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

/// Row-major C = alpha * op(A) * op(B) + beta * C in double precision (cblas_dgemm).
void fovea_dgemm(int transA, int transB, int m, int n, int k, double alpha,
                 const double *a, int lda, const double *b, int ldb, double beta, double *c, int ldc);

/// Keeps large freed blocks in the heap (glibc mallopt) so that buffers reused every training
/// step do not page-fault afresh. No-op elsewhere.
void fovea_tune_allocator(void);

#endif
