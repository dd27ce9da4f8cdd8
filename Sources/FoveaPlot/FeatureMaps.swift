import Fovea

extension Plot {
    /// Draws the feature maps of one layer for one image, one channel per tile.
    ///
    ///     try Plot.featureMaps(PlotArray(shape: [16, 24, 24], values: activations), to: "maps.png")
    ///
    /// - Parameters:
    ///   - maps: `[C, H, W]` or `[1, C, H, W]`.
    ///   - columns: tiles per row; about square by default.
    ///   - normalization: applied to each map on its own for `.minMax` and `.symmetric` (each map
    ///     shows its own detail), or one shared range for `.fixed` and `.none` (maps comparable).
    ///   - sharedScale: with `.minMax` or `.symmetric`, one range over all the maps instead of one
    ///     per map, so that maps the text compares (max against average pooling, say) can be
    ///     compared by eye. The colour bar then shows the values; with per-map scales it shows the
    ///     fraction of each map's own range.
    ///   - captions: one per channel, under its tile.
    ///   - tiles: what the tiles are, for the subtitle ("2 images × 4 maps"); by default "N channels".
    ///   - showValues: print each value in its cell (for small maps drawn with a large zoom).
    ///   - tileColormaps: a colormap per tile, overriding `colormap` (an input image in grey beside
    ///     its signed gradient in red and blue); the colour bar then shows the last tile's.
    /// - Throws: `PlotError` for empty maps, an unsupported shape, a caption count that is not C,
    ///   or an unwritable path.
    /// - Precondition: `zoom ≥ 1`, `columns ≥ 1`.
    @discardableResult
    public static func featureMaps(
        _ maps: some PlotArrayConvertible, columns: Int? = nil, zoom: Int = 3, normalization: Normalization = .minMax,
        colormap: Colormap = .viridis, sharedScale: Bool = false, tiles description: String? = nil, showValues: Bool = false,
        tileColormaps: [Colormap]? = nil, captions: [String]? = nil, title: String? = nil, to path: String
    ) throws -> TileGridLayout {
        let maps = maps.plotArray
        require(zoom >= 1, "Plot.featureMaps: zoom \(zoom) must be at least 1")
        require(columns.map { $0 >= 1 } ?? true, "Plot.featureMaps: columns must be at least 1")
        let theme = Theme.standard
        let stack = try ImageStack.channelTiles(maps)
        if let captions, captions.count != stack.count {
            throw PlotError.countMismatch(what: "feature-map captions (one per channel)", expected: stack.count, actual: captions.count)
        }
        var nonFinite = NonFiniteCount()
        let perMap = (normalization == .minMax || normalization == .symmetric) && !sharedScale
        let shared = perMap ? nil : normalization.range(of: maps.values)
        let tiles = (0..<stack.count).map { c in
            let values = stack.image(c)
            nonFinite = nonFinite + NonFiniteCount(values)
            let image = PixelImage(plane: values, width: stack.width, height: stack.height, range: shared ?? normalization.range(of: values),
                                   colormap: tileColormaps?[c % tileColormaps!.count] ?? colormap, nanColor: theme.nanColor)
            return TileGrid.Tile(image: image, caption: captions.map { [TileGrid.CaptionLine(text: $0[c], color: theme.text)] } ?? [],
                                 values: showValues ? Array(values) : nil)
        }
        let scaling = perMap ? "\(normalization.summary), per map (bar: share of each map's range)" : "\(normalization.summary), one scale for all"
        let subtitle = "\(description ?? counted(stack.count, "channel")) · \(stack.height)×\(stack.width) · \(colormap.name), \(scaling)"
        var grid = TileGrid(
            tiles: tiles, columns: columns ?? Int(Double(stack.count).squareRoot().rounded(.up)), zoom: zoom,
            header: Header(title: title, subtitle: subtitle, notes: nonFinite.notes(), theme: theme),
            nonFinite: nonFinite, theme: theme
        )
        let relative = normalization == .symmetric ? ValueRange(lower: -1, upper: 1) : ValueRange(lower: 0, upper: 1)
        grid.colorBar = ColorBar(colormap: tileColormaps?.last ?? colormap, range: shared ?? relative, theme: theme)
        return try grid.render(to: path)
    }
}
