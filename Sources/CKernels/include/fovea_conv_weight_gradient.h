// The weight gradient of a convolution with 3×3 or 5×5 filters, stride 1 or 2 and any padding,
// Float32, AVX-512:
//
//     dw[k][c][ky][kx] = Σ_n Σ_(oy,ox) dy[n][k][oy][ox] · x[n][c][s·oy + ky − pad_top][s·ox + kx − pad_left]
//
// (pixels outside the image are zero). Any plane size, any channel counts. See
// fovea_conv_weight_gradient.c for how; the CPU backend calls it from
// Sources/Fovea/Backend/CPU/CPU+DirectConvolution.swift.
#ifndef FOVEA_CONV_WEIGHT_GRADIENT_H
#define FOVEA_CONV_WEIGHT_GRADIENT_H

#include <stddef.h>

/// A convolution's geometry for its weight gradient: kernel_width 3 or 5, stride 1 or 2 (the same
/// both ways), out_height = ⌊(height + pad_top + pad_bottom − kernel_height) / stride⌋ + 1 and
/// likewise out_width (the padding at the bottom and right follows from these).
typedef struct fovea_weight_gradient_shape {
    int channels, kernels;            // C (input), K (output)
    int height, width;                // the input's plane
    int kernel_height, kernel_width;
    int stride, pad_top, pad_left;
    int out_height, out_width;
} fovea_weight_gradient_shape;

/// Floats of scratch memory one call of fovea_weight_gradient needs for this shape (whatever its
/// image count): the rearranged images and output gradients of one sub-run, and the sums.
size_t fovea_weight_gradient_scratch(const fovea_weight_gradient_shape *shape);

/// dw [K][C][KH][KW] from `images` images: x [images][C][H][W], dy [images][K][OH][OW]. Every entry
/// of dw is written; each is summed over images, then output rows, then columns, in that order
/// (sub-runs of images, fixed by the shape, are added in order), so the result depends on the shape
/// and the data only.
/// `next_x`, `next_dy`: the images and output gradients a following call will read (`next_images` of
/// them, 0 for none): asked into the cache while this call computes. `scratch`: as many floats as
/// fovea_weight_gradient_scratch gives.
void fovea_weight_gradient(const float *x, const float *dy, int images, const fovea_weight_gradient_shape *shape,
                           const float *next_x, const float *next_dy, int next_images, float *scratch, float *dw);

#endif
