// The weight gradient of a 3×3 convolution with padding 1 and stride 1 or 2, Float32, AVX-512:
//
//     dw[k][c][ky][kx] = Σ_n Σ_(oy,ox) dy[n][k][oy][ox] · x[n][c][s·oy + ky − 1][s·ox + kx − 1]
//
// (pixels outside the image are zero). Any plane size, any channel counts. See
// fovea_conv_weight_gradient.c for how; the CPU backend calls it from
// Sources/Fovea/Backend/CPU/CPU+DirectConvolution.swift.
#ifndef FOVEA_CONV_WEIGHT_GRADIENT_H
#define FOVEA_CONV_WEIGHT_GRADIENT_H

#include <stddef.h>

/// Floats of scratch memory one call of fovea_conv3x3_weight_gradient needs for this shape (whatever
/// its image count): the rearranged images and output gradients of one sub-run.
size_t fovea_conv3x3_weight_gradient_scratch(int channels, int kernels, int height, int width, int stride);

/// dw [K][C][3][3] from `images` images: x [images][C][H][W], dy [images][K][OH][OW] with
/// OH = (H − 1)/stride + 1, OW = (W − 1)/stride + 1. Every entry of dw is written; each is summed over
/// images, then output rows, then columns, in that order (sub-runs of images, fixed by the shape, are
/// added in order), so the result depends on the shape and the data only.
/// `next_x`, `next_dy`: the images and output gradients a following call will read (`next_images` of
/// them, 0 for none): asked into the cache while this call computes. `scratch`: as many floats as
/// fovea_conv3x3_weight_gradient_scratch gives, 64-byte aligned.
void fovea_conv3x3_weight_gradient(const float *x, const float *dy, int images, int channels, int kernels, int height,
                                   int width, int stride, const float *next_x, const float *next_dy, int next_images,
                                   float *scratch, float *dw);

#endif
