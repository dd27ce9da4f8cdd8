// Batch normalisation over the channels of [N, C, H, W] (Ioffe & Szegedy, 2015).
//
// training  μ_c, σ²_c = mean and biased variance of channel c over N·H·W values
//           y = γ_c · (x − μ_c) / √(σ²_c + ε) + β_c
//           running_mean ← (1 − m)·running_mean + m·μ_c
//           running_var  ← (1 − m)·running_var  + m·σ²_c · M/(M − 1)   (unbiased, as PyTorch)
//           backward (x̂ = normalised x, s = 1/√(σ² + ε), M = N·H·W):
//             dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ·s/M · (M·dy − dβ − x̂·dγ)
// eval      y = γ_c · (x − running_mean_c) / √(running_var_c + ε) + β_c — a fixed affine map,
//           so dx = dy · γ_c·s_c,  dγ = Σ dy·x̂,  dβ = Σ dy.
// The running statistics are a side effect, never part of the gradient.

/// Batch normalisation of a batch of feature maps.
///
/// - Parameters:
///   - x: `[N, C, H, W]` (or `[N, C]`)
///   - weight, bias: γ and β, `[C]` (or `nil` for no affine transform)
///   - runningMean, runningVar: `[C]` buffers; updated in place when `training`
///   - training: use the batch's statistics (and update the running ones) or the running ones
/// - SeeAlso: https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
public func batchNorm2d(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                        training: Bool, momentum: Double = 0.1, epsilon: Double = 1e-5) -> Tensor {
    require(x.rank == 4 || x.rank == 2, "batchNorm2d expects [N, C, H, W] or [N, C], got \(x.shape)")
    let C = x.shape[1]
    for (name, t) in [("weight", weight), ("bias", bias), ("running mean", runningMean), ("running var", runningVar)] {
        if let t { require(t.shape == [C], "batchNorm2d: \(name) \(t.shape) does not match \(C) channels of \(x.shape)") }
    }
    let backend = x.backend
    let mean: Tensor, variance: Tensor
    if training {
        let m = x.count / C
        require(m > 1, "batchNorm2d in training mode needs more than one value per channel, got input \(x.shape)")
        (mean, variance) = backend.channelMoments(x)
        if let runningMean, let runningVar {
            noGrad {
                runningMean.assign(runningMean * (1 - momentum) + mean * momentum)
                runningVar.assign(runningVar * (1 - momentum) + variance * (momentum * Double(m) / Double(m - 1)))
            }
        }
    } else {
        require(runningMean != nil && runningVar != nil, "batchNorm2d in eval mode needs running statistics")
        (mean, variance) = (runningMean!.detached(), runningVar!.detached())
    }
    let invStd = backend.unary(.reciprocalTimes(1), backend.unary(.sqrt, backend.unary(.addScalar(epsilon), variance)))
    let out = backend.batchNormApply(x, mean: mean, invStd: invStd, gamma: weight, beta: bias)
    let inputs = [x] + [weight, bias].compactMap { $0 }
    return Tensor.record(out, "batchNorm2d", inputs) { dOut in
        var dx: Tensor, dGamma: Tensor, dBeta: Tensor
        if training {
            (dx, dGamma, dBeta) = backend.batchNormBackward(dOut, x: x, mean: mean, invStd: invStd, gamma: weight)
        } else {
            // A fixed per-channel affine map: reuse the apply kernel with zero mean and no shift.
            let scale = weight.map { invStd * $0 } ?? invStd
            dx = backend.batchNormApply(dOut, mean: Tensor(zeros: [C], dtype: x.dtype), invStd: scale, gamma: nil, beta: nil)
            let xhat = backend.batchNormApply(x, mean: mean, invStd: invStd, gamma: nil, beta: nil)
            let axes = x.rank == 4 ? [0, 2, 3] : [0]
            dGamma = backend.reduce(.sum, dOut * xhat, axes: axes).reshapedStorage([C])
            dBeta = backend.reduce(.sum, dOut, axes: axes).reshapedStorage([C])
        }
        var grads: [Tensor?] = [dx]
        if weight != nil { grads.append(dGamma) }
        if bias != nil { grads.append(dBeta) }
        return grads
    }
}
