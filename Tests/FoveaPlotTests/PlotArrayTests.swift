import FoveaPlot
import Testing

@Suite("PlotArray")
struct PlotArrayTests {
    @Test("rows become a [rows, columns] array")
    func fromRows() {
        let array = PlotArray(rows: [[1, 2, 3], [4, 5, 6]])
        #expect(array.shape == [2, 3])
        #expect(array.values == [1, 2, 3, 4, 5, 6])
    }

    @Test("a shape that does not match the value count traps")
    func mismatchTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = PlotArray(shape: [2, 3], values: [1, 2])
        }
    }

    @Test("image layouts are read as N × C × H × W")
    func stacks() throws {
        let single = try ImageStack.single(PlotArray(shape: [1, 3, 2, 4], values: .init(repeating: 0, count: 24)))
        #expect([single.count, single.channels, single.height, single.width] == [1, 3, 2, 4])
        let batch = try ImageStack.batch(PlotArray(shape: [5, 2, 2], values: .init(repeating: 0, count: 20)))
        #expect([batch.count, batch.channels, batch.height, batch.width] == [5, 1, 2, 2])
        let maps = try ImageStack.channelTiles(PlotArray(shape: [1, 6, 2, 2], values: .init(repeating: 0, count: 24)))
        #expect([maps.count, maps.channels, maps.height, maps.width] == [6, 1, 2, 2])
        #expect(maps.image(2).startIndex == 8)
    }
}
