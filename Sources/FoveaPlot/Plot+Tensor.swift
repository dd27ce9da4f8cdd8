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
