import Foundation
import Fovea

extension Plot {
    /// Draws one prediction: the input image on the left (nearest-neighbour zoom, as the network
    /// saw it before normalisation) and the class probabilities as bars on the right, the predicted
    /// class highlighted. With more than `maxBars` classes (ImageNet's 1000), only the `maxBars`
    /// most probable are drawn, in order, and the subtitle says so.
    ///
    ///     try Plot.prediction(image: photo, probabilities: p, classNames: CIFAR10.classNames,
    ///                         title: "resnet20: cat (87 %)", to: "predict-cat.png")
    ///
    /// - Parameters:
    ///   - image: `[3, H, W]` (or `[1, H, W]`) with values in [0, 1].
    /// - Throws: `PlotError` for a probability count that differs from the class count, or an
    ///   unwritable path.
    @discardableResult
    public static func prediction(image: Tensor, probabilities: [Double], classNames: [String], title: String,
                                  maxBars: Int = 10, to path: String) throws -> (width: Int, height: Int) {
        let bars = path + ".bars-\(getpid()).png"
        defer { try? FileManager.default.removeItem(atPath: bars) }
        if probabilities.count > maxBars && probabilities.count == classNames.count {
            let shown = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(maxBars)
            try barChart(values: shown.map { probabilities[$0] }, labels: shown.map { classNames[$0] },
                         title: title + " · top \(maxBars) of \(classNames.count)", valueLabel: "probability", width: 560, to: bars)
        } else {
            try barChart(values: probabilities, labels: classNames, title: title, valueLabel: "probability", width: 560, to: bars)
        }
        let chart = try ImageFile.read(bars)
        let pixels = image.plotArray.values
        let (channels, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        let zoom = max(1, 192 / max(h, w)), margin = 24.0
        let chartWidth = chart.shape[2], chartHeight = chart.shape[1]
        let width = Int(2 * margin) + w * zoom + chartWidth
        let height = max(chartHeight, h * zoom + Int(2 * margin) + 20)
        let canvas = try Canvas(width: width, height: height, background: Theme.standard.background)
        let range = ValueRange(lower: 0, upper: 1)
        let top = ((Double(height) - Double(h * zoom)) / 2).rounded()
        canvas.draw(PixelImage(image: pixels[...], channels: channels, width: w, height: h, range: range,
                               colormap: .grey, nanColor: Theme.standard.nanColor),
                    at: Point(x: margin, y: top), zoom: zoom)
        canvas.text("input \(w)×\(h)", at: Point(x: margin + Double(w * zoom) / 2, y: top + Double(h * zoom) + 14),
                    font: Theme.standard.tickFont, color: Theme.standard.mutedText, align: .center, vertical: .middle)
        canvas.draw(PixelImage(rgbPlanes: chart.plotArray.values[...], width: chartWidth, height: chartHeight, range: range,
                               nanColor: Theme.standard.nanColor),
                    at: Point(x: 2 * margin + Double(w * zoom) - 8, y: ((Double(height) - Double(chartHeight)) / 2).rounded()))
        try canvas.writePNG(to: path)
        return (width, height)
    }
}
