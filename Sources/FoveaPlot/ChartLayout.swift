/// Where a chart was drawn: the canvas size, the plot area, and the axes that map data into it.
///
/// Returned by the chart functions so that callers (and tests) can find where a data point
/// landed: `layout.point(x: 3, y: 0.5)` is its pixel position.
public struct ChartLayout: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The rectangle the data is drawn in; its edges are on whole pixels. The axis lines lie
    /// just outside it (the pixel column left of `minX`, the pixel row at `maxY`).
    public var plotArea: Rect
    public var xAxis: Axis
    public var yAxis: Axis
    /// The header's notes about values that could not be drawn (NaN, ±∞, left out of a log axis).
    public var notes: [String]

    /// The pixel x of data value `value`: `plotArea.minX + t · plotArea.width`, `t = xAxis.fraction(of:)`.
    public func x(_ value: Double) -> Double {
        plotArea.minX + xAxis.fraction(of: value) * plotArea.width
    }

    /// The pixel y of data value `value`: `plotArea.maxY − t · plotArea.height` (y grows upwards).
    public func y(_ value: Double) -> Double {
        plotArea.maxY - yAxis.fraction(of: value) * plotArea.height
    }

    /// The pixel position of the data point `(x, y)`.
    public func point(x: Double, y: Double) -> Point {
        Point(x: self.x(x), y: self.y(y))
    }

    /// The pixel positions of `points`, split into runs wherever a point is not `drawable`
    /// (NaN, ±∞, ≤ 0 on a log axis), so that a line through them leaves a gap there.
    package func runs(of points: [(x: Double, y: Double)], drawable: (Double, Double) -> Bool) -> [[Point]] {
        var runs: [[Point]] = [[]]
        for (x, y) in points {
            if drawable(x, y) { runs[runs.count - 1].append(point(x: x, y: y)) }
            else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        return runs.filter { !$0.isEmpty }
    }
}
