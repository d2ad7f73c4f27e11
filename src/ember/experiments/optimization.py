"""Claims C002, C005-C008, C010, C012, C013, C016, C017 of TOPICS §2.1 (first-order optimization).

Second-order claims (C020-C022) live in ``optimization_second_order``; shared fixtures in
``_optim_common``. Every number is computed by the run; seeds are fixed.
"""
from __future__ import annotations

import numpy as np

import ember
from ember import optim
from ember.optim.adam import adam_update

from . import Verdict, claim
from ._optim_common import (curves_figure, descend, linreg, logistic_loss, logreg_data, plot_trajectories,
                            quad, rosen, saddle, verdict_status)


@claim("C002", "Full-batch gradients point more accurately; SGD is noisy", topics="2.1")
def gradient_accuracy_vs_batch(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    X, y, w_true = linreg(rng)
    w = np.zeros(X.shape[1])  # fixed parameter point
    full = X.T @ (X @ w - y) / len(y)
    sizes, draws = [1, 8, 32, 128, 512], 50 if quick else 200
    cos = {}
    for b in sizes:
        vals = []
        for _ in range(draws):
            idx = rng.choice(len(y), b, replace=False)
            g = X[idx].T @ (X[idx] @ w - y[idx]) / b
            vals.append(g @ full / (np.linalg.norm(g) * np.linalg.norm(full)))
        cos[b] = float(np.mean(vals))
    cos[len(y)] = 1.0
    c = np.array(list(cos.values()))
    checks = {"monotone": bool(np.all(np.diff(c) >= -1e-3)), "saturates": cos[512] > 0.95, "sgd_noisy": cos[1] < 0.7}
    fig = curves_figure({"mean cosine": c}, "cosine(batch grad, full grad)", "batch size index", "cosine", logy=False)
    return Verdict(verdict_status(checks), {"cosine_by_batch": cos, "checks": checks}, fig,
                   f"mean cosine rises from {cos[1]:.2f} (batch 1) to {cos[512]:.3f} (batch 512)")


def _sign_flips(v: np.ndarray) -> int:
    s = np.sign(v)
    return int(np.sum(s[1:] * s[:-1] < 0))


@claim("C005", "Momentum accelerates SGD and damps oscillation", topics="2.1")
def momentum_accelerates(quick: bool) -> Verdict:
    f, a = quad(100.0, 2)
    L, x0, steps = a.max(), [1.0, 1.0], 3000
    stop = lambda x, loss: loss < 1e-6  # noqa: E731
    gd, lg = descend(optim.SGD, f, x0, steps, lr=1.0 / L, stop=stop)
    gd_big, lgb = descend(optim.SGD, f, x0, steps, lr=1.9 / L, stop=stop)
    mom, lm = descend(optim.SGD, f, x0, steps, lr=1.0 / L, momentum=0.9, stop=stop)
    ev = {"iters_gd": len(lg), "iters_gd_lr1.9/L": len(lgb), "iters_momentum": len(lm),
          "flips_gd_lr1.9/L": _sign_flips(gd_big[:, 1]), "flips_momentum": _sign_flips(mom[:, 1])}
    checks = {"faster": 2 * ev["iters_momentum"] <= ev["iters_gd"],
              "fewer_flips": ev["flips_momentum"] < ev["flips_gd_lr1.9/L"]}
    ev["checks"] = checks
    fig = plot_trajectories(lambda z: 0.5 * (a[0] * z[0] ** 2 + a[1] * z[1] ** 2),
                            {"GD lr=1/L": gd, "GD lr=1.9/L": gd_big, "momentum 0.9": mom}, (-1.2, 1.2, -1.2, 1.2),
                            "QUAD kappa=100")
    return Verdict(verdict_status(checks), ev, fig,
                   f"to f<1e-6: GD {len(lg)} iterations vs momentum {len(lm)}")


def _quad_iters(a: np.ndarray, lr: float, momentum: float, target: float, budget: int, noise: float,
                seed: int) -> int:
    """SGD steps on QUAD (exact gradient ``a*x`` plus N(0, noise^2) noise) until f < target (budget if never)."""
    rng = np.random.default_rng(seed)
    w = ember.nn.Parameter(ember.ones(len(a), dtype=ember.float64))
    opt = optim.SGD([w], lr=lr, momentum=momentum)
    for k in range(budget):
        f = 0.5 * float(np.sum(a * w._data ** 2))
        if f < target or not np.isfinite(f) or f > 1e6:
            return k if f < target else budget
        w.grad = ember.tensor(a * w._data + noise * rng.standard_normal(len(a)))
        opt.step()
    return budget


@claim("C006", "Momentum helps against gradient noise and ill-conditioned Hessians", topics="2.1")
def momentum_noise_conditioning(quick: bool) -> Verdict:
    ratios, best, var_ratio = {}, {}, {}
    seeds = [0] if quick else [0, 1, 2]
    for kappa in [1, 10, 100, 1000]:
        _, a = quad(float(kappa), 2)
        L, budget = a.max(), 20 * kappa + 200
        # each method at its best stable lr (GD: lr*L < 2; heavy ball mu=0.9: lr*L < 2(1+mu) = 3.8)
        grids = {"sgd": ([0.5, 1.0, 1.5, 1.9], 0.0), "mom": ([0.1, 0.3, 1.0, 2.0, 3.0], 0.9)}
        it = {}
        for name, (factors, mu) in grids.items():
            runs = {c: np.mean([_quad_iters(a, c / L, mu, 1e-3, budget, 1e-3, s) for s in seeds]) for c in factors}
            c_best = min(runs, key=runs.get)
            it[name], best[f"{name}_kappa{kappa}_lr*L"] = float(runs[c_best]), c_best
        ratios[kappa] = it["sgd"] / it["mom"]
    f, a = quad(100.0, 2)
    for name, kw in {"sgd": dict(lr=0.5 / a.max()), "mom": dict(lr=0.05 / a.max(), momentum=0.9)}.items():
        _, losses = descend(optim.SGD, f, [0.0, 0.0], 2000, noise=0.5, seed=3, **kw)
        var_ratio[name] = float(np.var(losses[500:]))
    r = np.array(list(ratios.values()))
    # kappa = 1 is excluded from the trend: GD with lr = 1/L is then exact in one step (nothing to gain)
    checks = {"benefit_grows_with_kappa": bool(np.all(np.diff(r[1:]) > 0)), "helps_at_kappa_1000": ratios[1000] > 2,
              "lower_loss_variance_with_momentum": var_ratio["mom"] < var_ratio["sgd"]}
    ev = {"iteration_ratio_sgd_over_momentum": ratios, "best_lr_times_L": best,
          "final_loss_variance_equal_effective_lr": var_ratio, "checks": checks,
          "note": "iterations at each method's best lr on a grid; variance at lr_sgd = lr_mom/(1-mu)"}
    fig = curves_figure({"SGD/momentum iterations": r}, "benefit vs kappa (1, 10, 100, 1000)", "kappa index",
                        "ratio", logy=True)
    return Verdict(verdict_status(checks), ev, fig,
                   "iterations to f<1e-3 (noisy gradients), GD over momentum at their best lr: "
                   + ", ".join(f"kappa {k}: {v:.2f}" for k, v in ratios.items()))


@claim("C007", "Nesterov reduces overshoot compared with classical momentum", topics="2.1")
def nesterov_overshoot(quick: bool) -> Verdict:
    f, a = quad(100.0, 2)
    ev, paths = {}, {}
    for name, nest in [("momentum", False), ("nesterov", True)]:
        path, losses = descend(optim.SGD, f, [1.0, 1.0], 3000, lr=1.0 / a.max(), momentum=0.9, nesterov=nest,
                               stop=lambda x, loss: loss < 1e-8)
        ev[f"quad_overshoots_{name}"], ev[f"quad_iters_{name}"] = _sign_flips(path[:, 1]), len(losses)
        rp, rl = descend(optim.SGD, rosen, [-1.5, 2.0], 20000 if not quick else 2500, lr=2e-4, momentum=0.9,
                         nesterov=nest, stop=lambda x, loss: loss < 1e-6)
        ev[f"rosen_iters_{name}"], ev[f"rosen_overshoots_{name}"] = len(rl), _sign_flips(rp[:, 0] - 1.0)
        paths[name] = rp
    checks = {k: ev[f"{k}_nesterov"] <= ev[f"{k}_momentum"]
              for k in ["quad_overshoots", "quad_iters", "rosen_iters", "rosen_overshoots"]}
    ev["checks"] = checks
    fig = plot_trajectories(rosen, paths, (-2, 2, -1, 3), "ROSEN, lr 2e-4, mu 0.9")
    return Verdict(verdict_status(checks), ev, fig,
                   f"QUAD overshoots: momentum {ev['quad_overshoots_momentum']}, NAG {ev['quad_overshoots_nesterov']}")


def _effective_lr_run(opt, X, y, w, steps, batch, rng, group_lr, key):
    eff = []
    for _ in range(steps):
        idx = rng.integers(0, len(y), batch)
        opt.zero_grad()
        logistic_loss(X[idx], y[idx], w).backward()
        opt.step()
        acc = opt.state[w][key]._data
        denom = np.sqrt(acc) + opt.param_groups[0]["eps"]
        eff.append(float(np.median(group_lr / denom)))
    return np.array(eff)


@claim("C008", "Adagrad's effective learning rate shrinks toward zero", topics="2.1")
def adagrad_rate_decays(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    Xn, yn = logreg_data(rng)
    X, y = ember.tensor(Xn), ember.tensor(yn)
    steps = 1000 if quick else 5000
    out = {}
    for name, cls, key in [("adagrad", optim.Adagrad, "sum"), ("rmsprop", optim.RMSprop, "square_avg")]:
        w = ember.nn.Parameter(ember.zeros(Xn.shape[1], dtype=ember.float64))
        kw = dict(lr=0.01) if name == "adagrad" else dict(lr=0.01, alpha=0.9)
        out[name] = _effective_lr_run(cls([w], **kw), X, y, w, steps, 32, rng, 0.01, key)
    t = np.arange(1, steps + 1)
    tail = t > steps // 10
    slope = {k: float(np.polyfit(np.log(t[tail]), np.log(v[tail]), 1)[0]) for k, v in out.items()}
    # the slope is shallower than -1/2 because the mini-batch gradients themselves shrink as w converges
    checks = {"adagrad_decays": slope["adagrad"] < -0.2, "rmsprop_flat": abs(slope["rmsprop"]) < 0.1}
    fig = curves_figure({k + " median lr/sqrt(G)": v for k, v in out.items()}, "effective rate", "step", "rate")
    return Verdict(verdict_status(checks), {"loglog_slope": slope, "checks": checks}, fig,
                   f"log-log slope of the effective rate: Adagrad {slope['adagrad']:.2f}, RMSprop {slope['rmsprop']:.2f}")


@claim("C010", "RMSprop/Adadelta keep adapting on non-stationary problems; Adagrad recovers slowly", topics="2.1")
def nonstationary_recovery(quick: bool) -> Verdict:
    rng = np.random.default_rng(1)
    X, _, w_true = linreg(rng, n=2000, d=10, noise=0.1)
    half, steps = (1000, 2000) if quick else (3000, 6000)
    curves, after = {}, {}
    for name, make in {"adagrad": lambda p: optim.Adagrad(p, lr=0.1), "rmsprop": lambda p: optim.RMSprop(p, lr=0.01),
                       "adadelta": lambda p: optim.Adadelta(p, lr=1.0, rho=0.95)}.items():
        w = ember.nn.Parameter(ember.zeros(10, dtype=ember.float64))
        opt, losses = make([w]), []
        for t in range(steps):
            sign = 1.0 if t < half else -1.0
            idx = rng.integers(0, len(X), 32)
            xb = ember.tensor(X[idx])
            loss = ((xb @ w - ember.tensor(X[idx] @ (sign * w_true))) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(float(loss))
        curves[name] = np.array(losses)
        after[name] = float(np.mean(losses[half + 300: half + 400]))
    checks = {"rmsprop_faster": after["rmsprop"] < after["adagrad"], "adadelta_faster": after["adadelta"] < after["adagrad"]}
    fig = curves_figure(curves, "targets flip sign at the midpoint")
    return Verdict(verdict_status(checks), {"loss_300_steps_after_switch": after, "checks": checks}, fig,
                   f"loss 300-400 steps after the switch: {after}")


@claim("C012", "Adam's bias correction keeps each step within a stable range (about lr)", topics="2.1")
def adam_bias_correction(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    lr, b1, b2, steps = 1e-3, 0.9, 0.999, 100
    theta = rng.standard_normal(50)
    ratios = {"corrected": [], "uncorrected": []}
    for variant in ratios:
        p, m, v = theta.copy(), np.zeros(50), np.zeros(50)
        for t in range(1, steps + 1):
            g = np.tanh(p) + 0.3 * rng.standard_normal(50)  # MLP-like bounded, noisy gradients
            before = p.copy()
            # step=inf makes both bias corrections exactly 1 (uncorrected Adam)
            adam_update(p, g, m, v, None, float(t) if variant == "corrected" else float("inf"), lr=lr, beta1=b1,
                        beta2=b2, eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False, maximize=False)
            ratios[variant].append(float(np.abs(p - before).max() / lr))
    r = {k: np.array(v) for k, v in ratios.items()}
    ev = {"first_step_ratio_corrected": float(r["corrected"][0]), "first_step_ratio_uncorrected": float(r["uncorrected"][0]),
          "max_ratio_corrected": float(r["corrected"].max())}
    checks = {"corrected_about_1": abs(ev["first_step_ratio_corrected"] - 1) < 0.01 and ev["max_ratio_corrected"] < 3,
              "uncorrected_about_3x": 2.5 < ev["first_step_ratio_uncorrected"] < 3.5}
    ev["checks"] = checks
    fig = curves_figure(r, "max|delta theta| / lr", "step", "ratio", logy=False)
    return Verdict(verdict_status(checks), ev, fig,
                   f"first step: {ev['first_step_ratio_corrected']:.2f} lr with correction, "
                   f"{ev['first_step_ratio_uncorrected']:.2f} lr without")


@claim("C013", "Adam is RMSprop plus momentum", topics="2.1")
def adam_is_rmsprop_plus_momentum(quick: bool) -> Verdict:
    rng = np.random.default_rng(0)
    theta = rng.standard_normal(20)
    w = ember.nn.Parameter(ember.tensor(theta))
    rms = optim.RMSprop([w], lr=1e-2, alpha=0.99, eps=1e-8)
    p, m, v, p_mom, m2, v2 = theta.copy(), np.zeros(20), np.zeros(20), theta.copy(), np.zeros(20), np.zeros(20)
    diff, buf, mom_diff = 0.0, None, 0.0
    for _ in range(200):
        g_fn = lambda x: x ** 3 - x  # noqa: E731
        rms.zero_grad()
        ((w ** 4) / 4 - (w ** 2) / 2).sum().backward()
        rms.step()
        adam_update(p, g_fn(p), m, v, None, float("inf"), lr=1e-2, beta1=0.0, beta2=0.99, eps=1e-8,
                    weight_decay=0.0, decoupled_weight_decay=False, maximize=False)
        diff = max(diff, float(np.abs(p - w.detach().numpy()).max()))
        g2 = g_fn(p_mom)
        buf = g2 * 0.1 if buf is None else 0.9 * buf + 0.1 * g2  # dampened momentum, dampening = 1 - beta1
        adam_update(p_mom, g2, m2, v2, None, float("inf"), lr=1e-2, beta1=0.9, beta2=0.99, eps=1e-8,
                    weight_decay=0.0, decoupled_weight_decay=False, maximize=False)
        mom_diff = max(mom_diff, float(np.abs(m2 - buf).max()))
    checks = {"adam_beta1_0_equals_rmsprop": diff < 1e-12, "first_moment_is_dampened_momentum": mom_diff < 1e-12}
    return Verdict(verdict_status(checks), {"max_param_diff": diff, "max_moment_diff": mom_diff, "checks": checks},
                   None, f"Adam(beta1=0, no bias correction) vs RMSprop: max difference {diff:.1e}")


@claim("C016", "GD gets stuck near saddle points; noise (SGD) or momentum escapes", topics="2.1")
def saddle_escape(quick: bool) -> Verdict:
    budget = 2000
    esc = lambda x, loss: abs(x[1]) > 0.5  # noqa: E731
    it, paths = {}, {}
    for name, kw, y0, noise in [("gd_y0=1e-4", dict(lr=0.05), 1e-4, 0.0), ("gd_y0=1e-8", dict(lr=0.05), 1e-8, 0.0),
                                ("gd_y0=0", dict(lr=0.05), 0.0, 0.0), ("noisy_sgd", dict(lr=0.05), 1e-8, 0.1),
                                ("momentum", dict(lr=0.05, momentum=0.9), 1e-8, 0.0)]:
        path, losses = descend(optim.SGD, saddle, [1.0, y0], budget, noise=noise, stop=esc, **kw)
        it[name], paths[name] = len(losses) if abs(path[-1][1]) > 0.5 else budget, path
    path, losses = descend(optim.Adam, saddle, [1.0, 1e-8], budget, stop=esc, lr=0.05)
    it["adam"], paths["adam"] = len(losses) if abs(path[-1][1]) > 0.5 else budget, path
    checks = {"gd_time_grows_with_log_1_over_y0": it["gd_y0=1e-8"] > it["gd_y0=1e-4"] + 20,
              "gd_never_escapes_from_y0=0": it["gd_y0=0"] == budget,
              "noise_escapes_faster": it["noisy_sgd"] < it["gd_y0=1e-8"],
              "momentum_escapes_faster": it["momentum"] < it["gd_y0=1e-8"]}
    fig = plot_trajectories(lambda z: saddle(z), paths, (-1.2, 1.2, -2, 2), "SADDLE", log_levels=False)
    return Verdict(verdict_status(checks), {"iterations_to_escape": it, "budget": budget, "checks": checks}, fig,
                   f"iterations until |y| > 0.5: {it}")


@claim("C017", "Too small a learning rate converges slowly; too large oscillates or diverges", topics="2.1")
def learning_rate_sweep(quick: bool) -> Verdict:
    f, a = quad(10.0, 2)  # kappa 10 keeps the smallest rates within a few thousand steps
    L = a.max()
    factors = [0.05, 0.2, 0.5, 1.0, 1.9, 2.01, 2.5]
    iters, final = {}, {}
    for c in factors:
        _, losses = descend(optim.SGD, f, [1.0, 1.0], 5000, lr=c / L,
                            stop=lambda x, loss: loss < 1e-6 or loss > 1e6)
        iters[c], final[c] = len(losses), float(losses[-1])
    conv = [c for c in factors if final[c] < 1e-6]
    checks = {"below_2_over_L_converges": all(c in conv for c in factors if c < 2),
              "above_2_over_L_diverges": all(final[c] > 1.0 for c in factors if c > 2),
              "smaller_is_slower": iters[0.05] > iters[0.2] > iters[0.5]}
    return Verdict(verdict_status(checks), {"iterations_by_lr_times_L": iters, "final_loss": final,
                                            "checks": checks}, None,
                   f"lr*L < 2 converges (iterations {iters}); above 2 diverges")
