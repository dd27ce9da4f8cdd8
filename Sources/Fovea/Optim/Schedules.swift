import RealModule

// Learning-rate schedules: the rate as a function of the step (or epoch) number, starting at 0.
//
//   constant   η₀
//   step       η₀ · γ^⌊t / stepSize⌋
//   multi-step η₀ · γ^(number of milestones ≤ t)                                (PyTorch's MultiStepLR)
//   cosine     η_min + (η₀ − η_min)·(1 + cos(π·t/T))/2                         (Loshchilov & Hutter, 2017)
//   warm-up    η₀·(t + 1)/W for t < W, then the wrapped schedule shifted by W  (Goyal et al., 2017)
//   one-cycle  up from η_max/25 to η_max over the first 30 % of T, then down to η_max/(25·10⁴),
//              both halves along a cosine                                       (Smith, 2018; PyTorch's OneCycleLR)
//   trapezoid  straight lines through (0, η₀·start), (W, η₀), (T, η₀·end), W = ⌊rise·T⌋  (airbench: 0.2, 23 %, 0.07)

/// A learning rate for each step.
public protocol LearningRateSchedule: Sendable {
    func learningRate(at step: Int) -> Double
}

extension Optimizer {
    /// Sets the learning rate for `step` from `schedule`.
    public func apply(_ schedule: some LearningRateSchedule, step: Int) {
        learningRate = schedule.learningRate(at: step)
    }
}

/// Multiplies the rate by `gamma` every `stepSize` steps.
public struct StepSchedule: LearningRateSchedule {
    public let initial: Double, stepSize: Int, gamma: Double
    public init(initial: Double, stepSize: Int, gamma: Double = 0.1) {
        require(stepSize > 0, "StepSchedule: stepSize must be positive")
        (self.initial, self.stepSize, self.gamma) = (initial, stepSize, gamma)
    }
    public func learningRate(at step: Int) -> Double { initial * Double.pow(gamma, step / stepSize) }
}

/// Cosine annealing from `initial` to `minimum` over `totalSteps` (constant afterwards).
public struct CosineSchedule: LearningRateSchedule {
    public let initial: Double, totalSteps: Int, minimum: Double
    public init(initial: Double, totalSteps: Int, minimum: Double = 0) {
        require(totalSteps > 0, "CosineSchedule: totalSteps must be positive")
        (self.initial, self.totalSteps, self.minimum) = (initial, totalSteps, minimum)
    }
    public func learningRate(at step: Int) -> Double {
        let t = Double(Swift.min(step, totalSteps)) / Double(totalSteps)
        return minimum + (initial - minimum) * (1 + Double.cos(Double.pi * t)) / 2
    }
}

/// Linear warm-up over `warmupSteps`, then `schedule` (which starts counting after the warm-up).
public struct WarmupSchedule<Base: LearningRateSchedule>: LearningRateSchedule {
    public let warmupSteps: Int, schedule: Base
    public init(warmupSteps: Int, then schedule: Base) { (self.warmupSteps, self.schedule) = (warmupSteps, schedule) }
    public func learningRate(at step: Int) -> Double {
        if step < warmupSteps { return schedule.learningRate(at: 0) * Double(step + 1) / Double(warmupSteps) }
        return schedule.learningRate(at: step - warmupSteps)
    }
}

/// The one-cycle policy: a cosine ramp up to `maximum`, then a cosine anneal to nearly zero.
public struct OneCycleSchedule: LearningRateSchedule {
    public let maximum: Double, totalSteps: Int, warmupFraction: Double, divFactor: Double, finalDivFactor: Double
    public init(maximum: Double, totalSteps: Int, warmupFraction: Double = 0.3, divFactor: Double = 25, finalDivFactor: Double = 1e4) {
        require(totalSteps > 1, "OneCycleSchedule: totalSteps must be at least 2")
        (self.maximum, self.totalSteps, self.warmupFraction, self.divFactor, self.finalDivFactor) =
            (maximum, totalSteps, warmupFraction, divFactor, finalDivFactor)
    }
    public func learningRate(at step: Int) -> Double {
        let initial = maximum / divFactor, final = initial / finalDivFactor
        let peak = Double(warmupFraction * Double(totalSteps)) - 1
        let t = Double(Swift.min(step, totalSteps - 1))
        func anneal(_ from: Double, _ to: Double, _ fraction: Double) -> Double {
            to + (from - to) * (1 + Double.cos(Double.pi * fraction)) / 2
        }
        if t <= peak { return anneal(initial, maximum, t / peak) }
        return anneal(maximum, final, (t - peak) / (Double(totalSteps - 1) - peak))
    }
}

/// A constant learning rate.
public struct ConstantSchedule: LearningRateSchedule {
    public let rate: Double
    public init(rate: Double) { self.rate = rate }
    public func learningRate(at step: Int) -> Double { rate }
}

/// Multiplies the rate by `gamma` at each milestone step (PyTorch's `MultiStepLR`).
public struct MultiStepSchedule: LearningRateSchedule {
    public let initial: Double, milestones: [Int], gamma: Double
    public init(initial: Double, milestones: [Int], gamma: Double = 0.1) {
        (self.initial, self.milestones, self.gamma) = (initial, milestones, gamma)
    }
    public func learningRate(at step: Int) -> Double {
        initial * Double.pow(gamma, milestones.filter { step >= $0 }.count)
    }
}

/// A schedule of any type, as a concrete one.
public struct AnySchedule: LearningRateSchedule {
    let base: any LearningRateSchedule
    public init(_ base: any LearningRateSchedule) { self.base = base }
    public func learningRate(at step: Int) -> Double { base.learningRate(at: step) }
}

/// A rise along a straight line from `peak · start` to `peak` over the first `rise` share of the
/// steps, then a straight line down to `peak · end` at step `totalSteps` (airbench's schedule:
/// start 0.2, rise 0.23, end 0.07).
public struct LinearWarmupDecaySchedule: LearningRateSchedule {
    public let peak: Double, totalSteps: Int, start: Double, rise: Double, end: Double
    public init(peak: Double, totalSteps: Int, start: Double = 0.2, rise: Double = 0.23, end: Double = 0.07) {
        require(totalSteps > 0 && rise > 0 && rise < 1, "LinearWarmupDecaySchedule: need totalSteps > 0 and 0 < rise < 1")
        (self.peak, self.totalSteps, self.start, self.rise, self.end) = (peak, totalSteps, start, rise, end)
    }
    public func learningRate(at step: Int) -> Double {
        let warmup = max(1, Int(Double(totalSteps) * rise))
        if step < warmup {
            let t = Double(step) / Double(warmup)
            return peak * (start * (1 - t) + t)
        }
        let t = Double(step - warmup) / Double(max(1, totalSteps - warmup))
        return peak * ((1 - t) + end * t)
    }
}
