"""MNIST data pipeline and LeNet-5 epoch time, ember vs PyTorch in one run (issue 6).

    python benchmarks/data_pipeline.py [--epochs-limit N]

1. DataLoader throughput (images/s) over MNIST's 60k training images with per-item
   normalisation, num_workers 0 and 2, ember vs torch.utils.data.
2. One training epoch of the demo's LeNet-5 recipe (ReLU, max-pool, Adam + one-cycle, batch 128)
   in ember and in torch (a layer-for-layer twin), same thread count.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

import ember

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets")


def mnist(lib, root, limit):
    from ember.vision.datasets import MNIST

    ds = MNIST(root, train=True)
    x = ds.data[:limit].numpy().astype(np.float32)[:, None] / 255.0
    y = ds.targets[:limit].numpy()
    return lib.tensor((x - 0.1307) / 0.3081), lib.tensor(y)


class Normalized:
    """A map-style dataset doing per-item work (like a transform), identical for both libraries."""

    def __init__(self, lib, x, y):
        self.lib, self.x, self.y = lib, x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i] * 1.0, self.y[i]


def loader_throughput(lib, x, y, workers):
    DL = ember.utils.data.DataLoader if lib is ember else torch.utils.data.DataLoader
    dl = DL(Normalized(lib, x, y), batch_size=128, shuffle=True, num_workers=workers)
    t0 = time.perf_counter()
    n = sum(len(b[1]) for b in dl)
    return n / (time.perf_counter() - t0)


def lenet(lib):
    nn = lib.nn
    lib.manual_seed(0)
    return nn.Sequential(nn.ZeroPad2d(2), nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 120, 5),
                         nn.ReLU(), nn.Flatten(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def epoch_time(lib, x, y):
    m = lenet(lib)
    opt = lib.optim.Adam(m.parameters(), lr=1e-2)
    steps = (len(y) + 127) // 128
    sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=steps)
    perm = np.random.default_rng(0).permutation(len(y))
    t0 = time.perf_counter()
    for i in range(0, len(y), 128):
        idx = lib.tensor(perm[i:i + 128])
        loss = lib.nn.functional.cross_entropy(m(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    return time.perf_counter() - t0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", default=os.environ.get("EMBER_DATA") or ROOT)
    p.add_argument("--limit", type=int, default=60000, help="training images used")
    a = p.parse_args()
    for lib in (ember, torch):
        x, y = mnist(lib, a.root, a.limit)
        for w in (0, 2):
            print(f"{lib.__name__:>5} DataLoader workers={w}: {loader_throughput(lib, x, y, w):9.0f} img/s")
    te, tt = (epoch_time(lib, *mnist(lib, a.root, a.limit)) for lib in (ember, torch))
    print(f"LeNet-5 epoch ({a.limit} images): ember {te:.1f} s, torch {tt:.1f} s, ratio {te / tt:.2f} "
          f"(torch threads {torch.get_num_threads()})")
