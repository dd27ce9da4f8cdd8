// ResNet's option-A shortcut (He et al. 2016, §4.2: "identity mapping, with extra zero entries padded
// for increasing dimensions ... performed with a stride of 2"): every s-th pixel of each plane, with
// zero channels before and after, in one pass each way instead of a pixel-picking max-pool and a
// concatenation:
//
//   forward    out[n, before + c, i, j] = x[n, c, s·i, s·j]        (0 in the padding channels)
//   backward   dx[n, c, s·i, s·j]       = dOut[n, before + c, i, j] (0 at the pixels it skips)
//
// PyTorch: F.pad(x[:, :, ::s, ::s], (0, 0, 0, 0, before, after)). Output planes are ⌈H/s⌉ × ⌈W/s⌉.

extension Tensor {
    /// Every `stride`-th pixel of each plane of `[N, C, H, W]`, with `channelsBefore` and
    /// `channelsAfter` channels of zeros around the C channels: `[N, before + C + after, ⌈H/s⌉, ⌈W/s⌉]`.
    public func subsampledZeroPadded(stride: Int, channelsBefore: Int, channelsAfter: Int) -> Tensor {
        require(rank == 4, "subsampledZeroPadded expects [N, C, H, W], got \(shape)")
        require(stride >= 1 && channelsBefore >= 0 && channelsAfter >= 0,
                "subsampledZeroPadded: stride \(stride) must be ≥ 1 and the zero channels (\(channelsBefore), \(channelsAfter)) ≥ 0")
        let out = backend.subsampleZeroPad(self, stride: stride, before: channelsBefore, after: channelsAfter)
        return Tensor.record(out, "subsampleZeroPad", [self]) { [backend, shape] dOut in
            [backend.subsampleZeroPadBackward(dOut, inputShape: shape, stride: stride, before: channelsBefore)]
        }
    }
}
