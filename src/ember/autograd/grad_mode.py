"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode.

The flag lives in a ContextVar (no module-global mutable state); each works as a context manager
and as a decorator, like torch.
"""
from __future__ import annotations

import contextvars
import functools
from typing import Any, Callable

_grad_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("ember_grad_enabled",
                                                                    default=True)
_inference: contextvars.ContextVar[bool] = contextvars.ContextVar("ember_inference_mode",
                                                                  default=False)


def is_grad_enabled() -> bool:
    """True when operations are being recorded for autograd."""
    return _grad_enabled.get()


def is_inference_mode_enabled() -> bool:
    return _inference.get()


class _GradModeContext:
    """Base: a context manager that also decorates functions."""

    _token: Any

    def _enter_value(self) -> bool:
        raise TypeError("use a concrete grad mode")

    def __enter__(self) -> None:
        self._prev = _grad_enabled.get()
        _grad_enabled.set(self._enter_value())

    def __exit__(self, *exc: Any) -> None:
        _grad_enabled.set(self._prev)

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__(*self._args()):
                return fn(*args, **kwargs)

        return wrapper

    def _args(self) -> tuple:
        return ()


class no_grad(_GradModeContext):
    """Disable graph recording: results have requires_grad=False. ``with ember.no_grad(): ...``"""

    def _enter_value(self) -> bool:
        return False


class enable_grad(_GradModeContext):
    """Re-enable graph recording inside a no_grad block."""

    def _enter_value(self) -> bool:
        return True


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode`` (takes effect immediately, and as a context manager restores it)."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._prev = _grad_enabled.get()
        _grad_enabled.set(self.mode)

    def _enter_value(self) -> bool:
        return self.mode

    def __enter__(self) -> None:
        _grad_enabled.set(self.mode)

    def _args(self) -> tuple:
        return (self.mode,)


class inference_mode(_GradModeContext):
    """Like no_grad (ember keeps no separate inference tensors; the flag is queryable)."""

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def _enter_value(self) -> bool:
        return not self.mode

    def __enter__(self) -> None:
        super().__enter__()
        self._prev_inf = _inference.get()
        _inference.set(self.mode)

    def __exit__(self, *exc: Any) -> None:
        _inference.set(self._prev_inf)
        super().__exit__(*exc)

    def _args(self) -> tuple:
        return (self.mode,)
