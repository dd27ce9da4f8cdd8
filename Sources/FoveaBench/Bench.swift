import ArgumentParser
import Fovea
import FoveaModels
import Foundation

/// `fovea-bench`: Fovea's speed, one JSON object per line, with the same measurement names and
/// fields as the PyTorch scripts in ../shared/bench (`name`, `median_s`, `throughput`, `unit`), so
/// the two outputs join line by line. `--compare` prints that join as a Markdown table.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea-bench",
        abstract: "Measure sgemm, conv2d, max-pool and whole-model training/inference speed.",
        discussion: """
        Threads: set FOVEA_NUM_THREADS (default: all cores). The first line names the OpenBLAS kernel in use. \
        To compare with PyTorch, run ../shared/bench/*.py (CIFAR-sized work) and \
        Benchmarks/reference/imagenet_torch.py (ImageNet-sized: --only imagenet,data here) into JSONL files, then \
        `fovea-bench --compare fovea.jsonl torch1.jsonl torch2.jsonl`.
        """
    )

    @Option(help: "Timed blocks per measurement.") var repeats = 15
    @Option(help: "Untimed calls before timing.") var warmup = 3
    @Option(help: "Comma-separated groups to run: sgemm, conv, pool, models, memory, data, and (not by default) imagenet (minutes) and conv-paths (the two 3×3 convolution paths, phase by phase).")
    var only = "sgemm,conv,pool,models,memory,data"
    @Option(help: .hidden) var memoryChild: String?
    @Option(help: .hidden) var memoryBatch = 128
    @Option(help: "Folder holding cifar-10-batches-bin/ for the data group (default: $FOVEA_DATA, else ~/.cache/fovea).") var data: String?
    @Option(help: "Comma-separated model cases to run (e.g. resnet20_train_b128); all by default.") var models: String?
    @Option(parsing: .upToNextOption, help: "Instead of measuring: join a Fovea JSONL file with PyTorch JSONL files into a Markdown table.")
    var compare: [String] = []

    func run() throws {
        if !compare.isEmpty { return try Comparison.printTable(compare) }
        if let memoryChild { return MemoryMeasurements.child(memoryChild, batch: memoryBatch) }
        let backend = CPUBackend.shared
        let start = Date()
        emit(["kind": "meta", "script": "fovea-bench", "openblas_corename": backend.blasKernel,
              "openblas_kernel_chosen_by_fovea": backend.blasKernelForced, "threads": backend.threads,
              "backend": backend.name, "nproc": ProcessInfo.processInfo.activeProcessorCount,
              "OPENBLAS_CORETYPE": ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? NSNull(),
              "FOVEA_NUM_THREADS": ProcessInfo.processInfo.environment["FOVEA_NUM_THREADS"] ?? NSNull()])
        let groups = Set(only.split(separator: ",").map(String.init))
        if groups.contains("sgemm") { Measurements.sgemm(warmup: warmup, repeats: repeats) }
        if groups.contains("conv") { Measurements.convolutions(warmup: warmup, repeats: repeats) }
        if groups.contains("conv-paths") { ConvPathMeasurements.run(warmup: warmup, repeats: repeats) }
        if groups.contains("pool") { Measurements.maxPool(warmup: warmup, repeats: repeats) }
        if groups.contains("models") {
            Measurements.models(warmup: warmup, repeats: repeats, only: models.map { Set($0.split(separator: ",").map(String.init)) })
        }
        if groups.contains("imagenet") {
            Measurements.imagenetModels(warmup: min(warmup, 1), repeats: min(repeats, 5),
                                        only: models.map { Set($0.split(separator: ",").map(String.init)) })
        }
        if groups.contains("memory") { MemoryMeasurements.run(batch: memoryBatch) }
        if groups.contains("data") {
            DataMeasurements.run(data: data, warmup: warmup, repeats: repeats)
            ImageNetDataMeasurements.run(data: data)
        }
        emit(["kind": "total", "script": "fovea-bench", "wall_s": Date().timeIntervalSince(start)])
    }
}
