"""Claims of TOPICS.md §2.3 (activations and gradient flow), run with ember.nn."""
from __future__ import annotations

import time

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.experiments import Verdict, claim
from ember.ml.datasets import make_moons


def spiral(n_per_class: int = 300, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """SPIRAL fixture (TOPICS §2.0): 3 interleaved noisy spiral arms in 2-D."""
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), classes)
    y = np.repeat(np.arange(classes), n_per_class)
    t = y * 4.0 + r * 4.0 + rng.normal(0, 0.2, r.size)
    return np.stack([r * np.sin(t), r * np.cos(t)], 1).astype(np.float32), y


def mlp(sizes: list[int], act: type, init: str = "kaiming") -> nn.Sequential:
    """Linear/act stack (no act after the last layer) with Kaiming (ReLU) or Xavier init."""
    layers: list = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nn.Linear(a, b)
        (nn.init.kaiming_normal_ if init == "kaiming" else nn.init.xavier_normal_)(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin] + ([act()] if i < len(sizes) - 2 else [])
    return nn.Sequential(*layers)


def ce_loss(net: nn.Module, X: ember.Tensor, y: ember.Tensor) -> ember.Tensor:
    """Mean cross-entropy -log softmax(net(X))[y]."""
    return -F.log_softmax(net(X), dim=1).gather(1, y.unsqueeze(1)).mean()


def train(net: nn.Module, X: np.ndarray, y: np.ndarray, steps: int, lr: float = 1e-2) -> list[float]:
    """Full-batch Adam; returns the loss curve."""
    opt = ember.optim.Adam(net.parameters(), lr=lr)
    Xt, yt = ember.tensor(X), ember.tensor(y)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ce_loss(net, Xt, yt)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses


def accuracy(net: nn.Module, X: np.ndarray, y: np.ndarray) -> float:
    with ember.no_grad():
        return float((net(ember.tensor(X)).argmax(1).numpy() == y).mean())


@claim("C035", "ReLU avoids the vanishing gradients of sigmoid", topics="2.3")
def relu_vs_sigmoid_gradients(quick: bool) -> Verdict:
    X, y = spiral(100 if quick else 300)
    steps = 60 if quick else 400
    fig = Figure(figsize=(9, 3.5))
    ax1, ax2 = fig.subplots(1, 2)
    ev: dict = {}
    for name, act, init in [("sigmoid", nn.Sigmoid, "xavier"), ("tanh", nn.Tanh, "xavier"), ("relu", nn.ReLU, "kaiming")]:
        ember.manual_seed(0)
        net = mlp([2] + [32] * 9 + [3], act, init)
        ce_loss(net, ember.tensor(X), ember.tensor(y)).backward()
        norms = [float(m.weight.grad.norm()) for m in net if isinstance(m, nn.Linear)]
        ev[f"{name}_first_over_last_grad"] = norms[0] / norms[-1]
        losses = train(net, X, y, steps)
        ev[f"{name}_final_loss"] = losses[-1]
        ax1.semilogy(range(1, 11), norms, marker="o", label=name)
        ax2.plot(losses, label=name)
    ax1.set(xlabel="layer", ylabel="|dL/dW| at init", title="gradient norm per layer")
    ax2.set(xlabel="Adam step", ylabel="train loss", title="SPIRAL, 10 layers")
    ax1.legend(), ax2.legend()
    ok = (ev["sigmoid_first_over_last_grad"] < 1e-2 < ev["relu_first_over_last_grad"]
          and ev["relu_final_loss"] < ev["sigmoid_final_loss"])
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"first/last layer gradient ratio: sigmoid {ev['sigmoid_first_over_last_grad']:.1e}, "
                   f"ReLU {ev['relu_first_over_last_grad']:.2f}; final loss sigmoid "
                   f"{ev['sigmoid_final_loss']:.3f} vs ReLU {ev['relu_final_loss']:.3f}.")


@claim("C036", "Sigmoid's derivative is at most 0.25, so the signal shrinks >= 4x per sigmoid layer", topics="2.3")
def sigmoid_derivative_bound(quick: bool) -> Verdict:
    grid = ember.linspace(-10, 10, 20001, dtype=ember.float64, requires_grad=True)
    F.sigmoid(grid).sum().backward()
    d = grid.grad.numpy()
    L = 10
    x = ember.tensor(np.random.default_rng(0).uniform(-3, 3, 1000), requires_grad=True)
    h = x
    for _ in range(L):  # identity weights: h <- sigmoid(h)
        h = F.sigmoid(h)
    h.sum().backward()
    chain = x.grad.numpy()
    ev = {"max_derivative": float(d.max()), "argmax_x": float(grid.detach().numpy()[d.argmax()]),
          "max_chain_gradient_L10": float(chain.max()), "bound_0.25^10": 0.25 ** L}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.plot(grid.detach().numpy(), d)
    ax.set(xlabel="x", ylabel="sigmoid'(x)", title="max 0.25 at x = 0")
    ok = abs(ev["max_derivative"] - 0.25) < 1e-12 and abs(ev["argmax_x"]) < 1e-9 and \
        ev["max_chain_gradient_L10"] <= ev["bound_0.25^10"]
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"max sigma' = {ev['max_derivative']:.4f} at x = {ev['argmax_x']:.1e}; through 10 layers "
                   f"the gradient is <= {ev['max_chain_gradient_L10']:.2e} <= 0.25^10.")


@claim("C037", "ReLU gives sparse activations; the active fraction drops by 2^N after N layers", topics="2.3")
def relu_sparsity_does_not_compound(quick: bool) -> Verdict:
    ember.manual_seed(0)
    net = mlp([64] + [256] * 10, nn.ReLU)
    h = ember.randn(2000 if not quick else 500, 64)
    fractions = []
    with ember.no_grad():
        for m in net:
            h = m(h)
            if isinstance(m, nn.Linear):
                fractions.append(float((h > 0).float().mean()))  # pre-activation > 0 = unit active
    ev = {"active_fraction_per_layer": fractions, "claimed_fraction_layer10": 0.5 ** 10,
          "min_fraction": min(fractions), "max_fraction": max(fractions)}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.semilogy(range(1, 11), fractions, marker="o", label="measured")
    ax.semilogy(range(1, 11), [0.5 ** n for n in range(1, 11)], "--", label="claimed 2^-N")
    ax.set(xlabel="layer N", ylabel="active fraction"), ax.legend()
    sparse_not_compounding = 0.3 < ev["min_fraction"] and ev["max_fraction"] < 0.7
    # TOPICS §3 E30: sparsity (about half the units off) holds; the 2^N compounding is wrong
    return Verdict("fails" if sparse_not_compounding else "holds", ev, fig,
                   f"about half the units are active at every layer ({ev['min_fraction']:.2f}-"
                   f"{ev['max_fraction']:.2f}), not 2^-N: sparse, but sparsity does not compound.")


@claim("C038", "ReLU and its derivative are cheaper to compute than sigmoid", topics="2.3")
def relu_cost(quick: bool) -> Verdict:
    n, reps = (10 ** 6, 5) if quick else (10 ** 7, 20)
    x = ember.randn(n)
    times = {}
    for name, fn in [("relu", F.relu), ("sigmoid", F.sigmoid)]:
        best = float("inf")
        for _ in range(reps):
            xi = x.detach().requires_grad_()
            t0 = time.perf_counter()
            fn(xi).sum().backward()
            best = min(best, time.perf_counter() - t0)
        times[f"{name}_seconds"] = best
    ev = dict(times, speedup=times["sigmoid_seconds"] / times["relu_seconds"], elements=n)
    fig = Figure(figsize=(4, 3.5))
    ax = fig.subplots()
    ax.bar(["ReLU", "sigmoid"], [times["relu_seconds"], times["sigmoid_seconds"]])
    ax.set(ylabel="forward+backward seconds (best of reps)")
    return Verdict("holds" if ev["speedup"] > 1 else "fails", ev, fig,
                   f"ReLU forward+backward is {ev['speedup']:.1f}x faster than sigmoid on {n} floats.")


@claim("C039", "ReLU can produce dead neurons; LeakyReLU does not", topics="2.3")
def dead_relu(quick: bool) -> Verdict:
    X, y = make_moons(400 if quick else 1000, noise=0.2, random_state=0)
    X = X.astype(np.float32)
    ev: dict = {}
    for name, act in [("relu", nn.ReLU), ("leaky_relu", nn.LeakyReLU)]:
        ember.manual_seed(0)
        net = mlp([2, 64, 64, 2], act)
        for m in net:
            if isinstance(m, nn.Linear) and m.out_features == 64:
                nn.init.constant_(m.bias, -1.0)
        train(net, X, y, 30 if quick else 100, lr=0.1)  # deliberately large lr
        with ember.no_grad():
            pre = net[2](net[1](net[0](ember.tensor(X))))  # second hidden pre-activation
            # dead = zero gradient through the unit for every training input
            slope_zero = (pre <= 0) if name == "relu" else ember.zeros_like(pre, dtype=ember.bool)
        ev[f"{name}_dead_fraction"] = float(slope_zero.all(0).float().mean())
    fig = Figure(figsize=(4, 3.5))
    ax = fig.subplots()
    ax.bar(["ReLU", "LeakyReLU(0.01)"], [ev["relu_dead_fraction"], ev["leaky_relu_dead_fraction"]])
    ax.set(ylabel="fraction of dead hidden units")
    ok = ev["relu_dead_fraction"] > 0 and ev["leaky_relu_dead_fraction"] == 0
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"after large-lr training {ev['relu_dead_fraction']:.0%} of ReLU units are dead, "
                   f"{ev['leaky_relu_dead_fraction']:.0%} of LeakyReLU units.")


@claim("C041", "Without nonlinear activations a deep network is just a linear model", topics="2.3")
def linear_collapse(quick: bool) -> Verdict:
    X, y = make_moons(300 if quick else 1000, noise=0.2, random_state=1)
    X = X.astype(np.float32)
    steps = 100 if quick else 600
    ev: dict = {}
    nets = {}
    for name, act in [("identity", nn.Identity), ("relu", nn.ReLU)]:
        ember.manual_seed(0)
        nets[name] = net = mlp([2, 32, 32, 32, 32, 2], act)
        train(net, X, y, steps)
        ev[f"{name}_accuracy"] = accuracy(net, X, y)
    lins = [m for m in nets["identity"] if isinstance(m, nn.Linear)]
    with ember.no_grad():
        W, b = lins[0].weight.double(), lins[0].bias.double()
        for m in lins[1:]:  # collapse: W <- W_k W, b <- W_k b + b_k
            W, b = m.weight.double() @ W, m.weight.double() @ b + m.bias.double()
        direct = nets["identity"].double()(ember.tensor(X, dtype=ember.float64))
        ev["collapse_max_abs_error"] = float((ember.tensor(X, dtype=ember.float64) @ W.mT + b - direct).abs().max())
    fig = Figure(figsize=(4, 3.5))
    ax = fig.subplots()
    ax.bar(["5 linear layers", "5 layers + ReLU"], [ev["identity_accuracy"], ev["relu_accuracy"]])
    ax.set(ylabel="train accuracy (MOONS)", ylim=(0.5, 1.0))
    ok = ev["collapse_max_abs_error"] < 1e-9 and ev["relu_accuracy"] > ev["identity_accuracy"] + 0.05
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"the identity-activation net equals one affine map (err {ev['collapse_max_abs_error']:.1e}) "
                   f"and reaches {ev['identity_accuracy']:.0%} vs {ev['relu_accuracy']:.0%} with ReLU.")
