import Foundation

/// Downsampled ImageNet (Chrabaszcz, Loshchilov & Hutter 2017, "A Downsampled Variant of ImageNet
/// as an Alternative to the CIFAR datasets"): all 1.28 million ILSVRC-2012 training images and the
/// 50,000 validation images, resized to 8×8, 16×16, 32×32 or 64×64. On a CPU this is the realistic
/// full ImageNet run.
///
/// The official `.npz` files (image-net.org, "Downsampled ImageNet"): `train_data_batch_1.npz` …
/// `train_data_batch_10.npz` and `val_data.npz`, each with `data` (uint8, N × 3·s·s: the red plane,
/// then green, then blue, each row-major) and `labels` (1…1000, numbered as the devkit's
/// `map_clsloc.txt`, lines `n02119789 1 kit_fox`). With that file beside the data, labels are
/// renumbered to the standard synset order (``ImageFolder/synsets``: `n01440764` is 0) and classes get
/// their names, as in Fovea's other ImageNet readers; without it, label k − 1 keeps the files'
/// numbering and classes are named by number. Bytes stay bytes in memory (ImageNet32's training
/// set takes 3.9 GB, ImageNet64's 15.7 GB; see ``ImageDataset``).
public enum DownsampledImageNet {
    /// The sides the official files come in.
    public static let sizes = [8, 16, 32, 64]
    public static let validationFile = "val_data.npz"
    public static let classMapFile = "map_clsloc.txt"

    /// The files of one downsampled dataset.
    public struct Files: Equatable, Sendable {
        /// The folder searched (the data root's `imagenetS/`, or the folder given).
        public var folder: String
        /// `train_data_batch_N.npz`, by N.
        public var training: [String]
        public var validation: String?
        /// `map_clsloc.txt` when one lies in the folder (or the folder above).
        public var classMap: String?
    }

    /// The dataset's name on the command line and under a data root: `imagenet32`.
    public static func name(size: Int) -> String { "imagenet\(size)" }

    /// The side a dataset name stands for (`imagenet32` → 32), or nil for any other name.
    public static func size(ofDataset name: String) -> Int? {
        sizes.first { self.name(size: $0) == name }
    }

    /// Finds the files for `size` under `--data DIR` (or `$FOVEA_DATA`, or the cache folder): in
    /// `DIR`, `DIR/imagenetS`, or a folder directly inside either whose name starts with
    /// `imagenetS` in any case (the official zips unpack into `Imagenet32_train_npz/` and `Imagenet32_val_npz/`).
    ///
    /// - Throws: ``DataError/notFound(dataset:checked:hint:)`` listing every folder checked.
    public static func files(size: Int, data: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Files {
        let roots = DataLocation.roots(explicit: data, environment: environment)
        let candidates = roots.flatMap { [$0 + "/" + name(size: size), $0] }
        for candidate in candidates {
            let folders = [candidate] + subfolders(of: candidate).filter { ($0 as NSString).lastPathComponent.lowercased().hasPrefix(name(size: size)) }
            let training = folders.flatMap { folder in contents(folder).filter(isTrainingFile).map { folder + "/" + $0 } }
                .sorted { batchNumber($0) < batchNumber($1) }
            guard !training.isEmpty else { continue }
            let validation = folders.map { $0 + "/" + validationFile }.first { FileManager.default.fileExists(atPath: $0) }
            let classMap = [candidate, (candidate as NSString).deletingLastPathComponent].map { $0 + "/" + classMapFile }
                .first { FileManager.default.fileExists(atPath: $0) }
            return Files(folder: candidate, training: training, validation: validation, classMap: classMap)
        }
        throw DataError.notFound(dataset: "Downsampled ImageNet \(size)×\(size)", checked: candidates.map { $0 + "/train_data_batch_*.npz" }, hint:
            "Download Imagenet\(size)_train_npz.zip and Imagenet\(size)_val_npz.zip from image-net.org (\"Downsampled ImageNet\", "
            + "an account is needed), unzip them into \(DataLocation.cacheFolder(environment: environment))/\(name(size: size)), "
            + "or pass --data DIR with DIR the folder that holds them. Put the devkit's \(classMapFile) beside them for class names.")
    }

    /// The class number each image's label gets and the class names: the synset order when
    /// `classMap` (`map_clsloc.txt`) is given, else the files' own numbering.
    public static func classOrder(classMap: String?) throws -> (remap: [Int], names: [String]) {
        guard let classMap else { return (Array(0..<1000), (1...1000).map { "class \($0) (no \(classMapFile))" }) }
        let numbered = try ImageNetValidation.numberedWnids(classMap)
        let synsets = ImageFolder.synsets
        let index = Dictionary(uniqueKeysWithValues: synsets.enumerated().map { ($0.element.wnid, $0.offset) })
        let remap = try (1...1000).map { number -> Int in
            guard let wnid = numbered[number], let label = index[wnid] else {
                throw DataError.badArchive(file: classMap, reason: "class \(number) is \(numbered[number].map { "\($0), not an ILSVRC-2012 wnid" } ?? "missing") (the file must number the 1000 classes)")
            }
            return label
        }
        guard Set(remap).count == 1000 else { throw DataError.badArchive(file: classMap, reason: "names some wnid twice") }
        return (remap, synsets.map(\.name))
    }

    /// Reads `files` (each with `data` and `labels`) into one dataset of `size`×`size` images,
    /// `limit` images at most (the first ones, in file order).
    ///
    /// Every file's header is checked before any pixels are read: a missing array, a width other
    /// than 3·size², a label count that differs from the image count, or a label outside 1…1000 is
    /// a ``DataError`` naming the file.
    public static func load(_ files: [String], size: Int, classMap: String?, limit: Int? = nil) throws -> ImageDataset {
        let order = try classOrder(classMap: classMap)
        let width = 3 * size * size
        var parts: [(archive: NumPyArchive, count: Int)] = []   // the images kept from each file
        var labels: [Int] = []
        for file in files where labels.count < (limit ?? .max) {
            let archive = try NumPyArchive(path: file)
            let header = try archive.header("data")
            guard header.shape.count == 2, header.shape[1] == width else {
                let side = header.shape.count == 2 ? Int(Double(header.shape[1] / 3).squareRoot()) : 0
                throw DataError.badArchive(file: file, reason: "data has shape \(header.shape), expected [N, \(width)] for \(size)×\(size) images"
                                           + (side * side * 3 == header.shape.last ?? 0 ? " (these are \(side)×\(side))" : ""))
            }
            let fileLabels = try archive.integers("labels")
            guard fileLabels.count == header.shape[0] else {
                throw DataError.badArchive(file: file, reason: "\(fileLabels.count) labels for \(header.shape[0]) images")
            }
            if let (record, label) = fileLabels.enumerated().first(where: { !(1...1000).contains($0.element) }) {
                throw DataError.badArchive(file: file, reason: "labels[\(record)] is \(label), outside 1…1000")
            }
            let count = min(header.shape[0], (limit ?? .max) - labels.count)   // the first images of the file
            labels += fileLabels.prefix(count).map { order.remap[$0 - 1] }
            parts.append((archive, count))
        }
        let bytes = try [UInt8](unsafeUninitializedCapacity: labels.count * width) { buffer, initialized in
            var offset = 0
            for (archive, count) in parts {
                let part = UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + count * width])
                try archive.readBytes("data", into: UnsafeMutableRawBufferPointer(part))
                offset += count * width
            }
            initialized = offset
        }
        return ImageDataset(bytes: bytes, imageShape: [3, size, size], labels: labels, classNames: order.names)
    }

    private static func contents(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    }

    private static func subfolders(of folder: String) -> [String] {
        contents(folder).sorted().map { folder + "/" + $0 }.filter { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        }
    }

    private static func isTrainingFile(_ name: String) -> Bool {
        name.hasPrefix("train_data_batch_") && name.hasSuffix(".npz")
    }

    private static func batchNumber(_ path: String) -> Int {
        Int((path as NSString).lastPathComponent.dropFirst("train_data_batch_".count).dropLast(".npz".count)) ?? 0
    }
}
