// The helpers of lesson 01: they draw the figures, format the tables and hold the list of
// output-size cases, so that each cell of main.swift shows only the idea it teaches.
import Fovea
import FoveaNotebook
import FoveaPlot

// MARK: - Section 1: one output by hand

/// The nine multiply-adds of output (`row`, `col`), written out as "w·x" terms in the order the
/// loops visit them (filter row by filter row), for the sum printed in section 1.
func multiplyAddTerms(kernel: [[Float]], image: [[Float]], row: Int, col: Int) -> String {
    var terms: [String] = []
    for u in 0..<kernel.count {
        for v in 0..<kernel[u].count {
            terms.append("\(Int(kernel[u][v]))·\(Int(image[row + u][col + v]))")
        }
    }
    return terms.joined(separator: " + ")
}

// MARK: - Section 4: footprints

/// Draws `footprints.png`: the four 9×9 footprint tiles (dilation 1, 2, 3, and two windows at
/// stride 2), on a fixed 0…2 scale so that a pixel read by both windows stands out.
func drawFootprints(_ footprints: [Float], grid: Int, in nb: Notebook) {
    nb.figure("footprints.png", caption: "Which input pixels an output reads: dilation 1, 2, 3, and two overlapping windows at stride 2.") { path in
        try Plot.featureMaps(Tensor(shape: [4, grid, grid], footprints), columns: 4, zoom: 16, normalization: .fixed(0, 2), tiles: "4 footprints",
                             captions: ["3×3, dilation 1", "3×3, dilation 2", "3×3, dilation 3", "stride 2: 2 windows"],
                             title: "Footprints on a 9×9 input", to: path)
    }
}

// MARK: - Section 5: the output-size table

/// One row of the output-size table: an input of `h`×`h`, a `k`×`k` filter, stride `s`,
/// padding `p` and dilation `d`.
struct OutputSizeCase: Sendable {
    let name: String
    let h: Int, k: Int, s: Int, p: Int, d: Int

    /// The small cases of sections 3 and 4, a case where the floor matters, and the first layers
    /// of famous networks.
    static let all: [OutputSizeCase] = [
        .init(name: "section 3", h: 5, k: 3, s: 1, p: 0, d: 1),
        .init(name: "padding 1", h: 5, k: 3, s: 1, p: 1, d: 1),
        .init(name: "padding 1, stride 2", h: 5, k: 3, s: 2, p: 1, d: 1),
        .init(name: "dilation 2", h: 5, k: 3, s: 1, p: 0, d: 2),
        .init(name: "floor: 1.5 → 1", h: 6, k: 3, s: 2, p: 0, d: 1),
        .init(name: "odd size, stride 2", h: 7, k: 3, s: 2, p: 1, d: 1),
        .init(name: "LeNet-5 conv1", h: 32, k: 5, s: 1, p: 0, d: 1),
        .init(name: "ResNet-20, same size", h: 32, k: 3, s: 1, p: 1, d: 1),
        .init(name: "ResNet-20, downsample", h: 32, k: 3, s: 2, p: 1, d: 1),
        .init(name: "dilated, same size", h: 32, k: 3, s: 1, p: 2, d: 2),
        .init(name: "ResNet-50 stem", h: 224, k: 7, s: 2, p: 3, d: 1),
        .init(name: "AlexNet conv1", h: 227, k: 11, s: 4, p: 0, d: 1),
    ]

    /// The table row: the case, the formula with its numbers filled in, the shape `conv2d`
    /// returned, and ✓ when both spatial sides of that shape equal `formula`.
    func tableRow(formula: Int, shape: [Int]) -> [String] {
        ["\(name): H \(h), k \(k), s \(s), p \(p), d \(d)",
         "⌊(\(h) + \(2 * p) − \(d * (k - 1)) − 1) / \(s)⌋ + 1 = \(formula)",
         "\(shape)", shape[2] == formula && shape[3] == formula ? "✓" : "✗"]
    }
}

// MARK: - Section 6: classic kernels

/// Draws `scene.png`: the built-in RGB scene the classic kernels run over.
func drawScene(_ scene: Tensor, in nb: Notebook) {
    nb.figure("scene.png", caption: "The built-in scene, 66×66 RGB.") { path in
        try Plot.image(scene, zoom: 4, normalization: .none, colorBar: false, title: "Built-in scene", to: path)
    }
}

/// Draws the maps of the four classic kernels (`maps`: [4, size, size], in the order Sobel x,
/// Sobel y, blur, sharpen): `sobel.png` with the two Sobel maps on a diverging scale, and
/// `blur-sharpen-edges.png` with the grey input (`grey`: [1, 1, size + 2, size + 2], cropped to
/// the maps), blur, sharpen and the edge strength √(Sobel x² + Sobel y²).
func drawClassicMaps(_ maps: Tensor, grey: Tensor, in nb: Notebook) {
    let size = maps.shape[1]
    nb.figure("sobel.png", caption: "Sobel feature maps: red where brightness rises to the right (x) or downwards (y), blue where it falls.") { path in
        try Plot.featureMaps(maps.sliced(0..<2), zoom: 4, normalization: .symmetric, colormap: .diverging, tiles: "2 maps",
                             captions: ["Sobel x: vertical edges", "Sobel y: horizontal edges"], title: "Sobel filters on the scene", to: path)
    }
    let magnitude = (maps[0].pow(2) + maps[1].pow(2)).sqrt().reshaped([1, size, size])  // √(gx² + gy²)
    let greyCentre = grey[0].sliced(1..<(size + 1), axis: 1).sliced(1..<(size + 1), axis: 2)  // aligned with the maps
    nb.figure("blur-sharpen-edges.png", caption: "The grey input, its blur and sharpen maps, and the edge strength √(Sobel x² + Sobel y²).") { path in
        try Plot.featureMaps(Tensor.concatenated([greyCentre, maps.sliced(2..<4), magnitude]), columns: 4, zoom: 3, colormap: .grey, tiles: "input and 3 maps",
                             captions: ["grey input", "blur", "sharpen", "edge strength"], title: "Blur, sharpen and edge strength", to: path)
    }
}

// MARK: - Section 7: many channels, many filters

/// `taps` multiplied by `a`: a filter slice scaled, as the bank of section 7 builds its slices.
func scaled(_ taps: [Float], _ a: Float) -> [Float] { taps.map { $0 * a } }

/// The names of the four filters of section 7's bank, in order, for the captions.
let filterBankNames = ["brightness edges", "red − green", "blue − rest", "red: Sobel y"]

/// Draws the filter bank of section 7 (`weight`: [4, 3, 3, 3]) as `filter-bank.png`, a row per
/// filter and a column per input channel, and its output maps (`features`: [2, 4, size, size]) as
/// `filter-bank-maps.png`, a row per image; both on a shared diverging scale.
func drawFilterBank(_ weight: Tensor, maps features: Tensor, in nb: Notebook) {
    let size = features.shape[2]
    nb.figure("filter-bank.png", caption: "The filter bank [K, C, R, S] = [4, 3, 3, 3]: a row per filter, a column per input channel (red positive, blue negative).") { path in
        try Plot.featureMaps(weight.reshaped([12, 3, 3]), columns: 3, zoom: 20, normalization: .symmetric, colormap: .diverging, sharedScale: true,
                             tiles: "4 filters × 3 input channels",
                             captions: filterBankNames.flatMap { name in ["R", "G", "B"].map { "\(name) · \($0)" } }, title: "Filter bank, 4 × 3 slices", to: path)
    }
    nb.figure("filter-bank-maps.png", caption: "The 4 output maps for each of the 2 images (a row per image).") { path in
        try Plot.featureMaps(features.reshaped([8, size, size]), columns: 4, zoom: 3, normalization: .symmetric, colormap: .diverging, sharedScale: true,
                             tiles: "2 images × 4 maps",
                             captions: ["scene", "shapes"].flatMap { image in filterBankNames.map { "\(image): \($0)" } }, title: "Feature maps [2, 4, 64, 64]", to: path)
    }
}

// MARK: - Section 9: speed

/// Shows the speed test: a table of milliseconds per batch and GFLOP/s (2 FLOPs per multiply-add)
/// for the nested loops and for im2col + matrix product, then the speed-up.
func showSpeed(naiveSeconds: Double, fastSeconds: Double, multiplyAdds: Double, in nb: Notebook) {
    nb.table(headers: ["path", "ms per batch", "GFLOP/s"], rows: [
        ["nested loops", String(format: "%.2f", naiveSeconds * 1e3), String(format: "%.2f", 2 * multiplyAdds / naiveSeconds / 1e9)],
        ["im2col + matrix product", String(format: "%.3f", fastSeconds * 1e3), String(format: "%.2f", 2 * multiplyAdds / fastSeconds / 1e9)],
    ])
    nb.print(String(format: "speed-up: %.0f× (%.1f million multiply-adds per batch)", naiveSeconds / fastSeconds, multiplyAdds / 1e6))
}

// MARK: - Section 10: real photos

/// Draws `cifar-photos.png`: the CIFAR-10 photos with their class names.
func drawPhotos(_ photos: Tensor, names: [String], in nb: Notebook) {
    nb.figure("cifar-photos.png", caption: "Eight CIFAR-10 test images.") { path in
        try Plot.samples(photos, labels: names, columns: 8, zoom: 3, normalization: .none, title: "CIFAR-10 test images", to: path)
    }
}

/// Draws `cifar-sobel.png`: the Sobel x and y maps of the photos (`edges`: [8, 2, 30, 30]), all
/// x maps in the top row and all y maps in the bottom one.
func drawPhotoEdges(_ edges: Tensor, names: [String], in nb: Notebook) {
    nb.figure("cifar-sobel.png", caption: "Sobel x (top row) and Sobel y (bottom row) of the eight photos; red: brighter to the right or below.") { path in
        try Plot.featureMaps(edges.permuted([1, 0, 2, 3]).reshaped([16, 30, 30]), columns: 8, zoom: 3, normalization: .symmetric,
                             colormap: .diverging, tiles: "2 Sobel maps × 8 photos", captions: ["x", "y"].flatMap { axis in names.map { "\($0) · \(axis)" } },
                             title: "Sobel maps of CIFAR-10 photos (no padding: 30×30)", to: path)
    }
}
