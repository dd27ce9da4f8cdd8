#!/usr/bin/env python3
"""PyTorch CPU reference for Fovea's ImageNet-style work: ResNet-18/50 training and
inference throughput at 224 x 224, and the JPEG input pipeline.

Output: one JSON object per line on stdout, as ../shared/bench/*.py and
fovea-bench print them: "kind" = meta (first line), measurement, note (a
measurement skipped, with the reason), total (last line: wall time). A
measurement has "name", "lib": "torch", "throughput", "unit", and the timing
fields median_s / min_s / max_s / repeats / inner / warmup (seconds per call),
so `fovea-bench --compare fovea.jsonl this.jsonl` joins it with Fovea's line of
the same name.

Measurements (names):
  resnet18_train_b32, resnet50_train_b32
      torchvision.models.resnetNN(weights=None), batch 32, random input
      [32, 3, 224, 224] and random labels (1000 classes), created once. A step
      = zero_grad + forward + cross-entropy + backward + SGD(lr 0.1,
      momentum 0.9). throughput = 32 / median step time (images/s).
  resnet18_infer_b32, resnet50_infer_b32
      the same model in eval mode under torch.no_grad(), batch 32.
  imagenet_decode_rrc224
      every JPEG under --data (recursive; .jpg/.jpeg, any case), in sorted
      order, through torchvision's ImageFolder training pipeline:
      PIL Image.open(path).convert("RGB"), RandomResizedCrop(224),
      RandomHorizontalFlip(), ToTensor(), Normalize(ImageNet mean/std).
      One process, torch.set_num_threads(1) while it runs. One timed call is
      one pass over all the files; throughput = files / median pass time.
      Fields "images", "threads": 1, "workers": 0.
  imagenet_decode_rrc224_workersN  (N from --workers, default 1,2)
      the same files and transform as a Dataset, through
      torch.utils.data.DataLoader(batch_size=32, num_workers=N,
      persistent_workers=True); a pass iterates every batch (collated
      [32, 3, 224, 224] tensors). The first, untimed pass starts the workers.
      Fields "images", "workers": N, "batch": 32.
  imagenet_decode_draft_rrc224  (only with --only; not part of the default set)
      as imagenet_decode_rrc224, but with PIL's Image.draft("RGB", (224, 224))
      before convert: libjpeg's DCT scaling (1/2, 1/4, 1/8) to the smallest
      size whose sides are both >= 224, as Fovea's JPEG.decode(path,
      shortSide: 224) does. torchvision's ImageFolder does not do this.

Timing (as ../shared/bench/benchutil.py's time_fn and Fovea's Timing): after
`warmup` calls and one more untimed call, each timed block runs `inner` calls
so that it lasts at least min_block_s (0.1 s for the models; 0 for the data
passes), and `repeats` blocks are timed. The data passes use warmup 0 (their
untimed call warms the page cache), as fovea-bench does.

Usage:
  python3 imagenet_torch.py [--threads 2] [--repeats 5] [--warmup 2]
      [--only NAME[,NAME...]] [--data DIR] [--workers 1,2] [--quick]
--quick is a smoke test: repeats 1, warmup 0, models at batch 2 and 64 x 64,
at most 64 images; its names end in "_quick", so they never join with real
results.

Self-contained: needs torch, torchvision, pillow (numpy through torch);
threadpoolctl is optional (BLAS info in the meta line).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import time

import PIL
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data",
                                             "imagenet-sample"))
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
MODELS = ("resnet18", "resnet50")
MODES = ("train", "infer")


# ---------------------------------------------------------------------------
# Output and timing (the same as ../shared/bench/benchutil.py, copied so that
# this script runs on its own)
# ---------------------------------------------------------------------------
def emit(obj):
    print(json.dumps(obj, sort_keys=False), flush=True)


def env_meta(script):
    return {
        "kind": "meta",
        "script": script,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "nproc": os.cpu_count(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
        "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "argv": sys.argv[1:],
    }


def time_fn(fn, warmup=3, repeats=15, min_block_s=0.05, max_inner=1000):
    """Median seconds per call of fn(): `warmup` calls, one more untimed call
    that sizes `inner` (calls per timed block, so that a block lasts at least
    min_block_s), then `repeats` timed blocks."""
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    inner = 1
    if one < min_block_s:
        inner = min(max_inner, max(1, int(min_block_s / max(one, 1e-9)) + 1))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return {
        "median_s": statistics.median(samples),
        "min_s": min(samples),
        "max_s": max(samples),
        "repeats": repeats,
        "inner": inner,
        "warmup": warmup,
    }


def blas_info():
    try:
        import threadpoolctl
        return [
            {k: d.get(k) for k in ("internal_api", "version", "architecture",
                                   "num_threads", "threading_layer", "filepath")}
            for d in threadpoolctl.threadpool_info()
        ]
    except Exception as e:  # threadpoolctl is optional
        return [{"error": repr(e)}]


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------
def forward_flops_per_image(model, size):
    """2 x multiply-adds of the conv and linear layers for one 3 x size x size image."""
    total = [0]

    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d):
            k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels // mod.groups
            total[0] += 2 * out.numel() * k
        elif isinstance(mod, nn.Linear):
            total[0] += 2 * out.numel() * mod.in_features

    hs = [m.register_forward_hook(hook) for m in model.modules()
          if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model.eval()
        model(torch.zeros(1, 3, size, size))
    for h in hs:
        h.remove()
    return total[0]


def measure_model(name, model_name, mode, batch, size, args):
    torch.manual_seed(0)
    model = getattr(torchvision.models, model_name)(weights=None, num_classes=1000)
    fpi = forward_flops_per_image(model, size)
    nparams = sum(p.numel() for p in model.parameters())
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 1000, (batch,))
    if mode == "train":
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        flops = 3 * fpi * batch  # forward + about twice that for backward
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x)
        flops = fpi * batch
    r = time_fn(step, warmup=args.warmup, repeats=args.repeats, min_block_s=0.1)
    emit({
        "kind": "measurement",
        "name": name,
        "lib": "torch",
        "model": model_name, "mode": mode, "batch": batch,
        "shape": [batch, 3, size, size],
        **r,
        "throughput": batch / r["median_s"], "unit": "images/s",
        "params": nparams,
        "fwd_mflop_per_image": fpi / 1e6,
        "approx_gflops": flops / r["median_s"] / 1e9,
        "threads": torch.get_num_threads(),
    })


# ---------------------------------------------------------------------------
# Input pipeline
# ---------------------------------------------------------------------------
def find_jpegs(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames.sort()
        for f in filenames:
            if f.lower().endswith((".jpg", ".jpeg")):
                found.append(os.path.join(dirpath, f))
    return sorted(found)


def training_transform(size):
    # torchvision's ImageNet training transform (as in its reference scripts).
    return transforms.Compose([
        transforms.RandomResizedCrop(size),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])


def load_rgb(path, draft_size=None):
    # torchvision.datasets.folder.pil_loader, optionally with DCT-scaled decoding.
    with open(path, "rb") as f:
        img = Image.open(f)
        if draft_size is not None:
            img.draft("RGB", (draft_size, draft_size))
        return img.convert("RGB")


class JPEGFiles(torch.utils.data.Dataset):
    """The files as an ImageFolder would serve them (label 0: labels are not timed)."""

    def __init__(self, paths, transform, draft_size=None):
        self.paths, self.transform, self.draft_size = paths, transform, draft_size

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.transform(load_rgb(self.paths[i], self.draft_size)), 0


def measure_decode(name, paths, size, args, draft=False):
    transform = training_transform(size)
    draft_size = size if draft else None
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(0)

        def one_pass():
            for p in paths:
                transform(load_rgb(p, draft_size))
        r = time_fn(one_pass, warmup=0, repeats=args.repeats, min_block_s=0.0)
    finally:
        torch.set_num_threads(threads)
    emit({
        "kind": "measurement", "name": name, "lib": "torch",
        "images": len(paths), "threads": 1, "workers": 0, "size": size,
        "decode": "PIL draft (DCT-scaled)" if draft else "PIL full size",
        **r,
        "throughput": len(paths) / r["median_s"], "unit": "images/s",
    })


def measure_loader(name, paths, size, workers, args):
    torch.manual_seed(0)
    dataset = JPEGFiles(paths, training_transform(size))
    loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=False,
                                         num_workers=workers, persistent_workers=True)

    def one_pass():
        n = 0
        for xb, _ in loader:
            n += xb.shape[0]
        assert n == len(paths), n
    try:
        r = time_fn(one_pass, warmup=0, repeats=args.repeats, min_block_s=0.0)
    finally:
        del loader  # stops the persistent workers
    emit({
        "kind": "measurement", "name": name, "lib": "torch",
        "images": len(paths), "workers": workers, "batch": 32, "size": size,
        "main_threads": torch.get_num_threads(),
        **r,
        "throughput": len(paths) / r["median_s"], "unit": "images/s",
    })


# ---------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--repeats", type=int, default=5, help="timed blocks per measurement")
    ap.add_argument("--warmup", type=int, default=2, help="untimed model steps before timing")
    ap.add_argument("--only", default="", help="comma-separated measurement names")
    ap.add_argument("--data", default=DEFAULT_DATA,
                    help="ImageFolder tree searched for JPEGs (default: %(default)s)")
    ap.add_argument("--workers", default="1,2",
                    help="DataLoader worker counts, comma-separated (default 1,2)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: repeats 1, warmup 0, models at batch 2 and 64x64, <= 64 images")
    args = ap.parse_args()

    t_start = time.perf_counter()
    if args.quick:
        args.repeats, args.warmup = 1, 0
    batch, size, suffix = (2, 64, "_quick") if args.quick else (32, 224, "")
    workers = [int(w) for w in args.workers.split(",") if w]

    # (base name, kind, parameters); names are Fovea's (`<model>_<mode>_b<batch>`).
    cases = [(f"{m}_{mode}_b32", "model", (m, mode)) for m in MODELS for mode in MODES]
    cases.append(("imagenet_decode_rrc224", "decode", False))
    cases += [(f"imagenet_decode_rrc224_workers{w}", "loader", w) for w in workers]
    optional = [("imagenet_decode_draft_rrc224", "decode", True)]
    only = [n for n in args.only.split(",") if n]
    for n in only:  # --only imagenet_decode_rrc224_workersN runs N even when --workers lacks it
        w = n[len("imagenet_decode_rrc224_workers"):]
        if n.startswith("imagenet_decode_rrc224_workers") and w.isdigit() and int(w) not in workers:
            workers.append(int(w))
            cases.append((n, "loader", int(w)))
    known = {c[0] for c in cases + optional}
    unknown = [n for n in only if n not in known]
    if unknown:
        ap.error(f"unknown measurement(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    selected = [c for c in cases + optional if (c[0] in only if only else c in cases)]

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    paths = find_jpegs(args.data) if os.path.isdir(args.data) else []
    if args.quick:
        paths = paths[:64]
    meta = env_meta("imagenet_torch.py")
    meta.update({
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "pillow": PIL.__version__,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "mkldnn_available": torch.backends.mkldnn.is_available(),
        "mkldnn_enabled": torch.backends.mkldnn.enabled,
        "mkl_available": torch.backends.mkl.is_available(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "blas_libs": blas_info(),
        "data": os.path.abspath(args.data),
        "images": len(paths),
        "quick": args.quick,
    })
    emit(meta)

    for base, kind, param in selected:
        name = base + suffix
        if kind == "model":
            model_name, mode = param
            measure_model(name.replace("_b32", f"_b{batch}"), model_name, mode, batch, size, args)
            continue
        if not paths:
            emit({"kind": "note", "name": name,
                  "skipped": f"no .jpg/.jpeg files under {os.path.abspath(args.data)} (pass --data DIR)"})
            continue
        if kind == "decode":
            measure_decode(name, paths, 224, args, draft=param)
        else:
            measure_loader(name, paths, 224, param, args)
    emit({"kind": "total", "script": "imagenet_torch.py",
          "wall_s": time.perf_counter() - t_start})


if __name__ == "__main__":
    main()
