"""Claims of TOPICS.md §2.6 (initialization), run with ember.nn."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn as nn
from ember.experiments import Verdict, claim
from ember.experiments.activations import accuracy, train
from ember.ml.datasets import make_moons, make_two_gaussians


@claim("C071", "Constant initialization makes hidden units identical forever", topics="2.6")
def constant_init_symmetry(quick: bool) -> Verdict:
    X, y = make_moons(300 if quick else 1000, noise=0.2, random_state=0)
    X = X.astype(np.float32)
    ev: dict = {}
    for name in ("constant_0.5", "kaiming"):
        ember.manual_seed(0)
        net = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
        if name != "kaiming":
            for m in net:
                if isinstance(m, nn.Linear):
                    nn.init.constant_(m.weight, 0.5), nn.init.constant_(m.bias, 0.5)
        train(net, X, y, 100 if quick else 400)
        w = net[2].weight.detach().numpy()  # incoming weights of the 2nd hidden layer's units
        ev[f"{name}_max_unit_difference"] = float(np.abs(w - w[:1]).max())
        ev[f"{name}_accuracy"] = accuracy(net, X, y)
    fig = Figure(figsize=(4, 3.5))
    ax = fig.subplots()
    ax.bar(["constant 0.5", "Kaiming"], [ev["constant_0.5_accuracy"], ev["kaiming_accuracy"]])
    ax.set(ylabel="train accuracy (MOONS)", ylim=(0.5, 1))
    ok = ev["constant_0.5_max_unit_difference"] < 1e-6 < ev["kaiming_max_unit_difference"]
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"with constant init all hidden units stay identical (max diff "
                   f"{ev['constant_0.5_max_unit_difference']:.1e}); accuracy {ev['constant_0.5_accuracy']:.0%} "
                   f"vs {ev['kaiming_accuracy']:.0%} with Kaiming init.")


@claim("C072", "Zero initialization is fine for logistic regression", topics="2.6")
def zero_init_logreg(quick: bool) -> Verdict:
    X, y = make_two_gaussians(500 if quick else 2000, random_state=0)
    Xt, yt = ember.tensor(X, dtype=ember.float64), ember.tensor(y, dtype=ember.float64)
    solutions = []
    for seed in range(3 if quick else 10):
        g = ember.Generator().manual_seed(seed)
        w = ember.zeros(X.shape[1] + 1, dtype=ember.float64) if seed == 0 else \
            ember.randn(X.shape[1] + 1, generator=g, dtype=ember.float64)
        w.requires_grad_()
        opt = ember.optim.LBFGS([w], lr=1, max_iter=200, tolerance_grad=1e-12, tolerance_change=0,
                                line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            z = Xt @ w[:-1] + w[-1]
            loss = nn.functional.softplus(z).mean() - (yt * z).mean() + 1e-3 * (w[:-1] ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
        solutions.append(w.detach().numpy().copy())
    diff = float(np.abs(np.array(solutions) - solutions[0]).max())
    ev = {"max_difference_zero_vs_random": diff, "n_starts": len(solutions)}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    for s in solutions:
        ax.plot(s, marker="o", alpha=0.6)
    ax.set(xlabel="coefficient", ylabel="value", title="same optimum from zero and random starts")
    return Verdict("holds" if diff < 1e-6 else "fails", ev, fig,
                   f"zero and random starts reach the same L2-regularized logistic optimum (max diff {diff:.1e}).")


def _first_layer_grad(c: float, act: type, width: int, batch: int, depth: int = 20) -> float:
    ember.manual_seed(0)
    layers: list = []
    for _ in range(depth):
        lin = nn.Linear(width, width, bias=False)
        nn.init.normal_(lin.weight, 0.0, c / np.sqrt(width))
        layers += [lin, act()]
    net = nn.Sequential(*layers)
    x = ember.randn(batch, width)
    net(x).pow(2).mean().backward()
    return float(net[0].weight.grad.norm())


@claim("C073", "Too-large init explodes and too-small init vanishes gradients", topics="2.6")
def init_scale(quick: bool) -> Verdict:
    cs = [0.5, 1.0, 1.5, 2.0]
    ev: dict = {}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    for name, act in [("linear", nn.Identity), ("tanh", nn.Tanh)]:
        g = [_first_layer_grad(c, act, 32 if quick else 64, 64 if quick else 256) for c in cs]
        ev[f"{name}_first_layer_grad"] = dict(zip(map(str, cs), g))
        ax.semilogy(cs, g, marker="o", label=name)
    ax.set(xlabel="c (std = c / sqrt(fan_in))", ylabel="first-layer grad norm, 20 layers"), ax.legend()
    lin = ev["linear_first_layer_grad"]
    ev["linear_ratio_c2_over_c1"] = lin["2.0"] / lin["1.0"]
    ok = lin["0.5"] < 1e-3 * lin["1.0"] and lin["2.0"] > 1e3 * lin["1.0"]
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"20 linear layers: gradient x{lin['0.5'] / lin['1.0']:.1e} at c = 0.5 and "
                   f"x{ev['linear_ratio_c2_over_c1']:.1e} at c = 2 relative to c = 1 (about c^(2L)).")


@claim("C074", "Deep products of factors > 1 grow exponentially", topics="2.6")
def scalar_chain(quick: bool) -> Verdict:
    Ls = list(range(1, 51))
    ev: dict = {"max_rel_error": 0.0}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    for w in (1.5, 0.5):
        grads = []
        for L in Ls:
            x = ember.tensor(1.0, dtype=ember.float64, requires_grad=True)
            h = x
            for _ in range(L):
                h = h * w
            h.backward()
            grads.append(float(x.grad))
        rel = np.abs(np.array(grads) / np.array([w ** L for L in Ls]) - 1).max()
        ev["max_rel_error"] = max(ev["max_rel_error"], float(rel))
        ev[f"grad_L50_w{w}"] = grads[-1]
        ax.semilogy(Ls, grads, label=f"w = {w}")
    ax.set(xlabel="depth L", ylabel="d out / d x"), ax.legend()
    ok = ev["max_rel_error"] < 1e-12
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"the gradient equals w^L exactly (rel err {ev['max_rel_error']:.1e}): "
                   f"1.5^50 = {ev['grad_L50_w1.5']:.2e}, 0.5^50 = {ev['grad_L50_w0.5']:.2e}.")


