"""BFGS: dense inverse-Hessian quasi-Newton method with a strong-Wolfe line search (not in torch)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..autograd.grad_mode import enable_grad
from ._flat import FlatClosureOptimizer
from ._line_search import strong_wolfe
from .optimizer import _float

__all__ = ["BFGS", "bfgs_inverse_update"]


def bfgs_inverse_update(H: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``H <- (I - rho s y^T) H (I - rho y s^T) + rho s s^T`` with ``rho = 1 / (y.s)`` (new array).

    Expanded so it costs O(n^2): ``H + (1 + rho y.Hy) rho s s^T - rho (Hy s^T + s (Hy)^T)``.
    """
    rho = 1.0 / np.dot(y, s)
    Hy = H @ y
    return H + (rho * rho * np.dot(y, Hy) + rho) * np.outer(s, s) - rho * (np.outer(Hy, s) + np.outer(s, Hy))


class BFGS(FlatClosureOptimizer):
    """BFGS: ``d = -H g``, ``x += t d`` (Wolfe step), then the rank-two update of H from (s, y).

    Args:
        params: parameters (one group; all are flattened into one vector of size n).
        lr: initial trial step of the line search (or the fixed step without one). Default: 1.
        max_iter: iterations per ``step`` call. Default: 20.
        max_eval: closure evaluations per ``step``. Default: max_iter * 5 // 4.
        tolerance_grad: stop when ``max|g| <= tolerance_grad``. Default: 1e-7.
        tolerance_change: stop when the loss or the step changes less than this. Default: 1e-9.
        line_search_fn: "strong_wolfe" (c1 = 1e-4, c2 = 0.9) or None. Default: "strong_wolfe".

    Notes:
        Same calling convention as :class:`LBFGS` (the closure zeroes grads, calls ``backward`` and
        returns the loss). H starts as the identity and is rescaled by ``y.s / y.y`` before the first
        update (Nocedal & Wright eq. 6.20); pairs with ``y.s <= 1e-10`` are skipped so H stays
        positive definite. Memory is O(n^2): use LBFGS for large models. State: ``H`` (n x n),
        ``d``, ``t``, ``prev_flat_grad``, ``prev_loss``, ``n_iter``, ``func_evals``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9,
                 line_search_fn: str | None = "strong_wolfe") -> None:
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"BFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_iter * 5 // 4 if max_eval is None else max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        line_search_fn=line_search_fn)
        super().__init__(params, defaults)

    def _direction(self, state: dict, g: np.ndarray) -> np.ndarray:
        H, d_prev = self._load(state, "H"), self._load(state, "d")
        if H is None:
            H = np.eye(g.size, dtype=g.dtype)
        elif d_prev is not None:  # the pair (s, y) of the last step, consumed once
            s = d_prev * state["t"]
            y = g - self._load(state, "prev_flat_grad")
            ys = np.dot(y, s)
            if ys > 1e-10:
                if not state.get("scaled", False):
                    H = H * (ys / np.dot(y, y))
                    state["scaled"] = True
                H = bfgs_inverse_update(H, s, y)
        self._store(state, H=H, d=None)
        d = -(H @ g)
        if np.dot(g, d) >= 0:  # round-off broke positive definiteness: restart from steepest descent
            self._store(state, H=np.eye(g.size, dtype=g.dtype))
            state["scaled"] = False
            d = -g
        return d

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` BFGS iterations; returns the loss of the first closure call."""
        closure = self._require_closure(closure)
        group = self.param_groups[0]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        return _quasi_newton_loop(self, closure, group, state, self._direction, c2=0.9)


def _quasi_newton_loop(opt: FlatClosureOptimizer, closure: Callable, group: dict, state: dict,
                       direction: Callable[[dict, np.ndarray], np.ndarray], c2: float,
                       first_step: Callable[[dict, np.ndarray, np.ndarray], float] | None = None) -> Any:
    """Iteration shared by BFGS and ConjugateGradient: direction, line search, stopping tests."""
    with enable_grad():
        orig_loss = closure()
    loss, g = float(orig_loss), opt._gather_flat_grad()
    state["func_evals"] += 1
    evals, lr = 1, _float(group["lr"])
    tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
    for n_iter in range(1, group["max_iter"] + 1):
        if np.abs(g).max() <= tol_grad:
            break
        state["n_iter"] += 1
        d = direction(state, g)
        gtd = float(np.dot(g, d))
        if state["n_iter"] == 1:
            t = min(1.0, 1.0 / np.abs(g).sum()) * lr
        else:
            t = first_step(state, g, d) if first_step is not None else lr
        opt._store(state, prev_flat_grad=g.copy(), prev_loss=loss, prev_gtd=gtd)
        if gtd > -tol_change:
            break
        prev_loss = loss
        if group["line_search_fn"] == "strong_wolfe":
            loss, g, t, ls_evals = strong_wolfe(
                lambda x, t_, d_: opt._directional_evaluate(closure, x, t_, d_), opt._flat_params(), t, d,
                loss, g, gtd, c2=c2, max_ls=max(group["max_eval"] - evals, 1))
            opt._add_grad(t, d)
        else:
            opt._add_grad(t, d)
            loss, g = opt._evaluate(closure)
            ls_evals = 1
        evals += ls_evals
        state["func_evals"] += ls_evals
        opt._store(state, d=d, t=t)
        if n_iter == group["max_iter"] or evals >= group["max_eval"]:
            break
        if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
            break
    return orig_loss
