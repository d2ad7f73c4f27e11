"""default_collate / default_convert: torch's rules for turning a list of samples into a batch.

=================================  =====================================================
sample element                     batched as
=================================  =====================================================
Tensor (shape S)                   Tensor (B, *S) (``ember.stack``)
NumPy array (numeric, shape S)     Tensor (B, *S), dtype kept
NumPy scalar                       Tensor (B,), dtype kept
Python float / int / bool          Tensor (B,) float64 / int64 / bool (torch's dtypes)
str / bytes                        list of B strings
Mapping                            same mapping type, each value collated
namedtuple                         same namedtuple type, each field collated
tuple / other Sequence             list (tuple -> list, as torch) of collated positions
=================================  =====================================================
"""
from __future__ import annotations

import collections.abc
import copy
import numbers
from typing import Any

import numpy as np

__all__ = ["default_collate", "default_convert"]

_BAD_KINDS = "SaUO"  # strings, bytes, unicode, objects: no tensor dtype


def _error(found: Any) -> TypeError:
    return TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                     f"or lists; found {found}")


def _as_tensor(arr: np.ndarray) -> Any:
    from ember import Tensor

    arr = np.asarray(arr)
    return Tensor._make(arr if arr.flags.c_contiguous else arr.copy())  # keeps 0-d shapes


def _collate_mapping(elem: Any, batch: list) -> Any:
    try:
        missing = [k for d in batch for k in elem if k not in d]
    except TypeError:
        missing = []
    if missing:
        raise KeyError(f"default_collate: key {missing[0]!r} of the first sample is missing in "
                       "another sample; every dict in a batch needs the same keys")
    return _rebuild_mapping(elem, {key: default_collate([d[key] for d in batch]) for key in elem})


def _rebuild_mapping(elem: Any, out: dict) -> Any:
    """A mapping of ``elem``'s type holding ``out`` (torch: copy + update for mutable mappings)."""
    if isinstance(elem, collections.abc.MutableMapping):
        clone = copy.copy(elem)
        clone.update(out)
        return clone
    try:
        return type(elem)(out)
    except TypeError:  # mapping type without a dict constructor
        return out


def _collate_sequence(elem: Any, batch: list) -> Any:
    it = iter(batch)
    size = len(next(it))
    if not all(len(e) == size for e in it):
        raise RuntimeError("each element in list of batch should be of equal size")
    transposed = list(zip(*batch))
    if isinstance(elem, tuple):
        return [default_collate(s) for s in transposed]  # torch returns a list for tuples
    try:
        return type(elem)([default_collate(s) for s in transposed])
    except TypeError:
        return [default_collate(s) for s in transposed]


def default_collate(batch: list) -> Any:
    """Stack a list of B samples into a batch (rules in the module docstring).

    Raises:
        TypeError: an element type with no batching rule (e.g. an object array, a set).
        RuntimeError: sequences of unequal lengths or tensors of unequal shapes.
    """
    from ember import Tensor, stack

    if len(batch) == 0:
        raise ValueError("default_collate: batch is empty; expected at least one sample")
    elem = batch[0]
    if isinstance(elem, Tensor):
        shapes = {tuple(t.shape) for t in batch}
        if len(shapes) > 1:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got shapes "
                               f"{sorted(shapes)} in one batch")
        return stack(batch, 0)
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, (np.ndarray, np.generic)):
        if np.asarray(elem).dtype.kind in _BAD_KINDS:
            raise _error(np.asarray(elem).dtype)
        shapes = {np.shape(a) for a in batch}
        if len(shapes) > 1:
            raise RuntimeError(f"stack expects each array to be equal size, but got shapes "
                               f"{sorted(shapes)} in one batch")
        return _as_tensor(np.stack([np.asarray(a) for a in batch]))
    if isinstance(elem, bool):
        return _as_tensor(np.asarray(batch, dtype=np.bool_))
    if isinstance(elem, numbers.Integral):
        return _as_tensor(np.asarray(batch, dtype=np.int64))
    if isinstance(elem, float):
        return _as_tensor(np.asarray(batch, dtype=np.float64))
    if isinstance(elem, collections.abc.Mapping):
        return _collate_mapping(elem, batch)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        return _collate_sequence(elem, batch)
    raise _error(type(elem))


def default_convert(data: Any) -> Any:
    """Without auto-batching: NumPy arrays (non-string) become Tensors, containers are recursed,
    everything else is returned unchanged."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in _BAD_KINDS:
        return _as_tensor(data)
    if isinstance(data, np.generic) and np.asarray(data).dtype.kind not in _BAD_KINDS:
        return _as_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _rebuild_mapping(data, {k: default_convert(v) for k, v in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
