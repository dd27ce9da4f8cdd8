import ArgumentParser
import FoveaTraining

/// `fovea curves RUN_DIR`: redraws a run's loss and accuracy curves from its metrics.csv.
struct Curves: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Redraw a run folder's loss.png and accuracy.png from its metrics.csv.",
        discussion: "fovea train redraws them after every epoch; this is for a folder whose metrics.csv was copied or edited, or drawn by an older version.")

    @Argument(help: ArgumentHelp("A run folder written by fovea train.", valueName: "run-dir")) var runFolder: String

    func run() throws {
        try reportingErrors("curves") {
            let folder = RunFolder(runFolder)
            let rows = try folder.readMetrics()
            guard !rows.isEmpty else { throw TrainingError.invalidSettings("\(folder.metrics) has no rows") }
            try drawCurves(rows, in: folder)
            print("drew \(folder.lossCurve) and \(folder.accuracyCurve) from \(rows.count) epochs")
        }
    }
}
