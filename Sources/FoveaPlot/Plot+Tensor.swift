import Fovea

/// Anything a figure can take as its numbers: a `PlotArray`, or an engine `Tensor` (whose
/// elements are copied to the host as Float).
///
///     try Plot.featureMaps(conv1(image)[0], to: "Figures/01-convolution/feature-maps.png")
public protocol PlotArrayConvertible {
    var plotArray: PlotArray { get }
}

extension PlotArray: PlotArrayConvertible {
    public var plotArray: PlotArray { self }
}

extension Tensor: PlotArrayConvertible {
    /// The elements and shape as a `PlotArray` (a 0-d tensor becomes shape [1]).
    public var plotArray: PlotArray { PlotArray(shape: shape.isEmpty ? [1] : shape, values: scalars) }
}

extension Tensor {
    /// A Float32 tensor holding a plot array's values and shape (e.g. a built-in image:
    /// `Tensor(BuiltinImage.scene.render(size: 64))` is `[3, 64, 64]` in [0, 1]).
    public convenience init(_ plotArray: PlotArray) {
        self.init(shape: plotArray.shape, plotArray.values)
    }
}
