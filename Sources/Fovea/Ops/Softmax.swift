// Softmax, log-softmax and the cross-entropy loss. logits: [N, classes] (softmax works along any axis).
//
//   logSoftmax  forward  y_j = z_j − m − log Σ_i exp(z_i − m),  m = max_i z_i   (log-sum-exp: no overflow)
//               backward dz = dy − softmax(z) · Σ_j dy_j
//   softmax     exp(logSoftmax(z)); its backward follows by the chain rule
//   softmaxCrossEntropy (labels y, smoothing ε, C classes, target q = (1 − ε)·onehot(y) + ε/C)
//               forward  L_n = −Σ_j q_nj · log softmax(z_n)_j, then mean or sum over n
//               backward dz_n = (softmax(z_n) − q_n) · dL / (N for the mean)

/// `log softmax` along `axis`, computed stably with the log-sum-exp trick.
public func logSoftmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    let a = x.normalizedAxis(axis)
    if a != x.rank - 1 {  // move the axis last, work on rows, move it back
        var dims = Array(0..<x.rank)
        dims.swapAt(a, x.rank - 1)
        return logSoftmax(x.permuted(dims), axis: -1).permuted(dims)
    }
    let classes = x.shape[a]
    let rows = x.reshaped([-1, classes])
    let backend = x.backend
    let y = backend.logSoftmax(rows)
    let saved = Tensor(shape: y.shape, storage: y.storage)  // not y itself: y will own this record (no cycle)
    let out = Tensor.record(y, "logSoftmax", [rows]) { dOut in
        let p = backend.unary(.exp, saved)
        let total = backend.reduce(.sum, dOut, axes: [1])
        return [dOut - p * total]
    }
    return out.reshaped(x.shape)
}

/// `softmax(z)_j = exp(z_j) / Σ_i exp(z_i)` along `axis`.
public func softmax(_ x: Tensor, axis: Int = -1) -> Tensor {
    logSoftmax(x, axis: axis).exp()
}

/// How a loss over a batch is reduced to one number.
public enum LossReduction: String, Sendable, CaseIterable {
    case mean, sum, none
}

/// Cross-entropy between `softmax(logits)` and integer labels, stable for any logits.
///
///     let loss = softmaxCrossEntropy(model(images), labels: labels)     // logits [N, 10], labels [N]
///
/// - Parameters:
///   - logits: `[N, classes]`, unnormalised scores
///   - labels: `[N]` class indices (an Int64 tensor)
///   - reduction: mean (default) or sum over the batch, or `.none` for `[N]` losses
///   - labelSmoothing: ε in `[0, 1)`; the target is `(1 − ε)·onehot + ε/classes`
/// - Precondition: every label is in `0..<classes`.
/// - SeeAlso: https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
public func softmaxCrossEntropy(_ logits: Tensor, labels: Tensor, reduction: LossReduction = .mean,
                                labelSmoothing: Double = 0) -> Tensor {
    require(logits.rank == 2, "softmaxCrossEntropy expects logits [N, classes], got \(logits.shape)")
    require(labels.shape == [logits.shape[0]], "softmaxCrossEntropy: labels \(labels.shape) do not match logits \(logits.shape)")
    require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got \(labelSmoothing)")
    let (n, classes) = (logits.shape[0], logits.shape[1])
    let targets = labels.int64s.map(Int.init)
    for (i, y) in targets.enumerated() {
        require(y >= 0 && y < classes, "softmaxCrossEntropy: label \(y) of sample \(i) is outside 0..<\(classes)")
    }
    // q: the smoothed one-hot target.
    var q = [Double](repeating: labelSmoothing / Double(classes), count: n * classes)
    for (i, y) in targets.enumerated() { q[i * classes + y] += 1 - labelSmoothing }
    let target = Tensor(zeros: [n, classes], dtype: logits.dtype)
    target.setElements(q)

    let backend = logits.backend
    let logp = backend.logSoftmax(logits)
    let perSample = backend.reduce(.sum, backend.binary(.mul, target, logp), axes: [1]).reshapedStorage([n])
    let out: Tensor
    switch reduction {
    case .none: out = backend.unary(.neg, perSample)
    case .sum: out = backend.unary(.neg, backend.reduce(.sum, perSample, axes: [0])).reshapedStorage([])
    case .mean: out = backend.unary(.mulScalar(-1 / Double(n)), backend.reduce(.sum, perSample, axes: [0])).reshapedStorage([])
    }
    return Tensor.record(out, "softmaxCrossEntropy", [logits]) { dOut in
        let softmaxMinusTarget = backend.binary(.sub, backend.unary(.exp, logp), target)
        switch reduction {
        case .none: return [softmaxMinusTarget * dOut.reshapedStorage([n, 1])]
        case .sum: return [softmaxMinusTarget * dOut]
        case .mean: return [softmaxMinusTarget * (dOut / Double(n))]
        }
    }
}

/// Mean squared error `mean((x − y)²)` (or its sum, or per element), composed from primitives.
public func mseLoss(_ x: Tensor, _ y: Tensor, reduction: LossReduction = .mean) -> Tensor {
    require(x.shape == y.shape, "mseLoss: shapes \(x.shape) and \(y.shape) differ")
    let squared = (x - y).pow(2)
    switch reduction {
    case .mean: return squared.mean()
    case .sum: return squared.sum()
    case .none: return squared
    }
}
