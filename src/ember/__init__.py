"""ember: a readable deep-learning framework on NumPy with PyTorch's API.

``import ember as torch`` runs PyTorch-style code on the CPU with the same numbers.
"""
from __future__ import annotations

__version__ = "0.1.0"

from ._backend import cuda_is_available as _cuda_is_available
from ._backend import device
from ._dtype import (bool, double, dtype, float, float16, float32, float64, get_default_dtype,  # noqa: A004
                     half, int, int8, int16, int32, int64, long, promote_types, result_type,
                     set_default_dtype, short, uint8)
from ._tensor import Size, Tensor
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                 is_inference_mode_enabled, no_grad, set_grad_enabled)
from .ops import *  # noqa: F401,F403
from .ops import abs, all, any, max, min, pow, round, sum  # noqa: A004  (torch shadows these too)
import importlib as _importlib  # noqa: E402

from . import autograd  # noqa: E402

linalg = _importlib.import_module(".linalg", __name__)  # ember.linalg, not ember.ops.linalg
from .serialization import load, save  # noqa: E402


class _Cuda:
    """ember.cuda.is_available() / device_count(), like torch.cuda."""

    @staticmethod
    def is_available() -> "bool":
        return _cuda_is_available()

    @staticmethod
    def device_count() -> "int":
        from . import _backend

        return _backend.cp.cuda.runtime.getDeviceCount() if _cuda_is_available() else 0

    @staticmethod
    def manual_seed(seed: "int") -> None:
        manual_seed(seed)

    manual_seed_all = manual_seed


cuda = _Cuda()


def is_tensor(obj: object) -> "bool":
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> "int":
    return input.numel()


def is_floating_point(input: Tensor) -> "bool":
    return input.is_floating_point()


FloatTensor = DoubleTensor = LongTensor = Tensor  # isinstance-compatible aliases


_LAZY = {"nn", "optim", "utils", "vision", "metrics", "imgproc", "ml", "audio", "experiments",
         "analysis", "distributed", "cli"}


def __getattr__(name: str) -> object:
    """Sub-packages load on first use (``ember.nn``, ``ember.optim``…), like torch's."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'ember' has no attribute '{name}'")
