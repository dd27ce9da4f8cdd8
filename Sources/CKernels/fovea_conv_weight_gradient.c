// The weight gradient of a convolution with 3×3 or 5×5 filters, stride s = 1 or 2, any padding
// (pt, pl at the top and left):
//
//     dw[k][c][ky][kx] = Σ_n Σ_(oy,ox) dy[n][k][oy][ox] · x[n][c][s·oy + ky − pt][s·ox + kx − pl]
//
// A reduction over output positions. In the images' own layout (positions along the vector, as the
// forward kernel reads them) every multiply-add needs a load of dy and a shifted, masked load of x,
// and each sum ends in a horizontal add across the 16 lanes. So a sub-run of images is rearranged
// first, in a scratch buffer that stays in the L2 cache:
//   - dy with the output channels innermost, dyT[n][q][k], K rounded up to 16 with zeros: 16 output
//     channels are one vector;
//   - x with its padding written out as zeros, xp[n][c][PH][PW] (PH = s·(OH − 1) + KH rows, PW
//     likewise): every tap of every position is an ordinary pixel, so no masks.
// One tile then holds KV vectors of output channels (16·KV of them) × G input channels × the KW taps
// of one kernel row in KW·G·KV ≤ 24 registers (24 for 3×3, 20 for 5×5, fewer for the last input
// channels). Per output position it loads KV vectors of dyT and broadcasts KW·G pixels of xp, one
// multiply-add per accumulator (a GEMM micro-kernel whose B operand is read from the padded image in
// place, no im2col). While a sub-run computes, the next one's images and output gradients are asked
// into the cache, a line per position.
#include "fovea_conv_weight_gradient.h"
#include <stdint.h>

/// Output channels of the rearranged output gradient: a multiple of 16.
static int padded_kernels(int kernels) { return (kernels + 15) / 16 * 16; }

/// Rows (columns) of the padded image: what the last output row (column) reads.
static int padded_rows(const fovea_weight_gradient_shape *s) { return s->stride * (s->out_height - 1) + s->kernel_height; }
static int padded_columns(const fovea_weight_gradient_shape *s) { return s->stride * (s->out_width - 1) + s->kernel_width; }

/// Floats of scratch per image: its padded planes and its rearranged output gradient.
static size_t scratch_per_image(const fovea_weight_gradient_shape *s) {
    return (size_t)s->channels * padded_rows(s) * padded_columns(s)
         + (size_t)padded_kernels(s->kernels) * s->out_height * s->out_width;
}

/// Images per sub-run: about 64 K floats (256 KB) of scratch, so that a sub-run and the one being
/// fetched for next fit in a 1 MB L2 cache together; at least one image.
static int images_per_sub_run(const fovea_weight_gradient_shape *s) {
    size_t per_image = scratch_per_image(s);
    return per_image >= 65536 ? 1 : (int)(65536 / per_image);
}

size_t fovea_weight_gradient_scratch(const fovea_weight_gradient_shape *s) {
    return (size_t)images_per_sub_run(s) * scratch_per_image(s)
         + (size_t)s->channels * s->kernel_height * s->kernel_width * padded_kernels(s->kernels);  // the sums, dwT[c][tap][k]
}

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))
#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define FULL_UNROLL _Pragma("clang loop unroll(full)")

ALWAYS_INLINE __mmask16 first_lanes(int count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

/// Transposes a 16×16 block in registers: row i (r[i]) becomes column i.
AVX512 ALWAYS_INLINE void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {  // interleave pairs of rows: 2×2 blocks
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {  // 4×4 blocks within each 128-bit lane
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
    }
    for (int h = 0; h < 2; h++)  // then the 128-bit lanes: 8×8, 16×16
        for (int i = 0; i < 4; i++) {
            t[8 * h + i] = _mm512_shuffle_f32x4(r[8 * h + i], r[8 * h + i + 4], 0x88);
            t[8 * h + i + 4] = _mm512_shuffle_f32x4(r[8 * h + i], r[8 * h + i + 4], 0xDD);
        }
    for (int i = 0; i < 8; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
        r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    }
}

/// dyT[n][q][k] = dy[n][k][q] for k < K, 0 for K ≤ k < padded_kernels(K); Q positions per image.
AVX512 static void rearrange_output_gradient(const float *dy, int images, int kernels, int positions, float *dyT) {
    int padded = padded_kernels(kernels);
    for (int n = 0; n < images; n++) {
        const float *source = dy + (size_t)n * kernels * positions;
        float *target = dyT + (size_t)n * padded * positions;
        for (int k0 = 0; k0 < padded; k0 += 16)
            for (int q0 = 0; q0 < positions; q0 += 16) {
                int count = positions - q0 < 16 ? positions - q0 : 16;
                __mmask16 lanes = first_lanes(count);
                __m512 r[16];
                for (int i = 0; i < 16; i++)
                    r[i] = k0 + i < kernels ? _mm512_maskz_loadu_ps(lanes, source + (size_t)(k0 + i) * positions + q0)
                                            : _mm512_setzero_ps();
                transpose16(r);
                for (int j = 0; j < count; j++) _mm512_storeu_ps(target + (size_t)(q0 + j) * padded + k0, r[j]);
            }
    }
}

/// xp[n][c] = the plane x[n][c] placed pad_top rows down and pad_left columns in, zeros around it,
/// PH × PW (what the image does not reach is zero; image pixels no output reads are left out).
AVX512 static void pad_images(const float *x, int images, const fovea_weight_gradient_shape *s, float *xp) {
    int rows = padded_rows(s), columns = padded_columns(s), plane = rows * columns;
    int top = s->pad_top, left = s->pad_left, height = s->height, width = s->width;
    // The image columns that land inside the padded row: [from, to).
    int from = left < 0 ? -left : 0, to = width < columns - left ? width : columns - left;
    __m512 zero = _mm512_setzero_ps();
    for (size_t p = 0; p < (size_t)images * s->channels; p++) {
        const float *source = x + p * height * width;
        float *target = xp + p * plane;
        for (int i = 0; i < plane; i += 16) _mm512_mask_storeu_ps(target + i, first_lanes(plane - i), zero);
        for (int y = 0; y < height; y++) {
            if (y + top < 0 || y + top >= rows) continue;
            float *row = target + (size_t)(y + top) * columns + left;
            for (int i = from; i < to; i += 16) {
                __mmask16 lanes = first_lanes(to - i);
                _mm512_mask_storeu_ps(row + i, lanes, _mm512_maskz_loadu_ps(lanes, source + (size_t)y * width + i));
            }
        }
    }
}

/// dw[k][i] = dwT[i][k] for k < K, i < rows (rows = C·KH·KW; dwT's rows are padded_kernels(K) long).
AVX512 static void store_transposed(const float *dwT, int rows, int kernels, float *dw) {
    int padded = padded_kernels(kernels);
    for (int i0 = 0; i0 < rows; i0 += 16) {
        int count = rows - i0 < 16 ? rows - i0 : 16;
        for (int k0 = 0; k0 < padded; k0 += 16) {
            __m512 r[16];
            for (int i = 0; i < 16; i++) r[i] = i < count ? _mm512_loadu_ps(dwT + (size_t)(i0 + i) * padded + k0) : _mm512_setzero_ps();
            transpose16(r);
            for (int k = 0; k < 16 && k0 + k < kernels; k++)
                _mm512_mask_storeu_ps(dw + (size_t)(k0 + k) * rows + i0, first_lanes(count), r[k]);
        }
    }
}

/// Memory to ask into the cache: [at, end), then [then, then_end).
typedef struct fetch_ahead { const char *at, *end, *then, *then_end; } fetch_ahead;

/// One tile over a sub-run: output channels [k0, k0 + 16·KV) × input channels [c0, c0 + G) × taps
/// (ky, 0..KW − 1). `stride`, KW, KV and G are constants after inlining. Writes its sums to
/// dwT[c][tap][k], or adds them when this is not the first sub-run.
AVX512 ALWAYS_INLINE void weight_gradient_tile(const float *xp, const float *dyT, int images, const fovea_weight_gradient_shape *s,
                                               const int stride, const int KW, int ky, const int KV, const int G, int c0,
                                               int k0, int first, fetch_ahead *fetch, float *dwT) {
    int columns = padded_columns(s), plane = padded_rows(s) * columns, padded = padded_kernels(s->kernels);
    int out_height = s->out_height, out_width = s->out_width, channels = s->channels, taps = s->kernel_height * KW;
    if (fetch->at >= fetch->end) { fetch->at = fetch->then; fetch->end = fetch->then_end; fetch->then = fetch->then_end = 0; }
    const char *ahead = fetch->at, *ahead_end = fetch->end;
    // The loops over v, g and kx must unroll completely, so that the accumulators live in registers:
    // at -O2 (SwiftPM's release setting for C) clang otherwise leaves some rolled, at 0.6× the speed.
    __m512 acc[4][24];
    FULL_UNROLL for (int v = 0; v < KV; v++)
        FULL_UNROLL for (int j = 0; j < KW * G; j++) acc[v][j] = _mm512_setzero_ps();
    for (int n = 0; n < images; n++) {
        for (int oy = 0; oy < out_height; oy++) {
            const float *row = xp + ((size_t)n * channels + c0) * plane + (size_t)(stride * oy + ky) * columns;
            const float *d = dyT + ((size_t)n * out_height + oy) * out_width * padded + k0;
            for (int ox = 0; ox < out_width; ox++) {
                if (ahead < ahead_end) { _mm_prefetch(ahead, _MM_HINT_T1); ahead += 64; }
                __m512 dv[4];
                FULL_UNROLL for (int v = 0; v < KV; v++) dv[v] = _mm512_loadu_ps(d + (size_t)ox * padded + 16 * v);
                FULL_UNROLL for (int g = 0; g < G; g++) {
                    const float *pixel = row + (size_t)g * plane + stride * ox;
                    FULL_UNROLL for (int kx = 0; kx < KW; kx++) {
                        __m512 b = _mm512_set1_ps(pixel[kx]);
                        FULL_UNROLL for (int v = 0; v < KV; v++) acc[v][KW * g + kx] = _mm512_fmadd_ps(dv[v], b, acc[v][KW * g + kx]);
                    }
                }
            }
        }
    }
    fetch->at = ahead;
    FULL_UNROLL for (int j = 0; j < KW * G; j++) {
        float *out = dwT + ((size_t)(c0 + j / KW) * taps + ky * KW + j % KW) * padded + k0;
        FULL_UNROLL for (int v = 0; v < KV; v++)
            _mm512_storeu_ps(out + 16 * v, first ? acc[v][j] : _mm512_add_ps(_mm512_loadu_ps(out + 16 * v), acc[v][j]));
    }
}

#define TILE(S, KW, KV, G) weight_gradient_tile(xp, dyT, images, s, S, KW, ky, KV, G, c0, k0, first, fetch, dwT)
/// 3×3: KV·G·3 ≤ 24 accumulators (G = 2, 4, 8 for KV = 4, 2, 1; fewer for the last input channels).
#define TILES3(S)                                                                              \
    switch (kv * 16 + g) {                                                                     \
    case 0x41: TILE(S, 3, 4, 1); break; case 0x42: TILE(S, 3, 4, 2); break;                    \
    case 0x21: TILE(S, 3, 2, 1); break; case 0x22: TILE(S, 3, 2, 2); break;                    \
    case 0x23: TILE(S, 3, 2, 3); break; case 0x24: TILE(S, 3, 2, 4); break;                    \
    case 0x11: TILE(S, 3, 1, 1); break; case 0x12: TILE(S, 3, 1, 2); break;                    \
    case 0x13: TILE(S, 3, 1, 3); break; case 0x14: TILE(S, 3, 1, 4); break;                    \
    case 0x15: TILE(S, 3, 1, 5); break; case 0x16: TILE(S, 3, 1, 6); break;                    \
    case 0x17: TILE(S, 3, 1, 7); break; default: TILE(S, 3, 1, 8); break;                      \
    }
/// 5×5: KV·G·5 ≤ 20 accumulators (G = 1, 2, 4 for KV = 4, 2, 1).
#define TILES5(S)                                                                              \
    switch (kv * 16 + g) {                                                                     \
    case 0x41: TILE(S, 5, 4, 1); break;                                                        \
    case 0x21: TILE(S, 5, 2, 1); break; case 0x22: TILE(S, 5, 2, 2); break;                    \
    case 0x11: TILE(S, 5, 1, 1); break; case 0x12: TILE(S, 5, 1, 2); break;                    \
    case 0x13: TILE(S, 5, 1, 3); break; default: TILE(S, 5, 1, 4); break;                      \
    }

/// Every tile of one sub-run: output channels 64 at a time (then 32, 16), as many input channels at
/// a time as fill the registers (fewer for the last ones), kernel rows in order.
AVX512 static void weight_gradient_sub_run(const float *xp, const float *dyT, int images, const fovea_weight_gradient_shape *s,
                                           int first, fetch_ahead *fetch, float *dwT) {
    int padded = padded_kernels(s->kernels), channels = s->channels, per_vector = s->kernel_width == 3 ? 8 : 4;
    for (int k0 = 0, kv; k0 < padded; k0 += 16 * kv) {
        kv = padded - k0 >= 64 ? 4 : padded - k0 >= 32 ? 2 : 1;
        for (int c0 = 0, g; c0 < channels; c0 += g) {
            g = channels - c0 < per_vector / kv ? channels - c0 : per_vector / kv;
            for (int ky = 0; ky < s->kernel_height; ky++) {
                if (s->kernel_width == 3) {
                    if (s->stride == 1) { TILES3(1) } else { TILES3(2) }
                } else {
                    if (s->stride == 1) { TILES5(1) } else { TILES5(2) }
                }
            }
        }
    }
}

AVX512 void fovea_weight_gradient(const float *x, const float *dy, int images, const fovea_weight_gradient_shape *s,
                                  const float *next_x, const float *next_dy, int next_images, float *scratch, float *dw) {
    int sub = images_per_sub_run(s), positions = s->out_height * s->out_width;
    size_t x_image = (size_t)s->channels * s->height * s->width, dy_image = (size_t)s->kernels * positions;
    float *xp = scratch, *dyT = scratch + (size_t)sub * s->channels * padded_rows(s) * padded_columns(s);
    float *dwT = dyT + (size_t)sub * padded_kernels(s->kernels) * positions;
    for (int n0 = 0; n0 < images; n0 += sub) {
        int count = images - n0 < sub ? images - n0 : sub;
        pad_images(x + n0 * x_image, count, s, xp);
        rearrange_output_gradient(dy + n0 * dy_image, count, s->kernels, positions, dyT);
        // Fetch the next sub-run, or after the last one the caller's next images.
        const float *fx = next_x, *fdy = next_dy;
        int fcount = next_images < sub ? next_images : sub;
        if (n0 + count < images) {
            fx = x + (n0 + count) * x_image;
            fdy = dy + (n0 + count) * dy_image;
            fcount = images - n0 - count < sub ? images - n0 - count : sub;
        }
        fetch_ahead fetch = {0, 0, 0, 0};
        if (fcount > 0 && fx && fdy)
            fetch = (fetch_ahead){(const char *)fx, (const char *)(fx + fcount * x_image),
                                  (const char *)fdy, (const char *)(fdy + fcount * dy_image)};
        weight_gradient_sub_run(xp, dyT, count, s, n0 == 0, &fetch, dwT);
    }
    store_transposed(dwT, s->channels * s->kernel_height * s->kernel_width, s->kernels, dw);
}

#else
// Not x86-64: the CPU backend never calls the kernel (fovea_cpu_has_avx512() is 0 there); this
// definition only keeps the package building.
#include <stdlib.h>
void fovea_weight_gradient(const float *x, const float *dy, int images, const fovea_weight_gradient_shape *s,
                           const float *next_x, const float *next_dy, int next_images, float *scratch, float *dw) {
    (void)x; (void)dy; (void)images; (void)s; (void)next_x; (void)next_dy; (void)next_images; (void)scratch; (void)dw;
    abort();
}
#endif
