/// A `PlotArray` read as `count` images of `channels × height × width` values (row-major NCHW).
///
/// The figures accept several layouts and turn them into this one:
/// - one image (`Plot.image`): `[H, W]`, `[C, H, W]` or `[1, C, H, W]` with C = 1 or 3;
/// - a batch (`Plot.samples`): `[N, C, H, W]` with C = 1 or 3, or `[N, H, W]`;
/// - channels as tiles (`Plot.featureMaps`): `[C, H, W]` or `[1, C, H, W]`, one grey tile per channel.
package struct ImageStack {
    package let count: Int
    package let channels: Int
    package let height: Int
    package let width: Int
    package let values: [Float]

    /// Values per image: `channels × height × width`.
    package var imageSize: Int { channels * height * width }

    /// The `channels × height × width` values of image `index`.
    package func image(_ index: Int) -> ArraySlice<Float> {
        values[(index * imageSize)..<((index + 1) * imageSize)]
    }

    /// One image: `[H, W]`, `[C, H, W]` or `[1, C, H, W]` with C = 1 or 3.
    package static func single(_ array: PlotArray) throws -> ImageStack {
        try checkNotEmpty(array, "image")
        let s = array.shape
        let expected = "[H, W], [C, H, W] or [1, C, H, W] with C = 1 or 3"
        switch s.count {
        case 2: return ImageStack(count: 1, channels: 1, height: s[0], width: s[1], values: array.values)
        case 3 where s[0] == 1 || s[0] == 3:
            return ImageStack(count: 1, channels: s[0], height: s[1], width: s[2], values: array.values)
        case 4 where s[0] == 1 && (s[1] == 1 || s[1] == 3):
            return ImageStack(count: 1, channels: s[1], height: s[2], width: s[3], values: array.values)
        default: throw PlotError.unsupportedShape(s, expected: expected)
        }
    }

    /// A batch of images: `[N, C, H, W]` with C = 1 or 3, or `[N, H, W]` (grey).
    package static func batch(_ array: PlotArray) throws -> ImageStack {
        try checkNotEmpty(array, "batch of images")
        let s = array.shape
        switch s.count {
        case 3: return ImageStack(count: s[0], channels: 1, height: s[1], width: s[2], values: array.values)
        case 4 where s[1] == 1 || s[1] == 3:
            return ImageStack(count: s[0], channels: s[1], height: s[2], width: s[3], values: array.values)
        default: throw PlotError.unsupportedShape(s, expected: "[N, C, H, W] with C = 1 or 3, or [N, H, W]")
        }
    }

    /// The channels of one image as separate one-channel tiles: `[C, H, W]` or `[1, C, H, W]`.
    package static func channelTiles(_ array: PlotArray) throws -> ImageStack {
        try checkNotEmpty(array, "stack of feature maps")
        let s = array.shape
        switch s.count {
        case 3: return ImageStack(count: s[0], channels: 1, height: s[1], width: s[2], values: array.values)
        case 4 where s[0] == 1:
            return ImageStack(count: s[1], channels: 1, height: s[2], width: s[3], values: array.values)
        default: throw PlotError.unsupportedShape(s, expected: "[C, H, W] or [1, C, H, W] (the maps of one image)")
        }
    }

    private static func checkNotEmpty(_ array: PlotArray, _ what: String) throws {
        if array.isEmpty { throw PlotError.emptyInput(what: what, shape: array.shape) }
    }
}
