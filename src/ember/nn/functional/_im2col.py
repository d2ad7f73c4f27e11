"""Array-level sliding-window machinery shared by convolution, pooling and unfold/fold.

Everything here works on raw arrays (numpy or cupy) of layout (N, C, *S) with d = len(S) spatial
dims, and is built on one strided view (``as_strided``): no Python loop over pixels.

* ``windows(x, k, s, d)`` — view (C, *k, N, *o) of every (dilated, strided) window of x.
* ``im2col`` — that view copied into the (C * prod(k), N * prod(o)) column matrix of the GEMM
  convolution (TOPICS.md 1.11: "unfold every sliding window into a column").
* ``col2im`` — its adjoint: scatter-add columns back to the image, one strided slice per kernel
  offset (prod(k) vectorised adds; this is the only loop and it is over kernel offsets).
"""
from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._backend import get_array_module

Ints = tuple[int, ...]

_POOL: dict = {}  # (shape, dtype) -> [arrays]: reusable scratch buffers (NumPy only)
_POOL_LOCK = threading.Lock()
_POOL_PER_SHAPE = 4
_POOL_MAX_BYTES = 1 << 30
_POOL_MIN_BYTES = 32 << 20  # glibc's largest mmap threshold: smaller blocks come from its heap


def scratch(xp: Any, shape: Sequence[int], dtype: Any) -> Any:
    """An uninitialised array, reusing a pooled NumPy buffer that nothing references any more.

    Large fresh arrays (>= 32 MiB) are mmap'ed by the allocator, so every write to them first
    page-faults the memory in (measured: a 150 MB copy 122 ms fresh vs 43 ms into a reused
    buffer); smaller ones are recycled by malloc already, and pinning them in a pool only made
    other allocations fresh (LeNet inference 11 -> 15 ms), so they are not pooled. A pooled buffer is handed out only when its reference count shows that the pool is
    its sole owner (views keep their base alive), so a buffer still used anywhere (e.g. columns
    kept for backward) is never overwritten. The pool holds at most 1 GiB: free buffers of other
    shapes are evicted first. cupy has its own memory pool: plain ``empty`` there.
    """
    if xp is not np or _prod(shape) * np.dtype(dtype).itemsize < _POOL_MIN_BYTES:
        return xp.empty(tuple(shape), dtype=dtype)  # malloc recycles small blocks by itself
    key = (tuple(shape), np.dtype(dtype).str)
    with _POOL_LOCK:
        bufs = _POOL.setdefault(key, [])
        i = _first_free(bufs)
        if i >= 0:
            return bufs[i]
        a = np.empty(key[0], dtype=dtype)
        if len(bufs) < _POOL_PER_SHAPE and a.nbytes <= _POOL_MAX_BYTES:
            pooled = sum(x.nbytes for v in _POOL.values() for x in v)
            for k in [k for k in _POOL if k != key]:  # oldest shapes first
                v = _POOL[k]
                while pooled + a.nbytes > _POOL_MAX_BYTES and (j := _first_free(v)) >= 0:
                    pooled -= v.pop(j).nbytes
                if not v:
                    del _POOL[k]
            if pooled + a.nbytes <= _POOL_MAX_BYTES:
                bufs.append(a)
        return a


def _refs(bufs: list, i: int) -> int:
    return sys.getrefcount(bufs[i])


def _first_free(bufs: list) -> int:
    """Index of a buffer that only the pool references, or -1."""
    for i in range(len(bufs)):
        if _refs(bufs, i) == _FREE_REFS:
            return i
    return -1


_FREE_REFS = _refs([np.empty(0)], 0)  # measured, not assumed: it depends on the interpreter


def clear_scratch() -> None:
    """Drop every pooled scratch buffer (their memory returns once no view uses it)."""
    with _POOL_LOCK:
        _POOL.clear()


def out_size(size: Sequence[int], k: Sequence[int], s: Sequence[int], d: Sequence[int]) -> Ints:
    """floor((S - d*(k-1) - 1)/s) + 1 per dim, for an already padded size S (TOPICS.md 1.11)."""
    return tuple((n - dd * (kk - 1) - 1) // ss + 1 for n, kk, ss, dd in zip(size, k, s, d))


def windows(x: Any, k: Ints, s: Ints, d: Ints, o: Ints | None = None) -> Any:
    """Strided view of x (N, C, *S) with shape (C, *k, N, *o): [c, *i, n, *j] = x[n, c, j*s + i*d]."""
    xp = get_array_module(x)
    nd = len(k)
    o = out_size(x.shape[2:], k, s, d) if o is None else o
    st = x.strides
    sp = st[2:]
    shape = (x.shape[1], *k, x.shape[0], *o)
    strides = (st[1], *(sp[i] * d[i] for i in range(nd)), st[0], *(sp[i] * s[i] for i in range(nd)))
    return xp.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)


def im2col(x: Any, k: Ints, s: Ints, d: Ints, o: Ints | None = None) -> tuple[Any, Ints]:
    """Column matrix (C * prod(k), N * prod(o)) of the windows of x, and the output size o
    (default: every full window; a smaller o keeps the first ones)."""
    xp = get_array_module(x)
    o = out_size(x.shape[2:], k, s, d) if o is None else tuple(o)
    w = windows(x, k, s, d, o)
    cols = scratch(xp, w.shape, w.dtype)
    cols[...] = w
    return cols.reshape(w.shape[0] * _prod(k), -1), o


def col2im(col: Any, size: Ints, s: Ints, d: Ints) -> Any:
    """Adjoint of ``windows``: col (C, *k, N, *o) summed into an image of layout (C, N, *size)."""
    xp = get_array_module(col)
    nd = len(size)
    k, o = col.shape[1:1 + nd], col.shape[2 + nd:]
    out = scratch(xp, (col.shape[0], col.shape[1 + nd], *size), col.dtype)
    out.fill(0)
    for off, key in _offset_slices(k, s, d, o):
        out[key] += col[(slice(None), *off)]
    return out


def window_sum_adjoint(g: Any, size: Ints, k: Ints, s: Ints, d: Ints) -> Any:
    """Adjoint of summing each window: every output cell's g added over its window; (N, C, *size)."""
    xp = get_array_module(g)
    o = g.shape[2:]
    out = xp.zeros((*g.shape[:2], *size), dtype=g.dtype)
    for _, key in _offset_slices(k, s, d, o):
        out[key] += g
    return out


def _offset_slices(k: Ints, s: Ints, d: Ints, o: Ints) -> Any:
    """For each kernel offset i: (i, index of the image cells x[..., j*s + i*d] over all j < o)."""
    for off in itertools.product(*(range(kk) for kk in k)):
        yield off, (slice(None), slice(None), *(slice(i * dd, i * dd + ss * (oo - 1) + 1, ss)
                                                for i, dd, ss, oo in zip(off, d, s, o)))


def pad_array(x: Any, pads: Sequence[tuple[int, int]], value: float = 0.0) -> Any:
    """x (N, C, *S) padded by pads[i] = (lo, hi) on spatial dim i with a constant."""
    if not any(lo or hi for lo, hi in pads):
        return x
    xp = get_array_module(x)
    shape = (*x.shape[:2], *(lo + n + hi for (lo, hi), n in zip(pads, x.shape[2:])))
    out = scratch(xp, shape, x.dtype)  # fill only the border, then copy x in (np.pad: 2-3x slower)
    for i, (lo, hi) in enumerate(pads):
        pre = (slice(None),) * (2 + i)
        out[pre + (slice(0, lo),)] = value
        out[pre + (slice(shape[2 + i] - hi, None),)] = value
    out[(slice(None), slice(None), *(slice(lo, lo + n) for (lo, _), n in zip(pads, x.shape[2:])))] = x
    return out


def crop(x: Any, pads: Sequence[tuple[int, int]], size: Sequence[int]) -> Any:
    """The inverse of pad_array's placement: x[..., lo:lo+size] on each spatial dim."""
    key = tuple(slice(lo, lo + n) for (lo, _), n in zip(pads, size))
    return x[(slice(None), slice(None), *key)]


def _prod(t: Sequence[int]) -> int:
    p = 1
    for v in t:
        p *= int(v)
    return p


def batched(input: Any, nd: int, expected: str) -> tuple[Any, bool]:
    """(C, *S) -> (1, C, *S) like torch's unbatched inputs; else require (N, C, *S).

    ``expected``: the start of torch's error message for this function."""
    if input.ndim == nd + 1:
        return input.unsqueeze(0), True
    if input.ndim != nd + 2:
        raise RuntimeError(f"{expected}, but got input of size: {list(input.shape)}")
    return input, False


def as_tuple(v: Any, n: int, name: str) -> Ints:
    """int or length-n sequence -> n-tuple of ints (TypeError/ValueError naming ``name``)."""
    if isinstance(v, (list, tuple)):
        if len(v) == 1:
            v = tuple(v) * n
        if len(v) != n:
            raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {tuple(v)}")
        vals = tuple(v)
    else:
        vals = (v,) * n
    for e in vals:
        if isinstance(e, bool) or not isinstance(e, (int,)) and not hasattr(e, "__index__"):
            raise TypeError(f"{name} must contain ints, got {type(e).__name__} in {v!r}")
    return tuple(int(e) for e in vals)
