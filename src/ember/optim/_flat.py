"""Shared machinery of the closure-based optimizers (LBFGS, BFGS, ConjugateGradient, Newton).

All parameters of the single group are viewed as one flat vector x (torch LBFGS's _gather_flat_grad /
_add_grad / _directional_evaluate), so the algorithms are written on 1-D numpy arrays.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable

import numpy as np

from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from .optimizer import Optimizer, _check, _float

__all__ = ["FlatClosureOptimizer"]


class FlatClosureOptimizer(Optimizer):
    """Base of the full-batch optimizers that need ``step(closure)`` and one parameter group."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        _check(_float(defaults["lr"]) >= 0.0, f"Invalid learning rate: {defaults['lr']} (expected lr >= 0)")
        _check(defaults["max_iter"] >= 1, f"Invalid max_iter value: {defaults['max_iter']} (expected >= 1)")
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(f"{type(self).__name__} doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    def _numel(self) -> int:
        return sum(p._data.size for p in self._params)

    def _require_closure(self, closure: Any) -> Callable[[], Any]:
        if closure is None or not callable(closure):
            raise TypeError(f"{type(self).__name__}.step requires a closure that re-evaluates the model and "
                            f"returns the loss (got {closure!r})")
        return closure

    def _gather_flat_grad(self) -> np.ndarray:
        views = [np.zeros(p._data.size, p._data.dtype) if p.grad is None else p.grad._data.reshape(-1)
                 for p in self._params]
        return np.concatenate(views)

    def _flat_params(self) -> np.ndarray:
        return np.concatenate([p._data.reshape(-1) for p in self._params])

    def _add_grad(self, step_size: float, update: np.ndarray) -> None:
        """``x += step_size * update`` across the parameter arrays (in place)."""
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data += step_size * update[offset:offset + n].reshape(p._data.shape)
            p._version[0] += 1
            offset += n

    def _set_flat(self, x: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            n = p._data.size
            p._data[...] = x[offset:offset + n].reshape(p._data.shape)
            p._version[0] += 1
            offset += n

    def _evaluate(self, closure: Callable[[], Any]) -> tuple[float, np.ndarray]:
        """Run the closure (which calls backward) under enable_grad; return (loss, flat grad)."""
        with enable_grad():
            loss = _finite_loss(closure(), type(self).__name__)
        return loss, self._gather_flat_grad()

    def _directional_evaluate(self, closure: Callable, x: np.ndarray, t: float,
                              d: np.ndarray) -> tuple[float, np.ndarray]:
        """Loss and flat gradient at ``x + t*d``; the parameters are restored to ``x``."""
        self._add_grad(t, d)
        loss, g = self._evaluate(closure)
        self._set_flat(x)
        return loss, g

    def _store(self, state: dict[str, Any], **arrays: Any) -> None:
        """Keep numpy vectors in ``state`` as ember Tensors (so ``state_dict`` holds tensors, like torch)."""
        for key, value in arrays.items():
            state[key] = Tensor._make(value) if isinstance(value, np.ndarray) else value

    @staticmethod
    def _load(state: dict[str, Any], key: str) -> Any:
        value = state.get(key)
        return value._data if isinstance(value, Tensor) else value


def _finite_loss(loss: Any, name: str) -> float:
    value = float(loss)
    if not math.isfinite(value):
        raise ValueError(f"{name}: the closure returned a non-finite loss ({value}); check the learning "
                         f"rate and the inputs (expected a finite float)")
    return value
