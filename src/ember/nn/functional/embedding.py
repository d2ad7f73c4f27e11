"""F.embedding and F.one_hot (torch.nn.functional names)."""
from __future__ import annotations

from typing import Any

from ... import _dtype, ops
from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import no_grad

__all__ = ["embedding", "one_hot"]


class EmbeddingOp(Op):
    """y[..., :] = W[idx[...], :].   dW = sum over positions with idx = i of dy (index_add), with
    the padding_idx row kept at zero and optional 1/count scaling (scale_grad_by_freq)."""

    @staticmethod
    def forward(ctx: Any, weight: Any, idx: Any, padding_idx: Any, scale_grad_by_freq: bool) -> Any:
        ctx.num_embeddings = weight.shape[0]
        ctx.padding_idx, ctx.scale = padding_idx, scale_grad_by_freq
        ctx.save_for_backward(idx)
        return weight[idx]

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> tuple:
        (idx,) = ctx.saved_tensors
        flat = idx.reshape(-1)
        rows = g.reshape(flat.shape[0], -1)  # (n, D)
        if ctx.scale:
            xp = get_array_module(flat._data)
            counts = xp.bincount(flat._data, minlength=ctx.num_embeddings)[flat._data]
            rows = rows / Tensor._make(counts.astype(rows._data.dtype)).unsqueeze(1)
        if ctx.padding_idx is not None:
            rows = rows * (flat != ctx.padding_idx).to(rows.dtype).unsqueeze(1)
        zeros = ops.zeros((ctx.num_embeddings, rows.shape[1]), dtype=g.dtype, device=g.device)
        return ops.index_add(zeros, 0, flat, rows), None, None, None


def _renorm_(weight: Tensor, idx: Tensor, max_norm: float, norm_type: float) -> None:
    """torch's embedding_renorm_: rows used by idx with norm > max_norm are scaled to max_norm."""
    xp = get_array_module(idx._data)
    rows = Tensor._make(xp.unique(idx._data.reshape(-1)))
    with no_grad():
        sel = weight[rows]
        norms = sel.norm(norm_type, dim=1, keepdim=True)
        scale = ops.where(norms > max_norm, max_norm / (norms + 1e-7), ops.ones_like(norms))
        weight[rows] = sel * scale


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Row lookup y = weight[input].

    Args:
        input: integer indices of any shape (*).   weight: (num_embeddings, D).
        padding_idx: this row gets no gradient.   max_norm: renormalise (in place) looked-up rows
            whose ``norm_type``-norm exceeds it.   scale_grad_by_freq: divide each row's gradient by
            its count in the mini-batch.   sparse: accepted; ember's gradients are always dense.

    Shape:
        output (*, D).
    """
    if input.dtype.is_floating_point or input.dtype is _dtype.bool:
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got {input.dtype} instead")
    if weight.dim() != 2:
        raise RuntimeError(f"'weight' must be 2-D, got shape {list(weight.shape)}")
    n = weight.shape[0]
    if input.numel() and (int(input.max()) >= n or int(input.min()) < -n):
        raise IndexError(f"index out of range in self: indices must be in [0, {n}), got "
                         f"[{int(input.min())}, {int(input.max())}]")
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"padding_idx must be within num_embeddings ({n}), got {padding_idx}")
        padding_idx = padding_idx % n
    idx = input % n if input.numel() and int(input.min()) < 0 else input
    if max_norm is not None:
        _renorm_(weight, idx, max_norm, norm_type)
    return EmbeddingOp.apply(weight, idx, padding_idx, scale_grad_by_freq)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape (*, num_classes) with a 1 at each index (num_classes=-1: max + 1)."""
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() and int(tensor.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if tensor.numel() == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(tensor.max()) + 1
    elif tensor.numel() and int(tensor.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return (tensor.unsqueeze(-1) == ops.arange(num_classes, device=tensor.device)).to(_dtype.int64)
