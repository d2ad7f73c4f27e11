"""Datasets: map-style and iterable, plus the wrappers of ``torch.utils.data.dataset``.

A map-style dataset implements ``__getitem__(i)`` and ``__len__``; an iterable one implements
``__iter__``. ``dataset_a + dataset_b`` concatenates (``ConcatDataset`` / ``ChainDataset``).
"""
from __future__ import annotations

import bisect
import math
import warnings
from typing import Any, Generic, Iterable, Iterator, Sequence, TypeVar

T_co = TypeVar("T_co", covariant=True)

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "Subset",
           "ConcatDataset", "ChainDataset", "random_split"]


class Dataset(Generic[T_co]):
    """Abstract map-style dataset: subclasses implement ``__getitem__`` (and usually ``__len__``)."""

    def __getitem__(self, index: Any) -> T_co:
        raise TypeError(f"{type(self).__name__} is a Dataset subclass without __getitem__; "
                        "map-style datasets must define __getitem__(index)")

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """Abstract stream dataset: subclasses implement ``__iter__``.

    With ``num_workers > 0`` every worker iterates its own copy; use
    ``ember.utils.data.get_worker_info()`` inside ``__iter__`` to shard the stream, exactly as in
    torch (otherwise every sample is produced ``num_workers`` times).
    """

    def __iter__(self) -> Iterator[T_co]:
        raise TypeError(f"{type(self).__name__} is an IterableDataset without __iter__")

    def __add__(self, other: Dataset) -> "ChainDataset":
        return ChainDataset([self, other])


def _size0(t: Any) -> int:
    shape = getattr(t, "shape", None)
    if shape is None or len(shape) == 0:
        raise ValueError(f"TensorDataset: every tensor needs a first (sample) dimension, got a "
                         f"{type(t).__name__} with shape {shape}")
    return int(shape[0])


class TensorDataset(Dataset):
    """Samples are ``tuple(t[i] for t in tensors)``; all tensors share their first dimension N.

    Args:
        *tensors: ember Tensors (or NumPy arrays) of shapes (N, ...).
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        sizes = [_size0(t) for t in tensors]
        if any(s != sizes[0] for s in sizes):
            raise ValueError(f"Size mismatch between tensors: first dimensions are {sizes}, "
                             "expected all equal")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return _size0(self.tensors[0])


class StackDataset(Dataset):
    """Zips datasets of equal length: ``StackDataset(a, b)[i] == (a[i], b[i])``;
    ``StackDataset(x=a, y=b)[i] == {"x": a[i], "y": b[i]}``."""

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("StackDataset takes either positional or keyword datasets, not both")
        parts = list(args) if args else list(kwargs.values())
        if not parts:
            raise ValueError("StackDataset needs at least one dataset")
        lengths = [len(d) for d in parts]
        if any(n != lengths[0] for n in lengths):
            raise ValueError(f"Size mismatch between datasets: lengths {lengths}, expected equal")
        self._length = lengths[0]
        self.datasets: Any = tuple(args) if args else dict(kwargs)

    def __getitem__(self, index: int) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices`` (in that order)."""

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list:
        inner = getattr(self.dataset, "__getitems__", None)
        if callable(inner):
            return inner([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset[T_co]):
    """Concatenation of map-style datasets; index ``i`` is looked up with a bisect on the
    cumulative sizes. Negative indices count from the end as for a list."""

    datasets: list[Dataset[T_co]]
    cumulative_sizes: list[int]

    @staticmethod
    def cumsum(sequence: Iterable[Dataset]) -> list[int]:
        out, total = [], 0
        for d in sequence:
            total += len(d)
            out.append(total)
        return out

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError("ConcatDataset does not support IterableDataset; use ChainDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> T_co:
        if idx < 0:
            if -idx > len(self):
                raise ValueError(f"absolute value of index {idx} should not exceed dataset "
                                 f"length {len(self)}")
            idx = len(self) + idx
        if idx >= len(self):
            raise IndexError(f"index {idx} out of range for ConcatDataset of length {len(self)}")
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[d - 1] if d > 0 else 0
        return self.datasets[d][idx - start]


class ChainDataset(IterableDataset):
    """Chains iterable datasets one after another (lazily)."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TypeError(f"ChainDataset only supports IterableDataset, got {type(d).__name__}")
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)  # type: ignore[arg-type]


def _fraction_lengths(fractions: Sequence[float], n: int) -> list[int]:
    """torch's rule: floor(n*f) each, then the remainder one by one round-robin from the front."""
    for i, f in enumerate(fractions):
        if not 0 <= f <= 1:
            raise ValueError(f"Fraction at index {i} is {f}, expected a value in [0, 1]")
    lengths = [int(math.floor(n * f)) for f in fractions]
    for i in range((n - sum(lengths))):
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty "
                          "dataset.", stacklevel=3)
    return lengths


def random_split(dataset: Dataset, lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Randomly split ``dataset`` into non-overlapping ``Subset``s.

    Args:
        dataset: a map-style dataset of length N.
        lengths: split sizes summing to N, or fractions summing to 1 (each size is then
            ``floor(N * f)`` and the leftover samples go round-robin to the first splits, as in torch).
        generator: an ``ember.Generator`` for a reproducible permutation (default: the global one).

    Notes:
        The permutation comes from ember's NumPy-based generator, so the split differs from
        torch's for the same seed; the sizes are identical.
    """
    from ember import randperm

    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _fraction_lengths(lengths, n)
    if sum(lengths) != n:
        raise ValueError(f"Sum of input lengths ({sum(lengths)}) does not equal the length of the "
                         f"input dataset ({n}); pass sizes summing to {n} or fractions summing to 1")
    for i, length in enumerate(lengths):
        if int(length) != length or length < 0:
            raise ValueError(f"random_split: length at index {i} is {length}, expected a "
                             "non-negative integer")
    perm = randperm(n, generator=generator).tolist()
    out, offset = [], 0
    for length in lengths:
        length = int(length)
        out.append(Subset(dataset, perm[offset:offset + length]))
        offset += length
    return out
