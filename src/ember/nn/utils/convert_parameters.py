"""parameters_to_vector / vector_to_parameters (torch.nn.utils names)."""
from __future__ import annotations

from typing import Iterable

from ... import ops
from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Concatenate the flattened parameters into one 1-D tensor (differentiable)."""
    params = list(parameters)
    _same_device(params)
    return ops.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Write consecutive slices of ``vec`` into the parameters' storage (like ``param.data = ...``)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected ember.Tensor, but got: {type(vec).__name__}")
    params = list(parameters)
    _same_device(params)
    need = sum(p.numel() for p in params)
    if vec.dim() != 1 or vec.numel() != need:
        raise ValueError(f"vector_to_parameters: vec must be 1-D with {need} elements, got shape "
                         f"{list(vec.shape)}")
    pointer = 0
    for p in params:
        n = p.numel()
        p._data = vec._data[pointer:pointer + n].reshape(tuple(p.shape)).astype(p._data.dtype)
        pointer += n


def _same_device(params: list) -> None:
    devices = {p.device for p in params}
    if len(devices) > 1:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
