// 2×2 max pooling, stride 2, AVX-512. See include/fovea_pool2x2.h.
//
// For 16 outputs of one row: 32 inputs of the top row and 32 of the bottom row, loaded as two
// vectors each (masked at the end of the row), split into even and odd columns with
// vpermt2ps; the window's four candidates (top even, top odd, bottom even, bottom odd) are compared
// in that order with masks:  wins = candidate > best  or  (candidate is NaN and best is not).
#include "fovea_pool2x2.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f")))

static inline __mmask16 AVX512 first_lanes(int count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

AVX512 void fovea_maxpool2x2_plane(const float *x, int width, int out_height, int out_width, float *out, int32_t *argmax) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    for (int row = 0; row < out_height; row++) {
        const float *top = x + (size_t)2 * row * width, *bottom = top + width;
        for (int column = 0; column < out_width; column += 16) {
            int count = out_width - column < 16 ? out_width - column : 16;  // outputs in this piece
            int inputs = 2 * count;                                        // input columns they read
            __mmask16 first = first_lanes(inputs), second = first_lanes(inputs - 16 > 0 ? inputs - 16 : 0);
            const float *t = top + 2 * column, *b = bottom + 2 * column;
            __m512 t0 = _mm512_maskz_loadu_ps(first, t), t1 = _mm512_maskz_loadu_ps(second, t + 16);
            __m512 b0 = _mm512_maskz_loadu_ps(first, b), b1 = _mm512_maskz_loadu_ps(second, b + 16);
            __m512 best = _mm512_permutex2var_ps(t0, even, t1);
            __m512i base = _mm512_add_epi32(_mm512_set1_epi32(2 * row * width + 2 * column), _mm512_slli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 1));
            __m512i at = base;
            __m512 candidates[3] = {_mm512_permutex2var_ps(t0, odd, t1), _mm512_permutex2var_ps(b0, even, b1),
                                    _mm512_permutex2var_ps(b0, odd, b1)};
            int offsets[3] = {1, width, width + 1};
            for (int i = 0; i < 3; i++) {
                __m512 c = candidates[i];
                __mmask16 wins = _mm512_cmp_ps_mask(c, best, _CMP_GT_OQ)
                               | (_mm512_cmp_ps_mask(c, c, _CMP_UNORD_Q) & _mm512_cmp_ps_mask(best, best, _CMP_ORD_Q));
                best = _mm512_mask_mov_ps(best, wins, c);
                at = _mm512_mask_mov_epi32(at, wins, _mm512_add_epi32(base, _mm512_set1_epi32(offsets[i])));
            }
            __mmask16 store = first_lanes(count);
            _mm512_mask_storeu_ps(out + (size_t)row * out_width + column, store, best);
            if (argmax) _mm512_mask_storeu_epi32(argmax + (size_t)row * out_width + column, store, at);
        }
    }
}

#else
#include <stdlib.h>
// Not x86-64: never called (the CPU backend checks for AVX-512 first).
void fovea_maxpool2x2_plane(const float *x, int width, int out_height, int out_width, float *out, int32_t *argmax) {
    (void)x; (void)width; (void)out_height; (void)out_width; (void)out; (void)argmax; abort();
}
#endif
