import CTurboJPEG
import Foundation
import Fovea

/// JPEG decoding with libjpeg-turbo. Large photos are decoded at a reduced size when the target is
/// smaller (the DCT scaling factors 1/2, 1/4, 1/8, …): a 1836×1377 photo needed at 256 pixels is
/// decoded at 459×345, four times fewer pixels to decode and resize.
public enum JPEG {
    /// Width and height of a JPEG's full image.
    public static func size(of path: String) throws -> (width: Int, height: Int) {
        let data = try read(path)
        return try withDecompressor(path) { handle in try header(handle, data, path).size }
    }

    /// Decodes a JPEG file to a Float32 tensor `[3, H, W]` with values in [0, 1]. Greyscale photos
    /// become three equal channels, CMYK ones RGB.
    ///
    /// - Parameter shortSide: if given, the image is decoded at the smallest DCT scale whose shorter
    ///   side is still at least this many pixels (never smaller than asked).
    /// - Throws: ``DataError/corruptImage(file:reason:)`` naming the file when it is missing, not a
    ///   JPEG, truncated or otherwise unreadable.
    public static func decode(_ path: String, shortSide: Int? = nil) throws -> Tensor {
        let data = try read(path)
        return try withDecompressor(path) { handle in
            let info = try header(handle, data, path)
            let (width, height) = scaled(info.size, toShortSide: shortSide)
            let cmyk = info.colorspace == Int32(TJCS_CMYK.rawValue) || info.colorspace == Int32(TJCS_YCCK.rawValue)
            let channels = cmyk ? 4 : 3
            var pixels = [UInt8](repeating: 0, count: width * height * channels)
            let status = data.withUnsafeBytes { raw in
                tjDecompress2(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &pixels, Int32(width), 0,
                              Int32(height), cmyk ? Int32(TJPF_CMYK.rawValue) : Int32(TJPF_RGB.rawValue), 0)
            }
            if status != 0 {
                // libjpeg-turbo reports a file cut short only as a warning (the missing rows come out
                // grey); that is a damaged file, not an image. Other warnings (extra bytes between
                // markers) leave the image whole, as other decoders accept it.
                let message = String(cString: tjGetErrorStr2(handle))
                if tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) || message.contains("Premature end") {
                    throw DataError.corruptImage(file: path, reason: message)
                }
            }
            let plane = width * height
            let image = Tensor(zeros: [3, height, width])
            let values = image.pointer(Float.self)
            pixels.withUnsafeBufferPointer { p in
                if cmyk {  // Adobe's inverted CMYK, as libjpeg writes it: R = C·K / 255 …
                    for i in 0..<plane {
                        let k = Float(p[4 * i + 3]) / 255
                        for c in 0..<3 { values[c * plane + i] = Float(p[4 * i + c]) / 255 * k }
                    }
                } else {
                    for c in 0..<3 { for i in 0..<plane { values[c * plane + i] = Float(p[3 * i + c]) / 255 } }
                }
            }
            return image
        }
    }

    /// The decoded size for a JPEG of `size` at the smallest scale keeping the short side ≥ `shortSide`.
    static func scaled(_ size: (width: Int, height: Int), toShortSide shortSide: Int?) -> (Int, Int) {
        guard let shortSide else { return size }
        var count: Int32 = 0
        guard let factors = tjGetScalingFactors(&count) else { return size }
        var best = size
        for i in 0..<Int(count) {
            let f = factors[i]
            guard f.num <= f.denom else { continue }  // only scale down
            let w = (size.width * Int(f.num) + Int(f.denom) - 1) / Int(f.denom)
            let h = (size.height * Int(f.num) + Int(f.denom) - 1) / Int(f.denom)
            if min(w, h) >= shortSide && w * h < best.width * best.height { best = (w, h) }
        }
        return best
    }

    private static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.missing(path: path, hint: "")
        }
        return data
    }

    private static func header(_ handle: tjhandle, _ data: Data, _ path: String) throws -> (size: (width: Int, height: Int), colorspace: Int32) {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let status = data.withUnsafeBytes { raw in
            tjDecompressHeader3(handle, raw.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), &width, &height, &subsampling, &colorspace)
        }
        guard status == 0, width > 0, height > 0 else {
            throw DataError.corruptImage(file: path, reason: String(cString: tjGetErrorStr2(handle)))
        }
        return ((Int(width), Int(height)), colorspace)
    }

    private static func withDecompressor<T>(_ path: String, _ body: (tjhandle) throws -> T) throws -> T {
        guard let handle = tjInitDecompress() else { throw DataError.corruptImage(file: path, reason: "cannot start libjpeg-turbo") }
        defer { tjDestroy(handle) }
        return try body(handle)
    }
}
