// Batch-norm plane loops for Float32 on CPUs with AVX-512: the sums behind the batch statistics and
// the gradient, and the two elementwise passes. The portable Swift loops in
// Sources/Fovea/Backend/CPU/CPU+BatchNorm.swift do the same work in 4-lane SSE code (Swift compiles
// for baseline x86-64); these run 16 lanes with the same formulas. Sums keep 16 partial sums in
// lanes, added across at the end, so each result depends on the data alone.
#ifndef FOVEA_BATCHNORM_H
#define FOVEA_BATCHNORM_H

/// Σ p[i], i < n.
float fovea_lane_sum(const float *p, long n);

/// Σ (p[i] − mu)², i < n.
float fovea_lane_sum_of_squares(const float *p, long n, float mu);

/// *sum = Σ dy[i], *dot = Σ dy[i]·(x[i] − mu), i < n.
void fovea_lane_sum_and_dot(const float *dy, const float *x, long n, float mu, float *sum, float *dot);

/// y[i] = x[i]·scale + shift (a multiply, then an add: the same bits as the Swift loop).
void fovea_scale_shift(const float *x, float *y, long n, float scale, float shift);

/// dx[i] = k·(m·dy[i] − dbeta − x̂·dgamma) with x̂ = (x[i] − mu)·s, in that order of operations.
void fovea_batchnorm_input_gradient(const float *x, const float *dy, float *dx, long n, float mu, float s, float k,
                                    float m, float dbeta, float dgamma);

#endif
