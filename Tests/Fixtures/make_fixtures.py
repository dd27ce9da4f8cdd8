#!/usr/bin/env python3
"""PyTorch reference fixtures for Fovea's operator and network tests.

Run from the repository root:

    ~/torch-ref/bin/python Tests/Fixtures/make_fixtures.py

Writes one safetensors file per op family into Tests/Fixtures/ (next to this
script). Every number the Swift tests compare against comes from here.

Format (what the Swift side parses):
  * All float tensors are float64 ("F64"); integer labels / argmax results are
    int64 ("I64"). Tensors are contiguous.
  * `__metadata__` holds "version": "1" and "cases": a JSON list of
    {"name": ..., "op": ..., "params": {...}}.
  * Tensor names are "<case>.<role>". Roles: inputs x, y, weight, bias, labels,
    running_mean, running_var, upstream; forward output out; gradients grad.x,
    grad.y, grad.weight, grad.bias; batch norm in training mode also
    running_mean_after, running_var_after. The network case uses its own
    parameter names (small_cnn.conv1.weight, small_cnn.grad.conv1.weight, ...).
  * Gradients are taken against a random upstream gradient:
    upstream = randn_like(out); (out * upstream).sum().backward().
    Scalar losses store upstream as a 0-dim tensor and use it the same way.
    The network case uses a plain loss.backward() (upstream 1, not stored).
  * Max-pool ties: PyTorch (CPU) sends the gradient to the FIRST maximum in
    row-major order within each window; `maxpool_ties` checks exactly that.
  * optim.safetensors: optimizer trajectories (param, grad0..grad4,
    after0..after4; grads are set by hand, no loss) and learning-rate
    schedules (lrs: the lr read before each optimizer.step(), then
    scheduler.step()). Each is cross-checked against a closed form here.
  * models.safetensors is the exception to "float64": the reference models
    (copied from bench_torch_cpu.py, same layer names) are stored in
    float32 (num_batches_tracked int64), as `<case>.state.<state_dict key>`.
    Outputs are computed in float64 from those exact float32 values and
    rounded to float32. Extra metadata: "state_dict_keys" and
    "parameter_counts" (JSON objects keyed by model name).

Determinism: float64, CPU, one thread, deterministic algorithms, and
torch.manual_seed(seed_for(case name)) before each case, where seed_for is the
CRC-32 of the case name.
"""

import contextlib
import copy
import json
import math
import os
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
DEVICE = "cpu"


def seed_for(name):
    return zlib.crc32(name.encode("ascii")) & 0x7FFFFFFF


def distinct(*shape, scale=4.0):
    """Values in [-scale/2, scale/2) that are pairwise distinct (no ties)."""
    n = 1
    for s in shape:
        n *= s
    perm = torch.randperm(n).to(torch.float64)
    return ((perm + 0.5) / n - 0.5).mul(scale).reshape(shape)


def away_from(x, points, margin=1e-2, sampler=None):
    """Resample entries of x that lie within `margin` of any of `points`."""
    x = x.clone()
    for _ in range(1000):
        bad = torch.zeros_like(x, dtype=torch.bool)
        for p in points:
            bad |= (x - p).abs() < margin
        if not bad.any():
            return x
        x[bad] = sampler(int(bad.sum()))
    raise RuntimeError("could not resample away from kink")


def positive(*shape, lo=0.2, hi=3.0):
    return lo + (hi - lo) * torch.rand(*shape)


class Family:
    def __init__(self, filename, float_dtype=torch.float64):
        self.filename = filename
        self.float_dtype = float_dtype
        self.cases = []
        self.tensors = {}
        self.extra_meta = {}  # further "__metadata__" entries (JSON-encoded strings)

    def _put(self, name, role, t):
        key = f"{name}.{role}"
        assert key not in self.tensors, key
        t = t.detach().to(DEVICE).contiguous().clone()
        assert t.dtype in (self.float_dtype, torch.int64), (key, t.dtype)
        self.tensors[key] = t

    def add_case(self, name, op, params):
        assert name.isascii() and "." not in name, name
        assert all(c["name"] != name for c in self.cases), name
        self.cases.append({"name": name, "op": op, "params": params})

    def case(self, name, op, params, inputs, fn, grad=True, scalar_upstream=False):
        """inputs: dict role -> tensor (float tensors get gradients unless grad=False,
        int tensors never). fn(**inputs) -> out."""
        self.add_case(name, op, params)
        leaves = {}
        for role, t in inputs.items():
            t = t.detach().clone()
            if grad and t.is_floating_point() and role not in ("running_mean", "running_var"):
                t.requires_grad_(True)
            leaves[role] = t
            self._put(name, role, t)
        out = fn(**leaves)
        self._put(name, "out", out)
        if grad:
            upstream = torch.randn_like(out)
            if scalar_upstream:
                assert out.dim() == 0
            self._put(name, "upstream", upstream)
            (out * upstream).sum().backward()
            for role, t in leaves.items():
                if t.requires_grad:
                    assert t.grad is not None, (name, role)
                    self._put(name, f"grad.{role}", t.grad)
        return leaves, out

    def write(self):
        path = os.path.join(OUT_DIR, self.filename)
        meta = {"version": "1", "cases": json.dumps(self.cases, separators=(",", ":"))}
        for k, v in self.extra_meta.items():
            assert k not in meta, k
            meta[k] = json.dumps(v, separators=(",", ":"))
        save_file(self.tensors, path, metadata=meta)
        canonicalize_header(path)
        os.chmod(path, 0o644)
        size = os.path.getsize(path)
        print(f"{self.filename}: {len(self.cases)} cases, {size} bytes")
        return path, size


def canonicalize_header(path):
    """safetensors serializes `__metadata__` from a hash map, so the order of
    "version" and "cases" varies from run to run. Rewrite the header with the
    metadata keys sorted (same bytes otherwise, same length, same data offsets)
    so that the files are byte-for-byte reproducible."""
    with open(path, "rb") as fh:
        blob = bytearray(fh.read())
    n = struct.unpack("<Q", blob[:8])[0]
    raw = bytes(blob[8:8 + n])
    text = raw.decode("utf-8")
    stripped = text.rstrip(" ")
    header = json.loads(stripped, object_pairs_hook=dict)
    assert next(iter(header)) == "__metadata__", "unexpected header layout"
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    new = json.dumps(header, separators=(",", ":"), ensure_ascii=False)
    if len(new) != len(stripped):
        print(f"warning: {path}: header not canonicalized (metadata order may vary)", file=sys.stderr)
        return
    new = new + text[len(stripped):]
    blob[8:8 + n] = new.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(blob)


def seeded(name):
    torch.manual_seed(seed_for(name))
    return name


# ---------------------------------------------------------------------------
# Elementwise
# ---------------------------------------------------------------------------
def elementwise():
    fam = Family("elementwise.safetensors")
    shapes = [
        ("same", [2, 3, 4], [2, 3, 4]),
        ("bc31", [2, 3, 4], [3, 1]),
        ("bc131", [2, 1, 4], [1, 3, 1]),
        ("bc4d", [4, 3, 2, 2], [1, 3, 1, 1]),
        ("scalar", [2, 3, 4], [1]),
    ]
    binops = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}
    for op, f in binops.items():
        for tag, xs, ys in shapes:
            name = seeded(f"{op}_{tag}")
            x = torch.randn(*xs)
            if op == "div":
                y = torch.sign(torch.randn(*ys)) * (0.5 + 1.5 * torch.rand(*ys))
                assert (y.abs() >= 0.5).all()
            else:
                y = torch.randn(*ys)
            fam.case(name, op, {}, {"x": x, "y": y}, lambda x, y, f=f: f(x, y))

    shape = [2, 3, 4]

    def kinkfree(points, scale=1.0):
        return away_from(scale * torch.randn(*shape), points,
                         sampler=lambda n: scale * torch.randn(n))

    unary = [
        ("exp", "exp", {}, lambda: torch.randn(*shape), torch.exp),
        ("log", "log", {}, lambda: positive(*shape), torch.log),
        ("sqrt", "sqrt", {}, lambda: positive(*shape), torch.sqrt),
        ("pow_3", "pow", {"exponent": 3.0}, lambda: positive(*shape), lambda x: torch.pow(x, 3.0)),
        ("pow_0p5", "pow", {"exponent": 0.5}, lambda: positive(*shape), lambda x: torch.pow(x, 0.5)),
        ("abs", "abs", {}, lambda: kinkfree([0.0]), torch.abs),
        ("clamp", "clamp", {"min": -0.5, "max": 0.5},
         lambda: away_from(torch.empty(*shape).uniform_(-1.0, 1.0), [-0.5, 0.5],
                           sampler=lambda n: torch.empty(n).uniform_(-1.0, 1.0)),
         lambda x: torch.clamp(x, -0.5, 0.5)),
        ("relu", "relu", {}, lambda: kinkfree([0.0]), F.relu),
        ("leaky_relu", "leaky_relu", {"slope": 0.1}, lambda: kinkfree([0.0]),
         lambda x: F.leaky_relu(x, 0.1)),
        ("sigmoid", "sigmoid", {}, lambda: 2.0 * torch.randn(*shape), torch.sigmoid),
        ("tanh", "tanh", {}, lambda: torch.randn(*shape), torch.tanh),
        ("gelu", "gelu", {}, lambda: 2.0 * torch.randn(*shape), F.gelu),
        ("neg", "neg", {}, lambda: torch.randn(*shape), torch.neg),
    ]
    for name, op, params, make, f in unary:
        seeded(name)
        x = make()
        fam.case(name, op, params, {"x": x}, lambda x, f=f: f(x))
    return fam


# ---------------------------------------------------------------------------
# Reduction
# ---------------------------------------------------------------------------
def reduction():
    fam = Family("reduction.safetensors")
    shape = [2, 3, 4, 5]
    axes_cases = [([1], "a1"), ([0, 2], "a02"), ([3], "a3")]
    for op in ("sum", "mean", "max"):
        cases = [(a, t, k) for a, t in axes_cases for k in (False, True)]
        if op != "max":
            cases += [([0, 1, 2, 3], "all", False), ([0, 1, 2, 3], "all", True)]
        for axes, tag, keepdim in cases:
            name = seeded(f"{op}_{tag}_{'keep' if keepdim else 'nokeep'}")
            if op == "max":
                x = distinct(*shape)
                f = lambda x, a=axes, k=keepdim: torch.amax(x, dim=a, keepdim=k)
            elif op == "sum":
                x = torch.randn(*shape)
                f = lambda x, a=axes, k=keepdim: torch.sum(x, dim=a, keepdim=k)
            else:
                x = torch.randn(*shape)
                f = lambda x, a=axes, k=keepdim: torch.mean(x, dim=a, keepdim=k)
            fam.case(name, op, {"axes": axes, "keepdim": keepdim}, {"x": x}, f)
    for axis in (1, 3):
        name = seeded(f"argmax_a{axis}")
        x = distinct(*shape)
        fam.case(name, "argmax", {"axis": axis}, {"x": x},
                 lambda x, a=axis: torch.argmax(x, dim=a), grad=False)
    return fam


# ---------------------------------------------------------------------------
# Matmul / linear
# ---------------------------------------------------------------------------
def matmul():
    fam = Family("matmul.safetensors")
    name = seeded("matmul_5x7_7x3")
    fam.case(name, "matmul", {}, {"x": torch.randn(5, 7), "y": torch.randn(7, 3)},
             lambda x, y: torch.matmul(x, y))
    name = seeded("linear_bias")
    fam.case(name, "linear", {"bias": True},
             {"x": torch.randn(4, 6), "weight": torch.randn(5, 6), "bias": torch.randn(5)},
             lambda x, weight, bias: F.linear(x, weight, bias))
    name = seeded("linear_nobias")
    fam.case(name, "linear", {"bias": False},
             {"x": torch.randn(4, 6), "weight": torch.randn(5, 6)},
             lambda x, weight: F.linear(x, weight))
    return fam


# ---------------------------------------------------------------------------
# Convolution
# ---------------------------------------------------------------------------
def convolution():
    fam = Family("convolution.safetensors")
    # (name, C_in, C_out, H, W, R, S, stride, padding, dilation, groups, bias)
    specs = [
        ("conv_k3_s1_p0_d1_g1_bias", 2, 3, 7, 6, 3, 3, 1, 0, 1, 1, True),
        ("conv_k3_s2_p1_d1_g1_bias", 2, 3, 7, 7, 3, 3, 2, 1, 1, 1, True),
        ("conv_k3_s1_p2_d2_g1_bias", 2, 3, 7, 6, 3, 3, 1, 2, 2, 1, True),
        ("conv_k3_s2_p2_d2_g1_nobias", 2, 3, 9, 9, 3, 3, 2, 2, 2, 1, False),
        ("conv_k1_s1_p0_d1_g1_bias", 3, 2, 7, 6, 1, 1, 1, 0, 1, 1, True),
        ("conv_k1_s2_p1_d1_g1_nobias", 3, 2, 7, 6, 1, 1, 2, 1, 1, 1, False),
        ("conv_k5_s1_p2_d1_g1_bias", 2, 3, 7, 6, 5, 5, 1, 2, 1, 1, True),
        ("conv_k5_s2_p1_d1_g1_nobias", 2, 3, 9, 9, 5, 5, 2, 1, 1, 1, False),
        ("conv_k3x2_s1_p1_d1_g1_bias", 2, 3, 7, 6, 3, 2, 1, 1, 1, 1, True),
        ("conv_k3x2_s2_p0_d2_g1_nobias", 2, 3, 9, 9, 3, 2, 2, 0, 2, 1, False),
        ("conv_k3_s1_p1_d1_g2_bias", 4, 6, 5, 5, 3, 3, 1, 1, 1, 2, True),
        ("conv_k3_s2_p0_d1_g2_nobias", 4, 6, 7, 6, 3, 3, 2, 0, 1, 2, False),
        ("conv_k3_s1_p1_d1_g4_bias", 4, 4, 5, 5, 3, 3, 1, 1, 1, 4, True),
        ("conv_k3_s2_p2_d2_g4_nobias", 4, 4, 7, 6, 3, 3, 2, 2, 2, 4, False),
    ]
    for (name, C, K, H, W, R, S, stride, padding, dilation, groups, bias) in specs:
        seeded(name)
        inputs = {"x": torch.randn(2, C, H, W), "weight": torch.randn(K, C // groups, R, S) * 0.5}
        if bias:
            inputs["bias"] = torch.randn(K)

        def f(x, weight, bias=None, s=stride, p=padding, d=dilation, g=groups):
            return F.conv2d(x, weight, bias, stride=s, padding=p, dilation=d, groups=g)

        fam.case(name, "conv2d",
                 {"stride": stride, "padding": padding, "dilation": dilation,
                  "groups": groups, "bias": bias},
                 inputs, f)
    return fam


# ---------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------
def first_max_pool_grad(x, up, k, s, p):
    """Independent reference for the tie rule: for each window, the gradient goes
    to the first maximum in row-major order among the (unpadded) elements."""
    N, C, H, W = x.shape
    OH, OW = up.shape[2], up.shape[3]
    g = torch.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for oh in range(OH):
                for ow in range(OW):
                    best, arg = None, None
                    for i in range(k):
                        for j in range(k):
                            h, w = oh * s - p + i, ow * s - p + j
                            if 0 <= h < H and 0 <= w < W:
                                v = x[n, c, h, w].item()
                                if best is None or v > best:
                                    best, arg = v, (h, w)
                    g[n, c, arg[0], arg[1]] += up[n, c, oh, ow]
    return g


def pooling():
    fam = Family("pooling.safetensors")
    # max_pool2d: (name, shape, kernel, stride, padding)
    for name, shape, k, s, p in [
        ("maxpool_k2_s2", [2, 2, 6, 6], 2, 2, 0),
        ("maxpool_k3_s2_p1", [2, 2, 6, 6], 3, 2, 1),
        ("maxpool_k3_s1", [2, 2, 5, 5], 3, 1, 0),
        ("maxpool_k2_s2_odd7", [2, 2, 7, 7], 2, 2, 0),
    ]:
        seeded(name)
        fam.case(name, "max_pool2d", {"kernel": k, "stride": s, "padding": p},
                 {"x": distinct(*shape)},
                 lambda x, k=k, s=s, p=p: F.max_pool2d(x, k, s, p))

    # Ties on purpose: small integers, overlapping padded windows.
    name = seeded("maxpool_ties")
    k, s, p = 3, 2, 1
    x = torch.randint(0, 3, (2, 2, 7, 7)).to(torch.float64)
    leaves, out = fam.case(name, "max_pool2d", {"kernel": k, "stride": s, "padding": p},
                           {"x": x}, lambda x: F.max_pool2d(x, k, s, p))
    ref = first_max_pool_grad(x, fam.tensors[f"{name}.upstream"], k, s, p)
    assert torch.equal(ref, fam.tensors[f"{name}.grad.x"]), "tie rule mismatch"

    for name, shape, k, s, p in [
        ("avgpool_k2_s2", [2, 2, 6, 6], 2, 2, 0),
        ("avgpool_k3_s2_p1", [2, 2, 7, 7], 3, 2, 1),
        ("avgpool_k3_s1_p1", [2, 2, 5, 5], 3, 1, 1),
    ]:
        seeded(name)
        fam.case(name, "avg_pool2d", {"kernel": k, "stride": s, "padding": p},
                 {"x": torch.randn(*shape)},
                 lambda x, k=k, s=s, p=p: F.avg_pool2d(x, k, s, p))

    for name, shape, o in [
        ("adaptive_avg_1x1", [2, 3, 5, 5], [1, 1]),
        ("adaptive_avg_3x2", [2, 3, 7, 5], [3, 2]),
    ]:
        seeded(name)
        fam.case(name, "adaptive_avg_pool2d", {"output": o}, {"x": torch.randn(*shape)},
                 lambda x, o=o: F.adaptive_avg_pool2d(x, o))
    return fam


# ---------------------------------------------------------------------------
# Batch norm
# ---------------------------------------------------------------------------
def batchnorm():
    fam = Family("batchnorm.safetensors")
    momentum, eps = 0.1, 1e-5
    for training in (True, False):
        name = seeded("bn_train" if training else "bn_eval")
        C = 3
        x = torch.randn(4, C, 5, 5) * 1.5 + 0.3
        weight = 1.0 + 0.2 * torch.randn(C)
        bias = 0.5 * torch.randn(C)
        running_mean = 0.5 * torch.randn(C)
        running_var = 0.5 + torch.rand(C)
        rm, rv = running_mean.clone(), running_var.clone()

        def f(x, weight, bias, running_mean, running_var):
            # running_mean / running_var are updated in place in training mode.
            return F.batch_norm(x, rm, rv, weight, bias, training=training,
                                momentum=momentum, eps=eps)

        fam.case(name, "batch_norm2d", {"training": training, "momentum": momentum, "eps": eps},
                 {"x": x, "weight": weight, "bias": bias,
                  "running_mean": running_mean, "running_var": running_var}, f)
        if training:
            # Cross-check PyTorch's update rule: unbiased batch variance.
            m = x.mean(dim=(0, 2, 3))
            v = x.var(dim=(0, 2, 3), unbiased=True)
            assert torch.allclose(rm, (1 - momentum) * running_mean + momentum * m, atol=1e-14)
            assert torch.allclose(rv, (1 - momentum) * running_var + momentum * v, atol=1e-14)
            fam._put(name, "running_mean_after", rm)
            fam._put(name, "running_var_after", rv)
        else:
            assert torch.equal(rm, running_mean) and torch.equal(rv, running_var)
    return fam


# ---------------------------------------------------------------------------
# Softmax family and losses
# ---------------------------------------------------------------------------
def softmax():
    fam = Family("softmax.safetensors")
    for op, f in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        for tag, scale in (("", 1.0), ("_large", 100.0)):
            name = seeded(f"{op}_a1{tag}")
            x = torch.randn(4, 10) * scale
            fam.case(name, op, {"axis": 1}, {"x": x}, lambda x, f=f: f(x, dim=1))
    for reduction in ("mean", "sum"):
        for ls, ls_tag in ((0.0, "ls0"), (0.1, "ls01")):
            name = seeded(f"ce_{reduction}_{ls_tag}")
            x = torch.randn(6, 5) * 2.0
            labels = torch.randint(0, 5, (6,), dtype=torch.int64)
            fam.case(name, "cross_entropy", {"reduction": reduction, "label_smoothing": ls},
                     {"x": x, "labels": labels},
                     lambda x, labels, r=reduction, ls=ls:
                         F.cross_entropy(x, labels, reduction=r, label_smoothing=ls),
                     scalar_upstream=True)
    name = seeded("mse_mean")
    fam.case(name, "mse_loss", {"reduction": "mean"},
             {"x": torch.randn(3, 4), "y": torch.randn(3, 4)},
             lambda x, y: F.mse_loss(x, y, reduction="mean"), scalar_upstream=True)
    return fam


# ---------------------------------------------------------------------------
# Movement
# ---------------------------------------------------------------------------
def movement():
    fam = Family("movement.safetensors")
    name = seeded("permute_0231")
    fam.case(name, "permute", {"dims": [0, 2, 3, 1]}, {"x": torch.randn(2, 3, 4, 5)},
             lambda x: x.permute(0, 2, 3, 1))
    name = seeded("transpose_2d")
    fam.case(name, "transpose", {"dim0": 0, "dim1": 1}, {"x": torch.randn(3, 5)},
             lambda x: x.transpose(0, 1))
    name = seeded("concat_a1")
    fam.case(name, "concat", {"axis": 1}, {"x": torch.randn(2, 3, 4), "y": torch.randn(2, 2, 4)},
             lambda x, y: torch.cat([x, y], dim=1))
    name = seeded("slice_batch_1_3")
    fam.case(name, "slice_batch", {"start": 1, "end": 3}, {"x": torch.randn(4, 3, 2)},
             lambda x: x[1:3])
    # ResNet's option-A shortcut: every second pixel (odd plane: ceil), 1 + 2 zero channels.
    name = seeded("subsample_zero_pad_s2")
    fam.case(name, "subsample_zero_pad", {"stride": 2, "before": 1, "after": 2}, {"x": torch.randn(2, 3, 5, 6)},
             lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, 1, 2)))
    # index_select as a data loader uses it: a batch of images picked by index, with a repeat
    # (gradients add up) and an image never picked (gradient zero); and along an inner axis.
    for axis, shape, indices in ((0, (5, 3, 2, 2), [3, 0, 3, 1]), (1, (2, 4, 3), [2, 2, 0])):
        name = seeded(f"index_select_a{axis}")
        fam.case(name, "index_select", {"axis": axis, "indices": indices}, {"x": torch.randn(*shape)},
                 lambda x, axis=axis, indices=indices: x.index_select(axis, torch.tensor(indices)))
    return fam


# ---------------------------------------------------------------------------
# Small CNN end to end
# ---------------------------------------------------------------------------
def network():
    fam = Family("network.safetensors")
    name = seeded("small_cnn")
    params = {
        "conv1": {"in_channels": 3, "out_channels": 4, "kernel": 3, "stride": 1,
                  "padding": 1, "dilation": 1, "groups": 1, "bias": True},
        "bn": {"op": "batch_norm2d", "channels": 4, "training": True, "momentum": 0.1,
               "eps": 1e-5, "running_mean_init": 0.0, "running_var_init": 1.0},
        "activation": "relu",
        "pool": {"op": "max_pool2d", "kernel": 2, "stride": 2, "padding": 0},
        "flatten": {"start_dim": 1, "order": "NCHW"},
        "fc": {"in_features": 64, "out_features": 5, "bias": True},
        "loss": {"op": "cross_entropy", "reduction": "mean", "label_smoothing": 0.0},
        "layers": ["conv1", "bn", "relu", "max_pool2d", "flatten", "fc", "cross_entropy"],
        "backward": "loss.backward() (upstream 1)",
    }
    fam.add_case(name, "small_cnn", params)
    x = torch.randn(4, 3, 8, 8)
    labels = torch.randint(0, 5, (4,), dtype=torch.int64)
    p = {
        "conv1.weight": torch.randn(4, 3, 3, 3) * 0.3,
        "conv1.bias": torch.randn(4) * 0.1,
        "bn.weight": 1.0 + 0.1 * torch.randn(4),
        "bn.bias": 0.1 * torch.randn(4),
        "fc.weight": torch.randn(5, 64) * 0.2,
        "fc.bias": torch.randn(5) * 0.1,
    }
    leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    xl = x.clone().requires_grad_(True)
    h = F.conv2d(xl, leaves["conv1.weight"], leaves["conv1.bias"], stride=1, padding=1)
    h = F.batch_norm(h, torch.zeros(4), torch.ones(4), leaves["bn.weight"], leaves["bn.bias"],
                     training=True, momentum=0.1, eps=1e-5)
    h = F.relu(h)
    h = F.max_pool2d(h, 2, 2)
    h = torch.flatten(h, 1)
    logits = F.linear(h, leaves["fc.weight"], leaves["fc.bias"])
    loss = F.cross_entropy(logits, labels, reduction="mean")
    loss.backward()
    fam._put(name, "x", x)
    fam._put(name, "labels", labels)
    for k, v in p.items():
        fam._put(name, k, v)
    fam._put(name, "out", loss)
    fam._put(name, "grad.x", xl.grad)
    for k, v in leaves.items():
        fam._put(name, f"grad.{k}", v.grad)
    return fam


# ---------------------------------------------------------------------------
# Optimizers and learning-rate schedules
# ---------------------------------------------------------------------------
OPTIM_STEPS = 5


def ref_sgd(p, grads, lr, momentum, dampening, weight_decay, nesterov):
    """Independent reference for torch.optim.SGD. The momentum buffer starts as
    a copy of the first (decayed) gradient, without dampening."""
    buf, outs = None, []
    for g in grads:
        d = g + weight_decay * p
        if momentum != 0.0:
            buf = d.clone() if buf is None else momentum * buf + (1.0 - dampening) * d
            d = d + momentum * buf if nesterov else buf
        p = p - lr * d
        outs.append(p)
    return outs


def ref_adam(p, grads, lr, beta1, beta2, eps, weight_decay, decoupled):
    """Independent reference for torch.optim.Adam (L2: weight decay added to the
    gradient) and torch.optim.AdamW (decoupled: p *= 1 - lr * wd first)."""
    m, v, outs = torch.zeros_like(p), torch.zeros_like(p), []
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * (1.0 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        bc1, bc2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t
        p = p - (lr / bc1) * m / (v.sqrt() / math.sqrt(bc2) + eps)
        outs.append(p)
    return outs


def ref_schedule(op, prm):
    """Closed forms of the schedules; lr at steps 0..steps-1."""
    out = []
    for t in range(prm["steps"]):
        if op == "step":
            lr = prm["initial"] * prm["gamma"] ** (t // prm["step_size"])
        elif op == "cosine":
            T, lo, hi = prm["total_steps"], prm["minimum"], prm["initial"]
            assert t <= T
            lr = lo + (hi - lo) * (1.0 + math.cos(math.pi * t / T)) / 2.0
        elif op == "one_cycle":
            hi = prm["maximum"]
            start = hi / prm["div_factor"]
            end = start / prm["final_div_factor"]
            up = prm["pct_start"] * prm["total_steps"] - 1.0
            down = prm["total_steps"] - 1.0
            if t <= up:
                a, b, pct = start, hi, t / up
            else:
                a, b, pct = hi, end, (t - up) / (down - up)
            lr = b + (a - b) / 2.0 * (1.0 + math.cos(math.pi * pct))
        elif op == "warmup":
            W = prm["warmup_steps"]
            lr = prm["initial"] * (t + 1) / W if t < W else prm["initial"]
        else:
            raise ValueError(op)
        out.append(lr)
    return torch.tensor(out, dtype=torch.float64)


def optim():
    fam = Family("optim.safetensors")
    sgd = {"lr": 0.1, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False}
    adam = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0}
    optimizers = [
        ("sgd_plain", "sgd", dict(sgd)),
        ("sgd_momentum", "sgd", dict(sgd, momentum=0.9)),
        ("sgd_nesterov_wd", "sgd", dict(sgd, lr=0.05, momentum=0.9, weight_decay=0.01,
                                        nesterov=True)),
        ("sgd_dampening", "sgd", dict(sgd, momentum=0.9, dampening=0.5)),
        ("adam", "adam", dict(adam)),
        ("adam_wd", "adam", dict(adam, weight_decay=0.1)),
        ("adamw", "adamw", dict(adam, weight_decay=0.1)),
    ]
    for name, op, prm in optimizers:
        seeded(name)
        fam.add_case(name, op, prm)
        p0 = torch.randn(3, 4)
        grads = [torch.randn(3, 4) for _ in range(OPTIM_STEPS)]
        p = torch.nn.Parameter(p0.clone())
        if op == "sgd":
            opt = torch.optim.SGD([p], lr=prm["lr"], momentum=prm["momentum"],
                                  dampening=prm["dampening"], weight_decay=prm["weight_decay"],
                                  nesterov=prm["nesterov"], foreach=False)
            ref = ref_sgd(p0, grads, **prm)
        else:
            cls = torch.optim.Adam if op == "adam" else torch.optim.AdamW
            opt = cls([p], lr=prm["lr"], betas=(prm["beta1"], prm["beta2"]), eps=prm["eps"],
                      weight_decay=prm["weight_decay"], foreach=False)
            ref = ref_adam(p0, grads, decoupled=(op == "adamw"), **prm)
        fam._put(name, "param", p0)
        for i, g in enumerate(grads):
            fam._put(name, f"grad{i}", g)
        for i, g in enumerate(grads):
            p.grad = g.clone()
            opt.step()
            assert torch.allclose(p.detach(), ref[i], rtol=0, atol=1e-14), (name, i)
            fam._put(name, f"after{i}", p)

    base = torch.nn.Parameter(torch.zeros(1))
    schedules = [
        ("step_lr", "step", {"initial": 0.1, "step_size": 3, "gamma": 0.5, "steps": 10},
         lambda o, q: torch.optim.lr_scheduler.StepLR(o, step_size=q["step_size"],
                                                      gamma=q["gamma"])),
        # PyTorch's recursive CosineAnnealingLR keeps oscillating past T_max
        # instead of holding the minimum, so only steps 0..total_steps are recorded.
        ("cosine", "cosine", {"initial": 0.1, "total_steps": 10, "minimum": 0.001, "steps": 11},
         lambda o, q: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=q["total_steps"],
                                                                 eta_min=q["minimum"])),
        ("one_cycle", "one_cycle", {"maximum": 0.1, "total_steps": 20, "pct_start": 0.3,
                                    "div_factor": 25.0, "final_div_factor": 1e4, "steps": 20},
         lambda o, q: torch.optim.lr_scheduler.OneCycleLR(
             o, max_lr=q["maximum"], total_steps=q["total_steps"], pct_start=q["pct_start"],
             anneal_strategy="cos", cycle_momentum=False, div_factor=q["div_factor"],
             final_div_factor=q["final_div_factor"], three_phase=False)),
        # LinearLR(start_factor=1/W, end_factor=1, total_iters=W-1) is exactly
        # lr * (t+1) / W for t < W, then lr (checked below, bit for bit).
        ("linear_warmup", "warmup", {"initial": 0.1, "warmup_steps": 4, "steps": 8},
         lambda o, q: torch.optim.lr_scheduler.LinearLR(
             o, start_factor=1.0 / q["warmup_steps"], end_factor=1.0,
             total_iters=q["warmup_steps"] - 1)),
    ]
    for name, op, prm, make in schedules:
        seeded(name)
        fam.add_case(name, op, prm)
        opt = torch.optim.SGD([base], lr=prm.get("initial", prm.get("maximum")))
        sched = make(opt, prm)
        lrs = []
        for _ in range(prm["steps"]):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        lrs = torch.tensor(lrs, dtype=torch.float64)
        ref = ref_schedule(op, prm)
        if op == "warmup":
            assert torch.equal(lrs, ref), (name, lrs, ref)
        else:
            assert torch.allclose(lrs, ref, rtol=0, atol=1e-15), (name, lrs, ref)
        fam._put(name, "lrs", lrs)
    return fam


# ---------------------------------------------------------------------------
# Reference models (copied from bench_torch_cpu.py; keep the layer names)
# ---------------------------------------------------------------------------
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class ShortcutA(nn.Module):
    """Option-A shortcut: subsample spatially, zero-pad the extra channels."""

    def __init__(self, in_planes, planes):
        super().__init__()
        self.pad = (planes - in_planes) // 2

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        if stride != 1 or in_planes != planes:
            self.shortcut = ShortcutA(in_planes, planes)
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNetCifar(nn.Module):
    def __init__(self, n=3, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                layers.append(BasicBlock(in_planes, planes, stride if i == 0 else 1))
                in_planes = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layers(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


def conv_bn(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True)]


def vggish():
    return nn.Sequential(
        *conv_bn(3, 64), *conv_bn(64, 64), nn.MaxPool2d(2),
        *conv_bn(64, 128), *conv_bn(128, 128), nn.MaxPool2d(2),
        *conv_bn(128, 256), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256 * 4 * 4, 10))


MODELS = {"lenet": LeNet, "resnet20": ResNetCifar, "vggish": vggish}


@contextlib.contextmanager
def default_dtype(dtype):
    old = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield
    finally:
        torch.set_default_dtype(old)


def models():
    fam = Family("models.safetensors", float_dtype=torch.float32)
    with default_dtype(torch.float32):
        fam.extra_meta["state_dict_keys"] = {}
        fam.extra_meta["parameter_counts"] = {}
        for key, make in MODELS.items():
            seeded(key)
            m = make()
            fam.extra_meta["state_dict_keys"][key] = [[k, list(v.shape)]
                                                      for k, v in m.state_dict().items()]
            fam.extra_meta["parameter_counts"][key] = sum(p.numel() for p in m.parameters())

        name = seeded("resnet8")
        fam.add_case(name, "resnet_cifar", {"blocks_per_stage": 1})
        model = ResNetCifar(n=1)
        with torch.no_grad():
            for mod in model.modules():
                if isinstance(mod, nn.BatchNorm2d):
                    mod.running_mean.normal_(0.0, 0.1)
                    mod.running_var.uniform_(0.5, 1.5)
                    mod.weight.uniform_(0.8, 1.2)
                    mod.bias.normal_(0.0, 0.1)
                    mod.num_batches_tracked.fill_(7)
        x = torch.randn(2, 3, 32, 32)
    state = model.state_dict()
    for k, v in state.items():
        assert v.dtype == (torch.int64 if k.endswith("num_batches_tracked") else torch.float32), k
        fam._put(name, f"state.{k}", v)
    fam._put(name, "x", x)

    # Reference outputs in float64 from the exact float32 values, rounded to float32.
    with torch.no_grad():
        m64 = copy.deepcopy(model).double().eval()
        out_eval = m64(x.double())
        m64 = copy.deepcopy(model).double().train()
        out_train = m64(x.double())
        # Sanity: PyTorch's own float32 forward agrees.
        m32 = copy.deepcopy(model).eval()
        assert torch.allclose(m32(x).double(), out_eval, rtol=1e-4, atol=1e-4)
        m32.train()
        assert torch.allclose(m32(x).double(), out_train, rtol=1e-4, atol=1e-4)
    assert int(m64.bn1.num_batches_tracked) == 8
    fam._put(name, "out_eval", out_eval.float())
    fam._put(name, "out_train", out_train.float())
    fam._put(name, "bn1_running_mean_after", m64.bn1.running_mean.float())
    fam._put(name, "bn1_running_var_after", m64.bn1.running_var.float())
    return fam


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
def expected_roles(case):
    op, prm = case["op"], case["params"]
    if op == "small_cnn":
        ps = ["conv1.weight", "conv1.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias"]
        return {"x", "labels", "out", "grad.x"} | set(ps) | {f"grad.{k}" for k in ps}
    if op == "argmax":
        return {"x", "out"}
    if op in ("sgd", "adam", "adamw"):
        return ({"param"} | {f"grad{i}" for i in range(OPTIM_STEPS)}
                | {f"after{i}" for i in range(OPTIM_STEPS)})
    if op in ("step", "cosine", "one_cycle", "warmup"):
        return {"lrs"}
    if op == "resnet_cifar":
        with default_dtype(torch.float32):
            keys = ResNetCifar(n=prm["blocks_per_stage"]).state_dict().keys()
        return ({"x", "out_eval", "out_train", "bn1_running_mean_after", "bn1_running_var_after"}
                | {f"state.{k}" for k in keys})
    ins = {"x"}
    if op in ("add", "sub", "mul", "div", "matmul", "concat", "mse_loss"):
        ins.add("y")
    if op == "linear":
        ins |= {"weight"} | ({"bias"} if prm["bias"] else set())
    if op == "conv2d":
        ins |= {"weight"} | ({"bias"} if prm["bias"] else set())
    if op == "batch_norm2d":
        ins |= {"weight", "bias"}
    roles = set(ins) | {"out", "upstream"} | {f"grad.{r}" for r in ins}
    if op == "cross_entropy":
        roles.add("labels")
    if op == "batch_norm2d":
        roles |= {"running_mean", "running_var"}
        if prm["training"]:
            roles |= {"running_mean_after", "running_var_after"}
    return roles


def is_int_key(k):
    return (k.endswith(".labels") or k.endswith(".num_batches_tracked")
            or (k.startswith("argmax") and k.endswith(".out")))


def verify(path, float_dtype):
    with safe_open(path, framework="pt") as f:
        meta = f.metadata()
        keys = set(f.keys())
        assert meta["version"] == "1"
        cases = json.loads(meta["cases"])
        want = set()
        for c in cases:
            assert set(c) == {"name", "op", "params"}
            for r in expected_roles(c):
                want.add(f"{c['name']}.{r}")
        missing, extra = want - keys, keys - want
        assert not missing, (path, sorted(missing))
        assert not extra, (path, sorted(extra))
        for k in keys:
            t = f.get_tensor(k)
            assert t.dtype == (torch.int64 if is_int_key(k) else float_dtype), (k, t.dtype)
            assert torch.isfinite(t.to(torch.float64)).all(), k
        for c in cases:
            if "upstream" in expected_roles(c) and c["op"] in ("cross_entropy", "mse_loss"):
                assert f.get_tensor(f"{c['name']}.upstream").dim() == 0
                assert f.get_tensor(f"{c['name']}.out").dim() == 0
            if "lrs" in expected_roles(c):
                assert f.get_tensor(f"{c['name']}.lrs").shape == (c["params"]["steps"],)
        if "state_dict_keys" in meta:
            sdk = json.loads(meta["state_dict_keys"])
            counts = json.loads(meta["parameter_counts"])
            assert list(sdk) == list(MODELS) == list(counts)
            for c in cases:
                if c["op"] == "resnet_cifar":
                    prefix = f"{c['name']}.state."
                    got = [[k[len(prefix):], list(f.get_slice(k).get_shape())]
                           for k in sorted(keys) if k.startswith(prefix)]
                    with default_dtype(torch.float32):
                        m = ResNetCifar(n=c["params"]["blocks_per_stage"])
                    want_sd = [[k, list(v.shape)] for k, v in m.state_dict().items()]
                    assert sorted(got) == sorted(want_sd), c["name"]
    return len(cases)


def main():
    print(f"torch {torch.__version__}")
    total = 0
    written = []
    sizes = {}
    for make in (elementwise, reduction, matmul, convolution, pooling, batchnorm,
                 softmax, movement, network, optim, models):
        fam = make()
        path, size = fam.write()
        total += size
        sizes[fam.filename] = size
        written.append((path, fam.float_dtype))
    for path, float_dtype in written:
        verify(path, float_dtype)
    print(f"total {total} bytes; verified {len(written)} files")
    # Size budgets: the op fixtures together, and the one model file (ResNet-8 in float32).
    assert total - sizes["models.safetensors"] < 400_000, total
    assert sizes["models.safetensors"] < 360_000, sizes["models.safetensors"]


if __name__ == "__main__":
    sys.exit(main())
