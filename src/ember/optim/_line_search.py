"""Line searches on flat float vectors: torch's strong-Wolfe (cubic interpolation) and Armijo backtracking.

``obj_func(x, t, d) -> (f, g)`` evaluates the loss and flat gradient at ``x + t*d`` (and restores x).
``strong_wolfe`` is a line-by-line port of ``torch.optim.lbfgs._strong_wolfe`` (itself from minFunc),
so LBFGS trajectories match torch's; BFGS and ConjugateGradient reuse it.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

__all__ = ["cubic_interpolate", "strong_wolfe", "backtracking"]


def cubic_interpolate(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                      bounds: tuple[float, float] | None = None) -> float:
    """Minimiser of the cubic through (x1, f1, g1), (x2, f2, g2), clipped to ``bounds``."""
    xmin_bound, xmax_bound = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _bracket(obj_func: Callable, x: Any, t: float, d: np.ndarray, f: float, g: np.ndarray, gtd: float,
             c1: float, c2: float, max_ls: int) -> tuple:
    """Phase 1: expand the step until a bracket [low, high] holds a point satisfying strong Wolfe."""
    f_new, g_new = obj_func(x, t, d)
    evals, gtd_new = 1, float(np.dot(g_new, d))
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            return [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new], False, ls_iter, evals
        if abs(gtd_new) <= -c2 * gtd:
            return [t], [f_new], [g_new], None, True, ls_iter, evals
        if gtd_new >= 0:
            return [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()], [gtd_prev, gtd_new], False, ls_iter, evals
        min_step, max_step, tmp = t + 0.01 * (t - t_prev), t * 10, t
        t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = float(np.dot(g_new, d))
        ls_iter += 1
    # reached max_ls: torch keeps [0, t] without gtd information
    return [0, t], [f, f_new], [g, g_new], [gtd, gtd_new], False, ls_iter, evals


def strong_wolfe(obj_func: Callable, x: Any, t: float, d: np.ndarray, f: float, g: np.ndarray, gtd: float,
                 c1: float = 1e-4, c2: float = 0.9, tolerance_change: float = 1e-9,
                 max_ls: int = 25) -> tuple[float, np.ndarray, float, int]:
    """Strong-Wolfe line search; returns ``(f_new, g_new, t, n_evals)`` (torch's ``_strong_wolfe``).

    Conditions: ``f(x+td) <= f + c1 t g.d`` and ``|g(x+td).d| <= -c2 g.d``.
    """
    d_norm = float(np.abs(d).max())
    g = g.copy()
    bracket, bracket_f, bracket_g, bracket_gtd, done, ls_iter, evals = _bracket(
        obj_func, x, t, d, f, g, gtd, c1, c2, max_ls)
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:  # phase 2: zoom
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        evals += 1
        gtd_new = float(np.dot(g_new, d))
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new
    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], evals


def backtracking(f_at: Callable[[float], float], t: float, f: float, gtd: float, c1: float = 1e-4,
                 shrink: float = 0.5, max_ls: int = 30) -> tuple[float, float, int]:
    """Armijo backtracking: largest ``t * shrink^k`` with ``f(t) <= f + c1 t g.d``; returns (t, f_t, evals)."""
    f_t = f_at(t)
    evals = 1
    while not f_t <= f + c1 * t * gtd and evals < max_ls:  # "not <=" also rejects NaN
        t *= shrink
        f_t = f_at(t)
        evals += 1
    return t, f_t, evals
