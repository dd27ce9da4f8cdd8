import Foundation
import Fovea
import FoveaData
import FoveaModels
import FoveaTraining

/// The data pipeline: how fast the loader prepares augmented CIFAR-10 batches, and what share of
/// a ResNet-20 training step waits for it. Skipped with a note (not a failure) without the data.
enum DataMeasurements {
    static func run(data: String?, warmup: Int, repeats: Int) {
        let folder: String
        let training: ImageDataset
        do {
            guard let found = try CIFAR10.find(data: data) else {
                emit(["kind": "note", "name": "data_loader_cifar10", "skipped": "CIFAR-10 not found: pass --data DIR or set FOVEA_DATA"])
                return
            }
            folder = found
            training = try CIFAR10.trainingSet(in: folder)
        } catch {
            emit(["kind": "note", "name": "data_loader_cifar10", "skipped": "\(error)"])
            return
        }
        // 1. The loader alone: 40 augmented batches of 128 (crop + flip + normalise), one background thread.
        let loader = DataLoader(training, batchSize: 128, shuffle: true, transform: .cifar10Training(), seed: 0)
        let batches = 40
        let r = Timing.measure(warmup: 1, repeats: max(3, repeats / 3)) {
            var count = 0
            for batch in loader.batches(epoch: 0) { count += batch.count; if count >= batches * 128 { break } }
        }
        emit(["kind": "measurement", "name": "data_loader_cifar10_augmented_b128", "lib": "fovea",
              "throughput": Double(batches * 128) / r.median, "unit": "images/s"].merging(r.fields) { $1 })

        // 2. ResNet-20 training (batch 128) fed by that loader: the share of step time spent waiting.
        var settings = TrainingSettings(model: ModelSpec(name: "resnet20"), epochs: 1, batchSize: 128, learningRate: 0.1,
                                        transform: .cifar10Training())
        settings.trainingImages = 30 * 128
        let subset = Trainer.prepare((training, nil), settings: settings)
        guard let trainer = try? Trainer(settings: settings, training: subset.training, validation: nil, test: nil, folder: nil,
                                         display: ProgressDisplay(style: .silent)),
              (try? trainer.run()) != nil, let row = trainer.history.last else { return }
        emit(["kind": "measurement", "name": "trainer_data_wait_resnet20_b128", "lib": "fovea",
              "throughput": 100 * trainer.lastDataWaitShare, "unit": "% of step time waiting for data",
              "images_per_s": row.imagesPerSecond, "steps": 30])
    }
}

/// ImageNet-style input: JPEG decoding (DCT-scaled to the crop size) and RandomResizedCrop to
/// 224 × 224 with flip and normalisation, on the sample images; one thread.
enum ImageNetDataMeasurements {
    static func run(data: String?) {
        let roots = (data.map { [$0, $0 + "/imagenet-sample/train", $0 + "/train"] } ?? [])
            + [DataLocation.cacheFolder() + "/imagenet/train"]
        guard let root = roots.first(where: { (try? ImageFolder(root: $0)) != nil }), let folder = try? ImageFolder(root: root) else {
            emit(["kind": "note", "name": "imagenet_decode_rrc224", "skipped": "no ImageNet-style folder found (checked \(roots.joined(separator: ", ")))"])
            return
        }
        let transform = ImageNetTransform()
        let paths = folder.images.map(\.path).filter { !$0.lowercased().hasSuffix(".png") }
        let r = Timing.measure(warmup: 0, repeats: 3, minBlock: 0) {
            var rng = SplitMix64(seed: 0)
            for path in paths { if let image = try? JPEG.decode(path, shortSide: 224) { _ = transform.training(image, using: &rng) } }
        }
        emit(["kind": "measurement", "name": "imagenet_decode_rrc224", "lib": "fovea", "images": paths.count, "threads": 1,
              "throughput": Double(paths.count) / r.median, "unit": "images/s"].merging(r.fields) { $1 })
        // The loader that training uses: worker threads decoding batches of 32 (crop + flip + normalise).
        for workers in [1, 2] {
            let loader = ImageFolderLoader(folder, batchSize: 32, training: true, transform: transform, workers: workers, skipsBadImages: true)
            var delivered = 0
            let pass = Timing.measure(warmup: 0, repeats: 3, minBlock: 0) {
                let stream = loader.batchStream(epoch: 0, from: 0)
                delivered = 0
                while let batch = try? stream.nextBatch() { delivered += batch.count }
            }
            emit(["kind": "measurement", "name": "imagenet_decode_rrc224_workers\(workers)", "lib": "fovea", "images": delivered,
                  "workers": workers, "batch": 32, "throughput": Double(delivered) / pass.median, "unit": "images/s"].merging(pass.fields) { $1 })
        }
    }
}
