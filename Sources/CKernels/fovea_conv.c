// Direct convolution with AVX-512: no column matrix, no packing of the images. See
// include/fovea_conv.h for the grid, the offsets and the masks.
//
// Forward, one tile: 8 output channels × 3 blocks of 16 grid positions = 24 accumulators in
// registers. For each input channel c and tap t the three input vectors x[c][q + offset(t)] are
// loaded once (masked: lanes outside the image read as zero) and multiplied by the 8 weights of (c, t):
//     out[k][q] = bias[k] + Σ_c Σ_t w[k][c][t] · x[c][q + offset(t)]
// The weight gradient has its own kernel, in fovea_conv_weight_gradient.c.
#include "fovea_conv.h"
#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))
#define ALWAYS_INLINE static inline __attribute__((always_inline))

int fovea_conv_blocks(const fovea_conv_shape *s) { return (s->out_height * s->width + 15) / 16; }

void fovea_conv_masks(const fovea_conv_shape *s, uint16_t *masks) {
    int grid = s->out_height * s->width, blocks = fovea_conv_blocks(s), taps = s->kernel_height * s->kernel_width;
    for (int block = 0; block < blocks; block++) {
        for (int tap = 0; tap < taps; tap++) {
            int dy = tap / s->kernel_width - s->pad_top, dx = tap % s->kernel_width - s->pad_left;
            unsigned mask = 0;
            for (int lane = 0; lane < 16; lane++) {
                int q = block * 16 + lane;
                if (q >= grid) break;
                int oy = q / s->width, ox = q % s->width;
                int y = oy + dy, x = ox + dx;
                if (ox < s->out_width && y >= 0 && y < s->height && x >= 0 && x < s->width) mask |= 1u << lane;
            }
            masks[(size_t)block * taps + tap] = (uint16_t)mask;
        }
    }
}

void fovea_conv_pack(const float *weight, int kernels, int channels, int taps, int for_input_gradient, float *packed) {
    // Zeros first: output channels past the last multiple of 8 stay zero weights.
    int outputs = for_input_gradient ? channels : kernels, inputs = for_input_gradient ? kernels : channels;
    size_t size = (size_t)((outputs + 7) / 8) * inputs * taps * 8;
    for (size_t i = 0; i < size; i++) packed[i] = 0;
    for (int k = 0; k < kernels; k++) {
        for (int c = 0; c < channels; c++) {
            for (int tap = 0; tap < taps; tap++) {
                float value = weight[((size_t)k * channels + c) * taps + tap];
                if (for_input_gradient)  // output channel c, input channel k, tap rotated by 180°
                    packed[(((size_t)(c / 8) * kernels + k) * taps + (taps - 1 - tap)) * 8 + c % 8] = value;
                else
                    packed[(((size_t)(k / 8) * channels + c) * taps + tap) * 8 + k % 8] = value;
            }
        }
    }
}

/// offset(tap) = (ky − pad_top)·W + (kx − pad_left): how far from a grid position its input pixel
/// for that tap lies in the flattened image.
static void tap_offsets(const fovea_conv_shape *s, ptrdiff_t *offsets) {
    for (int tap = 0; tap < s->kernel_height * s->kernel_width; tap++)
        offsets[tap] = (ptrdiff_t)(tap / s->kernel_width - s->pad_top) * s->width + (tap % s->kernel_width - s->pad_left);
}

ALWAYS_INLINE __mmask16 tail_mask(int p0, int positions) {
    return p0 + 16 <= positions ? (__mmask16)0xFFFF : (__mmask16)((1u << (positions - p0)) - 1);
}

/// 8 output channels × `blocks` (1–3, a constant after inlining) blocks starting at `block`, over
/// `taps` taps (9 is a constant after inlining too, so the 3×3 loop unrolls).
AVX512 ALWAYS_INLINE void forward_tile(const float *x, const float *wb, const uint16_t *masks, int channels,
                                       int plane, int grid, const ptrdiff_t *offsets, const int taps, int block,
                                       const int blocks, const float *bias, int relu, float *out) {
    __m512 acc[8][3];
    for (int r = 0; r < 8; r++)
        for (int j = 0; j < blocks; j++) acc[r][j] = bias ? _mm512_set1_ps(bias[r]) : _mm512_setzero_ps();
    const uint16_t *mb = masks + (size_t)block * taps;
    const float *xb = x + (size_t)block * 16;
    for (int c = 0; c < channels; c++) {
        const float *xc = xb + (size_t)c * plane;
        const float *wc = wb + (size_t)c * taps * 8;
        // The next tile's new pixels of this channel (its last tap's row): asked for now, they are
        // in cache when that tile starts. The channels' rows are too many streams for the hardware
        // prefetcher: without this, batch-128 layers ran at 60–70 % of the speed (C harness).
        for (int j = 0; j < 3; j++) _mm_prefetch((const char *)(xc + 48 + j * 16 + offsets[taps - 1]), _MM_HINT_T0);
        for (int tap = 0; tap < taps; tap++) {
            __m512 v[3];
            for (int j = 0; j < blocks; j++) v[j] = _mm512_maskz_loadu_ps(mb[j * taps + tap], xc + j * 16 + offsets[tap]);
            for (int r = 0; r < 8; r++) {
                __m512 w = _mm512_set1_ps(wc[tap * 8 + r]);
                for (int j = 0; j < blocks; j++) acc[r][j] = _mm512_fmadd_ps(w, v[j], acc[r][j]);
            }
        }
    }
    for (int r = 0; r < 8; r++)
        for (int j = 0; j < blocks; j++) {
            int p0 = (block + j) * 16;
            __m512 v = relu ? _mm512_max_ps(acc[r][j], _mm512_setzero_ps()) : acc[r][j];
            _mm512_mask_storeu_ps(out + (size_t)r * grid + p0, tail_mask(p0, grid), v);
        }
}

#define FOVEA_MAX_TAPS 64

AVX512 void fovea_conv_forward(const float *x, const float *packed, const uint16_t *masks, const fovea_conv_shape *s,
                               int block_begin, int block_end, const float *bias, int relu, float *out) {
    int plane = s->height * s->width, grid = s->out_height * s->width, blocks = fovea_conv_blocks(s);
    int taps = s->kernel_height * s->kernel_width, channels = s->channels;
    ptrdiff_t offsets[FOVEA_MAX_TAPS];
    tap_offsets(s, offsets);
    // Tiles outer, channel blocks inner: the input around one tile (C planes × 48 positions and
    // their halo) stays in L1 while every block of 8 output channels passes over it.
    // Tiles of 3 blocks; when 4 are left, two of 2 instead of 3 + 1 (a one-block tile reloads the
    // 8 weights for every input vector: half the speed, and a quarter of the work on 8 × 8 planes).
    for (int block = 0, count; block < blocks; block += count) {
        int left = blocks - block;
        count = left == 4 ? 2 : (left < 3 ? left : 3);
        for (int kb = block_begin; kb < block_end; kb++) {
            const float *wb = packed + (size_t)kb * channels * taps * 8;
            const float *b = bias ? bias + kb * 8 : NULL;
            float *o = out + (size_t)kb * 8 * grid;
            if (taps == 9) {
                if (count == 3) forward_tile(x, wb, masks, channels, plane, grid, offsets, 9, block, 3, b, relu, o);
                else if (count == 2) forward_tile(x, wb, masks, channels, plane, grid, offsets, 9, block, 2, b, relu, o);
                else forward_tile(x, wb, masks, channels, plane, grid, offsets, 9, block, 1, b, relu, o);
            } else {
                if (count == 3) forward_tile(x, wb, masks, channels, plane, grid, offsets, taps, block, 3, b, relu, o);
                else if (count == 2) forward_tile(x, wb, masks, channels, plane, grid, offsets, taps, block, 2, b, relu, o);
                else forward_tile(x, wb, masks, channels, plane, grid, offsets, taps, block, 1, b, relu, o);
            }
        }
    }
}

/// Stride 2, one tile: 8 output channels × 2 blocks of 16 outputs = 16 accumulators. For each input
/// channel and kernel row, a block's input row (or, with 8-wide outputs, its two input rows) is loaded
/// as two vectors a, b and split by lane permutes: the even pixels are tap kx = 1 (ix = 2·ox), the
/// odd ones tap kx = 2 (ix = 2·ox + 1) and the odd ones moved one lane up tap kx = 0 (ix = 2·ox − 1,
/// zero left of the image). A row above the image (iy = −1) reads from a block of zeros.
///     out[k][oy][ox] = bias[k] + Σ_c Σ_ky Σ_kx w[k][c][ky][kx] · x[c][2·oy + ky − 1][2·ox + kx − 1]
static const float zeros64[64] __attribute__((aligned(64)));

/// The three tap vectors (kx = 0, 1, 2) of kernel row ky for the block of 16 outputs at output row oy,
/// column ox (ox = 0 when the outputs are 8 wide: the block is then rows oy and oy + 1).
AVX512 ALWAYS_INLINE void stride2_taps(const float *xc, int width, const int eight_wide, int oy, int ox, int ky,
                                       __m512 taps[3]) {
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    int iy = 2 * oy + ky - 1;
    const float *row = iy < 0 ? zeros64 + 16 : xc + (ptrdiff_t)iy * width + 2 * ox;
    if (eight_wide) {  // two output rows: input rows iy and iy + 2, 16 pixels each
        const __m512i left = _mm512_set_epi32(29, 27, 25, 23, 21, 19, 17, 0, 13, 11, 9, 7, 5, 3, 1, 0);
        __m512 a = _mm512_loadu_ps(row), b = _mm512_loadu_ps(xc + (ptrdiff_t)(iy + 2) * width);
        taps[0] = _mm512_maskz_permutex2var_ps(0xFEFE, a, left, b);
        taps[1] = _mm512_permutex2var_ps(a, even, b);
        taps[2] = _mm512_permutex2var_ps(a, odd, b);
    } else {  // one output row: 32 input pixels from 2·ox, and the one before them
        __m512 a = _mm512_loadu_ps(row), b = _mm512_loadu_ps(row + 16);
        __m512 before = _mm512_set1_ps(ox == 0 ? 0.0f : row[-1]);
        taps[2] = _mm512_permutex2var_ps(a, odd, b);
        taps[1] = _mm512_permutex2var_ps(a, even, b);
        taps[0] = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(taps[2]), _mm512_castps_si512(before), 15));
    }
}

/// 8 output channels × `count` (1 or 2) blocks from `block`.
AVX512 ALWAYS_INLINE void stride2_tile(const float *x, const float *wb, int channels, int plane, int width, int outputs,
                                       const int eight_wide, int block, const int count, const float *bias, int relu,
                                       float *out) {
    int out_width = width / 2, oy[2], ox[2];
    for (int j = 0; j < count; j++) {
        oy[j] = (block + j) * 16 / out_width;
        ox[j] = (block + j) * 16 % out_width;
    }
    __m512 acc[8][2];
    for (int r = 0; r < 8; r++)
        for (int j = 0; j < count; j++) acc[r][j] = bias ? _mm512_set1_ps(bias[r]) : _mm512_setzero_ps();
    for (int c = 0; c < channels; c++) {
        const float *xc = x + (size_t)c * plane, *wc = wb + (size_t)c * 9 * 8;
        for (int ky = 0; ky < 3; ky++) {
            __m512 v[2][3];
            for (int j = 0; j < count; j++) stride2_taps(xc, width, eight_wide, oy[j], ox[j], ky, v[j]);
            for (int kx = 0; kx < 3; kx++)
                for (int r = 0; r < 8; r++) {
                    __m512 w = _mm512_set1_ps(wc[(ky * 3 + kx) * 8 + r]);
                    for (int j = 0; j < count; j++) acc[r][j] = _mm512_fmadd_ps(w, v[j][kx], acc[r][j]);
                }
        }
    }
    for (int r = 0; r < 8; r++)
        for (int j = 0; j < count; j++)
            _mm512_storeu_ps(out + (size_t)r * outputs + (block + j) * 16,
                             relu ? _mm512_max_ps(acc[r][j], _mm512_setzero_ps()) : acc[r][j]);
}

AVX512 void fovea_conv3x3s2_forward(const float *x, const float *packed, int channels, int height, int width,
                                    int block_begin, int block_end, const float *bias, int relu, float *out) {
    int outputs = (height / 2) * (width / 2), blocks = outputs / 16, plane = height * width;
    int eight_wide = width / 2 == 8;
    for (int block = 0; block < blocks; block += 2) {
        int pair = blocks - block >= 2;
        for (int kb = block_begin; kb < block_end; kb++) {
            const float *wb = packed + (size_t)kb * channels * 9 * 8, *b = bias ? bias + kb * 8 : NULL;
            float *o = out + (size_t)kb * 8 * outputs;
            if (eight_wide) {
                if (pair) stride2_tile(x, wb, channels, plane, width, outputs, 1, block, 2, b, relu, o);
                else stride2_tile(x, wb, channels, plane, width, outputs, 1, block, 1, b, relu, o);
            } else {
                if (pair) stride2_tile(x, wb, channels, plane, width, outputs, 0, block, 2, b, relu, o);
                else stride2_tile(x, wb, channels, plane, width, outputs, 0, block, 1, b, relu, o);
            }
        }
    }
}

#else
// Not x86-64: the CPU backend never calls the kernels (fovea_cpu_has_avx512() is 0 there); these
// definitions only keep the package building.
#include <stdlib.h>
int fovea_conv_blocks(const fovea_conv_shape *s) { return (s->out_height * s->width + 15) / 16; }
void fovea_conv_masks(const fovea_conv_shape *s, uint16_t *masks) { (void)s; (void)masks; abort(); }
void fovea_conv_pack(const float *weight, int kernels, int channels, int taps, int for_input_gradient, float *packed) {
    (void)weight; (void)kernels; (void)channels; (void)taps; (void)for_input_gradient; (void)packed; abort();
}
void fovea_conv_forward(const float *x, const float *packed, const uint16_t *masks, const fovea_conv_shape *s,
                        int block_begin, int block_end, const float *bias, int relu, float *out) {
    (void)x; (void)packed; (void)masks; (void)s; (void)block_begin; (void)block_end; (void)bias; (void)relu; (void)out;
    abort();
}
void fovea_conv3x3s2_forward(const float *x, const float *packed, int channels, int height, int width,
                             int block_begin, int block_end, const float *bias, int relu, float *out) {
    (void)x; (void)packed; (void)channels; (void)height; (void)width; (void)block_begin; (void)block_end; (void)bias;
    (void)relu; (void)out; abort();
}
#endif
