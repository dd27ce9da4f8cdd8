// Direct convolution kernels for Float32 on CPUs with AVX-512: the forward pass of any stride-1
// convolution whose output rows are no wider than the input's (and so the input gradient of 3×3
// convolutions with padding 1, a forward convolution of the output gradient), and of 3×3 convolutions
// with stride 2 and padding 1. The weight gradient is in fovea_conv_weight_gradient.h.
//
// Why C: the kernels need AVX-512 masked loads (a lane outside the image reads as zero and never
// faults), which Swift cannot reach. The CPU backend calls them only when the CPU has AVX-512 and
// the shape fits (see Sources/Fovea/Backend/CPU/CPU+DirectConvolution.swift); otherwise it keeps
// im2col + sgemm.
//
// Layout: input images are planes of H·W floats, flattened. Outputs are computed on the input's
// grid: out_height rows of W columns (columns from out_width on are computed but masked to zero),
// so that every filter tap (ky, kx) reads the flattened input at a constant shift,
// offset(tap) = (ky − pad_top)·W + (kx − pad_left). 16 consecutive grid positions form a block; for a
// block and tap, `masks[block·taps + tap]` has bit i set when grid position block·16 + i exists,
// lies in a real output column, and its input pixel lies inside the image. For a 3×3 convolution
// with padding 1 the grid is the output itself.
#ifndef FOVEA_CONV_H
#define FOVEA_CONV_H

#include <stdint.h>

/// A stride-1 convolution's geometry: out_width ≤ width, kernel_height · kernel_width ≤ 64.
typedef struct fovea_conv_shape {
    int channels, height, width;      // input [C][H][W]
    int kernel_height, kernel_width;
    int pad_top, pad_left;
    int out_height, out_width;
} fovea_conv_shape;

/// Blocks of 16 grid positions: ceil(out_height · width / 16).
int fovea_conv_blocks(const fovea_conv_shape *shape);

/// Fills `masks` (blocks · taps entries).
void fovea_conv_masks(const fovea_conv_shape *shape, uint16_t *masks);

/// Rearranges weight [K][C][taps] into the forward kernel's layout [⌈K/8⌉][C][taps][8], output
/// channels past K zero. With `for_input_gradient` set it packs the rotated, transposed weight
/// instead (W'[c][k][t] = W[k][c][taps − 1 − t], layout [⌈C/8⌉][K][taps][8]): the input gradient of a
/// 3×3 convolution with padding 1 is the forward convolution of the output gradient with W'.
void fovea_conv_pack(const float *weight, int kernels, int channels, int taps, int for_input_gradient, float *packed);

/// out[k][q] = bias[k] + Σ_c Σ_tap packed[k][c][tap] · x[c][q + offset(tap)] for one image, every grid
/// position q and the output channels of blocks [block_begin, block_end) (8 channels each).
/// x: [C][H·W]; out: [8 · blocks][out_height · W] (the grid); bias: 8 floats per block, or NULL.
/// Each output element is summed over c, then tap, in that order; with `relu` set, negative sums
/// (and NaN) are stored as 0.
void fovea_conv_forward(const float *x, const float *packed, const uint16_t *masks, const fovea_conv_shape *shape,
                        int block_begin, int block_end, const float *bias, int relu, float *out);

/// A 3×3 convolution with stride 2 and padding 1 of one image x [C][H][W], H and W even, with
/// W/2 a multiple of 16, or 8 with H/2 even (the outputs come in whole blocks of 16): out[k][oy][ox]
/// for the output channels of blocks [block_begin, block_end) (8 each), out: [8 · blocks][H/2][W/2].
/// packed: as fovea_conv_pack gives it (taps 9); bias: 8 floats per block, or NULL. Each output
/// element is summed over c, then tap, in that order; `relu` as for fovea_conv_forward.
void fovea_conv3x3s2_forward(const float *x, const float *packed, int channels, int height, int width,
                             int block_begin, int block_end, const float *bias, int relu, float *out);

#endif
