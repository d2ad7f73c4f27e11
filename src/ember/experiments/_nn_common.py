"""Training loops and statistics shared by the *_more claim modules (TOPICS.md §2.2-§2.5).

Everything here uses the public ember API; the fixtures (GLYPH, SPIRAL, MOONS) come from the
existing claim modules so that every area trains on the same data.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

import ember
import ember.nn.functional as F
from ember import nn


def fit(net: nn.Module, X: np.ndarray, y: np.ndarray, epochs: int, lr: float = 1e-3, batch: int = 32,
        seed: int = 0, optimizer: str = "adam", augment: Callable | None = None,
        loss_fn: Callable | None = None, on_epoch: Callable[[int], None] | None = None) -> None:
    """Mini-batch training with cross-entropy (or ``loss_fn(net, xb, yb)``).

    ``augment(xb, rng)`` transforms each NumPy batch; ``on_epoch(e)`` is called after epoch e (1-based)
    with the net back in train mode afterwards. Optimizer: Adam, or SGD with momentum 0.9.
    """
    params = list(net.parameters())
    opt = ember.optim.Adam(params, lr=lr) if optimizer == "adam" else ember.optim.SGD(params, lr=lr, momentum=0.9)
    rng = np.random.default_rng(seed)
    for e in range(epochs):
        net.train()
        for idx in np.array_split(rng.permutation(len(X)), max(1, len(X) // batch)):
            xb = X[idx] if augment is None else augment(X[idx], rng)
            xt, yt = ember.tensor(xb), ember.tensor(y[idx])
            loss = F.cross_entropy(net(xt), yt) if loss_fn is None else loss_fn(net, xt, yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if on_epoch is not None:
            on_epoch(e + 1)


def predict(net: nn.Module, X: np.ndarray) -> np.ndarray:
    """Eval-mode outputs as a NumPy array (net is left in eval mode)."""
    net.eval()
    with ember.no_grad():
        return net(ember.tensor(X)).numpy()


def acc(net: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    """Eval-mode accuracy of argmax(net(X))."""
    return float(np.mean(predict(net, X).argmax(1) == y))


def mean_se(values: list[float]) -> tuple[float, float]:
    """Mean and standard error (ddof 1; 0 for a single value)."""
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(len(v))) if len(v) > 1 else 0.0


def paired_diff(a: list[float], b: list[float]) -> tuple[float, float]:
    """Mean and standard error of the per-seed differences a - b."""
    return mean_se(list(np.asarray(a) - np.asarray(b)))


def bar_with_errors(ax, names: list[str], values: dict[str, list[float]], ylabel: str, title: str) -> None:
    """Bar chart of mean +- standard error over seeds for each name."""
    stats = [mean_se(values[n]) for n in names]
    ax.bar(names, [m for m, _ in stats], yerr=[s for _, s in stats], capsize=4)
    ax.set(ylabel=ylabel, title=title)


def glyph_flat(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """GLYPH seven-segment digits (16x16, shift +-2 px, noise; cnn_training.glyph) flattened to (n, 256).

    With 300 training samples an MLP reaches 100% training but about 50% test accuracy: room to
    measure regularizers.
    """
    from ember.experiments.cnn_training import glyph

    X, y = glyph(n, seed=seed)
    return X.reshape(n, -1), y


def verdict_from_diff(mean: float, se: float, expect_positive: bool = True) -> str:
    """'holds' when the paired difference is > 2 SE in the predicted direction, 'fails' when it is
    not positive, else 'depends' (within seed noise)."""
    m = mean if expect_positive else -mean
    if m > 2 * se and m > 0:
        return "holds"
    return "fails" if m <= 0 else "depends"
