"""The one place that chooses the array library (numpy, or cupy when installed and asked for).

Every op asks ``get_array_module(*arrays)`` for ``xp``; no other module imports cupy or reads
``EMBER_DEVICE``. Device objects mirror ``torch.device``.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

try:  # optional: pip install ember[cuda]
    import cupy as cp  # type: ignore[import-not-found]
except Exception:  # ImportError, or a CUDA runtime that fails to load
    cp = None

__all__ = ["np", "cp", "device", "get_array_module", "cuda_is_available", "default_device",
           "to_device", "device_of"]


def cuda_is_available() -> bool:
    """True when cupy imports and sees at least one GPU."""
    if cp is None:
        return False
    try:
        return cp.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


class device:
    """A device tag like ``torch.device``: ``device("cpu")``, ``device("cuda")``, ``device("cuda:0")``."""

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: "str | device", index: int | None = None) -> None:
        if isinstance(type, device):
            other = type
            type = other.type
            index = other.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device(): expected a string like 'cpu' or 'cuda:0', got {type!r}")
        if ":" in type:
            type, idx = type.split(":", 1)
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(f"Expected one of cpu, cuda device type at start of device string: {type}")
        self.type = type
        self.index = index

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index or 0) == (other.type, other.index or 0)

    def __hash__(self) -> int:
        return hash((self.type, self.index or 0))

    def __repr__(self) -> str:
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


_CPU = device("cpu")


def default_device() -> device:
    """``EMBER_DEVICE`` (cpu or cuda) when set, else cpu."""
    return device(os.environ.get("EMBER_DEVICE", "cpu"))


def get_array_module(*arrays: Any) -> Any:
    """Return numpy or cupy: the library all of ``arrays`` live in (mixing raises RuntimeError)."""
    if cp is None:
        return np
    kinds = {isinstance(a, cp.ndarray) for a in arrays if hasattr(a, "dtype")}
    if len(kinds) > 1:
        raise RuntimeError("Expected all tensors to be on the same device, but found at least two "
                           "devices, cuda and cpu!")
    return cp if kinds == {True} else np


def device_of(array: Any) -> device:
    """The device an array lives on."""
    if cp is not None and isinstance(array, cp.ndarray):
        return device("cuda", array.device.id)
    return _CPU


def to_device(array: Any, dev: "device | str") -> Any:
    """Copy ``array`` to ``dev`` (no copy when it is already there)."""
    dev = device(dev)
    if dev.type == "cpu":
        return cp.asnumpy(array) if cp is not None and isinstance(array, cp.ndarray) else array
    if not cuda_is_available():
        raise RuntimeError("Torch not compiled with CUDA enabled: ember found no usable CUDA device "
                           "(install ember[cuda] with a GPU to use device='cuda')")
    with cp.cuda.Device(dev.index or 0):
        return cp.asarray(array)


def special_module(xp: Any) -> Any:
    """scipy.special for numpy arrays, cupyx.scipy.special for cupy arrays (erf, erfinv, ...)."""
    if xp is np:
        import scipy.special as sp

        return sp
    import cupyx.scipy.special as csp  # type: ignore[import-not-found]

    return csp
