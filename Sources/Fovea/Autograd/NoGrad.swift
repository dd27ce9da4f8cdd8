/// Whether ops record their backward. Task-local (not a global), so a `noGrad` scope in one task
/// or thread does not switch off recording in another.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any op for autograd: results of ops inside do not require
/// gradients. Use it for evaluation and for updating parameters.
///
///     let accuracy = noGrad { evaluate(model) }
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false) { try body() }
}
