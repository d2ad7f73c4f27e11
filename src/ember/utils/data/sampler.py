"""Samplers: iterables of dataset indices (or of index batches), as in ``torch.utils.data.sampler``.

Random samplers draw from an ``ember.Generator``; without one they derive a fresh generator from a
seed drawn from ember's default generator, so ``ember.manual_seed`` makes every epoch reproducible
while successive epochs still differ (torch's behaviour).

Notes:
    ember's generators are NumPy PCG64 streams, so the order for a given seed differs from torch's
    Philox/MT19937 order; counts, lengths and distributions are the same.
"""
from __future__ import annotations

import math
from typing import Any, Generic, Iterable, Iterator, Sequence, Sized, TypeVar

import numpy as np

T_co = TypeVar("T_co", covariant=True)

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]


def _check_positive_int(value: Any, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value!r}")


def _check_bool(value: Any, name: str, exc: type = TypeError) -> None:
    if not isinstance(value, bool):
        raise exc(f"{name} should be a boolean value, but got {name}={value!r}")


def _generator_or_fresh(generator: Any) -> Any:
    """``generator`` itself, or a new ember.Generator seeded from ember's default generator."""
    from ember.ops.random import Generator, default_generator

    if generator is not None:
        return generator
    seed = int(default_generator.rng.integers(0, 2 ** 63 - 1))
    return Generator().manual_seed(seed)


class Sampler(Generic[T_co]):
    """Base class: subclasses implement ``__iter__`` (and ``__len__`` when the length is known)."""

    def __init__(self, data_source: Any = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise TypeError(f"{type(self).__name__} is a Sampler without __iter__")


class SequentialSampler(Sampler[int]):
    """Yields 0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Random indices of ``data_source``.

    Args:
        data_source: the dataset (only its length is used), N = len(data_source).
        replacement: draw i.i.d. uniform indices in [0, N) (True) or permutations (False).
        num_samples: how many indices per epoch (default N). Without replacement and
            num_samples > N, whole permutations are concatenated, then a partial one (torch's rule).
        generator: an ``ember.Generator``.
    """

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        _check_bool(replacement, "replacement")
        _check_positive_int(self.num_samples, "num_samples")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        rng = _generator_or_fresh(self.generator).rng
        if self.replacement:
            yield from rng.integers(0, n, size=self.num_samples).tolist()
            return
        for _ in range(self.num_samples // n):
            yield from rng.permutation(n).tolist()
        yield from rng.permutation(n)[: self.num_samples % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given ``indices`` in a random order (a fresh permutation every epoch)."""

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        perm = _generator_or_fresh(self.generator).rng.permutation(len(self.indices))
        for i in perm.tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """Indices in [0, len(weights)) drawn with probability ``weights[i] / sum(weights)``.

    Args:
        weights: 1-D non-negative weights (need not sum to 1).
        num_samples: indices per epoch.
        replacement: without replacement an index is drawn at most once per epoch, so
            ``num_samples`` may not exceed the number of non-zero weights.
        generator: an ``ember.Generator``.
    """

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator: Any = None) -> None:
        _check_positive_int(num_samples, "num_samples")
        _check_bool(replacement, "replacement", ValueError)
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape "
                             f"{tuple(w.shape)}")
        if w.size == 0 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be finite, non-negative and not all zero")
        if not replacement and num_samples > int(np.count_nonzero(w)):
            raise ValueError(f"cannot draw num_samples={num_samples} without replacement from "
                             f"{int(np.count_nonzero(w))} non-zero weights")
        self.weights = w
        self.num_samples = int(num_samples)
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        rng = _generator_or_fresh(self.generator).rng
        p = self.weights / self.weights.sum()
        yield from rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p).tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Groups the indices of ``sampler`` into lists of ``batch_size``.

    The number of batches is ``floor(n / batch_size)`` with ``drop_last`` else ``ceil(n / batch_size)``
    (claim C004: 300,000 samples in batches of 100 give exactly 3,000 iterations).
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        _check_positive_int(batch_size, "batch_size")
        _check_bool(drop_last, "drop_last", ValueError)
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
