import Foundation

/// Images in one folder per class (torchvision's `ImageFolder` layout): `ROOT/CLASS/IMAGE.jpg`.
///
/// Class folders are sorted by the bytes of their names and image files likewise, as Python's
/// `sorted` does, so the indices match torchvision's. When every folder is an ImageNet wnid
/// (`n01440764`), labels follow the standard 1000-line synset list instead, which ships with Fovea:
/// label 0 is always `n01440764` (tench), whichever classes a folder holds, and names come from
/// the list (keyed by wnid: names are not unique, "crane" is two classes).
public struct ImageFolder: Sendable {
    /// The folder names, in label order for non-wnid folders.
    public let classFolders: [String]
    /// One name per label: the folder names, or the 1000 ImageNet names for wnid folders.
    public let classNames: [String]
    /// Every image, with its label, in folder then file order.
    public let images: [(path: String, label: Int)]

    /// Image files are recognised by extension, case-insensitively.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Reads the layout of `root` (nothing is decoded).
    ///
    /// - Throws: ``DataError`` when `root` is missing or holds no class folder with images.
    public init(root: String) throws {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: root) else {
            throw DataError.missing(path: root, hint: "Give the folder that holds one subfolder per class.")
        }
        func isFolder(_ path: String) -> Bool {
            var folder: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
        }
        let folders = entries.filter { !$0.hasPrefix(".") && isFolder(root + "/" + $0) }.sorted(by: ImageFolder.byteOrder)
        let synsets = ImageFolder.synsets
        let index = Dictionary(uniqueKeysWithValues: synsets.enumerated().map { ($0.element.wnid, $0.offset) })
        let wnids = !folders.isEmpty && folders.allSatisfy { index[$0] != nil }
        var images: [(String, Int)] = []
        for (position, folder) in folders.enumerated() {
            let files = ((try? manager.contentsOfDirectory(atPath: root + "/" + folder)) ?? [])
                .filter { ImageFolder.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted(by: ImageFolder.byteOrder)
            let label = wnids ? index[folder]! : position
            images += files.map { (root + "/" + folder + "/" + $0, label) }
        }
        guard !images.isEmpty else {
            throw DataError.notFound(dataset: "An image folder", checked: [root + "/CLASS/*.jpg"],
                                     hint: "Put each class's images (.jpg, .jpeg, .png) in a folder of their own.")
        }
        classFolders = folders
        classNames = wnids ? synsets.map(\.name) : folders
        self.images = images
    }

    /// The ImageNet (ILSVRC-2012) classes in their standard order: wnid and human-readable name.
    public static let synsets: [(wnid: String, name: String)] = {
        guard let url = Bundle.module.url(forResource: "imagenet-synsets", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : String(parts[0]))
        }
    }()

    /// Python's `sorted` order for names: by their UTF-8 bytes.
    static func byteOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
}
