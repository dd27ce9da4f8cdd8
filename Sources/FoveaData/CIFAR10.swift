import Foundation
import Fovea

// CIFAR-10 in its official binary format (https://www.cs.toronto.edu/~kriz/cifar.html):
// data_batch_1.bin … data_batch_5.bin (training) and test_batch.bin, each 10,000 records of
// 3,073 bytes: one label byte (0–9), then 1,024 red, 1,024 green and 1,024 blue bytes, each plane
// 32×32 in row-major order. The images become Float32 tensors [N, 3, 32, 32] with values in [0, 1].

/// A problem with a data file; each case names the file.
public enum DataError: Error, CustomStringConvertible, Equatable {
    case missing(path: String, hint: String)
    /// A dataset is in none of the folders searched (``DataLocation``).
    case notFound(dataset: String, checked: [String], hint: String)
    /// Not found, and the download into the cache failed too.
    case downloadFailed(notFound: String, reason: String)
    case wrongSize(file: String, expected: String, actual: Int)
    /// The file ends inside a record: `record` starts at byte `offset` but is cut short.
    case truncatedRecord(file: String, record: Int, offset: Int, fileSize: Int)
    case badLabel(file: String, record: Int, label: Int)
    /// An image file that cannot be decoded.
    case corruptImage(file: String, reason: String)
    /// An archive (`.npz`) that cannot be read, or holds something other than expected.
    case badArchive(file: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(path, hint): "\(path) not found. \(hint)"
        case let .notFound(dataset, checked, hint): "\(dataset) not found (checked \(checked.joined(separator: ", "))). \(hint)"
        case let .downloadFailed(notFound, reason): "\(notFound) (The download failed: \(reason).)"
        case let .wrongSize(file, expected, actual): "\(file) has \(actual) bytes; expected \(expected)"
        case let .truncatedRecord(file, record, offset, fileSize):
            "\(file) is truncated: record \(record) starts at byte offset \(offset) but the file ends at byte \(fileSize) (records are \(CIFAR10.recordSize) bytes)"
        case let .corruptImage(file, reason): "\(file) is not a readable image: \(reason)"
        case let .badArchive(file, reason): "\(file): \(reason)"
        case let .badLabel(file, record, label):
            "\(file): record \(record) (byte offset \(record * CIFAR10.recordSize)) has label \(label), outside 0…9"
        }
    }
}

/// The CIFAR-10 dataset: 60,000 32×32 colour images in 10 classes.
public enum CIFAR10 {
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    public static let recordSize = 3073
    public static let trainingFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let testFile = "test_batch.bin"
    /// Per-channel mean and standard deviation of the training images (on the [0, 1] scale).
    public static let mean: [Float] = [0.4914, 0.4822, 0.4465]
    public static let std: [Float] = [0.2470, 0.2435, 0.2616]

    /// The official archive of the binary version, and its published MD5.
    public static let downloadURL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    public static let downloadMD5 = "c32a1d4ab5d03f1284b67883e8d87530"
    /// The folder the archive unpacks into.
    public static let folderName = "cifar-10-batches-bin"

    /// Finds the folder holding the binary batches: `directory` itself or its
    /// `cifar-10-batches-bin` subfolder.
    public static func locate(_ directory: String) -> String? {
        candidates(in: directory).first { FileManager.default.fileExists(atPath: $0 + "/" + testFile) }
    }

    private static func candidates(in root: String) -> [String] { [root, root + "/" + folderName] }

    /// Finds CIFAR-10 for a command or lesson given `--data DIR` (or `nil`), else `$FOVEA_DATA`,
    /// else the cache folder (see ``DataLocation``).
    ///
    /// - Returns: the folder holding the batches, or `nil` when no folder was named and the cache
    ///   does not hold the data (so a lesson can fall back to built-in images).
    /// - Throws: ``DataError/notFound(dataset:checked:hint:)`` naming every path checked, when a
    ///   folder was named (`--data` or `FOVEA_DATA`) but does not hold the data.
    public static func find(data: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        let named = (data.map { !$0.isEmpty } ?? false) || !(environment["FOVEA_DATA"] ?? "").isEmpty
        do { return try folder(data: data, environment: environment) } catch let error as DataError {
            if named { throw error }
            return nil
        }
    }

    /// Like ``find(data:environment:)``, but the data must be there: no folder anywhere is an
    /// error that lists every path checked, the URL and the folder to unpack into.
    public static func folder(data: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let roots = DataLocation.roots(explicit: data, environment: environment)
        for root in roots {
            if let found = locate(root) { return found }
        }
        let checked = roots.flatMap(candidates(in:)).map { $0 + "/" + testFile }
        throw DataError.notFound(dataset: "CIFAR-10", checked: checked, hint:
            "Download \(downloadURL) and unpack it into \(DataLocation.cacheFolder(environment: environment)) "
            + "(it makes \(folderName)/), or pass --data DIR with DIR the folder that holds \(folderName)/.")
    }

    /// Reads up to `limit` records of one batch file: images `[N, 3, 32, 32]` in [0, 1] and labels.
    ///
    /// - Throws: ``DataError`` when the file is missing, is not a whole number of records, or holds
    ///   a label outside 0…9.
    public static func load(file path: String, limit: Int? = nil) throws -> (images: Tensor, labels: [Int]) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.missing(path: path, hint: "Download the CIFAR-10 binary version and pass its folder with --data.")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else {
            throw DataError.wrongSize(file: path, expected: "a multiple of \(recordSize) (10,000 records are 30,730,000)", actual: size)
        }
        guard size % recordSize == 0 else {
            throw DataError.truncatedRecord(file: path, record: size / recordSize, offset: size / recordSize * recordSize, fileSize: size)
        }
        let count = min(size / recordSize, limit ?? Int.max)
        let data = try handle.read(upToCount: count * recordSize) ?? Data()
        guard data.count == count * recordSize else {
            throw DataError.wrongSize(file: path, expected: "\(count * recordSize) readable bytes", actual: data.count)
        }
        let images = Tensor(zeros: [count, 3, 32, 32])
        var labels = [Int](repeating: 0, count: count)
        let out = images.pointer(Float.self)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            for i in 0..<count {
                let record = i * recordSize
                let label = Int(bytes[record])
                guard label < 10 else { throw DataError.badLabel(file: path, record: i, label: label) }
                labels[i] = label
                for j in 0..<3072 { out[i * 3072 + j] = Float(bytes[record + 1 + j]) / 255 }
            }
        }
        return (images, labels)
    }

    /// Records in each official batch file.
    public static let recordsPerFile = 10_000

    /// The 50,000 training images (all five batches) from `folder`, as found by ``folder(data:environment:)``.
    ///
    /// - Throws: ``DataError`` naming the first file that is missing, not exactly 10,000 records,
    ///   truncated or holding a bad label; nothing is returned half-loaded.
    public static func trainingSet(in folder: String) throws -> ImageDataset {
        try dataset(files: trainingFiles.map { folder + "/" + $0 })
    }

    /// The 10,000 test images from `folder`.
    public static func testSet(in folder: String) throws -> ImageDataset {
        try dataset(files: [folder + "/" + testFile])
    }

    private static func dataset(files: [String]) throws -> ImageDataset {
        for file in files {  // check every file before reading any
            guard FileManager.default.fileExists(atPath: file) else {
                throw DataError.missing(path: file, hint: "The CIFAR-10 folder is incomplete: unpack \(downloadURL) again.")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size == recordsPerFile * recordSize else {
                if size > 0 && size % recordSize != 0 {
                    throw DataError.truncatedRecord(file: file, record: size / recordSize, offset: size / recordSize * recordSize, fileSize: size)
                }
                throw DataError.wrongSize(file: file, expected: "30,730,000 (10,000 records of \(recordSize))", actual: size)
            }
        }
        let images = Tensor(zeros: [files.count * recordsPerFile, 3, 32, 32])
        var labels: [Int] = []
        labels.reserveCapacity(files.count * recordsPerFile)
        let out = images.pointer(Float.self)
        for (f, file) in files.enumerated() {
            let part = try load(file: file)
            (out + f * recordsPerFile * 3072).update(from: part.images.pointer(Float.self), count: recordsPerFile * 3072)
            labels += part.labels
        }
        return ImageDataset(images: images, labels: labels, classNames: classNames)
    }

    /// Downloads the official archive into `cache` (checking its MD5), unpacks it there with the
    /// system `tar`, deletes the archive, and returns the `cifar-10-batches-bin` folder.
    ///
    /// - Parameters:
    ///   - url, md5: the archive and its digest (the official ones by default; tests serve their own).
    ///   - progress: called as bytes arrive.
    /// - Throws: ``DownloadError`` (unreachable, damaged, not unpackable) or ``DataError`` when the
    ///   archive did not contain the batches; a failed attempt leaves no half-unpacked folder.
    public static func download(into cache: String, url: String = downloadURL, md5: String? = downloadMD5,
                                progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in }) throws -> String {
        guard let source = URL(string: url) else { throw DownloadError.failed(url: url, reason: "not a URL") }
        do { try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true) } catch {
            throw DownloadError.cannotWrite(path: cache)
        }
        let archive = cache + "/cifar-10-binary.tar.gz"
        try Download.fetch(source, to: archive, md5: md5, progress: progress)
        defer { try? FileManager.default.removeItem(atPath: archive) }
        // Unpack into a scratch folder first, then move the batches into place in one rename.
        let scratch = cache + "/.cifar-10-unpacking-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xzf", archive, "-C", scratch]
        let errors = Pipe()
        tar.standardError = errors
        do { try tar.run() } catch { throw DownloadError.unpack(archive: archive, reason: "cannot run tar: \(error)") }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            throw DownloadError.unpack(archive: archive, reason: message.split(separator: "\n").first.map(String.init) ?? "tar failed")
        }
        guard let unpacked = locate(scratch) else {
            throw DataError.missing(path: scratch + "/" + folderName + "/" + testFile, hint: "The archive from \(url) holds no CIFAR-10 batches.")
        }
        let target = cache + "/" + folderName
        try? FileManager.default.removeItem(atPath: target)
        guard rename(unpacked, target) == 0 else { throw DownloadError.cannotWrite(path: target) }
        return target
    }

    /// ``folder(data:environment:)``, downloading into the cache folder when no folder was named
    /// and the cache does not hold the data. Offline, the error lists every path checked, the URL
    /// and the folder to unpack into, and why the download failed.
    public static func folderOrDownload(data: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                        url: String = downloadURL, md5: String? = downloadMD5,
                                        say: @escaping @Sendable (String) -> Void) throws -> String {
        do {
            return try folder(data: data, environment: environment)
        } catch let notFound as DataError {
            let named = (data.map { !$0.isEmpty } ?? false) || !(environment["FOVEA_DATA"] ?? "").isEmpty
            guard !named else { throw notFound }
            let cache = DataLocation.cacheFolder(environment: environment)
            say("CIFAR-10 is not in \(cache): downloading \(url) (about 170 MB)")
            do {
                let folder = try download(into: cache, url: url, md5: md5) { bytes, total in
                    say("\r  " + Download.describe(bytes, of: total))
                }
                say("\nUnpacked into \(folder)")
                return folder
            } catch {
                say("\n")
                throw DataError.downloadFailed(notFound: notFound.description, reason: "\(error)")
            }
        }
    }
}
