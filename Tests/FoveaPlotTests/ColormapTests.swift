import FoveaPlot
import Testing

@Suite("Colormap")
struct ColormapTests {
    @Test("viridis is matplotlib's 256-entry table: dark purple to yellow, lightness rising")
    func viridis() {
        #expect(viridisTable.count == 256)
        #expect(Colormap.viridis.color(at: 0) == Color(0.267004, 0.004874, 0.329415))
        #expect(Colormap.viridis.color(at: 1) == Color(0.993248, 0.906157, 0.143936))
        #expect(Colormap.viridis.color(at: 128.0 / 255) == Color(0.127568, 0.566949, 0.550556))
        let lightness = (0...20).map { Colormap.viridis.color(at: Double($0) / 20).luminance }
        #expect(zip(lightness, lightness.dropFirst()).allSatisfy { $0 < $1 }, "\(lightness)")
    }

    @Test("between stops the colour is interpolated linearly, and t is clamped")
    func interpolation() {
        let map = Colormap(name: "test", stops: [.black, .white, Color(1, 0, 0)])
        #expect(map.color(at: 0.25) == Color(0.5, 0.5, 0.5))
        #expect(map.color(at: 0.75) == Color(1, 0.5, 0.5))
        #expect(map.color(at: -3) == .black)
        #expect(map.color(at: 7) == Color(1, 0, 0))
    }

    @Test("the diverging map is blue below, white in the middle, red above")
    func diverging() {
        let (low, middle, high) = (Colormap.diverging.color(at: 0), Colormap.diverging.color(at: 0.5), Colormap.diverging.color(at: 1))
        #expect(low.blue > low.red && high.red > high.blue)
        #expect(middle == .white)
    }

    @Test("blues gets darker as counts grow")
    func blues() {
        #expect(Colormap.blues.color(at: 0).luminance > 0.95)
        #expect(Colormap.blues.color(at: 1).luminance < 0.2)
    }
}
