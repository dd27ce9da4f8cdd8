// Dropout (Srivastava et al., 2014). During training each element is kept with probability 1 − p
// and scaled by 1/(1 − p), so the expected value is unchanged; in evaluation it is the identity.
//
//   forward  out = x · mask,  mask_i = (kept ? 1/(1 − p) : 0)
//   backward dx  = dOut · mask   (the same mask)

/// Zeroes each element with probability `probability` (scaling the rest) when `training`.
/// The mask is drawn from `rng`, so a seed fixes it.
public func dropout(_ x: Tensor, probability: Double, training: Bool, using rng: inout some RandomNumberGenerator) -> Tensor {
    require(probability >= 0 && probability < 1, "dropout probability must be in [0, 1), got \(probability)")
    guard training, probability > 0 else { return x }
    return dropout(x, mask: dropoutMask(x.shape, probability: probability, dtype: x.dtype, using: &rng))
}

/// Dropout with a given mask (entries 0 or 1/(1 − p)); gradient checks hold the mask fixed this way.
public func dropout(_ x: Tensor, mask: Tensor) -> Tensor {
    require(mask.shape == x.shape, "dropout: mask \(mask.shape) does not match input \(x.shape)")
    return x * mask
}

/// A dropout mask: each entry is 0 with probability `probability`, else `1/(1 − probability)`.
public func dropoutMask(_ shape: [Int], probability: Double, dtype: DType = .float32,
                        using rng: inout some RandomNumberGenerator) -> Tensor {
    let scale = 1 / (1 - probability)
    let mask = Tensor(zeros: shape, dtype: dtype)
    mask.setElements((0..<mask.count).map { _ in rng.nextUnitDouble() < probability ? 0 : scale })
    return mask
}
