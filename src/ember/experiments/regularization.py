"""Claims of TOPICS.md §2.5 (regularization) that exercise ember.nn's dropout and penalties."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.experiments import Verdict, claim


@claim("C052", "L1 produces sparse weights, L2 produces small but dense weights", topics="2.5")
def l1_sparse_l2_dense(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    n, d = 200, 50
    X = rng.standard_normal((n, d))
    w_true = np.zeros(d)
    w_true[:5] = rng.uniform(1, 3, 5) * rng.choice([-1, 1], 5)
    y = X @ w_true + 0.5 * rng.standard_normal(n)
    Xt, yt = ember.tensor(X), ember.tensor(y)
    lam = 0.1
    # L1: ISTA = gradient step on the squared loss + soft-threshold (F.softshrink is the L1 prox)
    step = 1.0 / float(np.linalg.eigvalsh(X.T @ X / n).max())
    w = ember.zeros(d, dtype=ember.float64)
    for _ in range(300 if quick else 2000):
        w = F.softshrink(w - step * (Xt.mT @ (Xt @ w - yt)) / n, lam * step)
    w_l1 = w.numpy()
    w_l2 = np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ y / n)  # ridge closed form
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    ev = {"l1_exact_zeros_among_45_noise": int((np.abs(w_l1[5:]) < 1e-6).sum()),
          "l2_exact_zeros": int((np.abs(w_l2) < 1e-6).sum()),
          "l2_norm_ridge": float(np.linalg.norm(w_l2)), "l2_norm_ols": float(np.linalg.norm(w_ols))}
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    ax.stem(np.arange(d) - 0.15, w_l1, linefmt="C0-", markerfmt="C0o", label="L1 (ISTA)")
    ax.stem(np.arange(d) + 0.15, w_l2, linefmt="C1-", markerfmt="C1s", label="L2 (ridge)")
    ax.set(xlabel="feature", ylabel="weight"), ax.legend()
    ok = ev["l1_exact_zeros_among_45_noise"] >= 35 and ev["l2_exact_zeros"] == 0 and \
        ev["l2_norm_ridge"] < ev["l2_norm_ols"]
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"L1 zeroes {ev['l1_exact_zeros_among_45_noise']}/45 noise weights; ridge has "
                   f"{ev['l2_exact_zeros']} zeros and a smaller norm than OLS.")


@claim("C056", "Scaling at inference makes dropout's train and test outputs consistent", topics="2.5")
def dropout_inference_scaling(quick: bool) -> Verdict:
    ember.manual_seed(0)
    reps = 2000 if quick else 10000
    lin = nn.Linear(100, 10)
    x = ember.randn(1, 100)
    net = nn.Sequential(nn.Dropout(0.5), lin)
    with ember.no_grad():
        xs = x.expand(reps, 100)
        outs = net.train()(xs)
        train_mean = outs.mean(0)
        std_err = outs.std(0) / reps ** 0.5  # Monte Carlo standard error of the mean
        eval_out = net.eval()(x)[0]
        mlp = nn.Sequential(nn.Linear(100, 64), nn.Tanh(), nn.Dropout(0.5), nn.Linear(64, 10))
        mlp_train = mlp.train()(xs).mean(0)
        mlp_eval = mlp.eval()(x)[0]
    rel = float((train_mean - eval_out).norm() / eval_out.norm())
    rel_mlp = float((mlp_train - mlp_eval).norm() / mlp_eval.norm())
    z = float(((train_mean - eval_out).abs() / std_err).max())
    ev = {"linear_relative_error": rel, "linear_max_z_score": z, "nonlinear_relative_error": rel_mlp,
          "passes": reps}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.scatter(eval_out.numpy(), train_mean.numpy(), label="linear")
    ax.scatter(mlp_eval.numpy(), mlp_train.numpy(), marker="x", label="tanh MLP")
    ax.set(xlabel="eval output", ylabel=f"mean of {reps} training passes"), ax.legend()
    # equal in expectation: the gap is within Monte Carlo noise (|z| < 4.5 over 10 outputs)
    return Verdict("holds" if z < 4.5 else "fails", ev, fig,
                   f"inverted dropout: the mean training output matches the eval output to {rel:.1%} "
                   f"(linear) and {rel_mlp:.1%} (nonlinear, approximate).")


@claim("C060", "L2 weight decay reduces overfitting", topics="2.5")
def weight_decay_polynomial(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    x_tr = np.sort(rng.uniform(-3, 3, 20))
    y_tr = np.sin(x_tr) + 0.3 * rng.standard_normal(20)
    x_te = np.linspace(-3, 3, 200)
    powers = np.arange(16)

    def design(x: np.ndarray) -> np.ndarray:
        return (x[:, None] / 3) ** powers  # degree-15 features, scaled to [-1, 1]

    lams = np.logspace(-10, 1, 12 if quick else 40)
    errs = []
    for lam in lams:
        A = ember.tensor(design(x_tr))
        # ridge normal equations (A^T A + lam I) w = A^T y, solved with ember.linalg
        w = ember.linalg.solve(A.mT @ A + lam * ember.eye(16, dtype=ember.float64), A.mT @ ember.tensor(y_tr))
        errs.append(float(((design(x_te) @ w.numpy() - np.sin(x_te)) ** 2).mean()))
    best = int(np.argmin(errs))
    ev = {"best_lambda": float(lams[best]), "test_mse_best": errs[best], "test_mse_smallest_lambda": errs[0],
          "test_mse_largest_lambda": errs[-1]}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.loglog(lams, errs, marker="o")
    ax.set(xlabel="lambda", ylabel="test MSE", title="degree-15 polynomial, 20 points")
    ok = 0 < best < len(lams) - 1 and errs[best] < 0.5 * errs[0]
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"test MSE is U-shaped in lambda: {errs[0]:.3f} at 1e-10, {errs[best]:.3f} at "
                   f"lambda = {lams[best]:.1e}, {errs[-1]:.3f} at 10.")
