"""Padding modules (torch.nn): Zero/Constant/Reflection/Replication/Circular Pad 1d-3d.

Each is ``ember.ops.pad`` with torch's padding order (left, right, top, bottom, front, back)."""
from __future__ import annotations

from typing import Any

from ... import ops
from ..._tensor import Tensor
from .module import Module

__all__ = [
    "CircularPad1d",
    "CircularPad2d",
    "CircularPad3d",
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ReflectionPad1d",
    "ReflectionPad2d",
    "ReflectionPad3d",
    "ReplicationPad1d",
    "ReplicationPad2d",
    "ReplicationPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
]


def _pad_tuple(padding: Any, n: int) -> tuple:
    """int -> (p,) * 2n; a sequence must have 2n ints (torch's _ntuple)."""
    if isinstance(padding, (list, tuple)):
        if len(padding) != 2 * n:
            raise ValueError(f"padding must be an int or a {2 * n}-tuple, got {tuple(padding)}")
        return tuple(int(p) for p in padding)
    if isinstance(padding, bool) or not isinstance(padding, int):
        raise TypeError(f"padding must be an int or a tuple of ints, got {type(padding).__name__}")
    return (padding,) * (2 * n)


class _PadNd(Module):
    _n = 2
    _mode = "constant"

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _pad_tuple(padding, self._n)

    def forward(self, input: Tensor) -> Tensor:
        n = self._n
        if input.ndim not in (n + 1, n + 2):
            raise ValueError(f"{type(self).__name__}: expected {n + 1}D or {n + 2}D input, got "
                             f"{input.ndim}D input of size {list(input.shape)}")
        if self._mode == "constant":
            return ops.pad(input, self.padding, "constant", self.value)
        return ops.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with ``value``: padding (left, right)."""

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with ``value``: padding (left, right, top, bottom)."""

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with ``value``: (left, right, top, bottom, front, back)."""

    _n = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last dim with zeros."""

    _n = 1


class ZeroPad2d(_ZeroPadNd):
    """Pad the last two dims with zeros: padding (left, right, top, bottom)."""

    _n = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last three dims with zeros."""

    _n = 3


class ReflectionPad1d(_PadNd):
    """Mirror without repeating the edge (d c b | a b c d | c b a); padding < input size."""

    _n, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Reflection padding of the last two dims: (left, right, top, bottom)."""

    _n, _mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Reflection padding of the last three dims."""

    _n, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the edge value (a a | a b c d | d d)."""

    _n, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Replication padding of the last two dims."""

    _n, _mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Replication padding of the last three dims."""

    _n, _mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Wrap around (c d | a b c d | a b)."""

    _n, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Circular padding of the last two dims."""

    _n, _mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Circular padding of the last three dims."""

    _n, _mode = 3, "circular"
