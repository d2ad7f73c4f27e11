"""detect_anomaly / set_detect_anomaly: name the op whose backward produced NaN or Inf."""
from __future__ import annotations

import contextvars
import traceback
from typing import Any

_anomaly: contextvars.ContextVar[bool] = contextvars.ContextVar("ember_anomaly", default=False)


def is_anomaly_enabled() -> bool:
    return _anomaly.get()


def capture_trace() -> str:
    """The forward call site, reported when that op's backward goes wrong."""
    return "".join(traceback.format_stack(limit=12)[:-3])


class detect_anomaly:
    """Context manager: check every backward output for NaN/Inf and name the op that made it."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        self._token = _anomaly.set(self.check_nan)

    def __exit__(self, *exc: Any) -> None:
        _anomaly.reset(self._token)


class set_detect_anomaly(detect_anomaly):
    """Like torch.autograd.set_detect_anomaly(mode): a context manager taking the mode."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        super().__init__(check_nan=mode and check_nan)
