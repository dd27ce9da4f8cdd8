// 2×2 max pooling with stride 2 for Float32 on CPUs with AVX-512: 16 outputs of a row at a time,
// the even and odd input columns split with one shuffle each, and masked loads and stores for the
// end of a row, so every width takes the vector path. Same rules as the reference: the first
// maximum in row-major window order wins (strictly greater replaces), and a NaN wins over any number.
#ifndef FOVEA_POOL2X2_H
#define FOVEA_POOL2X2_H

#include <stdint.h>

/// One plane of `width` columns: out[oh][ow] = max of the 2×2 window at (2·oh, 2·ow), and
/// argmax[oh][ow] its offset in the input plane (argmax may be NULL).
void fovea_maxpool2x2_plane(const float *x, int width, int out_height, int out_width, float *out, int32_t *argmax);

#endif
