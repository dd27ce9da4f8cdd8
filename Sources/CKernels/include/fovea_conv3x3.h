// Direct 3×3 convolution kernels (stride 1, padding 1) for Float32 on CPUs with AVX-512.
//
// Why C: the kernels need AVX-512 masked loads (a lane outside the image reads as zero and never
// faults), which Swift cannot reach. The CPU backend calls them only when the CPU has AVX-512 and
// the shape fits (see Sources/Fovea/Backend/CPU/CPU+Conv3x3.swift); otherwise it keeps im2col + sgemm.
//
// Layout: images are planes of P = H·W floats, flattened; 16 consecutive positions form a block.
// For a block and one of the nine taps (ky, kx), `masks[block·9 + tap]` has bit i set when position
// block·16 + i exists and its neighbour at (y + ky − 1, x + kx − 1) lies inside the image.
#ifndef FOVEA_CONV3X3_H
#define FOVEA_CONV3X3_H

#include <stdint.h>

/// Blocks of 16 positions covering an H×W plane: ceil(H·W / 16).
int fovea_conv3x3_blocks(int height, int width);

/// Fills `masks` (blocks · 9 entries) for an H×W plane.
void fovea_conv3x3_masks(int height, int width, uint16_t *masks);

/// Rearranges weight [K][C][3][3] into the forward kernel's layout [K/8][C][9][8] (K % 8 == 0).
/// With `for_input_gradient` set it packs the flipped, transposed weight instead (W'[c][k][ky][kx] =
/// W[k][c][2−ky][2−kx], layout [C/8][K][9][8], C % 8 == 0): the input gradient of a 3×3 'same'
/// convolution is the forward convolution of the output gradient with W'.
void fovea_conv3x3_pack(const float *weight, int kernels, int channels, int for_input_gradient, float *packed);

/// out[k][p] = bias[k] + Σ_c Σ_tap packed[k][c][tap] · x[c][p + offset(tap)] for one image and the
/// output channels of blocks [block_begin, block_end) (8 channels each). x: [C][H·W], out: [K][H·W],
/// bias: K floats or NULL. Each output element is summed over c, then tap, in that order.
void fovea_conv3x3_forward(const float *x, const float *packed, const uint16_t *masks, int channels,
                           int height, int width, int block_begin, int block_end, const float *bias, float *out);

/// The weight gradient's part from `images` images: dw[k][c][tap] = Σ_n Σ_p dy[n][k][p] · x[n][c][p + offset(tap)]
/// for k in [4·kb, 4·kb + 4) (K % 4 == 0) and one input channel c. x: [images][C][H·W],
/// dy: [images][K][H·W], dw: [K][C][9] (only these 36 entries are written). The order of the sums
/// is fixed by the shape alone.
void fovea_conv3x3_weight_gradient(const float *x, const float *dy, const uint16_t *masks, int images,
                                   int channels, int kernels, int height, int width, int kb, int c, float *dw);

#endif
