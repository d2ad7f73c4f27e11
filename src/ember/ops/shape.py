"""Shape ops: reshape/view, permute/transpose, squeeze/unsqueeze, expand, cat/stack, split,
flip, roll, repeat/tile. View ops share storage (and the version counter) with their input."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op
from ._util import reduce_to_shape, wrap_dim


class SumTo(Op):
    """y = sum of x over the broadcast dims so that y.shape == shape.   dy/dx = expand."""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return reduce_to_shape(x, shape)

    @staticmethod
    def backward(ctx, g):
        return expand(g, ctx.in_shape), None


class Expand(Op):
    """y = broadcast_to(x, shape) (a read-only view).   dx = sum_to(g, x.shape)."""

    _view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return get_array_module(x).broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, g):
        return SumTo.apply(g, ctx.in_shape), None


class Reshape(Op):
    """y = x.reshape(shape) (a view when the layout allows).   dx = g.reshape(x.shape)."""

    _view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.in_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return Reshape.apply(g, ctx.in_shape), None


class Permute(Op):
    """y = x.transpose(dims).   dx = g.transpose(argsort(dims))."""

    _view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, g):
        return Permute.apply(g, tuple(int(i) for i in np.argsort(ctx.dims))), None


class Flip(Op):
    """y = x reversed along ``dims``.   dx = flip(g, dims)."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return get_array_module(x).flip(x, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return Flip.apply(g, ctx.dims), None


class Roll(Op):
    """y = roll(x, shifts, dims).   dx = roll(g, -shifts, dims)."""

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return get_array_module(x).roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, g):
        neg = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return Roll.apply(g, neg, ctx.dims), None, None


class Cat(Op):
    """y = concatenate(xs, dim).   dx_i = the slice of g that x_i occupies."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        ctx.sizes = [x.shape[dim] for x in xs]
        return get_array_module(*xs).concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, g):
        return (None,) + tuple(split(g, ctx.sizes, ctx.dim))


class Stack(Op):
    """y = stack(xs, dim).   dx_i = g.select(dim, i)."""

    @staticmethod
    def forward(ctx, dim, *xs):
        ctx.dim = dim
        return get_array_module(*xs).stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, g):
        return (None,) + tuple(unbind(g, ctx.dim))


class Tile(Op):
    """y = tile(x, reps) (torch.Tensor.repeat).   dx = g summed over the tiles."""

    @staticmethod
    def forward(ctx, x, reps):
        ctx.in_shape = x.shape
        return get_array_module(x).tile(x, reps)

    @staticmethod
    def backward(ctx, g):
        shp = ctx.in_shape
        reps = tuple(g.shape[i] // s for i, s in enumerate((1,) * (g.ndim - len(shp)) + tuple(shp)))
        full = (1,) * (g.ndim - len(shp)) + tuple(shp)
        inter = []
        for r, s in zip(reps, full):
            inter += [r, s]
        dims = tuple(range(0, 2 * g.ndim, 2))
        return g.reshape(inter).sum(dims).reshape(shp), None


# ---- functional wrappers ---------------------------------------------------------------------

def _shape_arg(shape: Sequence[Any]) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(s) for s in shape)


def _infer_shape(shape: tuple, numel: int, src: tuple) -> tuple:
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = int(np.prod([s for s in shape if s != -1])) if shape else 1
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """Same data with a new shape (one dim may be -1). A view when possible, else a copy."""
    shp = _infer_shape(_shape_arg(shape), input._data.size, input.shape)
    if shp == input._data.shape:
        return input if not input.requires_grad else Reshape.apply(input, shp)
    return Reshape.apply(input, shp)


def view(input: Tensor, *shape: Any) -> Tensor:
    """Like reshape but requires a layout-compatible (view) result, like torch.view."""
    from .. import _dtype

    if len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
        return Tensor._make(input._data.view(shape[0].np))
    shp = _infer_shape(_shape_arg(shape), input._data.size, input.shape)
    try:
        get_array_module(input._data).reshape(input._data, shp, copy=False)
    except ValueError:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.") from None
    return Reshape.apply(input, shp)


def permute(input: Tensor, *dims: Any) -> Tensor:
    d = _shape_arg(dims)
    if len(d) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not "
                           f"match the length of the desired ordering of dimensions i.e. input.dim() "
                           f"= {input.ndim} is not equal to len(dims) = {len(d)}")
    d = tuple(wrap_dim(i, input.ndim) for i in d)
    if sorted(d) != list(range(input.ndim)):
        raise RuntimeError(f"permute(): duplicate dims are not allowed, got {d}")
    return Permute.apply(input, d)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    n = input.ndim
    if n == 0:
        return input
    d0, d1 = wrap_dim(dim0, n), wrap_dim(dim1, n)
    dims = list(range(n))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return Permute.apply(input, tuple(dims))


swapaxes = swapdims = transpose


def t(input: Tensor) -> Tensor:
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    src = [wrap_dim(s, input.ndim) for s in src]
    dst = [wrap_dim(d, input.ndim) for d in dst]
    perm = [d for d in range(input.ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return Permute.apply(input, tuple(perm))


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    """Remove size-1 dims (all, or those in ``dim``)."""
    shp = input.shape
    if dim is None:
        new = tuple(s for s in shp if s != 1)
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        drop = {wrap_dim(d, input.ndim) for d in dims} if input.ndim else set()
        new = tuple(s for i, s in enumerate(shp) if not (i in drop and s == 1))
    return Reshape.apply(input, new)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    d = wrap_dim(dim, input.ndim + 1)
    shp = list(input.shape)
    shp.insert(d, 1)
    return Reshape.apply(input, tuple(shp))


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, input.ndim), wrap_dim(end_dim, input.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shp = input.shape
    return reshape(input, shp[:s] + (int(np.prod(shp[s:e + 1])),) + shp[e + 1:])


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    d = wrap_dim(dim, input.ndim)
    shp = input.shape
    sizes = _infer_shape(tuple(sizes), shp[d], (shp[d],))
    return reshape(input, shp[:d] + sizes + shp[d + 1:])


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """Broadcast to ``sizes`` (-1 keeps a dim) without copying."""
    sizes = _shape_arg(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater or "
                           f"equal to the number of dimensions in the tensor ({input.ndim})")
    shp = tuple(input.shape[i - lead] if (s == -1 and i >= lead) else s for i, s in enumerate(sizes))
    for i, s in enumerate(input.shape):
        if s != 1 and s != shp[i + lead]:
            raise RuntimeError(f"The expanded size of the tensor ({shp[i + lead]}) must match the "
                               f"existing size ({s}) at non-singleton dimension {i + lead}.  Target "
                               f"sizes: {list(sizes)}.  Tensor sizes: {list(input.shape)}")
    if shp == input.shape:
        return input
    return Expand.apply(input, shp)


def broadcast_to(input: Tensor, shape: Sequence[int]) -> Tensor:
    return expand(input, tuple(shape))


def broadcast_tensors(*tensors: Tensor) -> tuple:
    shp = np.broadcast_shapes(*(t.shape for t in tensors))
    return tuple(expand(t, shp) for t in tensors)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenate along ``dim`` (torch.cat); dtypes are promoted."""
    tensors = [t for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    tensors = _promote_all(tensors)
    nd = max(t.ndim for t in tensors)
    tensors = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0 and nd > 1)]
    d = wrap_dim(dim, tensors[0].ndim)
    ref = tensors[0].shape
    for i, x in enumerate(tensors):
        if x.ndim != len(ref) or any(a != b for j, (a, b) in enumerate(zip(x.shape, ref)) if j != d):
            raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                               f"{ref} but got size {tuple(x.shape)} for tensor number {i} in the list.")
    return Cat.apply(d, *tensors)


concat = concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    tensors = _promote_all(list(tensors))
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, x in enumerate(tensors):
        if x.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0].shape)} at entry 0 and {list(x.shape)} at entry {i}")
    return Stack.apply(wrap_dim(dim, tensors[0].ndim + 1), *tensors)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    return cat([t.reshape(1, -1) if t.ndim == 1 else t for t in tensors], 0)


def _promote_all(tensors: list) -> list:
    from .. import _dtype

    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(x).__name__}")
    dt = tensors[0].dtype
    for x in tensors[1:]:
        dt = _dtype.promote_types(dt, x.dtype)
    return [x if x.dtype is dt else x.to(dt) for x in tensors]


def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple:
    """Split into chunks of ``split_size`` (last smaller) or of the listed sizes."""
    from .index import narrow

    d = wrap_dim(dim, tensor.ndim)
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, int):
        s = split_size_or_sections
        if s <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                               f"size of {n}")
        sizes = [min(s, n - i) for i in range(0, n, s)] if n else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                               f"tensor's size at dimension {d}), but got split_sizes={sizes}")
    out, start = [], 0
    for s in sizes:
        out.append(narrow(tensor, d, start, s))
        start += s
    return tuple(out)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple:
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = input.shape[wrap_dim(dim, input.ndim)]
    size = -(-n // chunks) if n else 1
    return split(input, max(size, 1), dim)


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple:
    d = wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    else:
        idx = [0] + list(indices_or_sections) + [n]
        sizes = [max(0, min(b, n) - min(a, n)) for a, b in zip(idx[:-1], idx[1:])]
    return split(input, sizes, d)


def unbind(input: Tensor, dim: int = 0) -> tuple:
    from .index import select

    d = wrap_dim(dim, input.ndim)
    return tuple(select(input, d, i) for i in range(input.shape[d]))


def flip(input: Tensor, dims: Any) -> Tensor:
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    return Flip.apply(input, tuple(wrap_dim(d, input.ndim) for d in dims))


def fliplr(input: Tensor) -> Tensor:
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:
    return flip(input, 0)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    if dims is None:
        return Roll.apply(input.flatten(), shifts, None).reshape(input.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    return Roll.apply(input, shifts, tuple(wrap_dim(d, input.ndim) for d in dims))


def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """torch.Tensor.repeat: tile the tensor ``sizes`` times along each dim."""
    reps = _shape_arg(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    return Tile.apply(input.reshape((1,) * (len(reps) - input.ndim) + tuple(input.shape)), reps)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    dims = tuple(dims)
    if len(dims) < input.ndim:
        dims = (1,) * (input.ndim - len(dims)) + dims
    return repeat(input, dims)


def repeat_interleave(input: Tensor, repeats: Any, dim: int | None = None) -> Tensor:
    from .index import index_select

    if dim is None:
        input, dim = input.flatten(), 0
    d = wrap_dim(dim, input.ndim)
    reps = repeats._data if isinstance(repeats, Tensor) else repeats
    idx = np.repeat(np.arange(input.shape[d]), reps)
    return index_select(input, d, Tensor._make(idx))
