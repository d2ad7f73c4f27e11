"""Claims C054, C055, C057, C058 and C059 (TOPICS.md §2.5): dropout, its keep probabilities,
DropConnect, early stopping and data augmentation on 300 GLYPH training samples.

GLYPH: seven-segment digits, 16x16, shift +-2 px, noise (TOPICS §2.0); an MLP fits the 300 training
samples perfectly but reaches only about 50% test accuracy, so regularizers have room to act.
Keep probabilities of the notes (0.8 input / 0.5 hidden, TOPICS §3 E33) map to ember's
``Dropout(p)`` with p = 1 - keep.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.experiments._nn_common import (
    acc,
    bar_with_errors,
    fit,
    glyph_flat,
    mean_se,
    paired_diff,
    predict,
    verdict_from_diff,
)
from ember.experiments.cnn_training import glyph
from ember.vision.transforms import functional as TF


class DropConnectLinear(nn.Linear):
    """Linear layer whose weights are dropped with probability p in training (inverted scaling).

    y = x (M * W / (1 - p))^T + b, M ~ Bernoulli(1 - p) drawn once per mini-batch (Wan et al. 2013
    draw one mask per sample; one per batch is the common cheap variant). Eval: y = x W^T + b.
    """

    def __init__(self, in_features: int, out_features: int, p: float = 0.5) -> None:
        super().__init__(in_features, out_features)
        self.p = p

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return F.linear(x, F.dropout(self.weight, self.p, self.training), self.bias)


def regularized_mlp(width: int, seed: int, keep_in: float = 1.0, keep_hidden: float = 1.0,
                    dropconnect: float = 0.0) -> nn.Sequential:
    """256 -> width -> width -> 10 ReLU MLP; input/hidden dropout (keep probabilities) or DropConnect
    with drop probability ``dropconnect`` on the hidden->hidden and hidden->output weights."""
    ember.manual_seed(seed)

    def lin(a: int, b: int, first: bool) -> nn.Module:
        return DropConnectLinear(a, b, dropconnect) if dropconnect and not first else nn.Linear(a, b)

    layers: list = [nn.Dropout(1 - keep_in)] if keep_in < 1 else []
    for i, (a, b) in enumerate(((256, width), (width, width))):
        layers += [lin(a, b, i == 0), nn.ReLU()] + ([nn.Dropout(1 - keep_hidden)] if keep_hidden < 1 else [])
    return nn.Sequential(*layers, lin(width, 10, False))


def _train_eval(seeds: int, width: int, epochs: int, quick: bool, **kw) -> dict[str, list[float]]:
    (Xtr, ytr), (Xte, yte) = glyph_flat(300, 0), glyph_flat(400 if quick else 1000, 1)
    out: dict[str, list[float]] = {"test": [], "gap": []}
    for s in range(seeds):
        net = regularized_mlp(width, s, **kw)
        fit(net, Xtr, ytr, epochs, lr=3e-3 if quick else 1e-3, seed=s)
        out["test"].append(acc(net, Xte, yte))
        out["gap"].append(acc(net, Xtr, ytr) - out["test"][-1])
    return out


@claim("C054", "Dropout reduces overfitting", topics="2.5")
def dropout_reduces_overfitting(quick: bool) -> Verdict:
    seeds, width, epochs = (2, 64, 20) if quick else (3, 256, 100)
    runs = {"no dropout": _train_eval(seeds, width, epochs, quick),
            "dropout keep 0.8/0.5": _train_eval(seeds, width, epochs, quick, keep_in=0.8, keep_hidden=0.5)}
    d_test, se_test = paired_diff(runs["dropout keep 0.8/0.5"]["test"], runs["no dropout"]["test"])
    d_gap, se_gap = paired_diff(runs["no dropout"]["gap"], runs["dropout keep 0.8/0.5"]["gap"])
    ev = {"test_acc_plain": mean_se(runs["no dropout"]["test"])[0],
          "test_acc_dropout": mean_se(runs["dropout keep 0.8/0.5"]["test"])[0],
          "gap_plain": mean_se(runs["no dropout"]["gap"])[0], "gap_dropout": mean_se(runs["dropout keep 0.8/0.5"]["gap"])[0],
          "test_gain": d_test, "test_gain_se": se_test, "gap_reduction": d_gap, "gap_reduction_se": se_gap,
          "seeds": seeds, "epochs": epochs, "width": width}
    s_test, s_gap = verdict_from_diff(d_test, se_test), verdict_from_diff(d_gap, se_gap)
    status = "holds" if s_test == s_gap == "holds" else "fails" if "fails" in (s_test, s_gap) else "depends"
    if status == "depends":
        ev["condition"] = "one of the two effects (test gain, gap reduction) is within 2 SE of zero"
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(runs), {k: v["test"] for k, v in runs.items()}, "test accuracy",
                    "C054: 300 GLYPH samples")
    return Verdict(status, ev, fig,
                   f"dropout: test accuracy {ev['test_acc_plain']:.3f} -> {ev['test_acc_dropout']:.3f}, "
                   f"train-test gap {ev['gap_plain']:.3f} -> {ev['gap_dropout']:.3f}.")


@claim("C055", "The 0.8 / 0.5 keep probabilities are a good default", topics="2.5")
def keep_probability_grid(quick: bool) -> Verdict:
    keep_in = [1.0, 0.8, 0.5]
    keep_h = [1.0, 0.5, 0.2] if quick else [1.0, 0.8, 0.5, 0.2]
    seeds, width, epochs = (1, 64, 20) if quick else (2, 128, 60)
    grid = np.array([[mean_se(_train_eval(seeds, width, epochs, quick, keep_in=ki, keep_hidden=kh)["test"])[0]
                      for kh in keep_h] for ki in keep_in])
    best = float(grid.max())
    default = float(grid[1, keep_h.index(0.5)])
    ev = {"keep_in": keep_in, "keep_hidden": keep_h, "test_acc_grid": grid.tolist(), "best": best,
          "default_0.8_0.5": default, "default_shortfall": best - default,
          "best_row_input_keep_0.8": float(grid[1].max()), "best_row_input_keep_0.5": float(grid[2].max())}
    near_best = best - default <= 0.02
    input_half_worse = ev["best_row_input_keep_0.5"] < ev["best_row_input_keep_0.8"]
    status = "holds" if near_best and input_half_worse else "fails" if not near_best else "depends"
    if status == "depends":
        ev["condition"] = "(0.8, 0.5) is near the best, but input keep 0.5 is not worse here"
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    im = ax.imshow(grid, cmap="viridis")
    ax.set(xticks=range(len(keep_h)), xticklabels=keep_h, yticks=range(3), yticklabels=keep_in,
           xlabel="hidden keep", ylabel="input keep", title="C055: test accuracy")
    fig.colorbar(im)
    return Verdict(status, ev, fig,
                   f"keep (0.8, 0.5) reaches {default:.3f} vs best {best:.3f} on the grid; best with input keep "
                   f"0.5 is {ev['best_row_input_keep_0.5']:.3f}.")


@claim("C057", "DropConnect regularizes like dropout", topics="2.5")
def dropconnect_regularizes(quick: bool) -> Verdict:
    seeds, width, epochs = (2, 64, 20) if quick else (3, 256, 100)
    runs = {"none": _train_eval(seeds, width, epochs, quick),
            "dropout 0.5": _train_eval(seeds, width, epochs, quick, keep_hidden=0.5),
            "DropConnect 0.5": _train_eval(seeds, width, epochs, quick, dropconnect=0.5)}
    test = {k: v["test"] for k, v in runs.items()}
    gain, se = paired_diff(test["DropConnect 0.5"], test["none"])
    ev = {f"test_acc_{k}": mean_se(v)[0] for k, v in test.items()}
    ev.update({f"gap_{k}": mean_se(v["gap"])[0] for k, v in runs.items()})
    ev.update(dropconnect_gain=gain, dropconnect_gain_se=se, seeds=seeds,
              dropconnect_minus_dropout=ev["test_acc_DropConnect 0.5"] - ev["test_acc_dropout 0.5"])
    status = verdict_from_diff(gain, se)
    if status == "depends":
        ev["condition"] = "DropConnect's gain over no regularization is within 2 SE of zero"
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(test), test, "test accuracy", "C057: 300 GLYPH samples")
    return Verdict(status, ev, fig,
                   f"test accuracy none {ev['test_acc_none']:.3f}, dropout {ev['test_acc_dropout 0.5']:.3f}, "
                   f"DropConnect {ev['test_acc_DropConnect 0.5']:.3f}.")


@claim("C058", "Early stopping reduces overfitting", topics="2.5")
def early_stopping(quick: bool) -> Verdict:
    (Xtr, ytr), (Xva, yva), (Xte, yte) = glyph_flat(300, 0), glyph_flat(300, 2), glyph_flat(400 if quick else 1000, 1)
    width, epochs, patience = (64, 40, 10) if quick else (256, 100, 10)
    net = regularized_mlp(width, 0)
    hist: dict[str, list] = {"val_loss": [], "test_acc": []}
    best: dict = {"loss": np.inf, "acc": -1.0}

    def track(e: int) -> None:
        out = predict(net, Xva)
        loss = float(F.cross_entropy(ember.tensor(out), ember.tensor(yva)).item())
        hist["val_loss"].append(loss)
        hist["test_acc"].append(acc(net, Xte, yte))
        val_acc = float(np.mean(out.argmax(1) == yva))
        if val_acc > best["acc"]:  # alternative criterion: best validation accuracy
            best.update(acc=val_acc, test_at_best_acc=hist["test_acc"][-1])
        if loss < best["loss"]:
            best.update(loss=loss, epoch=e, state={k: v.clone() for k, v in net.state_dict().items()})

    fit(net, Xtr, ytr, epochs, seed=0, on_epoch=track)
    final_test = hist["test_acc"][-1]
    stop_epoch = min(best["epoch"] + patience, epochs)  # where patience-10 early stopping halts
    net.load_state_dict(best["state"])
    ev = {"best_val_epoch": best["epoch"], "early_stop_epoch": stop_epoch, "epochs": epochs,
          "test_acc_best_checkpoint": acc(net, Xte, yte), "test_acc_final": final_test,
          "val_loss_min": best["loss"], "val_loss_final": hist["val_loss"][-1],
          "test_acc_best_val_accuracy_checkpoint": best["test_at_best_acc"]}
    u_shaped = 1 < best["epoch"] < epochs and ev["val_loss_final"] > 1.2 * ev["val_loss_min"]
    ok = u_shaped and ev["test_acc_best_checkpoint"] >= final_test
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.plot(range(1, epochs + 1), hist["val_loss"], label="validation loss")
    ax.axvline(best["epoch"], color="k", ls=":", label="best checkpoint")
    ax.set(xlabel="epoch", ylabel="cross-entropy", title="C058: validation loss is U-shaped")
    ax.legend()
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"validation loss bottoms at epoch {best['epoch']} ({best['loss']:.3f}) and ends at "
                   f"{ev['val_loss_final']:.3f}; test accuracy at the best checkpoint "
                   f"{ev['test_acc_best_checkpoint']:.3f} vs final {final_test:.3f}.")


def augment_glyph(xb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Random shift +-2 px, rotation +-10 degrees (vision.transforms.functional.affine) and noise 0.1."""
    out = np.empty_like(xb)
    for i, img in enumerate(xb):
        dx, dy = rng.integers(-2, 3, 2)
        out[i] = TF.affine(ember.tensor(img), float(rng.uniform(-10, 10)), [int(dx), int(dy)], 1.0, 0.0).numpy()
    return out + rng.normal(0, 0.1, out.shape).astype(np.float32)


@claim("C059", "Data augmentation reduces overfitting", topics="2.5")
def augmentation(quick: bool) -> Verdict:
    (Xtr, ytr), (Xte, yte) = glyph(300, seed=0), glyph(400 if quick else 1000, seed=1)
    seeds, epochs = (2, 6) if quick else (3, 30)
    test: dict[str, list[float]] = {"plain": [], "augmented": []}
    for name in list(test):
        for s in range(seeds):
            ember.manual_seed(s)
            net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                nn.Flatten(), nn.Linear(256, 10))
            fit(net, Xtr, ytr, epochs, lr=3e-3, seed=s, augment=augment_glyph if name == "augmented" else None)
            test[name].append(acc(net, Xte, yte))
    gain, se = paired_diff(test["augmented"], test["plain"])
    ev = {"test_acc_plain": mean_se(test["plain"])[0], "test_acc_augmented": mean_se(test["augmented"])[0],
          "gain": gain, "gain_se": se, "seeds": seeds, "epochs": epochs}
    status = verdict_from_diff(gain, se)
    if status == "depends":
        ev["condition"] = "the accuracy gain is within 2 SE of zero at this budget"
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(test), test, "test accuracy", "C059: small CNN, 300 GLYPH samples")
    return Verdict(status, ev, fig,
                   f"test accuracy {ev['test_acc_plain']:.3f} without vs {ev['test_acc_augmented']:.3f} with "
                   f"shift/rotation/noise augmentation ({gain:+.3f} +- {se:.3f}).")
