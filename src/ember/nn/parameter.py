"""nn.Parameter: a leaf tensor that a Module registers as learnable."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor


class Parameter(Tensor):
    """A Tensor that is a module parameter (requires_grad=True by default).

    Assigning a Parameter as a Module attribute registers it in ``parameters()``.
    """

    __slots__ = ()

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        from ..ops import zeros

        src = zeros(0) if data is None else data
        if not isinstance(src, Tensor):
            raise TypeError(f"Parameter(data): expected a Tensor, got {type(src).__name__}")
        self._init(src._data, False)
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> "Parameter":
        p = Parameter(Tensor._make(self._data.copy()), self.requires_grad)
        memo[id(self)] = p
        return p


class Buffer(Tensor):
    """A Tensor marker that a Module registers as a buffer (torch.nn.Buffer)."""

    __slots__ = ("persistent",)

    def __init__(self, data: Tensor, *, persistent: bool = True) -> None:
        self._init(data._data, False)
        self.persistent = persistent


def is_parameter(x: Any) -> bool:
    return isinstance(x, Parameter)
