import Fovea

/// The input of image figures: a row-major array of `Float` with a shape, as a tensor hands it over.
///
/// Images are `[C, H, W]` with C = 1 or 3, or `[H, W]`; stacks of images are `[N, C, H, W]`.
/// FoveaPlot takes plain arrays so that it does not depend on the Fovea engine:
///
///     let image = PlotArray(shape: [1, 28, 28], values: tensor.scalars)
public struct PlotArray: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    /// - Precondition: every dimension is ≥ 0 and their product equals `values.count`.
    public init(shape: [Int], values: [Float]) {
        require(shape.allSatisfy { $0 >= 0 }, "PlotArray: negative dimension in shape \(shape)")
        let product = shape.reduce(1, *)
        require(
            product == values.count,
            "PlotArray: shape \(shape) holds \(product) values but values.count is \(values.count)"
        )
        self.shape = shape
        self.values = values
    }

    /// A `[rows, columns]` array from nested rows.
    ///
    /// - Precondition: every row has the same length.
    public init(rows: [[Float]]) {
        let columns = rows.first?.count ?? 0
        require(
            rows.allSatisfy { $0.count == columns },
            "PlotArray: rows have different lengths \(rows.map(\.count))"
        )
        self.init(shape: [rows.count, columns], values: rows.flatMap { $0 })
    }

    /// Whether the array holds no values (some dimension is 0).
    public var isEmpty: Bool { values.isEmpty }
}
