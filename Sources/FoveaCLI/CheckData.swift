import ArgumentParser
import Foundation
import FoveaData
import FoveaPlot

/// `fovea check-data`: reads every image of a dataset once and names each one that fails.
struct CheckData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-data",
        abstract: "Check a dataset: count its classes and images, decode every image, name each file that fails.",
        discussion: "Exit status 1 when any image fails to decode. Examples:\n  fovea check-data --dataset imagefolder --data ~/imagenet/val\n  fovea check-data --dataset cifar10")

    enum Kind: String, ExpressibleByArgument, CaseIterable { case imagefolder, cifar10 }
    @Option(help: "The dataset's format.") var dataset: Kind = .imagefolder
    @Option(help: ArgumentHelp("For imagefolder: the folder of class folders. For cifar10: a folder holding cifar-10-batches-bin/ (default: $FOVEA_DATA, else ~/.cache/fovea).", valueName: "dir"))
    var data: String?

    func run() throws {
        try reportingErrors("check-data") {
            switch dataset {
            case .cifar10:
                let folder = try CIFAR10.folder(data: data)
                let training = try CIFAR10.trainingSet(in: folder), test = try CIFAR10.testSet(in: folder)
                print("CIFAR-10 in \(folder): \(training.count) training and \(test.count) test images, 10 classes")
                print("training images per class: \(training.classCounts.map(String.init).joined(separator: ", "))")
            case .imagefolder:
                guard let data else { throw ValidationError("--data DIR is required for an image folder") }
                let folder = try ImageFolder(root: data)
                print("\(folder.classFolders.count) class folders, \(folder.images.count) images in \(data)")
                var failures = 0, sizes: [(Int, Int)] = []
                for (index, image) in folder.images.enumerated() {
                    do {
                        let decoded = try image.path.lowercased().hasSuffix(".png")
                            ? ImageFile.read(image.path) : JPEG.decode(image.path)
                        sizes.append((decoded.shape[2], decoded.shape[1]))
                    } catch {
                        failures += 1
                        FileHandle.standardError.write(Data("  \(error)\n".utf8))
                    }
                    if isatty(STDOUT_FILENO) == 1 && (index % 50 == 0 || index == folder.images.count - 1) {
                        print("\r  decoded \(index + 1) of \(folder.images.count)", terminator: "")
                        fflush(nil)
                    }
                }
                if isatty(STDOUT_FILENO) == 1 { print("") }
                if let smallest = sizes.min(by: { $0.0 * $0.1 < $1.0 * $1.1 }), let largest = sizes.max(by: { $0.0 * $0.1 < $1.0 * $1.1 }) {
                    print("sizes from \(smallest.0)×\(smallest.1) to \(largest.0)×\(largest.1)")
                }
                if failures > 0 {
                    print("\(failures) of \(folder.images.count) images failed to decode (listed above)")
                    throw ExitCode.failure
                }
                print("every image decodes")
            }
        }
    }
}
