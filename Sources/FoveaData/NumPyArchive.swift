import CZip
import Foundation

// NumPy's `.npz` files (what `numpy.savez` writes): a zip archive holding one `.npy` file per array.
// An `.npy` file is the magic bytes "\x93NUMPY", a format version (1.0: a 2-byte header length;
// 2.0 and 3.0: 4 bytes, little-endian), then an ASCII Python dict such as
//     {'descr': '|u1', 'fortran_order': False, 'shape': (128116, 3072), }
// padded with spaces to a multiple of 64 bytes, then the elements in C order.
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html)

/// What an `.npy` header says about its array.
public struct NumPyHeader: Equatable, Sendable {
    /// The dtype code: `|u1` (bytes), `<i8` (little-endian int64), `<f4` (float32), …
    public var descr: String
    public var fortranOrder: Bool
    public var shape: [Int]

    public init(descr: String, fortranOrder: Bool, shape: [Int]) { (self.descr, self.fortranOrder, self.shape) = (descr, fortranOrder, shape) }

    /// Elements in the array.
    public var count: Int { shape.reduce(1, *) }
    /// Bytes per element, from the dtype code (`<i8` → 8).
    public var elementSize: Int { Int(descr.dropFirst(2)) ?? 0 }
}

/// A `.npz` archive opened with libzip; its arrays are read by name (`data` for `data.npy`).
/// Every error is a ``DataError/badArchive(file:reason:)`` that names the file.
///
///     let archive = try NumPyArchive(path: "train_data_batch_1.npz")
///     let labels = try archive.integers("labels")
public final class NumPyArchive {
    public let path: String
    private let handle: OpaquePointer

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw DataError.missing(path: path, hint: "") }
        var code: Int32 = 0
        guard let handle = zip_open(path, ZIP_RDONLY, &code) else {
            var error = zip_error_t()
            zip_error_init_with_code(&error, code)
            defer { zip_error_fini(&error) }
            throw DataError.badArchive(file: path, reason: "not a readable .npz (zip) archive: " + String(cString: zip_error_strerror(&error)))
        }
        self.handle = handle
    }

    deinit { zip_discard(handle) }

    /// The arrays in the archive, by name (without `.npy`), in archive order.
    public var arrayNames: [String] {
        (0..<max(0, zip_get_num_entries(handle, 0))).compactMap { index in
            guard let name = zip_get_name(handle, UInt64(index), 0) else { return nil }
            let file = String(cString: name)
            return file.hasSuffix(".npy") ? String(file.dropLast(4)) : nil
        }
    }

    /// The header of array `name`.
    public func header(_ name: String) throws -> NumPyHeader {
        let entry = try open(name)
        defer { zip_fclose(entry) }
        return try readHeader(entry, name: name)
    }

    /// The first `destination.count` elements of array `name`, which must hold bytes (`|u1`) and
    /// have at least that many, written into `destination` without an intermediate copy.
    public func readBytes(_ name: String, into destination: UnsafeMutableRawBufferPointer) throws {
        let entry = try open(name)
        defer { zip_fclose(entry) }
        let header = try readHeader(entry, name: name)
        guard header.descr == "|u1" || header.descr == "<u1" else { throw bad("\(name) holds \(header.descr), not bytes (|u1)") }
        guard header.count >= destination.count else { throw bad("\(name) holds \(header.count) bytes, expected at least \(destination.count)") }
        try read(entry, into: destination, what: name)
    }

    /// Array `name` as integers: any integer dtype up to 8 bytes (little-endian or single byte).
    public func integers(_ name: String) throws -> [Int] {
        let entry = try open(name)
        defer { zip_fclose(entry) }
        let header = try readHeader(entry, name: name)
        let size = header.elementSize
        guard let kind = header.descr.dropFirst().first, kind == "i" || kind == "u", [1, 2, 4, 8].contains(size),
              header.descr.first == "<" || header.descr.first == "|" else {
            throw bad("\(name) holds \(header.descr), not little-endian integers")
        }
        var raw = [UInt8](repeating: 0, count: header.count * size)
        try raw.withUnsafeMutableBytes { try read(entry, into: $0, what: name) }
        return (0..<header.count).map { i in
            var value: UInt64 = 0
            for byte in 0..<size { value |= UInt64(raw[i * size + byte]) << (8 * UInt64(byte)) }
            guard kind == "i", size < 8, value >> (8 * UInt64(size) - 1) == 1 else { return Int(Int64(bitPattern: value)) }
            return Int(Int64(bitPattern: value | (~0 << (8 * UInt64(size)))))   // sign-extend
        }
    }

    private func bad(_ reason: String) -> DataError { .badArchive(file: path, reason: reason) }

    private func open(_ name: String) throws -> OpaquePointer {
        let index = zip_name_locate(handle, name + ".npy", 0)
        guard index >= 0, let entry = zip_fopen_index(handle, UInt64(index), 0) else {
            throw bad("no array '\(name)' (it holds \(arrayNames.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        return entry
    }

    private func read(_ entry: OpaquePointer, into buffer: UnsafeMutableRawBufferPointer, what: String) throws {
        var done = 0
        while done < buffer.count {
            let n = zip_fread(entry, buffer.baseAddress! + done, UInt64(min(buffer.count - done, 1 << 26)))
            if n < 0 { throw bad("\(what): " + String(cString: zip_file_strerror(entry))) }
            if n == 0 { throw bad("\(what) is cut short: \(done) of \(buffer.count) bytes") }
            done += Int(n)
        }
    }

    private func readHeader(_ entry: OpaquePointer, name: String) throws -> NumPyHeader {
        var start = [UInt8](repeating: 0, count: 10)
        try start.withUnsafeMutableBytes { try read(entry, into: $0, what: name) }
        guard start.prefix(6).elementsEqual([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) else { throw bad("\(name).npy is not a NumPy array (no \\x93NUMPY magic)") }
        let major = start[6]
        var length = Int(start[8]) | Int(start[9]) << 8
        if major >= 2 {
            var more = [UInt8](repeating: 0, count: 2)
            try more.withUnsafeMutableBytes { try read(entry, into: $0, what: name) }
            length |= Int(more[0]) << 16 | Int(more[1]) << 24
        }
        var text = [UInt8](repeating: 0, count: length)
        try text.withUnsafeMutableBytes { try read(entry, into: $0, what: name) }
        guard let header = Self.parseHeader(String(decoding: text, as: UTF8.self)) else {
            throw bad("\(name).npy has a header NumPy's format does not allow: \(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        if header.fortranOrder { throw bad("\(name) is stored in Fortran order; save it in C order") }
        return header
    }

    /// Parses `{'descr': '|u1', 'fortran_order': False, 'shape': (3, 4), }`.
    package static func parseHeader(_ text: String) -> NumPyHeader? {
        func value(of key: String) -> Substring? {
            guard let range = text.range(of: "'\(key)':") else { return nil }
            return text[range.upperBound...].drop { $0 == " " }
        }
        guard let descrValue = value(of: "descr"), descrValue.first == "'",
              let descr = descrValue.dropFirst().split(separator: "'", maxSplits: 1).first,
              let orderValue = value(of: "fortran_order"),
              let shapeValue = value(of: "shape"), shapeValue.first == "(",
              let shapeEnd = shapeValue.firstIndex(of: ")") else { return nil }
        let dimensions = shapeValue[shapeValue.index(after: shapeValue.startIndex)..<shapeEnd]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dimensions.compactMap { Int($0) }
        guard shape.count == dimensions.count, shape.allSatisfy({ $0 >= 0 }) else { return nil }
        return NumPyHeader(descr: String(descr), fortranOrder: orderValue.hasPrefix("True"), shape: shape)
    }
}
