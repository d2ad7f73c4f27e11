"""Shared fixtures (TOPICS §2.0: QUAD, ROSEN, SADDLE, LINREG, LOGREG, MOONS) and helpers for the
optimization claims, including the classic optimizer-trajectory figure."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.figure import Figure

import ember
from ember.nn import Parameter


def quad(kappa: float = 100.0, d: int = 2) -> tuple[Callable, np.ndarray]:
    """QUAD: ``f(x) = 0.5 * sum_i a_i x_i^2`` with a log-spaced from 1 to kappa; returns (f, a)."""
    a = np.logspace(0, np.log10(kappa), d)
    at = ember.tensor(a)
    return (lambda x: 0.5 * (at * x * x).sum()), a


def rosen(x: Any) -> Any:
    """ROSEN: ``(1 - x)^2 + 100 (y - x^2)^2`` (works on ember tensors and numpy arrays)."""
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def saddle(x: Any) -> Any:
    """SADDLE: ``x^2 + y^4/4 - y^2`` (saddle at 0, minima at y = +-sqrt(2))."""
    return x[0] ** 2 + 0.25 * x[1] ** 4 - x[1] ** 2


def linreg(rng: np.random.Generator, n: int = 1000, d: int = 20, noise: float = 0.5):
    """LINREG: ``y = X w_true + noise``; returns (X, y, w_true)."""
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d)
    return X, X @ w + noise * rng.standard_normal(n), w


def logreg_data(rng: np.random.Generator, n: int = 2000, d: int = 10):
    """LOGREG: two overlapping Gaussian classes (means +-0.65/sqrt(d) per coordinate, Bayes acc ~ 0.9)."""
    y = rng.integers(0, 2, n).astype(np.float64)
    mu = np.full(d, 1.3 / np.sqrt(d))
    X = rng.standard_normal((n, d)) + np.where(y[:, None] > 0, mu, -mu) / 1.0
    return X, y


def logistic_loss(X: Any, y: Any, w: Any, l2: float = 1e-4) -> Any:
    """Mean logistic loss + 0.5 * l2 * |w|^2 on ember tensors."""
    z = X @ w
    return (ember.nn.functional.softplus(z) - y * z).mean() + 0.5 * l2 * (w * w).sum()


def moons(rng: np.random.Generator, n: int = 1000, noise: float = 0.2):
    """MOONS: two interleaving half circles; returns (X (n, 2), y (n,) in {0, 1})."""
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return X + noise * rng.standard_normal((n, 2)), y.astype(np.float64)


def descend(opt_cls: Callable, f: Callable, x0: Any, steps: int, noise: float = 0.0, seed: int = 0,
            stop: Callable[[np.ndarray, float], bool] | None = None, **kw: Any) -> tuple[np.ndarray, np.ndarray]:
    """Run ``opt_cls([x], **kw)`` on ``f`` from x0 (float64); optional additive gradient noise.

    Returns (path (k+1, d), losses (k,)); stops early when ``stop(x, loss)`` is true.
    """
    rng = np.random.default_rng(seed)
    x = Parameter(ember.tensor(np.asarray(x0, dtype=np.float64)))
    opt = opt_cls([x], **kw)
    path, losses = [x.detach().numpy().copy()], []
    for _ in range(steps):
        opt.zero_grad()
        loss = f(x)
        loss.backward()
        if noise:
            x.grad._data += noise * rng.standard_normal(x.shape)
        opt.step()
        path.append(x.detach().numpy().copy())
        losses.append(float(loss))
        if not np.all(np.isfinite(path[-1])) or (stop is not None and stop(path[-1], losses[-1])):
            break
    return np.array(path), np.array(losses)


def first_index(mask: np.ndarray, default: int) -> int:
    """Index of the first True in ``mask`` (``default`` if none)."""
    idx = np.flatnonzero(mask)
    return int(idx[0]) if idx.size else default


def plot_trajectories(f: Callable[[np.ndarray], np.ndarray], paths: dict[str, np.ndarray],
                      extent: tuple[float, float, float, float], title: str = "", log_levels: bool = True,
                      ax: Any = None) -> Figure:
    """Contour plot of a 2-D test function with one optimizer path per entry of ``paths``.

    Args:
        f: vectorised ``f(np.stack([X, Y]))`` for grids.  paths: name -> (k, 2) iterates.
        extent: (xmin, xmax, ymin, ymax).  log_levels: log-spaced contour levels (for ROSEN).
    """
    fig = ax.figure if ax is not None else Figure(figsize=(5, 4))
    ax = ax if ax is not None else fig.add_subplot(1, 1, 1)
    X, Y = np.meshgrid(np.linspace(extent[0], extent[1], 200), np.linspace(extent[2], extent[3], 200))
    Z = f(np.stack([X, Y]))
    if log_levels:
        levels = np.logspace(np.log10(max(Z.min(), 1e-3)), np.log10(Z.max()), 20)
    else:
        levels = np.linspace(Z.min(), Z.max(), 20)
    ax.contour(X, Y, Z, levels=levels, cmap="Greys", linewidths=0.6)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=1, label=name)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_title(title)
    ax.legend(fontsize=7)
    return fig


def curves_figure(curves: dict[str, np.ndarray], title: str, xlabel: str = "iteration", ylabel: str = "loss",
                  logy: bool = True) -> Figure:
    """One line per entry (e.g. loss curves) on a log-y axis."""
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    for name, c in curves.items():
        ax.plot(np.arange(len(c)), c, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7)
    return fig


def verdict_status(checks: dict[str, bool]) -> str:
    """"holds" when every check passed, else "fails" (checks are converted to Python bools in place)."""
    for k, v in checks.items():
        checks[k] = bool(v)
    return "holds" if all(checks.values()) else "fails"


def glyph_flat(n: int, seed: int = 0, size: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """GLYPH (TOPICS §2.0) flattened for MLPs: X (n, size*size) float32, y (n,) int64.

    Reuses the seven-segment generator ``cnn_training.glyph`` (shift +-2 px, thickness jitter, noise).
    """
    from .cnn_training import glyph

    X, y = glyph(n, size=size, seed=seed)
    return X.reshape(n, -1), y.astype(np.int64)


def mlp(sizes: list[int], seed: int) -> Any:
    """ReLU MLP ``Linear(sizes[0], sizes[1]) -> ReLU -> ... -> Linear(.., sizes[-1])`` with torch's default
    init drawn after ``ember.manual_seed(seed)``."""
    ember.manual_seed(seed)
    layers: list = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers += [ember.nn.Linear(a, b)] + ([ember.nn.ReLU()] if i < len(sizes) - 2 else [])
    return ember.nn.Sequential(*layers)


def train_epoch(net: Any, opt: Any, X: np.ndarray, y: np.ndarray, batch: int, rng: np.random.Generator,
                on_step: Callable[[], bool] | None = None) -> float:
    """One epoch of shuffled mini-batch cross-entropy training (last batch may be smaller).

    ``on_step()`` runs after every update; returning True ends the epoch early. Returns the mean batch
    loss (``nan`` when the loss became non-finite, after which training stops).
    """
    perm, losses = rng.permutation(len(X)), []
    for i in range(0, len(X), batch):
        idx = perm[i:i + batch]
        opt.zero_grad()
        loss = ember.nn.functional.cross_entropy(net(ember.tensor(X[idx])), ember.tensor(y[idx]))
        loss.backward()
        opt.step()
        losses.append(float(loss))
        if not np.isfinite(losses[-1]) or (on_step is not None and on_step()):
            break
    return float(np.mean(losses)) if np.all(np.isfinite(losses)) else float("nan")


def accuracy(net: Any, X: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of ``argmax(net(X))`` without building a graph."""
    with ember.no_grad():
        return float(np.mean(net(ember.tensor(X)).argmax(1).numpy() == y))


def mean_over_seeds(rows: list[dict[str, float]]) -> dict[str, float]:
    """Element-wise mean of per-seed result dicts with the same keys."""
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}
