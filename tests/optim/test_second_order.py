"""LBFGS vs torch; Newton, BFGS and nonlinear CG vs scipy.optimize.minimize (Rosenbrock, logistic)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize as so
import torch

import ember
from tests.tolerances import TOL, assert_close


def _logreg_data(seed=0, n=200, d=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w = rng.standard_normal(d)
    y = (X @ w + 0.8 * rng.standard_normal(n) > 0).astype(np.float64)
    return X, y


def _logreg_loss(lib, X, y, w, l2=1e-2):
    z = X @ w
    return (lib.nn.functional.softplus(z) - y * z).mean() + 0.5 * l2 * (w * w).sum()


def _logreg_np(w, X, y, l2=1e-2):
    z = X @ w
    return np.mean(np.logaddexp(0, z) - y * z) + 0.5 * l2 * w @ w


def _logreg_grad(w, X, y, l2=1e-2):
    return X.T @ (1 / (1 + np.exp(-(X @ w))) - y) / len(y) + l2 * w


def _logreg_hess(w, X, y, l2=1e-2):
    s = 1 / (1 + np.exp(-(X @ w)))
    return (X * (s * (1 - s))[:, None]).T @ X / len(y) + l2 * np.eye(len(w))


def _minimize(cls, fun, x0, backward=True, **kw):
    """Run ember optimizer ``cls`` on ``fun(lib, w)`` from x0; returns (x, n_iter)."""
    w = ember.nn.Parameter(ember.tensor(np.asarray(x0, dtype=np.float64)))
    opt = cls([w], **kw)

    def closure():
        opt.zero_grad()
        loss = fun(ember, w)
        if backward:
            loss.backward()
        return loss
    opt.step(closure)
    return w.detach().numpy(), opt.state[w]["n_iter"]


def _rosen(lib, w):
    return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2


ROSEN_X0 = [-1.5, 2.0]
TIGHT = dict(tolerance_grad=1e-10, tolerance_change=0.0)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("history_size", [100, 3])
def test_lbfgs_trajectory_matches_torch(line_search_fn, history_size):
    X, y = _logreg_data()
    traj = {}
    for lib in (ember, torch):
        w = lib.nn.Parameter(lib.zeros(X.shape[1], dtype=lib.float64))
        Xl, yl = lib.tensor(X), lib.tensor(y)
        opt = lib.optim.LBFGS([w], lr=1 if line_search_fn else 0.5, max_iter=1, history_size=history_size,
                              line_search_fn=line_search_fn)

        def closure():
            opt.zero_grad()
            loss = _logreg_loss(lib, Xl, yl, w)
            loss.backward()
            return loss
        traj[lib.__name__] = np.array([w.detach().numpy().copy() for _ in range(40) if opt.step(closure) is not None])
    assert_close(traj["ember"], traj["torch"], **TOL["trajectory"], name="LBFGS trajectory")


def test_lbfgs_multi_iteration_step_matches_torch():
    X, y = _logreg_data(1)
    out = {}
    for lib in (ember, torch):
        w = lib.nn.Parameter(lib.zeros(X.shape[1], dtype=lib.float64))
        opt = lib.optim.LBFGS([w], max_iter=15, line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            loss = _logreg_loss(lib, lib.tensor(X), lib.tensor(y), w)
            loss.backward()
            return loss
        for _ in range(3):
            opt.step(closure)
        out[lib.__name__] = (w.detach().numpy(), opt.state[w]["func_evals"], opt.state[w]["n_iter"])
    assert_close(out["ember"][0], out["torch"][0], **TOL["trajectory"], name="LBFGS x")
    assert out["ember"][1:] == out["torch"][1:]


@pytest.mark.parametrize("cls, kw, method, backward", [
    (ember.optim.Newton, dict(max_iter=100), "Newton-CG", False),
    (ember.optim.Newton, dict(max_iter=400, hessian="cg"), "Newton-CG", False),
    (ember.optim.Newton, dict(max_iter=200, adaptive_damping=True, damping=1.0, line_search_fn=None), "Newton-CG",
     False),
    (ember.optim.BFGS, dict(max_iter=300), "BFGS", True),
    (ember.optim.ConjugateGradient, dict(max_iter=2000, max_eval=10000), "CG", True),
    (ember.optim.ConjugateGradient, dict(max_iter=2000, max_eval=10000, beta_type="FR"), "CG", True),
    (ember.optim.ConjugateGradient, dict(max_iter=2000, max_eval=10000, beta_type="HS"), "CG", True),
])
def test_rosenbrock_minimizer_and_iterations_vs_scipy(cls, kw, method, backward):
    x, n_iter = _minimize(cls, _rosen, ROSEN_X0, backward=backward, **kw, **TIGHT)
    ref = so.minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, hess=so.rosen_hess if method == "Newton-CG" else None,
                      method=method, options={"xtol": 1e-12} if method == "Newton-CG" else {"gtol": 1e-10})
    assert_close(x, ref.x, **TOL["oracle"], name=f"{cls.__name__} minimizer")
    assert n_iter <= 3 * ref.nit + 10, (n_iter, ref.nit)  # "comparable": within a small factor of scipy's


@pytest.mark.parametrize("cls, kw, method, backward", [
    (ember.optim.Newton, dict(max_iter=50), "Newton-CG", False),
    (ember.optim.Newton, dict(max_iter=50, hessian="cg"), "Newton-CG", False),
    (ember.optim.BFGS, dict(max_iter=200), "BFGS", True),
    (ember.optim.ConjugateGradient, dict(max_iter=500, max_eval=3000), "CG", True),
    (ember.optim.LBFGS, dict(max_iter=200, line_search_fn="strong_wolfe"), "L-BFGS-B", True),
])
def test_logistic_regression_vs_scipy(cls, kw, method, backward):
    X, y = _logreg_data(2, n=300, d=8)
    Xe, ye = ember.tensor(X), ember.tensor(y)
    x, n_iter = _minimize(cls, lambda lib, w: _logreg_loss(lib, Xe, ye, w), np.zeros(8), backward=backward,
                          **kw, **TIGHT)
    opts = {"xtol": 1e-12} if method == "Newton-CG" else {"gtol": 1e-10}
    ref = so.minimize(_logreg_np, np.zeros(8), args=(X, y), jac=_logreg_grad, method=method,
                      hess=_logreg_hess if method == "Newton-CG" else None, options=opts)
    # SciPy's Newton-CG stops at |g| ~ 3e-8 (inexact inner CG), so the minimizer is checked against
    # SciPy's trust-exact solution at gtol 1e-12; the iteration count against ``method``
    exact = so.minimize(_logreg_np, np.zeros(8), args=(X, y), jac=_logreg_grad, hess=_logreg_hess,
                        method="trust-exact", options={"gtol": 1e-12})
    assert_close(x, exact.x, **TOL["oracle"], name=f"{cls.__name__} logistic minimizer")
    assert n_iter <= 3 * ref.nit + 10, (n_iter, ref.nit)


def test_newton_converges_quadratically_on_logistic_regression():
    X, y = _logreg_data(3, n=400, d=6)
    w_star = so.minimize(_logreg_np, np.zeros(6), args=(X, y), jac=_logreg_grad, hess=_logreg_hess,
                         method="trust-exact", options={"gtol": 1e-13}).x
    for _ in range(3):  # polish the reference with plain numpy Newton steps (independent of ember)
        w_star = w_star - np.linalg.solve(_logreg_hess(w_star, X, y), _logreg_grad(w_star, X, y))
    w = ember.nn.Parameter(ember.zeros(6, dtype=ember.float64))
    opt = ember.optim.Newton([w], max_iter=1, line_search_fn=None, tolerance_grad=0.0)
    Xe, ye = ember.tensor(X), ember.tensor(y)
    errors = []
    for _ in range(7):
        opt.step(lambda: _logreg_loss(ember, Xe, ye, w))
        errors.append(float(np.linalg.norm(w.detach().numpy() - w_star)))
    e = np.array(errors)
    mid = (e[:-1] > 1e-13) & (e[1:] > 1e-13)
    ratios = e[1:][mid] / e[:-1][mid] ** 2  # quadratic: e_{k+1} <= C e_k^2 with a bounded C
    assert e[-1] < 1e-12 and mid.sum() >= 2 and ratios.max() < 10, errors


def test_cg_solves_quadratic_in_at_most_n_iterations():
    rng = np.random.default_rng(0)
    n = 12
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + n * np.eye(n)
    b = rng.standard_normal(n)
    Ae, be = ember.tensor(A), ember.tensor(b)
    x, n_iter = _minimize(ember.optim.ConjugateGradient, lambda lib, w: 0.5 * w @ (Ae @ w) - be @ w, np.zeros(n),
                          max_iter=n, max_eval=50 * n, c2=1e-3, **TIGHT)
    assert_close(x, np.linalg.solve(A, b), **TOL["oracle"], name="CG quadratic")
    assert n_iter <= n


def test_newton_handles_indefinite_hessian_by_damping():
    # saddle f = x^2 + y^4/4 - y^2 from (1, 0.1): the Hessian is indefinite there
    w = ember.nn.Parameter(ember.tensor([1.0, 0.1], dtype=ember.float64))
    opt = ember.optim.Newton([w], max_iter=50, **TIGHT)
    opt.step(lambda: w[0] ** 2 + 0.25 * w[1] ** 4 - w[1] ** 2)
    assert_close(w.detach().numpy(), np.array([0.0, np.sqrt(2.0)]), **TOL["oracle"], name="saddle escape")


@pytest.mark.parametrize("cls", [ember.optim.LBFGS, ember.optim.Newton, ember.optim.BFGS,
                                 ember.optim.ConjugateGradient])
def test_closure_is_required(cls):
    opt = cls([ember.nn.Parameter(ember.zeros(2))])
    with pytest.raises(TypeError, match="requires a closure"):
        opt.step()


@pytest.mark.parametrize("cls", [ember.optim.Newton, ember.optim.BFGS, ember.optim.ConjugateGradient])
def test_nan_loss_raises(cls):
    w = ember.nn.Parameter(ember.tensor([1.0, 2.0], dtype=ember.float64))
    opt = cls([w])

    def closure():
        opt.zero_grad()
        loss = (w * float("nan")).sum()
        if cls is not ember.optim.Newton:
            loss.backward()
        return loss
    with pytest.raises(ValueError, match="non-finite"):
        opt.step(closure)


def test_newton_rejects_closure_without_graph():
    w = ember.nn.Parameter(ember.tensor([1.0, 2.0], dtype=ember.float64))
    opt = ember.optim.Newton([w])
    with pytest.raises(TypeError, match="graph"):
        opt.step(lambda: (w * w).sum().detach())


@pytest.mark.parametrize("make, match", [
    (lambda p: ember.optim.Newton(p, damping=-1), "Invalid damping"),
    (lambda p: ember.optim.Newton(p, hessian="bfgs"), "hessian must be"),
    (lambda p: ember.optim.ConjugateGradient(p, beta_type="DY"), "beta_type"),
    (lambda p: ember.optim.BFGS(p, line_search_fn="armijo"), "line_search_fn"),
    (lambda p: ember.optim.LBFGS(p, lr=-1), "Invalid learning rate: -1"),
    (lambda p: ember.optim.LBFGS([{"params": p[:1]}, {"params": p[1:]}]), "parameter groups"),
])
def test_invalid_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make([ember.nn.Parameter(ember.zeros(2)), ember.nn.Parameter(ember.zeros(1))])
