"""Blob: Caffe's N-d container holding ``data`` and its gradient ``diff`` (an ember Tensor view)."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor


class Blob:
    """Wraps a Tensor: ``data`` is its value, ``diff`` its gradient (zeros before backward)."""

    def __init__(self, tensor: Tensor) -> None:
        self.tensor = tensor

    @property
    def data(self) -> np.ndarray:
        return self.tensor.detach().numpy()

    @property
    def diff(self) -> np.ndarray:
        g = self.tensor.grad
        return np.zeros_like(self.data) if g is None else g.numpy()

    @property
    def shape(self) -> tuple:
        return tuple(self.tensor.shape)

    @property
    def count(self) -> int:
        return self.tensor.numel()

    def __repr__(self) -> str:
        return f"Blob(shape={self.shape})"
