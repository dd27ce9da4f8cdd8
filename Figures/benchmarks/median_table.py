#!/usr/bin/env python3
"""Joins interleaved benchmark rounds into one Markdown table of medians.

Usage: python3 Figures/benchmarks/median_table.py Figures/benchmarks/run2

The folder holds, per round r: fovea-haswell-r.jsonl and fovea-cooperlake-r.jsonl (fovea-bench with
OPENBLAS_CORETYPE=Haswell as the machine sets it, and with the variable unset) and the PyTorch
scripts' torch-*-r.jsonl. For each measurement name it prints the median throughput over the
rounds for each, and the ratios Fovea / PyTorch (for memory lines, lower is better).
"""
import glob, json, os, statistics, sys

folder = sys.argv[1]

def medians(pattern, lib=None):
    values = {}
    for path in sorted(glob.glob(os.path.join(folder, pattern))):
        for line in open(path):
            d = json.loads(line)
            if d.get("kind") != "measurement":
                continue
            if lib and d.get("backend", d.get("lib")) not in lib:
                continue
            values.setdefault(d["name"], []).append((d["throughput"], d.get("unit", "")))
    return {k: (statistics.median(t for t, _ in v), v[0][1], len(v)) for k, v in values.items()}

haswell, cooperlake = medians("fovea-haswell-*.jsonl"), medians("fovea-cooperlake-*.jsonl")
torch = medians("torch-*.jsonl", lib={"torch", "torch_default", "onednn", "mkl", None, "torch.mm"})
def fmt(v):
    return "–" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.1f}")
print("| measurement | Fovea (Haswell kernel) | Fovea (Cooperlake kernel) | PyTorch | ratio (Haswell) | ratio (Cooperlake) | unit | rounds |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
for name, (h, unit, n) in haswell.items():
    c = cooperlake.get(name, (None,))[0]
    t = torch.get(name, (None,))[0]
    ratio = lambda f: "–" if f is None or t is None or t == 0 else f"{f / t:.2f}×"
    print(f"| {name} | {fmt(h)} | {fmt(c)} | {fmt(t)} | {ratio(h)} | {ratio(c)} | {unit} | {n} |")
