import Fovea

/// Samples of a function `z = f(x, y)` on a regular grid, for contour plots.
///
/// `values[j][i] = f(x_i, y_j)` with `x_i = x.lowerBound + i · Δx`, `Δx = (x.upperBound − x.lowerBound) / (columns − 1)`,
/// and likewise `y_j`; row 0 is the bottom (`y.lowerBound`).
public struct ContourGrid: Sendable, Equatable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var values: [[Double]]

    /// - Precondition: at least 2 × 2 samples, all rows of one length, non-empty ranges.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, values: [[Double]]) {
        require(values.count >= 2 && (values.first?.count ?? 0) >= 2,
                "ContourGrid: needs at least 2×2 samples, got \(values.count) rows")
        require(values.allSatisfy { $0.count == values[0].count },
                "ContourGrid: rows have different lengths \(Set(values.map(\.count)).sorted())")
        require(x.lowerBound < x.upperBound && y.lowerBound < y.upperBound,
                "ContourGrid: empty range x \(x) or y \(y)")
        self.x = x
        self.y = y
        self.values = values
    }

    /// Samples `function` at `columns × rows` grid points.
    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int,
                _ function: (Double, Double) -> Double) {
        require(columns >= 2 && rows >= 2, "ContourGrid: needs at least 2×2 samples, got \(columns)×\(rows)")
        let dx = (x.upperBound - x.lowerBound) / Double(columns - 1)
        let dy = (y.upperBound - y.lowerBound) / Double(rows - 1)
        self.init(x: x, y: y, values: (0..<rows).map { j in
            (0..<columns).map { i in function(x.lowerBound + Double(i) * dx, y.lowerBound + Double(j) * dy) }
        })
    }

    public var columns: Int { values[0].count }
    public var rows: Int { values.count }

    /// The x of column `i` and the y of row `j`.
    public func xValue(_ i: Int) -> Double { x.lowerBound + Double(i) * (x.upperBound - x.lowerBound) / Double(columns - 1) }
    public func yValue(_ j: Int) -> Double { y.lowerBound + Double(j) * (y.upperBound - y.lowerBound) / Double(rows - 1) }

    /// Bilinear interpolation between the four samples around `(x, y)` (clamped to the grid):
    /// `z = (1−u)(1−v) z₀₀ + u(1−v) z₁₀ + (1−u)v z₀₁ + uv z₁₁`, with `u, v` the position inside the cell.
    public func value(x px: Double, y py: Double) -> Double {
        let gx = min(max((px - x.lowerBound) / (x.upperBound - x.lowerBound) * Double(columns - 1), 0), Double(columns - 1))
        let gy = min(max((py - y.lowerBound) / (y.upperBound - y.lowerBound) * Double(rows - 1), 0), Double(rows - 1))
        let (i, j) = (min(Int(gx), columns - 2), min(Int(gy), rows - 2))
        let (u, v) = (gx - Double(i), gy - Double(j))
        return (1 - u) * (1 - v) * values[j][i] + u * (1 - v) * values[j][i + 1]
            + (1 - u) * v * values[j + 1][i] + u * v * values[j + 1][i + 1]
    }
}
