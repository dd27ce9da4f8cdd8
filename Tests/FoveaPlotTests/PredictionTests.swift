import Fovea
import FoveaPlot
import Testing

@Suite("prediction figure")
struct PredictionTests {
    @Test("1000 classes: only the 10 most probable are drawn, so the figure stays small; 10 classes: all of them")
    func manyClasses() throws {
        var rng = SplitMix64(seed: 4)
        let image = Tensor.uniform([3, 32, 32], low: 0, high: 1, using: &rng)
        let many = (0..<1000).map { Double($0 == 7 ? 500 : 1) }, total = many.reduce(0, +)
        let path = temporaryFolder() + "/many.png"
        let size = try Plot.prediction(image: image, probabilities: many.map { $0 / total }, classNames: (0..<1000).map { "class \($0)" },
                                       title: "net: class 7", to: path)
        let few = try Plot.prediction(image: image, probabilities: Array(repeating: 0.1, count: 10), classNames: (0..<10).map { "c\($0)" },
                                      title: "net", to: temporaryFolder() + "/few.png")
        #expect(size.height < 600 && size.height <= few.height + 60, "height \(size.height) with 1000 classes, \(few.height) with 10")
    }
}
