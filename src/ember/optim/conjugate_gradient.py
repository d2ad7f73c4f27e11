"""Nonlinear conjugate gradient (Fletcher-Reeves, Polak-Ribiere(+), Hestenes-Stiefel) with restarts."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ._flat import FlatClosureOptimizer
from .bfgs import _quasi_newton_loop

__all__ = ["ConjugateGradient", "cg_beta"]

_BETAS = ("FR", "PR", "PR+", "HS")


def cg_beta(g: np.ndarray, g_prev: np.ndarray, d_prev: np.ndarray, beta_type: str) -> float:
    """The conjugacy coefficient beta_k.

    FR: ``g.g / g_prev.g_prev``;  PR: ``g.(g - g_prev) / g_prev.g_prev``;  PR+: ``max(PR, 0)``;
    HS: ``g.(g - g_prev) / d_prev.(g - g_prev)``.
    """
    y = g - g_prev
    if beta_type == "FR":
        return float(np.dot(g, g) / np.dot(g_prev, g_prev))
    if beta_type == "HS":
        den = np.dot(d_prev, y)
        return float(np.dot(g, y) / den) if den != 0 else 0.0
    pr = float(np.dot(g, y) / np.dot(g_prev, g_prev))
    return max(pr, 0.0) if beta_type == "PR+" else pr


class ConjugateGradient(FlatClosureOptimizer):
    """Nonlinear CG: ``d_0 = -g_0;  d_k = -g_k + beta_k d_{k-1};  x += t_k d_k`` (strong-Wolfe t_k).

    Args:
        params: parameters (one group, flattened to a vector of size n).
        lr: first trial step (scaled by ``min(1, 1/|g|_1)`` on the very first iteration). Default: 1.
        max_iter, max_eval, tolerance_grad, tolerance_change: as in :class:`LBFGS`.
        beta_type: "PR+" (Polak-Ribiere clipped at 0, TOPICS 1.4), "PR", "FR" (Fletcher-Reeves) or
            "HS" (Hestenes-Stiefel). Default: "PR+".
        restart: restart with ``d = -g`` every ``restart`` iterations. Default: n (the dimension).
        c2: curvature constant of the strong-Wolfe search; must be < 0.5 so FR directions stay
            descent directions. Default: 0.1 (Nocedal & Wright, ch. 5).
        line_search_fn: "strong_wolfe" or None (fixed step lr). Default: "strong_wolfe".

    Notes:
        Later trial steps use ``t_{k-1} * g_{k-1}.d_{k-1} / g_k.d_k`` (Nocedal & Wright eq. 3.60).
        A non-descent direction (``g.d >= 0``) triggers a restart. On a quadratic with exact line
        searches CG terminates in at most n iterations (claim C021). Closure convention as LBFGS.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, beta_type: str = "PR+",
                 restart: int | None = None, c2: float = 0.1,
                 line_search_fn: str | None = "strong_wolfe") -> None:
        if beta_type not in _BETAS:
            raise ValueError(f"ConjugateGradient: beta_type must be one of {_BETAS}, got {beta_type!r}")
        if not 0.0 < c2 < 1.0:
            raise ValueError(f"ConjugateGradient: Invalid c2 value: {c2} (expected 0 < c2 < 1)")
        if restart is not None and restart < 1:
            raise ValueError(f"ConjugateGradient: Invalid restart value: {restart} (expected >= 1 or None)")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"ConjugateGradient: line_search_fn must be None or 'strong_wolfe', "
                             f"got {line_search_fn!r}")
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_iter * 5 // 4 if max_eval is None else max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change, beta_type=beta_type,
                        restart=restart, c2=c2, line_search_fn=line_search_fn)
        super().__init__(params, defaults)

    def _direction(self, state: dict, g: np.ndarray) -> np.ndarray:
        group = self.param_groups[0]
        restart = group["restart"] or g.size
        d_prev, g_prev = self._load(state, "d"), self._load(state, "prev_flat_grad")
        since = state.get("since_restart", 0)
        if d_prev is None or since >= restart:
            d, since = -g, 0
        else:
            d = -g + cg_beta(g, g_prev, d_prev, group["beta_type"]) * d_prev
            if np.dot(g, d) >= 0:
                d, since = -g, 0
        state["since_restart"] = since + 1
        return d

    def _first_step(self, state: dict, g: np.ndarray, d: np.ndarray) -> float:
        t_prev, gtd_prev = state.get("t"), state.get("prev_gtd")
        if t_prev is None or gtd_prev is None:
            return float(self.param_groups[0]["lr"])
        return float(t_prev * gtd_prev / np.dot(g, d))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` CG iterations; returns the loss of the first closure call."""
        closure = self._require_closure(closure)
        group = self.param_groups[0]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        return _quasi_newton_loop(self, closure, group, state, self._direction, c2=group["c2"],
                                  first_step=self._first_step)
