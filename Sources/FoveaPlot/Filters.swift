import Fovea

extension Plot {
    /// Draws learned convolution filters.
    ///
    /// - First-layer filters of an RGB network (`C = 3`) become colour patches: each filter is
    ///   scaled by its own `m = max |w|` to `(w + m) / 2m`, channel by channel, so that 0 is mid grey
    ///   and the patch shows which colours and orientations the filter responds to.
    /// - Other filters get one tile per input channel (a row per filter, a column per channel),
    ///   through `Colormap.diverging`, scaled per filter to `[−m, m]`: blue negative, white 0, red positive.
    ///
    ///     try Plot.filters(PlotArray(shape: [16, 3, 5, 5], values: conv1.weight.scalars), to: "conv1.png")
    ///
    /// - Parameters:
    ///   - weights: `[K, C, R, S]`: K filters of C channels, R × S.
    ///   - columns: tiles per row for one-tile-per-filter layouts (C = 1 or 3).
    ///   - zoom: pixels per weight; `nil` makes each tile about 56 pixels wide (`max(4, 56 / max(R, S))`).
    ///   - maxFilters, maxChannels: show at most this many (the subtitle says when some are left out).
    /// - Throws: `PlotError` for empty weights, a shape that is not 4-D, or an unwritable path.
    /// - Precondition: `zoom ≥ 1`, `columns ≥ 1`, `maxFilters ≥ 1`, `maxChannels ≥ 1`.
    @discardableResult
    public static func filters(
        _ weights: some PlotArrayConvertible, columns: Int? = nil, zoom: Int? = nil, maxFilters: Int = 64, maxChannels: Int = 16,
        title: String? = nil, to path: String
    ) throws -> TileGridLayout {
        let weights = weights.plotArray
        require(zoom.map { $0 >= 1 } ?? true, "Plot.filters: zoom must be at least 1")
        require(columns.map { $0 >= 1 } ?? true, "Plot.filters: columns must be at least 1")
        require(maxFilters >= 1 && maxChannels >= 1, "Plot.filters: maxFilters and maxChannels must be at least 1")
        if weights.isEmpty { throw PlotError.emptyInput(what: "set of filters", shape: weights.shape) }
        guard weights.shape.count == 4 else {
            throw PlotError.unsupportedShape(weights.shape, expected: "[K, C, R, S] (filters, channels, height, width)")
        }
        let theme = Theme.standard
        let (k, c, r, s) = (weights.shape[0], weights.shape[1], weights.shape[2], weights.shape[3])
        let shownFilters = min(k, maxFilters)
        let zoom = zoom ?? max(4, 56 / max(r, s, 1))
        var rowLabels: [String] = []
        var columnLabels: [String] = []
        let filterSize = c * r * s
        func filter(_ i: Int) -> ArraySlice<Float> { weights.values[(i * filterSize)..<((i + 1) * filterSize)] }

        var nonFinite = NonFiniteCount()
        var tiles: [TileGrid.Tile] = []
        var gridColumns: Int
        var subtitle: String
        if c == 3 {
            for i in 0..<shownFilters {
                let values = filter(i)
                nonFinite = nonFinite + NonFiniteCount(values)
                tiles.append(TileGrid.Tile(image: PixelImage(rgbPlanes: values, width: s, height: r,
                                                             range: Normalization.symmetric.range(of: values),
                                                             nanColor: theme.nanColor)))
            }
            gridColumns = columns ?? TileGrid.defaultColumns(shownFilters)
            subtitle = "\(counted(k, "filter")) · 3×\(r)×\(s) as RGB · each channel in units of the filter's max|w| (bar), grey = 0"
        } else {
            let shownChannels = min(c, maxChannels)
            for i in 0..<shownFilters {
                let values = filter(i)
                let range = Normalization.symmetric.range(of: values)
                for channel in 0..<shownChannels {
                    let plane = values.dropFirst(channel * r * s).prefix(r * s)
                    nonFinite = nonFinite + NonFiniteCount(plane)
                    tiles.append(TileGrid.Tile(image: PixelImage(plane: plane, width: s, height: r, range: range,
                                                                 colormap: .diverging, nanColor: theme.nanColor)))
                }
            }
            gridColumns = c == 1 ? columns ?? TileGrid.defaultColumns(shownFilters) : shownChannels
            if c > 1 {
                rowLabels = (0..<shownFilters).map { "\($0)" }
                columnLabels = (0..<shownChannels).map { "\($0)" }
            }
            subtitle = c == 1
                ? "\(counted(k, "filter")) · \(r)×\(s) · blue < 0 < red, in units of each filter's max|w| (bar)"
                : "rows: \(counted(k, "filter")), columns: \(c) input channels · \(r)×\(s) · in units of each filter's max|w| (bar)"
            if shownChannels < c { subtitle += " · first \(shownChannels) of \(c) channels" }
        }
        if shownFilters < k { subtitle += " · first \(shownFilters) of \(k) filters" }

        var grid = TileGrid(
            tiles: tiles, columns: gridColumns, zoom: zoom,
            header: Header(title: title, subtitle: subtitle, notes: nonFinite.notes(), theme: theme),
            nonFinite: nonFinite, rowLabels: rowLabels, columnLabels: columnLabels, theme: theme
        )
        grid.minimumPadding = 3  // a band of background between filters
        // The scale: each filter's weights in units of its own max |w| (so ±1 is the extreme of each filter).
        grid.colorBar = ColorBar(colormap: c == 3 ? .grey : .diverging, range: ValueRange(lower: -1, upper: 1), theme: theme)
        return try grid.render(to: path)
    }
}
