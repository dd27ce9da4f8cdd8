import ArgumentParser
import Foundation
import FoveaData

/// `fovea prepare-imagenet`: the flat official validation folder into one folder per class, by links.
struct PrepareImageNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare-imagenet",
        abstract: "Sort the official ILSVRC-2012 validation images into one folder per class (links, no copies).",
        discussion: """
        The validation JPEGs come in one flat folder; training and evaluation read one folder per \
        class (wnid). --labels is the devkit's ILSVRC2012_validation_ground_truth.txt (then --classes \
        names each number: map_clsloc.txt), Kaggle's LOC_val_solution.csv, or lines 'FILE WNID'. \
        The official set has 50 images in each of 1000 classes; other counts are reported.

        Example:
          fovea prepare-imagenet --val ~/imagenet/ILSVRC2012_img_val --labels LOC_val_solution.csv --out ~/.cache/fovea/imagenet/val
        """)

    @Option(help: ArgumentHelp("The flat folder of validation JPEGs.", valueName: "dir")) var val: String
    @Option(help: ArgumentHelp("The class of each image (see above).", valueName: "file")) var labels: String
    @Option(help: ArgumentHelp("map_clsloc.txt, when --labels holds class numbers.", valueName: "file")) var classes: String?
    @Option(help: ArgumentHelp("Where the class folders go.", valueName: "dir")) var out: String

    func run() throws {
        try reportingErrors("prepare-imagenet") {
            let summary = try ImageNetValidation.prepare(validation: val, labels: labels, classes: classes, into: out)
            print("linked \(summary.images) images into \(summary.classes) class folders in \(out)")
            if summary.images == 50_000 && summary.classes == 1000 && summary.unevenClasses.isEmpty {
                print("the official validation set: 50 images in each of the 1000 classes")
            } else if summary.unevenClasses.isEmpty {
                print("50 images in each class (not the whole official set: it has 1000 classes)")
            } else {
                let shown = summary.unevenClasses.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                print("\(summary.unevenClasses.count) classes do not have 50 images (\(shown)\(summary.unevenClasses.count > 5 ? ", …" : "")): "
                      + "not the official validation set, or the labels do not match the images")
                if summary.images == 50_000 { throw ExitCode.failure }
            }
        }
    }
}
