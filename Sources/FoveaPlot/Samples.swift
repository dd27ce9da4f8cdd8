import Fovea

extension Plot {
    /// Draws a batch of images with their labels and, optionally, a model's predictions.
    ///
    /// Each caption is the label, then (with predictions) the prediction on a second line. A
    /// wrong prediction is written in red, bold, and its image gets a red frame, so that the
    /// mistakes stand out at a glance; the subtitle counts them.
    ///
    ///     try Plot.samples(batch, labels: names(of: targets), predictions: names(of: guesses), to: "samples.png")
    ///
    /// - Parameters:
    ///   - images: `[N, C, H, W]` with C = 1 (grey) or 3 (RGB), or `[N, H, W]`.
    ///   - labels, predictions: N names each.
    ///   - normalization: applied to each image on its own.
    /// - Throws: `PlotError` for an empty batch, an unsupported shape, a label or prediction count
    ///   that is not N, or an unwritable path.
    /// - Precondition: `zoom ≥ 1`, `columns ≥ 1`.
    @discardableResult
    public static func samples(
        _ images: some PlotArrayConvertible, labels: [String], predictions: [String]? = nil, columns: Int? = nil, zoom: Int = 3,
        normalization: Normalization = .minMax, title: String? = nil, to path: String
    ) throws -> TileGridLayout {
        let images = images.plotArray
        require(zoom >= 1, "Plot.samples: zoom \(zoom) must be at least 1")
        require(columns.map { $0 >= 1 } ?? true, "Plot.samples: columns must be at least 1")
        let theme = Theme.standard
        let stack = try ImageStack.batch(images)
        guard labels.count == stack.count else {
            throw PlotError.countMismatch(what: "labels (one per image)", expected: stack.count, actual: labels.count)
        }
        if let predictions, predictions.count != stack.count {
            throw PlotError.countMismatch(what: "predictions (one per image)", expected: stack.count, actual: predictions.count)
        }

        var nonFinite = NonFiniteCount()
        var tiles: [TileGrid.Tile] = []
        for n in 0..<stack.count {
            let values = stack.image(n)
            nonFinite = nonFinite + NonFiniteCount(values)
            var tile = TileGrid.Tile(image: PixelImage(
                image: values, channels: stack.channels, width: stack.width, height: stack.height,
                range: normalization.range(of: values), colormap: .grey, nanColor: theme.nanColor
            ))
            tile.caption = [TileGrid.CaptionLine(text: labels[n], color: theme.text)]
            if let prediction = predictions?[n] {
                let wrong = prediction != labels[n]
                tile.caption.append(TileGrid.CaptionLine(text: prediction, color: wrong ? theme.wrong : theme.mutedText, bold: wrong))
                tile.frame = wrong ? theme.wrong : nil
            }
            tiles.append(tile)
        }

        var subtitle = "\(counted(stack.count, "image")) · \(stack.height)×\(stack.width)"
        if let predictions {
            let correct = zip(labels, predictions).filter { $0 == $1 }.count
            subtitle = "\(correct) of \(stack.count) predictions correct · caption: label, then prediction (red when wrong)"
        }
        let grid = TileGrid(
            tiles: tiles, columns: columns ?? TileGrid.defaultColumns(stack.count), zoom: zoom,
            header: Header(title: title, subtitle: subtitle, notes: nonFinite.notes(), theme: theme),
            nonFinite: nonFinite, theme: theme
        )
        return try grid.render(to: path)
    }
}
