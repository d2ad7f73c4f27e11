"""Claims C001, C003, C014, C023 of TOPICS §2.1: optimizers, batches and input scaling on small nets.

Networks are ReLU MLPs trained with ember.nn + ember.optim on GLYPH (procedural seven-segment digits,
16x16, flattened), SPIRAL and MOONS (TOPICS §2.0). Linear-model claims live in ``optimization_sgd``; C004 (batches per epoch) is in ``data``.
Every number is computed by the run; seeds are fixed.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from ember import optim

from . import Verdict, claim
from ._optim_common import (
    accuracy,
    glyph_flat,
    mean_over_seeds,
    mlp,
    moons,
    train_epoch,
    verdict_status,
)
from .activations import spiral


def _glyph_split(quick: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X, y = glyph_flat(1000 if quick else 2000, seed=0)
    Xt, yt = glyph_flat(500 if quick else 1000, seed=1)
    return X, y, Xt, yt


@claim("C001", "Adam makes faster early progress; SGD+momentum with a step schedule generalizes as well or "
               "better", topics="2.1")
def adam_vs_sgd_generalization(quick: bool) -> Verdict:
    X, y, Xt, yt = _glyph_split(quick)
    epochs, seeds = (12, [0]) if quick else (30, [0, 1, 2])
    rows: dict[str, list[dict[str, float]]] = {"adam": [], "sgd": []}
    curves: dict[str, list[float]] = {}
    for seed in seeds:
        for name, out in rows.items():
            net = mlp([X.shape[1], 128, 128, 10], seed)
            if name == "adam":
                opt, sched = optim.Adam(net.parameters(), lr=1e-3), None
            else:  # x0.1 step decay at 2/3 of training (epoch 20 of 30)
                opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
                sched = optim.lr_scheduler.StepLR(opt, step_size=2 * epochs // 3, gamma=0.1)
            rng, losses = np.random.default_rng(seed), []
            for _ in range(epochs):
                losses.append(train_epoch(net, opt, X, y, 64, rng))
                if sched is not None:
                    sched.step()
            out.append({"loss_epoch1": losses[0], "loss_epoch3": losses[2], "final_train_loss": losses[-1],
                               "test_acc": accuracy(net, Xt, yt)})
            curves.setdefault(name, losses)
    res = {k: mean_over_seeds(v) for k, v in rows.items()}
    a, s = res["adam"], res["sgd"]
    checks = {"adam_lower_loss_epoch1": a["loss_epoch1"] < s["loss_epoch1"],
              "adam_lower_loss_epoch3": a["loss_epoch3"] < s["loss_epoch3"],
              "sgd_test_acc_ge_adam_minus_0.5pt": s["test_acc"] >= a["test_acc"] - 0.005}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    for name, c in curves.items():
        ax.plot(np.arange(1, len(c) + 1), c, label=name)
    ax.set(yscale="log", xlabel="epoch", ylabel="train loss", title="GLYPH MLP 2x128 (seed 0)")
    ax.legend()
    return Verdict(verdict_status(checks), {"mean_over_seeds": res, "seeds": len(seeds), "epochs": epochs,
                                            "checks": checks}, fig,
                   f"epoch-3 loss Adam {a['loss_epoch3']:.3f} vs SGD {s['loss_epoch3']:.3f}; test accuracy "
                   f"Adam {a['test_acc']:.3f} vs SGD+step decay {s['test_acc']:.3f}")


def _batch_run(bs: int, X, y, Xt, yt, max_epochs: int, budget_epochs: int, seed: int = 0) -> dict[str, float]:
    """Adam (lr 1e-3, fixed) with batch ``bs``: updates/epochs until 90% train accuracy (checked about 8 times
    per epoch) and train/test accuracy after ``budget_epochs`` epochs."""
    net = mlp([X.shape[1], 128, 128, 10], seed)
    opt, rng = optim.Adam(net.parameters(), lr=1e-3), np.random.default_rng(seed)
    upe = math.ceil(len(X) / bs)
    every, state = max(1, upe // 8), {"k": 0, "hit": None}

    def on_step() -> bool:
        state["k"] += 1
        if state["hit"] is None and state["k"] % every == 0 and accuracy(net, X, y) >= 0.9:
            state["hit"] = state["k"]
        return False
    out: dict[str, float] = {}
    for e in range(1, max_epochs + 1):
        if not np.isfinite(train_epoch(net, opt, X, y, bs, rng, on_step)):
            break
        if e == budget_epochs:
            out = {"train_acc_at_budget": accuracy(net, X, y), "test_acc_at_budget": accuracy(net, Xt, yt)}
        if state["hit"] is not None and e >= budget_epochs:
            break
    hit = state["hit"] if state["hit"] is not None else float("inf")
    return {"updates_to_90": float(hit), "epochs_to_90": hit / upe, **out}


@claim("C003", "Larger batches need fewer updates but more epochs; small batches do not underfit", topics="2.1")
def batch_size_tradeoff(quick: bool) -> Verdict:
    X, y, Xt, yt = _glyph_split(quick)
    sizes = [8, 32, 128, len(X)] if quick else [8, 32, 128, 512, len(X)]
    budget = 3 if quick else 10
    res = {bs: _batch_run(bs, X, y, Xt, yt, max_epochs=60 if quick else 150, budget_epochs=budget) for bs in sizes}
    upd = np.array([res[b]["updates_to_90"] for b in sizes])
    ep = np.array([res[b]["epochs_to_90"] for b in sizes])
    small, large = sizes[0], sizes[-1]
    checks = {"updates_decrease_with_batch": bool(np.all(np.diff(upd[np.isfinite(upd)]) < 0)),
              "epochs_increase_with_batch": bool(np.all(np.diff(ep) > 0)),
              # 004's "too small a batch underfits" is expected to be refuted (E47)
              "small_batch_not_underfitting": res[small]["train_acc_at_budget"] >= res[large]["train_acc_at_budget"]
              and res[small]["test_acc_at_budget"] >= res[large]["test_acc_at_budget"] - 0.01}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    ax.loglog(sizes, np.where(np.isfinite(upd), upd, np.nan), "o-", label="updates to 90% train acc")
    ax.loglog(sizes, np.where(np.isfinite(ep), ep, np.nan), "s-", label="epochs to 90% train acc")
    ax.set(xlabel="batch size", title="GLYPH MLP, Adam lr 1e-3")
    ax.legend(fontsize=7)
    ev = {"by_batch": res, "budget_epochs": budget, "checks": checks,
          "note": "fixed lr 1e-3 for every batch size; accuracy at budget compares equal epochs (equal data passes)"}
    return Verdict(verdict_status(checks), ev, fig,
                   f"updates to 90%: {dict(zip(sizes, upd.tolist()))}; epochs: "
                   f"{dict(zip(sizes, np.round(ep, 2).tolist()))}; small batches do not underfit")


_DEFAULTS = {"Adagrad": lambda p: optim.Adagrad(p, lr=0.01),
             "Adadelta": lambda p: optim.Adadelta(p, lr=1.0, rho=0.95),
             "RMSprop": lambda p: optim.RMSprop(p, lr=1e-3, alpha=0.9),
             "Adam": lambda p: optim.Adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8),
             "NAdam": lambda p: optim.NAdam(p, lr=2e-3)}


def _compare_optimizers(X, y, Xt, yt, sizes, epochs, batch, seeds) -> dict[str, dict[str, float]]:
    out = {}
    for name, make in _DEFAULTS.items():
        rows = []
        for seed in seeds:
            net = mlp(sizes, seed)
            opt, rng = make(net.parameters()), np.random.default_rng(seed)
            losses = [train_epoch(net, opt, X, y, batch, rng) for _ in range(epochs)]
            rows.append({"train_loss": losses[-1], "test_acc": accuracy(net, Xt, yt)})
        out[name] = mean_over_seeds(rows)
    return out


@claim("C014", "Adam beats the other adaptive methods, Nadam often beats Adam, Adagrad/Adadelta/RMSprop are "
               "similar", topics="2.1")
def adaptive_optimizer_ranking(quick: bool) -> Verdict:
    seeds = [0] if quick else [0, 1, 2]
    X, y, Xt, yt = _glyph_split(quick)
    if quick:
        X, y = X[:500], y[:500]
    Xs, ys = spiral(100 if quick else 300, seed=0)
    Xst, yst = spiral(100 if quick else 300, seed=1)
    res = {"GLYPH": _compare_optimizers(X, y, Xt, yt, [X.shape[1], 128, 128, 10], 5 if quick else 10, 64, seeds),
           "SPIRAL": _compare_optimizers(Xs, ys, Xst, yst, [2, 64, 64, 3], 20 if quick else 40, 32, seeds)}
    checks, band, rank_adam = {}, {}, {}
    for ds, r in res.items():
        loss = {k: v["train_loss"] for k, v in r.items()}
        best = min(loss.values())
        checks[f"{ds}_adam_or_nadam_best_or_tied"] = min(loss["Adam"], loss["NAdam"]) <= 1.1 * best
        checks[f"{ds}_nadam_le_adam"] = loss["NAdam"] <= loss["Adam"]
        rank_adam[ds] = sorted(loss, key=loss.get).index("Adam") + 1
        trio = [loss[k] for k in ("Adagrad", "Adadelta", "RMSprop")]
        band[ds] = max(trio) / min(trio)
        checks[f"{ds}_adagrad_adadelta_rmsprop_within_2x"] = band[ds] <= 2.0
    fig = Figure(figsize=(7, 3.2))
    for i, (ds, r) in enumerate(res.items()):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.bar(list(r), [v["train_loss"] for v in r.values()])
        ax.set(yscale="log", title=f"{ds}: final train loss", ylabel="loss")
        ax.tick_params(axis="x", labelsize=6)
    ev = {"results": res, "trio_loss_ratio_max_over_min": band, "rank_of_adam_by_train_loss": rank_adam, "seeds": len(seeds), "checks": checks,
          "note": "defaults of the design: Adagrad 0.01, RMSprop 1e-3/0.9, Adam 1e-3, NAdam 2e-3, Adadelta rho 0.95"}
    ranking = {ds: sorted(r, key=lambda k: r[k]["train_loss"]) for ds, r in res.items()}
    return Verdict(verdict_status(checks), ev, fig, f"ranking by final train loss (best first): {ranking}")


@claim("C023", "Non-normalized inputs can prevent convergence; standardizing fixes it", topics="2.1")
def input_normalization(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    X, y = moons(rng)
    Xt, yt = moons(np.random.default_rng(1))
    scale = np.array([1.0, 1000.0])  # one feature in different units
    raw, raw_t = (X * scale).astype(np.float32), (Xt * scale).astype(np.float32)
    mu, sd = raw.mean(0), raw.std(0)
    data = {"raw_x1000": (raw, raw_t), "standardized": ((raw - mu) / sd, (raw_t - mu) / sd)}
    epochs, res, curves = 10 if quick else 30, {}, {}
    for lr in ([0.1] if quick else [0.01, 0.1]):
        for name, (A, At) in data.items():
            net = mlp([2, 32, 32, 2], 0)
            opt, g = optim.SGD(net.parameters(), lr=lr, momentum=0.9), np.random.default_rng(0)
            losses = [train_epoch(net, opt, A, y.astype(np.int64), 32, g) for _ in range(epochs)]
            res[f"{name}_lr{lr}"] = {"first_epoch_loss": losses[0], "final_loss": losses[-1],
                                     "test_acc": accuracy(net, At, yt)}
            curves[f"{name} lr={lr}"] = losses
    raw_keys = [k for k in res if k.startswith("raw")]
    checks = {"raw_fails_or_stalls": all(res[k]["test_acc"] < 0.9 or not np.isfinite(res[k]["final_loss"])
                                         for k in raw_keys),
              "standardized_above_95": all(res[k.replace("raw_x1000", "standardized")]["test_acc"] > 0.95
                                           for k in raw_keys)}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    for name, c in curves.items():
        ax.plot(np.arange(1, len(c) + 1), c, label=name)
    ax.set(yscale="log", xlabel="epoch", ylabel="train loss", title="MOONS, feature 2 x1000, SGD m=0.9")
    ax.legend(fontsize=7)
    return Verdict(verdict_status(checks), {"results": res, "checks": checks}, fig,
                   "MOONS test accuracy with the same MLP, optimizer and lr: " +
                   ", ".join(f"{k} {v['test_acc']:.2f}" for k, v in res.items()))
