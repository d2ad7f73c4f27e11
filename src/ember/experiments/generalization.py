"""Claims C053, C064, C065, C067, C068, C069 and C070 (TOPICS.md §2.5): MAP view of L1/L2, bias and
variance of ensembles and polynomials, adversarial training, convexity, ReLU and capacity vs data.
Seeds fixed; every number is computed by the run."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.optimize import minimize

import ember
import ember.nn.functional as F
from ember import nn
from ember.experiments import Verdict, claim
from ember.experiments._nn_common import acc, bar_with_errors, fit, glyph_flat, mean_se, paired_diff
from ember.experiments.activations import spiral
from ember.experiments.activations import train as train_full_batch
from ember.experiments.normalization import glyph_data
from ember.ml.datasets import make_moons, make_two_gaussians
from ember.ml.ensemble import AdaBoostClassifier, BaggingClassifier, RandomForestClassifier
from ember.ml.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from ember.ml.tree import DecisionTreeClassifier


@claim("C053", "L2 is MAP under a Gaussian prior, L1 is MAP under a Laplace prior", topics="2.5")
def map_priors(quick: bool) -> Verdict:
    rng = np.random.default_rng(4)
    n, d, noise_var, tau2, b = 50, 8, 0.25, 0.05, 0.05
    X = rng.standard_normal((n, d))
    y = X @ np.r_[1.5, -1.0, 0.5, np.zeros(d - 3)] + rng.normal(0, noise_var ** 0.5, n)
    Xt, yt = ember.tensor(X), ember.tensor(y)

    def nll(w: ember.Tensor) -> ember.Tensor:  # -log Gaussian likelihood, up to a constant
        return ((yt - Xt @ w) ** 2).sum() / (2 * noise_var)

    w = ember.zeros(d, dtype=ember.float64, requires_grad=True)  # Gaussian prior: smooth, plain L-BFGS
    opt = ember.optim.LBFGS([w], lr=1, max_iter=500, tolerance_grad=1e-14, tolerance_change=0,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = nll(w) + (w ** 2).sum() / (2 * tau2)  # - log N(0, tau^2) prior
        loss.backward()
        return loss

    opt.step(closure)
    ridge = Ridge(alpha=noise_var / tau2, fit_intercept=False).fit(X, y).coef_  # ||r||^2 + alpha ||w||^2

    def split_objective(uv: np.ndarray) -> tuple[float, np.ndarray]:
        """-log posterior with a Laplace(b) prior, w = u - v with u, v >= 0 (so |w| = u + v at the optimum)."""
        t = ember.tensor(uv, requires_grad=True)
        val = nll(t[:d] - t[d:]) + t.sum() / b
        (g,) = ember.autograd.grad(val, [t])
        return float(val.item()), g.numpy()

    res = minimize(split_objective, np.zeros(2 * d), jac=True, method="L-BFGS-B", bounds=[(0, None)] * (2 * d),
                   options={"ftol": 1e-16, "gtol": 1e-12, "maxiter": 5000})
    map_laplace = res.x[:d] - res.x[d:]
    lasso = Lasso(alpha=noise_var / (n * b), fit_intercept=False, tol=1e-14, max_iter=100000).fit(X, y).coef_
    ev = {"max_diff_gauss_map_vs_ridge": float(np.abs(w.detach().numpy() - ridge).max()),
          "max_diff_laplace_map_vs_lasso": float(np.abs(map_laplace - lasso).max()),
          "ridge_alpha_sklearn_form": noise_var / tau2, "lasso_alpha_sklearn_form": noise_var / (n * b),
          "lasso_zeros": int((np.abs(lasso) < 1e-12).sum())}
    ok = ev["max_diff_gauss_map_vs_ridge"] < 1e-6 and ev["max_diff_laplace_map_vs_lasso"] < 1e-6
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.plot(ridge, "o", label="ridge"), ax.plot(w.detach().numpy(), "x", label="MAP, Gaussian prior")
    ax.plot(lasso, "s", mfc="none", label="lasso"), ax.plot(map_laplace, "+", label="MAP, Laplace prior")
    ax.set(xlabel="coefficient", ylabel="value", title="C053")
    ax.legend()
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"MAP equals ridge to {ev['max_diff_gauss_map_vs_ridge']:.1e} (alpha = sigma^2/tau^2) and lasso "
                   f"to {ev['max_diff_laplace_map_vs_lasso']:.1e} (alpha = sigma^2/(n b)).")


def _bias_variance_01(preds: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Domingos' 0-1 decomposition over training sets: preds (n_sets, n_test) binary. Main prediction =
    majority vote; bias = P(main != y); variance = mean P(pred != main)."""
    main = (preds.mean(0) >= 0.5).astype(int)
    return float(np.mean(main != y)), float(np.mean(preds != main))


@claim("C064", "Bagging/ensembles reduce variance; boosting reduces bias", topics="2.5")
def bagging_boosting(quick: bool) -> Verdict:
    sets, n_est = (4, 10) if quick else (20, 25)
    Xte, yte = make_moons(1000, noise=0.25, random_state=999)  # reference labels: the generating moon
    models = {"deep tree": lambda s: DecisionTreeClassifier(random_state=s),
              "bagged trees": lambda s: BaggingClassifier(DecisionTreeClassifier(), n_estimators=n_est, random_state=s),
              "random forest": lambda s: RandomForestClassifier(n_est, random_state=s),
              "stump": lambda s: DecisionTreeClassifier(max_depth=1, random_state=s),
              "AdaBoost stumps": lambda s: AdaBoostClassifier(DecisionTreeClassifier(max_depth=1),
                                                              n_estimators=2 * n_est, random_state=s)}
    preds = {k: [] for k in models}
    train_err = {k: [] for k in models}
    for s in range(sets):
        X, y = make_moons(200, noise=0.25, random_state=s)
        flip = np.random.default_rng(s).random(200) < 0.1  # 10% label noise
        y = np.where(flip, 1 - y, y)
        for name, make in models.items():
            m = make(s).fit(X, y)
            preds[name].append(m.predict(Xte))
            train_err[name].append(float(np.mean(m.predict(X) != y)))
    ev: dict = {"training_sets": sets}
    for name in models:
        ev[f"bias_{name}"], ev[f"variance_{name}"] = _bias_variance_01(np.array(preds[name]), yte)
        ev[f"train_error_{name}"] = mean_se(train_err[name])[0]
    bagging_ok = all(ev[f"variance_{k}"] < ev["variance_deep tree"] and
                     abs(ev[f"bias_{k}"] - ev["bias_deep tree"]) < 0.05 for k in ("bagged trees", "random forest"))
    boosting_ok = ev["bias_AdaBoost stumps"] < ev["bias_stump"] and \
        ev["train_error_AdaBoost stumps"] < ev["train_error_stump"]
    fig = Figure(figsize=(7, 3.5))
    ax = fig.subplots()
    names = list(models)
    ax.bar(np.arange(5) - 0.2, [ev[f"bias_{k}"] for k in names], 0.4, label="bias")
    ax.bar(np.arange(5) + 0.2, [ev[f"variance_{k}"] for k in names], 0.4, label="variance")
    ax.set(xticks=range(5), xticklabels=names, ylabel="0-1 loss component", title="C064: MOONS, 10% label noise")
    ax.legend()
    return Verdict("holds" if bagging_ok and boosting_ok else "fails", ev, fig,
                   f"variance: tree {ev['variance_deep tree']:.3f} -> bagging {ev['variance_bagged trees']:.3f}, "
                   f"RF {ev['variance_random forest']:.3f}; bias: stump {ev['bias_stump']:.3f} -> AdaBoost "
                   f"{ev['bias_AdaBoost stumps']:.3f}.")


def _fgsm(net: nn.Module, x: ember.Tensor, y: ember.Tensor, eps: float) -> ember.Tensor:
    """x_adv = x + eps * sign(grad_x CE(net(x), y)) (one gradient-sign ascent step, TOPICS §3 E25)."""
    x = x.detach().requires_grad_()
    (g,) = ember.autograd.grad(F.cross_entropy(net(x), y), [x])
    return (x + eps * g.sign()).detach()


@claim("C065", "Adversarial training reduces overfitting / improves robustness", topics="2.5")
def adversarial_training(quick: bool) -> Verdict:
    (Xtr, ytr), (Xte, yte) = glyph_data(500, 0), glyph_data(500 if quick else 1000, 1)
    (width, epochs), eps = ((64, 10) if quick else (256, 30)), 0.1
    ev: dict = {}
    for mode in ("standard", "fgsm"):
        ember.manual_seed(0)
        net = nn.Sequential(nn.Linear(144, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 10))

        def loss_fn(model, xb, yb, mode=mode):  # Goodfellow et al.: 0.5 clean + 0.5 adversarial loss
            clean = F.cross_entropy(model(xb), yb)
            return clean if mode == "standard" else 0.5 * clean + 0.5 * F.cross_entropy(model(_fgsm(model, xb, yb, eps)), yb)

        fit(net, Xtr, ytr, epochs, seed=0, loss_fn=loss_fn)
        net.eval()
        x_adv = _fgsm(net, ember.tensor(Xte), ember.tensor(yte), eps).numpy()
        ev[f"{mode}_clean_test_acc"], ev[f"{mode}_train_acc"] = acc(net, Xte, yte), acc(net, Xtr, ytr)
        ev[f"{mode}_fgsm_test_acc"] = acc(net, x_adv, yte)
        ev[f"{mode}_gap"] = ev[f"{mode}_train_acc"] - ev[f"{mode}_clean_test_acc"]
    ev["robust_gain"] = ev["fgsm_fgsm_test_acc"] - ev["standard_fgsm_test_acc"]
    ev["clean_change"] = ev["fgsm_clean_test_acc"] - ev["standard_clean_test_acc"]
    robust = ev["robust_gain"] > 0.1
    status = "holds" if robust and ev["clean_change"] >= 0 else "depends" if robust else "fails"
    if status == "depends":
        ev["condition"] = "robustness improves, but clean test accuracy does not (overfitting part unsupported)"
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.bar(np.arange(2) - 0.2, [ev["standard_clean_test_acc"], ev["fgsm_clean_test_acc"]], 0.4, label="clean")
    ax.bar(np.arange(2) + 0.2, [ev["standard_fgsm_test_acc"], ev["fgsm_fgsm_test_acc"]], 0.4, label="FGSM eps 0.1")
    ax.set(xticks=range(2), xticklabels=["standard", "FGSM training"], ylabel="test accuracy", title="C065")
    ax.legend()
    return Verdict(status, ev, fig,
                   f"FGSM accuracy {ev['standard_fgsm_test_acc']:.3f} -> {ev['fgsm_fgsm_test_acc']:.3f}; clean "
                   f"{ev['standard_clean_test_acc']:.3f} -> {ev['fgsm_clean_test_acc']:.3f}.")


@claim("C067", "For convex objectives batch gradient descent reaches the global optimum from any start",
       topics="2.5")
def convex_bgd(quick: bool) -> Verdict:
    X, y = make_two_gaussians(2000, random_state=0)
    A = np.c_[(X - X.mean(0)) / X.std(0), np.ones(len(X))]
    At, yt, lam = ember.tensor(A), ember.tensor(y, dtype=ember.float64), 1e-2
    lr = 1 / (np.linalg.eigvalsh(A.T @ A / len(A)).max() / 4 + 2 * lam)  # 1 / Lipschitz constant
    sols, iters = [], []
    for seed in range(3 if quick else 10):
        w = ember.tensor(np.random.default_rng(seed).normal(0, 3, A.shape[1]), requires_grad=True)
        for it in range(20000):
            z = At @ w
            loss = F.softplus(z).mean() - (yt * z).mean() + lam * (w[:-1] ** 2).sum()
            (g,) = ember.autograd.grad(loss, [w])
            if float(g.norm()) < 1e-8:
                break
            with ember.no_grad():
                w.sub_(lr * g)
        sols.append(w.detach().numpy())
        iters.append(it)
    sols = np.array(sols)
    ev = {"max_difference": float(np.abs(sols - sols[0]).max()), "starts": len(sols),
          "max_iterations": int(max(iters)), "lr": float(lr)}
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.plot(sols.T, marker="o", alpha=0.5)
    ax.set(xlabel="coefficient", ylabel="value", title="C067: BGD from 10 random starts")
    return Verdict("holds" if ev["max_difference"] < 1e-6 else "fails", ev, fig,
                   f"{len(sols)} random starts reach the same optimum (max difference {ev['max_difference']:.1e}, "
                   f"<= {ev['max_iterations']} iterations).")


@claim("C068", "ReLU reduces overfitting", topics="2.5")
def relu_not_regularizer(quick: bool) -> Verdict:
    (Xtr, ytr), (Xte, yte) = glyph_flat(300, 0), glyph_flat(400 if quick else 1000, 1)
    seeds, width, epochs = (2, 64, 20) if quick else (5, 256, 60)
    gaps: dict[str, list[float]] = {"sigmoid": [], "relu": []}
    test: dict[str, list[float]] = {"sigmoid": [], "relu": []}
    for name, act in (("sigmoid", nn.Sigmoid), ("relu", nn.ReLU)):
        for s in range(seeds):
            ember.manual_seed(s)
            net = nn.Sequential(nn.Linear(256, width), act(), nn.Linear(width, width), act(), nn.Linear(width, 10))
            fit(net, Xtr, ytr, epochs, lr=3e-3 if quick else 1e-3, seed=s)
            test[name].append(acc(net, Xte, yte))
            gaps[name].append(acc(net, Xtr, ytr) - test[name][-1])
    diff, se = paired_diff(gaps["sigmoid"], gaps["relu"])
    ev = {"gap_sigmoid": mean_se(gaps["sigmoid"])[0], "gap_relu": mean_se(gaps["relu"])[0],
          "test_acc_sigmoid": mean_se(test["sigmoid"])[0], "test_acc_relu": mean_se(test["relu"])[0],
          "gap_reduction_by_relu": diff, "se": se, "seeds": seeds}
    fig = Figure(figsize=(5, 3.5))
    bar_with_errors(fig.subplots(), list(gaps), gaps, "train - test accuracy", "C068: 300 GLYPH samples")
    # supported only if ReLU's gap is smaller by more than 2 SE (TOPICS §3 E46 expects no such effect)
    holds = diff > 2 * se and diff > 0
    return Verdict("holds" if holds else "fails", ev, fig,
                   f"train-test gap sigmoid {ev['gap_sigmoid']:.3f} vs ReLU {ev['gap_relu']:.3f} (reduction "
                   f"{diff:+.3f} +- {se:.3f}; ReLU test accuracy {ev['test_acc_relu']:.3f} vs "
                   f"{ev['test_acc_sigmoid']:.3f}): " + ("smaller gap with ReLU at equal (100%) training accuracy"
                                                        if holds else "no gap reduction from ReLU"))


def _noisy_spiral(n_per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = spiral(n_per_class, seed=seed)
    flip = np.random.default_rng(seed + 100).random(len(y)) < 0.1  # 10% label noise
    return X, np.where(flip, (y + 1) % 3, y)


@claim("C069", "More data helps overfitting but not underfitting; a bigger model helps underfitting",
       topics="2.5")
def data_vs_capacity(quick: bool) -> Verdict:
    steps, width = (150, 64) if quick else (1000, 256)
    Xte, yte = _noisy_spiral(300, 7)
    ev: dict = {}
    for n in (100, 1000):  # per class: 300 vs 3000 samples
        X, y = _noisy_spiral(n, 0)
        lr_model = LogisticRegression(max_iter=500).fit(X, y)
        ev[f"logreg_train_error_n{3 * n}"] = float(np.mean(lr_model.predict(X) != y))
        ember.manual_seed(0)
        big = nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 3))
        train_full_batch(big, X, y, steps)
        ev[f"big_mlp_train_error_n{3 * n}"] = 1 - acc(big, X, y)
        ev[f"big_mlp_gap_n{3 * n}"] = acc(big, X, y) - acc(big, Xte, yte)
    underfit_unchanged = abs(ev["logreg_train_error_n300"] - ev["logreg_train_error_n3000"]) < 0.05 and \
        ev["logreg_train_error_n300"] > 0.3
    bigger_fixes = ev["big_mlp_train_error_n300"] < ev["logreg_train_error_n300"] - 0.2
    data_closes_gap = ev["big_mlp_gap_n3000"] < ev["big_mlp_gap_n300"]
    ok = underfit_unchanged and bigger_fixes and data_closes_gap
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    keys = ["logreg_train_error", "big_mlp_train_error", "big_mlp_gap"]
    for k, n in enumerate((300, 3000)):
        ax.bar(np.arange(3) + 0.4 * k, [ev[f"{key}_n{n}"] for key in keys], 0.4, label=f"n = {n}")
    ax.set(xticks=np.arange(3) + 0.2, xticklabels=keys, title="C069: SPIRAL, 10% label noise")
    ax.legend()
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"logistic regression train error {ev['logreg_train_error_n300']:.3f} (n 300) vs "
                   f"{ev['logreg_train_error_n3000']:.3f} (n 3000); big MLP train error "
                   f"{ev['big_mlp_train_error_n300']:.3f}; its gap {ev['big_mlp_gap_n300']:.3f} -> {ev['big_mlp_gap_n3000']:.3f}.")


@claim("C070", "High-capacity models have high variance (bias-variance)", topics="2.5")
def polynomial_bias_variance(quick: bool) -> Verdict:
    rng = np.random.default_rng(3)
    draws, degrees = (20 if quick else 50), list(range(1, 16))
    x_te = np.linspace(-3, 3, 200)
    bias2, var = [], []
    x = np.linspace(-3, 3, 20)  # fixed design; each draw resamples the noise of the 20 targets
    train_sets = [(x, np.sin(x) + rng.normal(0, 0.3, 20)) for _ in range(draws)]
    for deg in degrees:
        powers = np.arange(deg + 1)  # scaled monomials (x / 3)^p, p = 0..deg
        preds = np.array([LinearRegression(fit_intercept=False).fit((xs[:, None] / 3) ** powers, t)
                          .predict((x_te[:, None] / 3) ** powers) for xs, t in train_sets])
        bias2.append(float(np.mean((preds.mean(0) - np.sin(x_te)) ** 2)))
        var.append(float(np.mean(preds.var(0))))
    rank_corr = float(np.corrcoef(np.argsort(np.argsort(degrees)), np.argsort(np.argsort(var)))[0, 1])
    ev = {"bias2_deg1": bias2[0], "bias2_deg15": bias2[-1], "variance_deg1": var[0], "variance_deg15": var[-1],
          "spearman_degree_variance": rank_corr, "draws": draws, "bias2": bias2, "variance": var}
    ok = bias2[-1] < bias2[0] and var[-1] > var[0] and rank_corr > 0.8
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.semilogy(degrees, bias2, "o-", label="bias^2")
    ax.semilogy(degrees, var, "s-", label="variance")
    ax.set(xlabel="polynomial degree", ylabel="mean over x", title=f"C070: {draws} draws of 20 points")
    ax.legend()
    return Verdict("holds" if ok else "fails", ev, fig,
                   f"bias^2 {bias2[0]:.3f} -> {bias2[-1]:.3g} and variance {var[0]:.3f} -> {var[-1]:.3g} from degree "
                   f"1 to 15 (Spearman(degree, variance) = {rank_corr:.2f}).")
