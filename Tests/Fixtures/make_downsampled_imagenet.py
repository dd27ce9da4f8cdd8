#!/usr/bin/env python3
"""A tiny downsampled-ImageNet fixture in the official format, for Fovea's reader tests.

Run from the repository root (needs only numpy):

    ~/torch-ref/bin/python Tests/Fixtures/make_downsampled_imagenet.py

Writes Tests/Fixtures/imagenet8/:
  * train_data_batch_1.npz (12 images), train_data_batch_2.npz (8 images) and
    val_data.npz (6 images), written with numpy.savez exactly as the official
    Imagenet{8,16,32,64}_*_npz files are: `data` uint8 [N, 3*8*8] (the red
    plane, then green, then blue, each row-major), `labels` int64 [N] in
    1..1000, and in the training files `mean` float64 [3*8*8].
  * map_clsloc.txt: lines "WNID NUMBER NAME" numbering the 1000 ILSVRC-2012
    wnids in a seeded shuffled order (NOT the devkit's order, which is not
    reproduced here): the tests check that labels are renumbered through it.

Also Tests/Fixtures/npz-bad/: label0.npz (a label 0, outside 1..1000) and
fortran.npz (`data` saved in Fortran order), for the error tests.

Pixels are a known function, so that the tests can check the layout:
    value(image i, channel c, row y, column x) = (7*i + 50*c + 8*y + x) % 256
with i counting through the training files in order (0..19), and separately
for val_data.npz (0..5).
"""
import os
import numpy as np

SIDE = 8
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "imagenet8")
SYNSETS = os.path.join(HERE, "..", "..", "Sources", "FoveaData", "Resources", "imagenet-synsets.txt")


def images(count):
    i, c, y, x = np.meshgrid(np.arange(count), np.arange(3), np.arange(SIDE), np.arange(SIDE), indexing="ij")
    return ((7 * i + 50 * c + 8 * y + x) % 256).astype(np.uint8).reshape(count, 3 * SIDE * SIDE)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(8)
    train = images(20)
    labels = np.concatenate([[1, 1000, 2], rng.integers(1, 1001, size=17)]).astype(np.int64)
    mean = train.astype(np.float64).mean(axis=0)
    np.savez(os.path.join(OUT, "train_data_batch_1.npz"), data=train[:12], labels=labels[:12], mean=mean)
    np.savez(os.path.join(OUT, "train_data_batch_2.npz"), data=train[12:], labels=labels[12:], mean=mean)
    val_labels = rng.integers(1, 1001, size=6).astype(np.int64)
    np.savez(os.path.join(OUT, "val_data.npz"), data=images(6), labels=val_labels)
    wnids = [line.split(" ", 1)[0] for line in open(SYNSETS).read().splitlines() if line]
    assert len(wnids) == 1000
    order = rng.permutation(1000)
    with open(os.path.join(OUT, "map_clsloc.txt"), "w") as f:
        for number, k in enumerate(order, start=1):
            f.write(f"{wnids[k]} {number} fixture_class_{number}\n")
    bad = os.path.join(HERE, "npz-bad")
    os.makedirs(bad, exist_ok=True)
    np.savez(os.path.join(bad, "label0.npz"), data=images(3), labels=np.array([5, 0, 7], dtype=np.int64))
    np.savez(os.path.join(bad, "fortran.npz"), data=np.asfortranarray(images(3)), labels=np.array([5, 6, 7], dtype=np.int64))
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")
    # Reload and check what was written.
    first = np.load(os.path.join(OUT, "train_data_batch_1.npz"))
    assert first["data"].dtype == np.uint8 and first["data"].shape == (12, 192) and first["labels"].tolist() == labels[:12].tolist()
    print("train labels:", labels.tolist())
    print("val labels:", val_labels.tolist())
    print("labels of the first three after renumbering (synset indices):", [int(order[l - 1]) for l in labels[:3]])


if __name__ == "__main__":
    main()
