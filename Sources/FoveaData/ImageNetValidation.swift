import Foundation

/// The official ILSVRC-2012 validation images come as one flat folder of 50,000 JPEGs
/// (`ILSVRC2012_val_00000001.JPEG` …) and a separate list of their classes. ``prepare(validation:labels:classes:into:)``
/// turns them into one folder per wnid, with links instead of copies, so that ``ImageFolder`` reads them.
///
/// Three forms of the list are understood:
/// - the devkit's `ILSVRC2012_validation_ground_truth.txt`: one class number (1…1000) per line, in
///   file-name order, with `classes` naming the wnid of each number (the devkit's or downsampled
///   ImageNet's `map_clsloc.txt`, lines `n02119789 1 kit_fox`);
/// - Kaggle's `LOC_val_solution.csv`: `ImageId,PredictionString`, the wnid first in the string;
/// - plain lines `FILE WNID`.
public enum ImageNetValidation {
    /// What ``prepare(validation:labels:classes:into:)`` did.
    public struct Summary: Equatable, Sendable {
        public var images: Int
        public var classes: Int
        /// Classes whose count differs from 50 (the official set has 50 of each), with their counts.
        public var unevenClasses: [String: Int]
    }

    /// Links every image of the flat folder `validation` into `into/WNID/FILE`.
    ///
    /// - Throws: ``DataError`` naming the list or the file when an image has no class, a class
    ///   number has no wnid, a line cannot be read, or a link would replace a different file.
    public static func prepare(validation: String, labels: String, classes: String?, into output: String) throws -> Summary {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: validation) else {
            throw DataError.missing(path: validation, hint: "Give the folder of the 50,000 validation JPEGs (ILSVRC2012_img_val).")
        }
        let files = entries.filter { ImageFolder.extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted(by: ImageFolder.byteOrder)
        guard !files.isEmpty else { throw DataError.notFound(dataset: "Validation images", checked: [validation + "/*.JPEG"], hint: "") }
        let wnids = try classOf(files: files, list: labels, classes: classes)
        var counts: [String: Int] = [:]
        for file in files {
            guard let wnid = wnids[file] else {
                throw DataError.corruptImage(file: validation + "/" + file, reason: "\(labels) gives it no class")
            }
            let folder = output + "/" + wnid, link = folder + "/" + file, target = validation + "/" + file
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let existing = try? manager.destinationOfSymbolicLink(atPath: link) {
                guard existing == target else {
                    throw DataError.corruptImage(file: link, reason: "already links to \(existing), not \(target)")
                }
            } else if manager.fileExists(atPath: link) {
                throw DataError.corruptImage(file: link, reason: "exists and is not a link; prepare into an empty folder")
            } else {
                try manager.createSymbolicLink(atPath: link, withDestinationPath: URL(fileURLWithPath: target).standardizedFileURL.path)
            }
            counts[wnid, default: 0] += 1
        }
        return Summary(images: files.count, classes: counts.count, unevenClasses: counts.filter { $0.value != 50 })
    }

    /// The wnid of each file name, from any of the three list forms.
    static func classOf(files: [String], list: String, classes: String?) throws -> [String: String] {
        guard let text = try? String(contentsOfFile: list, encoding: .utf8) else {
            throw DataError.missing(path: list, hint: "Give the validation labels: the devkit's ground-truth file, LOC_val_solution.csv, or lines 'FILE WNID'.")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.allSatisfy({ Int($0) != nil }) {   // the devkit: class numbers in file-name order
            guard let classes else {
                throw DataError.missing(path: "--classes", hint: "\(list) holds class numbers; give map_clsloc.txt (lines 'n02119789 1 kit_fox') to name them.")
            }
            let map = try numberedWnids(classes)
            guard lines.count == files.count else {
                throw DataError.wrongSize(file: list, expected: "\(files.count) lines, one per image", actual: lines.count)
            }
            var result: [String: String] = [:]
            for (index, line) in lines.enumerated() {
                guard let wnid = map[Int(line)!] else {
                    throw DataError.badLabel(file: list, record: index, label: Int(line)!)
                }
                result[files[index]] = wnid
            }
            return result
        }
        var result: [String: String] = [:]
        let stems = Dictionary(files.map { (($0 as NSString).deletingPathExtension, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, line) in lines.enumerated() {
            if index == 0 && line.hasPrefix("ImageId") { continue }   // the CSV header
            let parts = line.contains(",") ? line.split(separator: ",", maxSplits: 1).map(String.init)
                                           : line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let wnid = parts[1].split(separator: " ").first.map(String.init), wnid.hasPrefix("n") else {
                throw DataError.corruptImage(file: list, reason: "line \(index + 1) is not 'FILE WNID' or 'ImageId,PredictionString': \(line)")
            }
            if let file = stems[parts[0]] ?? (files.contains(parts[0]) ? parts[0] : nil) { result[file] = wnid }
        }
        return result
    }

    /// `map_clsloc.txt`: class number → wnid.
    static func numberedWnids(_ path: String) throws -> [Int: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw DataError.missing(path: path, hint: "map_clsloc.txt comes with the ILSVRC-2012 devkit and with downsampled ImageNet.")
        }
        var map: [Int: String] = [:]
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("n"), let number = Int(parts[1]) else {
                throw DataError.corruptImage(file: path, reason: "line \(index + 1) is not 'WNID NUMBER NAME': \(line)")
            }
            map[number] = String(parts[0])
        }
        return map
    }
}
