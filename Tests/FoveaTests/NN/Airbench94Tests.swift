import Fovea
import FoveaModels
import Testing

@Suite("airbench94 network")
struct Airbench94Tests {
    @Test("1,972,792 numbers (frozen ones included), logits [N, 10], names by block, frozen weights marked")
    func shape() throws {
        var rng = SplitMix64(seed: 0)
        let net = try #require(try ModelCatalog.make(ModelSpec(name: "airbench94"), using: &rng) as? Airbench94)
        #expect(net.parameterCount == 1_972_792)
        let names = net.namedParameters().map(\.name)
        #expect(names.prefix(4) == ["whiten.weight", "whiten.bias", "block1.conv1.weight", "block1.norm1.weight"])
        #expect(names.last == "head.weight")
        #expect(net.stateDict().contains { $0.name == "block3.norm2.running_var" })
        #expect(!net.whiten.weight.requiresGrad && net.whiten.bias!.requiresGrad)
        #expect(!net.block1.norm1.weight.requiresGrad && net.block1.norm1.bias.requiresGrad)
        let x = Tensor.normal([2, 3, 32, 32], using: &rng)
        #expect(net(x).shape == [2, 10])
    }

    @Test("after whitening, the first 12 channels of the whitening conv have about unit covariance over the patches")
    func whitening() {
        var rng = SplitMix64(seed: 1)
        let net = Airbench94(using: &rng)
        // Correlated channels: a shared signal plus a little noise of each channel's own.
        let shared = Tensor.normal([64, 1, 32, 32], using: &rng)
        let images = Tensor.concatenated([shared, shared * 0.5 + Tensor.normal([64, 1, 32, 32], std: 0.3, using: &rng),
                                          shared * -0.8 + Tensor.normal([64, 1, 32, 32], std: 0.1, using: &rng)], axis: 1)
        net.initializeWhitening(from: images, epsilon: 1e-9)
        let out = noGrad { conv2d(images, weight: net.whiten.weight) }   // [64, 24, 31, 31], no bias
        let values = out.doubles, positions = 64 * 31 * 31
        func channel(_ k: Int) -> [Double] {
            (0..<64).flatMap { image in values[((image * 24 + k) * 961)..<((image * 24 + k + 1) * 961)] }
        }
        let channels = (0..<12).map(channel)
        for i in 0..<12 {
            for j in 0..<12 {
                let covariance = zip(channels[i], channels[j]).reduce(0) { $0 + $1.0 * $1.1 } / Double(positions)
                #expect(abs(covariance - (i == j ? 1 : 0)) < 1e-3, "covariance of channels \(i) and \(j) is \(covariance)")
            }
        }
        #expect(zip(channel(0), channel(12)).allSatisfy { abs($0 + $1) < 1e-5 }, "filters 12…23 are the negatives of 0…11")
    }
}
