import Foundation

/// Median seconds per call, measured like ../shared/bench/benchutil.py's `time_fn`: after
/// `warmup` calls, each timed block runs `inner` calls so that it lasts at least `minBlock`
/// seconds; `repeats` blocks are timed.
struct Timing {
    var median: Double, min: Double, max: Double, repeats: Int, inner: Int, warmup: Int

    static func measure(warmup: Int, repeats: Int, minBlock: Double = 0.05, maxInner: Int = 1000, _ body: () -> Void) -> Timing {
        for _ in 0..<warmup { body() }
        let one = seconds(body)
        let inner = one < minBlock ? Swift.min(maxInner, Swift.max(1, Int(minBlock / Swift.max(one, 1e-9)) + 1)) : 1
        var samples: [Double] = []
        for _ in 0..<repeats {
            samples.append(seconds { for _ in 0..<inner { body() } } / Double(inner))
        }
        samples.sort()
        let median = samples.count % 2 == 1 ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        return Timing(median: median, min: samples.first!, max: samples.last!, repeats: repeats, inner: inner, warmup: warmup)
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    var fields: [String: Any] {
        ["median_s": median, "min_s": min, "max_s": max, "repeats": repeats, "inner": inner, "warmup": warmup]
    }
}

/// Prints one JSON object on its own line (keys sorted, so lines diff cleanly).
func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    fflush(nil)  // flush every stream, so a pipe sees each line at once
}
