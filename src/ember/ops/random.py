"""Random tensors from one seeded numpy Generator (``ember.manual_seed``), or an explicit
``ember.Generator``. Streams differ from torch's (different algorithms); distributions match."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from .creation import _finish, _size


class Generator:
    """A random-number generator like torch.Generator: ``g = ember.Generator().manual_seed(0)``."""

    def __init__(self, device: Any = "cpu") -> None:
        self._seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.rng = np.random.default_rng(self._seed)
        self.device = device

    def manual_seed(self, seed: int) -> "Generator":
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2 ** 63)))._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Tensor:
        """The bit-generator state as a uint8 tensor (JSON bytes; never pickled)."""
        import json

        return Tensor._make(np.frombuffer(json.dumps(self.rng.bit_generator.state).encode(),
                                          dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> "Generator":
        import json

        self.rng.bit_generator.state = json.loads(bytes(np.asarray(new_state._data, np.uint8)))
        return self


default_generator = Generator().manual_seed(0)


def manual_seed(seed: int) -> Generator:
    """Seed ember's default generator (all random ops without ``generator=`` use it)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def _rng(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator).rng


def _float_dt(dtype: Any) -> _dtype.dtype:
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
    if not dt.is_floating_point:
        raise RuntimeError(f"expected a floating-point dtype, got {dt}")
    return dt


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1)."""
    dt = _float_dt(dtype)
    arr = _rng(generator).random(_size(size), dtype=np.float64 if dt.itemsize != 4 else np.float32)
    return _finish(arr.astype(dt.np, copy=False), device, requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal N(0, 1)."""
    dt = _float_dt(dtype)
    arr = _rng(generator).standard_normal(_size(size),
                                          dtype=np.float64 if dt.itemsize != 4 else np.float32)
    return _finish(arr.astype(dt.np, copy=False), device, requires_grad)


def randint(low: int, high: Any = None, size: Any = None, *, generator: Generator | None = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers uniform on [low, high); randint(high, size) also accepted."""
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    arr = _rng(generator).integers(low, high, size=_size((size,)))
    return _finish(arr.astype(dt.np), device, requires_grad)


def randperm(n: int, *, generator: Generator | None = None, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(_rng(generator).permutation(int(n)).astype(dt.np), device, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """N(mean, std^2); mean/std may be tensors (broadcast) or floats with ``size``."""
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    if isinstance(std, (int, float)) and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    shape = _size((size,)) if size is not None else np.broadcast_shapes(np.shape(m), np.shape(s))
    ref = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    dt = _dtype.to_dtype(dtype) if dtype is not None else (ref.dtype if ref is not None else
                                                          _dtype.get_default_dtype())
    arr = _rng(generator).normal(m, s, size=shape)
    return _finish(np.asarray(arr).astype(dt.np), device, requires_grad)


def bernoulli(input: Tensor, p: Any = None, *, generator: Generator | None = None) -> Tensor:
    """1 with probability ``input`` (or ``p``) elementwise, else 0; same dtype as input."""
    prob = input._data if p is None else np.full(input.shape, p)
    if np.any((prob < 0) | (prob > 1)):
        raise RuntimeError("bernoulli: all probabilities must be in [0, 1]")
    draws = _rng(generator).random(input.shape) < prob
    return Tensor._make(draws.astype(input._data.dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Sample category indices with probabilities proportional to the rows of ``input``."""
    probs = np.asarray(input._data, dtype=np.float64)
    if np.any(probs < 0) or not np.all(np.isfinite(probs)):
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    two_d = probs.ndim == 2
    rows = probs if two_d else probs[None]
    rng = _rng(generator)
    out = []
    for r in rows:
        if r.sum() <= 0:
            raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
        if not replacement and num_samples > np.count_nonzero(r):
            raise RuntimeError("multinomial: cannot sample n_sample > prob_dist.size(-1) samples "
                               "without replacement")
        out.append(rng.choice(len(r), size=num_samples, replace=replacement, p=r / r.sum()))
    arr = np.asarray(out, dtype=np.int64)
    return Tensor._make(arr if two_d else arr[0])


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    return rand(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    return randn(input.shape, dtype=dtype or input.dtype, device=device or input.device,
                 requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: Any = None, *, dtype: Any = None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype)
