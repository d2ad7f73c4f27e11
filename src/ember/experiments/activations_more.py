"""Claims C040, C042 and C043 (TOPICS.md §2.3): tanh vs sigmoid, mirrored one-sided activations,
and BN's invariance to the weight scale. Seeds fixed; every number is computed by the run."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.experiments._nn_common import acc, bar_with_errors, fit, mean_se, paired_diff
from ember.experiments.activations import mlp, spiral
from ember.experiments.activations import train as train_full_batch
from ember.ml.datasets import make_moons


@claim("C040", "tanh (zero-centred) converges faster than sigmoid in hidden layers", topics="2.3")
def tanh_faster_than_sigmoid(quick: bool) -> Verdict:
    X, y = make_moons(300 if quick else 1000, noise=0.2, random_state=0)
    X = X.astype(np.float32)
    seeds, max_epochs = (2, 40) if quick else (5, 150)
    epochs_to: dict[str, list[float]] = {"tanh": [], "sigmoid": []}
    curves: dict[str, list[float]] = {}
    for name, act in (("tanh", nn.Tanh), ("sigmoid", nn.Sigmoid)):
        for s in range(seeds):
            ember.manual_seed(s)
            net = mlp([2, 32, 32, 2], act, init="xavier")  # 3 layers, Xavier init
            hist: list[float] = []
            fit(net, X, y, max_epochs, lr=0.05, batch=32, seed=s, optimizer="sgd",
                on_epoch=lambda e, n=net, h=hist: h.append(acc(n, X, y)))
            epochs_to[name].append(next((i + 1.0 for i, a in enumerate(hist) if a >= 0.95), float(max_epochs + 1)))
            curves.setdefault(name, hist)
    diff, se = paired_diff(epochs_to["sigmoid"], epochs_to["tanh"])
    ev = {"epochs_to_95_tanh": mean_se(epochs_to["tanh"])[0], "epochs_to_95_sigmoid": mean_se(epochs_to["sigmoid"])[0],
          "sigmoid_minus_tanh_epochs": diff, "se": se, "seeds": seeds,
          "censored_at": max_epochs + 1, "per_seed": epochs_to}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    for name, c in curves.items():
        ax.plot(range(1, len(c) + 1), c, label=f"{name} (seed 0)")
    ax.axhline(0.95, color="k", ls=":")
    ax.set(xlabel="epoch (SGD-momentum, lr 0.05)", ylabel="train accuracy", title="C040: MOONS, 3 layers")
    ax.legend()
    status = "holds" if diff > 0 and all(t < s for t, s in zip(epochs_to["tanh"], epochs_to["sigmoid"])) else \
        "fails" if diff <= 0 else "depends"
    if status == "depends":
        ev["condition"] = "tanh is faster on average but not for every seed"
    return Verdict(status, ev, fig,
                   f"epochs to 95% accuracy: tanh {ev['epochs_to_95_tanh']:.1f} vs sigmoid "
                   f"{ev['epochs_to_95_sigmoid']:.1f} (mean over {seeds} seeds).")


class _Fn(nn.Module):
    """Wrap an elementwise function of a Tensor as a Module."""

    def __init__(self, fn, name: str) -> None:
        super().__init__()
        self.fn, self.name = fn, name

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.fn(x)

    def extra_repr(self) -> str:
        return self.name


_ONE_SIDED = {"relu(x)": lambda x: F.relu(x), "relu(-x)": lambda x: F.relu(-x), "-relu(-x)": lambda x: -F.relu(-x)}


@claim("C042", "A mirrored or rotated one-sided activation (relu(-x), -relu(-x)) trains equally well",
       topics="2.3")
def mirrored_relu(quick: bool) -> Verdict:
    X, y = spiral(100 if quick else 300)
    seeds, steps = (2, 60) if quick else (5, 200)
    accs: dict[str, list[float]] = {k: [] for k in _ONE_SIDED}
    losses: dict[str, list[float]] = {k: [] for k in _ONE_SIDED}
    for name, fn in _ONE_SIDED.items():
        for s in range(seeds):
            ember.manual_seed(s)
            net = mlp([2, 64, 64, 3], lambda f=fn, n=name: _Fn(f, n))
            losses[name].append(train_full_batch(net, X, y, steps)[-1])
            accs[name].append(acc(net, X, y))
    means = {k: mean_se(v)[0] for k, v in accs.items()}
    spread = max(means.values()) - min(means.values())
    pooled_se = float(np.sqrt(np.mean([np.var(v, ddof=1) for v in accs.values()]) / seeds))
    ev = {f"acc_{k}": m for k, m in means.items()}
    ev.update({f"final_loss_{k}": mean_se(v)[0] for k, v in losses.items()})
    ev.update(spread=spread, pooled_se=pooled_se, seeds=seeds, steps=steps)
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(accs), accs, "train accuracy", "C042: SPIRAL, 2 hidden layers")
    # equal within noise: spread of the means below 3 pooled SE (plus half a percent of slack)
    status = "holds" if spread <= 3 * pooled_se + 0.005 else "fails"
    return Verdict(status, ev, fig,
                   "accuracy " + ", ".join(f"{k} {m:.3f}" for k, m in means.items())
                   + f" (spread {spread:.3f}, pooled SE {pooled_se:.3f}).")


def _scale_response(a: float, bn: bool, x: np.ndarray, w: np.ndarray, r: np.ndarray) -> tuple:
    """Output, d(sum(out*r))/dx and d/dW of Linear(W * a, no bias) [-> BatchNorm1d, train mode]."""
    lin = nn.Linear(w.shape[1], w.shape[0], bias=False).double()
    with ember.no_grad():
        lin.weight.copy_(ember.tensor(w * a))
    net = nn.Sequential(lin, nn.BatchNorm1d(w.shape[0], eps=1e-12).double()) if bn else lin
    xt = ember.tensor(x, requires_grad=True)
    out = net(xt)
    gx, gw = ember.autograd.grad((out * ember.tensor(r)).sum(), [xt, lin.weight])
    return out.detach().numpy(), gx.numpy(), gw.numpy()


@claim("C043", "BN removes the amplifying/shrinking effect of the weight scale on backpropagation",
       topics="2.3")
def bn_scale_invariance(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    x, w, r = rng.standard_normal((64, 20)), rng.standard_normal((16, 20)) / 20 ** 0.5, rng.standard_normal((64, 16))
    ev: dict = {}
    rel = lambda a, b: float(np.abs(a - b).max() / np.abs(b).max())
    for bn in (True, False):
        tag = "bn" if bn else "plain"
        base = _scale_response(1.0, bn, x, w, r)
        for a in (0.1, 10.0):
            out, gx, gw = _scale_response(a, bn, x, w, r)
            ev[f"{tag}_a{a}_output_ratio"] = float(np.linalg.norm(out) / np.linalg.norm(base[0]))
            ev[f"{tag}_a{a}_input_grad_ratio"] = float(np.linalg.norm(gx) / np.linalg.norm(base[1]))
            ev[f"{tag}_a{a}_weight_grad_ratio"] = float(np.linalg.norm(gw) / np.linalg.norm(base[2]))
            if bn:
                ev[f"bn_a{a}_max_rel_dev"] = max(rel(out, base[0]), rel(gx, base[1]), rel(gw * a, base[2]))
    ok = all(ev[f"bn_a{a}_max_rel_dev"] < 1e-8 for a in (0.1, 10.0)) and \
        abs(ev["plain_a10.0_output_ratio"] - 10) < 1e-9 and abs(ev["plain_a10.0_input_grad_ratio"] - 10) < 1e-9
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    names = ["output", "input_grad", "weight_grad"]
    for k, tag in enumerate(("bn", "plain")):
        ax.bar(np.arange(3) + 0.4 * k, [ev[f"{tag}_a10.0_{n}_ratio"] for n in names], 0.4, label=tag)
    ax.set(xticks=np.arange(3) + 0.2, xticklabels=names, yscale="log", ylabel="ratio at W x 10 vs W",
           title="C043: Linear -> BN is scale invariant")
    ax.legend()
    return Verdict("holds" if ok else "fails", ev, fig,
                   "with BN, scaling W by a leaves outputs and input gradients unchanged and scales dL/dW by "
                   f"1/a (max rel dev {max(ev['bn_a0.1_max_rel_dev'], ev['bn_a10.0_max_rel_dev']):.1e}); "
                   "without BN both scale by a.")
