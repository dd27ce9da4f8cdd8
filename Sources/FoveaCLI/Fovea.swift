import ArgumentParser
import Fovea

/// The `fovea` command: tools around the engine.
@main
struct FoveaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fovea",
        abstract: "Fovea, a literate deep-learning toolkit: tools around the engine.",
        subcommands: [Train.self, Evaluate.self, Filters.self, Predict.self, Features.self, Curves.self, CheckData.self, PrepareImageNet.self, GradCheck.self, Gallery.self, SummaryCommand.self, Info.self]
    )
}

/// `fovea info`: what the engine runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the backend, the OpenBLAS kernel and the thread count.")

    func run() {
        let backend = CPUBackend.shared
        print("backend: CPU")
        print("OpenBLAS kernel: \(backend.blasKernel)\(backend.blasKernelForced ? " (chosen by Fovea: OpenBLAS fell back to Prescott on an AVX-512 CPU)" : "")")
        print("threads: \(backend.threads) (set FOVEA_NUM_THREADS to change)")
    }
}
