"""L-BFGS with torch's options and trajectory (torch.optim.LBFGS, after minFunc)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from ._flat import FlatClosureOptimizer
from ._line_search import strong_wolfe
from .optimizer import _float

__all__ = ["LBFGS", "two_loop_direction"]


def two_loop_direction(g: np.ndarray, old_dirs: list[np.ndarray], old_stps: list[np.ndarray],
                       ro: list[float], H_diag: float) -> np.ndarray:
    """L-BFGS two-loop recursion: ``d = -H_k g`` from the pairs (s_i = old_stps, y_i = old_dirs).

    ``q = -g; a_i = rho_i s_i.q; q -= a_i y_i`` (newest first); ``r = H_diag q``;
    ``b_i = rho_i y_i.r; r += (a_i - b_i) s_i`` (oldest first).
    """
    num_old = len(old_dirs)
    al = [0.0] * num_old
    q = -g
    for i in range(num_old - 1, -1, -1):
        al[i] = np.dot(old_stps[i], q) * ro[i]
        q -= al[i] * old_dirs[i]
    r = q * H_diag
    for i in range(num_old):
        be_i = np.dot(old_dirs[i], r) * ro[i]
        r += (al[i] - be_i) * old_stps[i]
    return r


class LBFGS(FlatClosureOptimizer):
    """Limited-memory BFGS: ``d = -H_k g`` from the last ``history_size`` (s, y) pairs, ``x += t d``.

    Args:
        params: parameters (a single group).
        lr: step length (initial step of the line search). Default: 1.
        max_iter: iterations per ``step`` call. Default: 20.
        max_eval: function evaluations per ``step``. Default: max_iter * 5 // 4.
        tolerance_grad: stop when ``max|g| <= tolerance_grad``. Default: 1e-7.
        tolerance_change: stop when the loss or the step changes less than this. Default: 1e-9.
        history_size: number of stored pairs m. Default: 100 (torch; TOPICS 1.4 gives (std) m = 10).
        line_search_fn: None (fixed step ``lr``; the first step is ``min(1, 1/|g|_1) * lr``) or
            "strong_wolfe". Default: None.

    Notes:
        ``closure()`` must zero the gradients, compute the loss, call ``backward()`` and return the
        loss, as with torch. The iteration, the curvature test ``y.s > 1e-10``, the scaling
        ``H_diag = y.s / y.y`` and the line search are torch's, so trajectories agree with torch 2.13.
        State (of the first parameter): ``func_evals``, ``n_iter``, ``d``, ``t``, ``old_dirs``,
        ``old_stps``, ``ro``, ``H_diag``, ``prev_flat_grad``, ``prev_loss``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                        tolerance_change=tolerance_change, history_size=history_size,
                        line_search_fn=line_search_fn)
        super().__init__(params, defaults)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # noqa: C901 (torch's loop, kept whole)
        """Run up to ``max_iter`` L-BFGS iterations; returns the loss of the first closure call."""
        closure = self._require_closure(closure)
        group = self.param_groups[0]
        lr, max_iter, max_eval = _float(group["lr"]), group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max() <= tol_grad:
            return orig_loss
        d, t = self._load(state, "d"), state.get("t")
        old_dirs = [v._data for v in state.get("old_dirs", [])]
        old_stps = [v._data for v in state.get("old_stps", [])]
        ro, H_diag = list(state.get("ro", [])), state.get("H_diag", 1)
        prev_flat_grad, prev_loss = self._load(state, "prev_flat_grad"), state.get("prev_loss")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, H_diag = -flat_grad, [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = np.dot(y, s)
                if ys > 1e-10:
                    if len(old_dirs) == group["history_size"]:
                        old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                    old_dirs.append(y), old_stps.append(s), ro.append(1.0 / ys)
                    H_diag = ys / np.dot(y, y)
                d = two_loop_direction(flat_grad, old_dirs, old_stps, ro, H_diag)
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = np.dot(flat_grad, d)
            if gtd > -tol_change:
                break
            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                x_init = self._flat_params()
                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    lambda x, t_, d_: self._directional_evaluate(closure, x, t_, d_), x_init, t, d, loss,
                    flat_grad, gtd, max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tol_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss, flat_grad = self._evaluate(closure)
                    opt_cond = np.abs(flat_grad).max() <= tol_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break
        self._store(state, d=d, t=t, H_diag=H_diag, prev_flat_grad=prev_flat_grad, prev_loss=prev_loss,
                    ro=list(ro), old_dirs=[Tensor._make(v) for v in old_dirs],
                    old_stps=[Tensor._make(v) for v in old_stps])
        return orig_loss
