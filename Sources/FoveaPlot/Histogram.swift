import Fovea

/// Values counted in equal-width bins.
///
/// With `bins` bins over `[lo, hi]`, the width is `w = (hi − lo) / bins` and value `v` falls in bin
/// `⌊(v − lo) / w⌋`; bins are half-open `[e_i, e_i+1)` except the last, which also holds `hi`.
public struct HistogramBins: Sendable, Equatable {
    /// `bins + 1` edges, from `lo` to `hi`.
    public var edges: [Double]
    public var counts: [Int]
    /// NaN and ±∞, not counted in any bin.
    public var nonFinite: NonFiniteCount
    /// Finite values outside an explicit `range`, not counted in any bin.
    public var outside: Int

    /// - Parameters:
    ///   - range: the interval to bin; `nil` spans the finite values (a single value `c` gets
    ///     `[c − 0.5, c + 0.5]`, no finite values `[0, 1]`).
    /// - Precondition: `bins ≥ 1`; a given range has `lowerBound < upperBound`.
    public init(_ values: [Float], bins: Int, range: ClosedRange<Double>? = nil) {
        require(bins >= 1, "HistogramBins: bins \(bins) must be at least 1")
        require(range.map { $0.lowerBound < $0.upperBound } ?? true, "HistogramBins: empty range \(range!)")
        let finite = values.filter(\.isFinite).map(Double.init)
        var (lo, hi) = range.map { ($0.lowerBound, $0.upperBound) } ?? (finite.min() ?? 0, finite.max() ?? 1)
        if lo == hi { (lo, hi) = (lo - 0.5, hi + 0.5) }
        let width = (hi - lo) / Double(bins)
        edges = (0...bins).map { lo + Double($0) * width }
        edges[bins] = hi
        counts = [Int](repeating: 0, count: bins)
        nonFinite = NonFiniteCount(values)
        outside = 0
        for v in finite {
            guard v >= lo && v <= hi else { outside += 1; continue }
            counts[min(Int((v - lo) / width), bins - 1)] += 1
        }
    }
}

extension Plot {
    /// Draws a histogram: the values counted in `bins` equal bins, with a count axis and a subtitle
    /// giving n, mean and standard deviation.
    ///
    ///     try Plot.histogram(conv1.weight.scalars, bins: 40, title: "conv1 weights", to: "w.png")
    ///
    /// NaN, ±∞ and values outside `range` are not counted; the header says how many.
    ///
    /// - Throws: `PlotError` for no values or an unwritable path.
    /// - Precondition: `bins ≥ 1`.
    @discardableResult
    public static func histogram(
        _ values: [Float], bins: Int = 30, range: ClosedRange<Double>? = nil, title: String? = nil,
        xLabel: String? = nil, width: Int = 720, height: Int = 400, to path: String
    ) throws -> ChartLayout {
        let theme = Theme.standard
        guard !values.isEmpty else { throw PlotError.emptyInput(what: "histogram", shape: [0]) }
        let histogram = HistogramBins(values, bins: bins, range: range)
        let edges = histogram.edges

        let finite = values.filter(\.isFinite).map(Double.init)
        let mean = finite.reduce(0, +) / Double(max(finite.count, 1))
        let std = (finite.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(finite.count, 1))).squareRoot()
        let subtitle = "n = \(NumberFormat.grouped(finite.count)) · mean \(NumberFormat.short(mean, significant: 3))"
            + " · std \(NumberFormat.short(std, significant: 3)) · \(counted(bins, "bin"))"
        var notes = histogram.nonFinite.notes(nanFate: "not counted", infiniteFate: "not counted")
        if histogram.outside > 0 {
            notes.append("\(counted(histogram.outside, "value")) outside \(NumberFormat.interval(ValueRange(lower: edges.first!, upper: edges.last!))) not counted")
        }
        let frame = ChartFrame(
            header: Header(title: title, subtitle: subtitle, notes: notes, theme: theme),
            legend: Legend(entries: [], theme: theme),
            xAxis: Axis.linear(from: edges.first!, to: edges.last!, targetTicks: 8, extendToTicks: false),
            yAxis: Axis.linear(from: 0, to: Double(histogram.counts.max() ?? 1), integerTicks: true),
            xLabel: xLabel, yLabel: "count", theme: theme
        )
        let layout = frame.layout(width: width, height: height)
        let canvas = try Canvas(width: width, height: height, background: theme.background)
        frame.draw(on: canvas, layout)

        let accent = theme.seriesColor(0)
        for (i, count) in histogram.counts.enumerated() where count > 0 {
            let left = layout.x(edges[i]).rounded()
            let right = layout.x(edges[i + 1]).rounded()
            let gap = right - left >= 4 ? 1.0 : 0   // a white pixel between wide bars
            let (top, base) = (layout.y(Double(count)).rounded(), layout.y(0).rounded())
            canvas.fill(Rect(x: left, y: top, width: max(right - left - gap, 1), height: base - top), accent)
        }
        try canvas.writePNG(to: path)
        return layout
    }
}
