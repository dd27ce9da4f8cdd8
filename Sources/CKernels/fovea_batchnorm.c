// Batch-norm plane loops, AVX-512. See include/fovea_batchnorm.h.
#include "fovea_batchnorm.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

AVX512 float fovea_lane_sum(const float *p, long n) {
    __m512 acc = _mm512_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) acc = _mm512_add_ps(acc, _mm512_loadu_ps(p + i));
    float s = _mm512_reduce_add_ps(acc);
    for (; i < n; i++) s += p[i];
    return s;
}

AVX512 float fovea_lane_sum_of_squares(const float *p, long n, float mu) {
    __m512 acc = _mm512_setzero_ps(), m = _mm512_set1_ps(mu);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(p + i), m);
        acc = _mm512_add_ps(acc, _mm512_mul_ps(d, d));
    }
    float s = _mm512_reduce_add_ps(acc);
    for (; i < n; i++) s += (p[i] - mu) * (p[i] - mu);
    return s;
}

AVX512 void fovea_lane_sum_and_dot(const float *dy, const float *x, long n, float mu, float *sum, float *dot) {
    __m512 a = _mm512_setzero_ps(), b = _mm512_setzero_ps(), m = _mm512_set1_ps(mu);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 g = _mm512_loadu_ps(dy + i);
        a = _mm512_add_ps(a, g);
        b = _mm512_add_ps(b, _mm512_mul_ps(g, _mm512_sub_ps(_mm512_loadu_ps(x + i), m)));
    }
    float sa = _mm512_reduce_add_ps(a), sb = _mm512_reduce_add_ps(b);
    for (; i < n; i++) {
        sa += dy[i];
        sb += dy[i] * (x[i] - mu);
    }
    *sum = sa;
    *dot = sb;
}

AVX512 void fovea_scale_shift(const float *x, float *y, long n, float scale, float shift) {
    __m512 a = _mm512_set1_ps(scale), b = _mm512_set1_ps(shift);
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), a), b));
    for (; i < n; i++) y[i] = x[i] * scale + shift;
}

AVX512 void fovea_batchnorm_input_gradient(const float *x, const float *dy, float *dx, long n, float mu, float s, float k,
                                           float m, float dbeta, float dgamma) {
    __m512 vmu = _mm512_set1_ps(mu), vs = _mm512_set1_ps(s), vk = _mm512_set1_ps(k), vm = _mm512_set1_ps(m);
    __m512 vdb = _mm512_set1_ps(dbeta), vdg = _mm512_set1_ps(dgamma);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 xhat = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + i), vmu), vs);
        __m512 inner = _mm512_sub_ps(_mm512_sub_ps(_mm512_mul_ps(vm, _mm512_loadu_ps(dy + i)), vdb), _mm512_mul_ps(xhat, vdg));
        _mm512_storeu_ps(dx + i, _mm512_mul_ps(vk, inner));
    }
    for (; i < n; i++) {
        float xhat = (x[i] - mu) * s;
        dx[i] = k * (m * dy[i] - dbeta - xhat * dgamma);
    }
}

#else
// Not x86-64: the CPU backend never calls these (fovea_cpu_has_avx512() is 0 there).
#include <stdlib.h>
float fovea_lane_sum(const float *p, long n) { (void)p; (void)n; abort(); }
float fovea_lane_sum_of_squares(const float *p, long n, float mu) { (void)p; (void)n; (void)mu; abort(); }
void fovea_lane_sum_and_dot(const float *dy, const float *x, long n, float mu, float *sum, float *dot) {
    (void)dy; (void)x; (void)n; (void)mu; (void)sum; (void)dot; abort();
}
void fovea_scale_shift(const float *x, float *y, long n, float scale, float shift) {
    (void)x; (void)y; (void)n; (void)scale; (void)shift; abort();
}
void fovea_batchnorm_input_gradient(const float *x, const float *dy, float *dx, long n, float mu, float s, float k,
                                    float m, float dbeta, float dgamma) {
    (void)x; (void)dy; (void)dx; (void)n; (void)mu; (void)s; (void)k; (void)m; (void)dbeta; (void)dgamma; abort();
}
#endif
