import Foundation
import Fovea
import FoveaPlot
import FoveaTestSupport
import Testing

@Suite("image files")
struct ImageFileTests {
    @Test("a tensor written as PNG reads back to the same 8-bit values")
    func roundTrip() throws {
        let path = TemporaryFolders.path("image") + "/x.png"
        var rng = SplitMix64(seed: 3)
        let image = Tensor.uniform([3, 5, 7], using: &rng)
        try ImageFile.write(image, to: path)
        let back = try ImageFile.read(path)
        #expect(back.shape == [3, 5, 7])
        for (a, b) in zip(back.doubles, image.doubles) { #expect(abs(a - b) <= 0.5 / 255 + 1e-6) }
        #expect(try ImageFile.read(path, channels: 1).shape == [1, 5, 7])
    }

    @Test("a missing or non-PNG file is a thrown error naming it")
    func errors() throws {
        #expect(throws: PlotError.self) { try ImageFile.read("/nonexistent/picture.png") }
        let text = TemporaryFolders.path("not-a-png") + ".png"
        _ = FileManager.default.createFile(atPath: text, contents: Data("hello".utf8))
        do {
            _ = try ImageFile.read(text)
            Issue.record("a text file was read as an image")
        } catch let error as PlotError {
            #expect(error.description.contains(text))
        }
        #expect(throws: PlotError.self) { try ImageFile.write(Tensor(zeros: [2, 4, 4]), to: text) }
    }
}
