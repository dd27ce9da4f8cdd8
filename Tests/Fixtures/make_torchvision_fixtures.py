#!/usr/bin/env python3
"""torchvision ResNet-18 / ResNet-50 reference logits for Fovea's ImageNet ResNets.

Run from the repository root:

    ~/torch-ref/bin/python Tests/Fixtures/make_torchvision_fixtures.py [--out DIR]

Writes into Tests/Fixtures/torchvision/ (default; --out DIR elsewhere). These
files are generated, not committed (ResNet-50's weights are about 100 MB; the
folder is in .gitignore). Fovea's tests skip with a message when they are
absent.

Files, for NAME in resnet18, resnet50 (torchvision.models.NAME(weights=None),
1000 classes):

  * NAME.safetensors: exactly `model.state_dict()`, under its own keys
    (conv1.weight, bn1.running_mean, layer1.0.bn1.weight,
    layer2.0.downsample.0.weight, fc.bias, ...), as a user gets it from
    `safetensors.torch.save_file(model.state_dict(), path)`: float tensors F32,
    `*.num_batches_tracked` 0-dim I64, all contiguous. `__metadata__`:
    "torch", "torchvision" (versions).
  * NAME-io.safetensors: `input` [2, 3, 224, 224] F32 (randn) and `logits`
    [2, 1000] F32, the eval-mode forward of that state dict on that input.
    `__metadata__`: "version": "1", "model", "torch", "torchvision",
    "parameters" (11689512 / 25557032), "seed", "input_shape",
    "logits_shape".

The logits are computed in float64 (a float64 copy of the model and the input,
from the exact float32 values stored) and rounded to float32; PyTorch's own
float32 forward is checked against them (the script prints the difference).

Model state: torch.manual_seed(seed), where seed is the CRC-32 of NAME (as in
make_fixtures.py), then the model is built (torchvision's own init), then every
BatchNorm gets random statistics and affine parameters: running_mean ~ N(0,
0.1), running_var ~ U(0.5, 1.5), bias ~ N(0, 0.1), weight ~ U(0.8, 1.2), except
the last BatchNorm of each residual branch (BasicBlock.bn2, Bottleneck.bn3),
whose weight is ~ U(0.4, 0.8) so that activations do not grow block by block
(with weight ~ 1 ResNet-50's logits have std ~ 160); num_batches_tracked = 7.
Then the input is drawn: torch.randn(2, 3, 224, 224), from the same generator.
The logits have std ~ 0.5 (ResNet-18) and ~ 3 (ResNet-50).

Determinism: CPU, one thread, deterministic algorithms. The metadata keys in
each header are sorted, so running the script twice gives byte-identical files
(on another CPU, the last bit of a few logits may differ).
"""

import argparse
import copy
import json
import os
import struct
import sys
import zlib

import torch
import torch.nn as nn
import torchvision
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torchvision.models.resnet import BasicBlock, Bottleneck

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = {"resnet18": 11_689_512, "resnet50": 25_557_032}  # name -> parameter count
INPUT_SHAPE = [2, 3, 224, 224]
NUM_BATCHES_TRACKED = 7


def seed_for(name):
    return zlib.crc32(name.encode("ascii")) & 0x7FFFFFFF


def canonicalize_header(path):
    """safetensors serializes `__metadata__` from a hash map, so its key order
    varies from run to run. Rewrite the header with the metadata keys sorted
    (same length, same data offsets) so that the files are reproducible.
    (Copied from make_fixtures.py, which sets global torch state on import.)"""
    with open(path, "rb") as fh:
        head = fh.read(8)
        n = struct.unpack("<Q", head)[0]
        raw = fh.read(n)
    text = raw.decode("utf-8")
    stripped = text.rstrip(" ")
    header = json.loads(stripped, object_pairs_hook=dict)
    if "__metadata__" not in header:
        return
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    meta = {"__metadata__": header.pop("__metadata__")}
    # Keep the tensor entries in the order safetensors wrote them.
    new = json.dumps({**meta, **header}, separators=(",", ":"), ensure_ascii=False)
    if len(new) != len(stripped) or json.loads(new) != json.loads(stripped):
        print(f"warning: {path}: header not canonicalized (metadata order may vary)",
              file=sys.stderr)
        return
    new = (new + text[len(stripped):]).encode("utf-8")
    assert len(new) == n
    with open(path, "r+b") as fh:
        fh.seek(8)
        fh.write(new)


def randomize_batchnorms(model):
    last = set()
    for mod in model.modules():
        if isinstance(mod, BasicBlock):
            last.add(id(mod.bn2))
        elif isinstance(mod, Bottleneck):
            last.add(id(mod.bn3))
    assert last
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.running_mean.normal_(0.0, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
                if id(mod) in last:
                    mod.weight.uniform_(0.4, 0.8)
                else:
                    mod.weight.uniform_(0.8, 1.2)
                mod.bias.normal_(0.0, 0.1)
                mod.num_batches_tracked.fill_(NUM_BATCHES_TRACKED)


def build(name):
    seed = seed_for(name)
    torch.manual_seed(seed)
    model = getattr(torchvision.models, name)(weights=None, num_classes=1000)
    randomize_batchnorms(model)
    x = torch.randn(*INPUT_SHAPE)
    model.eval()
    return model, x, seed


def versions():
    return {"torch": torch.__version__, "torchvision": torchvision.__version__}


def relative_differences(a, ref):
    """max |a - ref| / max |ref|, and the largest elementwise |a - ref| / |ref|
    over entries with |ref| >= 1 % of max |ref| (entries near 0 would dominate)."""
    a, ref = a.double(), ref.double()
    diff = (a - ref).abs()
    scale = ref.abs().max()
    big = ref.abs() >= 0.01 * scale
    return float(diff.max() / scale), float((diff[big] / ref.abs()[big]).max())


def write(path, tensors, metadata):
    save_file(tensors, path, metadata=metadata)
    canonicalize_header(path)
    os.chmod(path, 0o644)
    return os.path.getsize(path)


def generate(name, out_dir):
    model, x, seed = build(name)
    count = sum(p.numel() for p in model.parameters())
    assert count == MODELS[name], (name, count)

    state = model.state_dict()
    for k, v in state.items():
        want = torch.int64 if k.endswith("num_batches_tracked") else torch.float32
        assert v.dtype == want and v.is_contiguous(), (k, v.dtype)
        if k.endswith("num_batches_tracked"):
            assert v.dim() == 0, k

    with torch.no_grad():
        m64 = copy.deepcopy(model).double().eval()
        logits64 = m64(x.double())
        logits32 = model(x)
    logits = logits64.float()
    rel_max, rel_elem = relative_differences(logits32, logits64)
    assert rel_max < 1e-4 and rel_elem < 1e-3, (name, rel_max, rel_elem)

    state_path = os.path.join(out_dir, f"{name}.safetensors")
    io_path = os.path.join(out_dir, f"{name}-io.safetensors")
    state_size = write(state_path, state, versions())
    io_meta = dict(versions(), version="1", model=name, parameters=str(count), seed=str(seed),
                   input_shape=json.dumps(INPUT_SHAPE),
                   logits_shape=json.dumps(list(logits.shape)))
    io_size = write(io_path, {"input": x.contiguous(), "logits": logits.contiguous()}, io_meta)

    print(f"{os.path.basename(state_path)}: {len(state)} tensors, {count} parameters, "
          f"{state_size} bytes")
    print(f"{os.path.basename(io_path)}: input {INPUT_SHAPE}, logits {list(logits.shape)}, "
          f"seed {seed}, {io_size} bytes; logits mean {logits.mean():.4f} std {logits.std():.4f} "
          f"min {logits.min():.4f} max {logits.max():.4f}; float32 forward vs float64: "
          f"max|d|/max|ref| {rel_max:.2e}, max elementwise rel {rel_elem:.2e}")
    return state_path, io_path, state_size + io_size


def verify(name, state_path, io_path):
    """Reload both files; the state dict loads strictly into a fresh model whose
    float32 forward reproduces the stored logits."""
    with safe_open(state_path, framework="pt") as f:
        assert f.metadata() == versions(), f.metadata()
    state = load_file(state_path)
    model = getattr(torchvision.models, name)(weights=None, num_classes=1000)
    want = model.state_dict()
    assert set(state) == set(want), name
    for k, v in state.items():
        assert v.dtype == want[k].dtype and v.shape == want[k].shape, k
    assert int(state["bn1.num_batches_tracked"]) == NUM_BATCHES_TRACKED
    model.load_state_dict(state, strict=True)
    model.eval()

    with safe_open(io_path, framework="pt") as f:
        meta = f.metadata()
        assert set(f.keys()) == {"input", "logits"}, list(f.keys())
        x, logits = f.get_tensor("input"), f.get_tensor("logits")
    assert meta["model"] == name and meta["version"] == "1"
    assert int(meta["parameters"]) == MODELS[name] == sum(p.numel() for p in model.parameters())
    assert int(meta["seed"]) == seed_for(name)
    assert meta["torch"] == torch.__version__ and meta["torchvision"] == torchvision.__version__
    assert x.dtype == logits.dtype == torch.float32
    assert list(x.shape) == INPUT_SHAPE and list(logits.shape) == [INPUT_SHAPE[0], 1000]
    assert torch.isfinite(logits).all()
    # The stored input is the one the seed gives.
    _, x_again, _ = build(name)
    assert torch.equal(x, x_again), name
    with torch.no_grad():
        rel_max, rel_elem = relative_differences(model(x), logits)
    assert rel_max < 1e-4 and rel_elem < 1e-3, (name, rel_max, rel_elem)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "torchvision"),
                    help="output folder (default: the torchvision folder next to this script)")
    ap.add_argument("--only", default="", help="comma-separated subset of " + ",".join(MODELS))
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n] or list(MODELS)
    for n in names:
        assert n in MODELS, n

    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    os.makedirs(args.out, exist_ok=True)
    total, written = 0, []
    for name in names:
        state_path, io_path, size = generate(name, args.out)
        total += size
        written.append((name, state_path, io_path))
    for name, state_path, io_path in written:
        verify(name, state_path, io_path)
    print(f"total {total} bytes in {args.out}; verified {2 * len(written)} files")


if __name__ == "__main__":
    sys.exit(main())
