"""PackedSequence and the padding / packing helpers of ``torch.nn.utils.rnn``.

A packed batch stores the valid steps of B sequences sorted by decreasing length, time-major:
``data`` (sum(lengths), *) holds step 0 of every sequence, then step 1 of those still running, …;
``batch_sizes[t]`` = number of sequences longer than t. All gathers are ember indexing ops, so
gradients flow through packing and unpacking.
"""
from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np

from ... import ops
from ..._tensor import Tensor

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence",
           "unpad_sequence", "pack_sequence", "unpack_sequence", "invert_permutation"]


class PackedSequence(NamedTuple):
    """(data, batch_sizes, sorted_indices, unsorted_indices), as torch's namedtuple.

    Attributes:
        data: (sum(lengths), *) the valid steps, time-major, batch sorted by decreasing length.
        batch_sizes: (T,) int64 Tensor, sequences still running at each step.
        sorted_indices: (B,) int64 Tensor, original index of each sorted column, or None when the
            input was already sorted (``enforce_sorted=True``).
        unsorted_indices: inverse permutation of ``sorted_indices``, or None.
    """

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None

    def to(self, *args: Any, **kwargs: Any) -> "PackedSequence":
        """Move/cast ``data`` (the index tensors stay int64, like torch)."""
        return self._replace(data=self.data.to(*args, **kwargs))

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """inverse[permutation[i]] = i."""
    if permutation is None:
        return None
    p = np.asarray(permutation.numpy() if isinstance(permutation, Tensor) else permutation)
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=p.dtype)
    return ops.tensor(inv.astype(np.int64))


def _lengths_array(lengths: Any) -> np.ndarray:
    arr = lengths.numpy() if isinstance(lengths, Tensor) else np.asarray(lengths)
    if arr.ndim != 1:
        raise ValueError(f"lengths must be a 1-D sequence of ints, got shape {arr.shape}")
    return arr.astype(np.int64)


def _sizes_to_lengths(batch_sizes: np.ndarray) -> np.ndarray:
    """Per sorted column b: #{t : batch_sizes[t] > b}."""
    return (batch_sizes[None, :] > np.arange(int(batch_sizes[0]))[:, None]).sum(1).astype(np.int64)


def _packed_positions(lengths_sorted: np.ndarray, T: int) -> tuple:
    """(t_idx, b_idx) of every valid step in packed (time-major) order, and the (T, B) table of
    data rows (invalid cells point at row N = len(data), an appended padding row)."""
    valid = np.arange(T)[:, None] < lengths_sorted[None, :]  # (T, B)
    t_idx, b_idx = np.nonzero(valid)  # row-major = packed order
    table = np.full(valid.shape, t_idx.size, dtype=np.int64)
    table[t_idx, b_idx] = np.arange(t_idx.size)
    return t_idx, b_idx, table


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *) with batch_first) of the given lengths.

    Raises:
        RuntimeError: lengths unsorted with ``enforce_sorted=True``, or a length <= 0 (torch's
            messages and exception type).
    """
    L = _lengths_array(lengths)
    if enforce_sorted:
        if np.any(L[:-1] < L[1:]):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                "sidestep this requirement if you do not need ONNX exportability.")
        order, sorted_indices = np.arange(L.size), None
    else:
        order = np.argsort(-L, kind="stable")
        sorted_indices = ops.tensor(order)
    if L.size and L.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in "
                           "'lengths' that is <= 0")
    T = input.shape[1 if batch_first else 0]
    if L.size and L.max() > T:
        raise RuntimeError(f"Expected lengths to be at most the padded length {T}, got {int(L.max())}")
    Ls = L[order]
    t_idx, b_idx, _ = _packed_positions(Ls, int(Ls.max()) if L.size else 0)
    src_b = order[b_idx]
    data = input[src_b, t_idx] if batch_first else input[t_idx, src_b]  # (N, *)
    batch_sizes = ops.tensor(np.bincount(t_idx, minlength=int(Ls.max())).astype(np.int64))
    return PackedSequence(data, batch_sizes, sorted_indices, invert_permutation(sorted_indices))


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple:
    """Inverse of ``pack_padded_sequence``: (padded (T, B, *) or (B, T, *), lengths (B,) int64),
    batch in the original order."""
    data, batch_sizes, _, unsorted = sequence
    bs = batch_sizes.numpy().astype(np.int64)
    Ls = _sizes_to_lengths(bs)
    T = bs.size
    if total_length is not None:
        if total_length < T:
            raise ValueError("Expected total_length to be at least the length of the longest sequence "
                             f"in input, but got total_length={total_length} and max sequence length "
                             f"being {T}")
        T = total_length
    _, _, table = _packed_positions(Ls, T)  # (T, B) rows of data (sorted batch order)
    if unsorted is not None:
        perm = unsorted.numpy().astype(np.int64)
        table, Ls = table[:, perm], Ls[perm]
    pad_row = ops.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype, device=data.device)
    ext = ops.cat([data, pad_row], 0)  # (N + 1, *)
    padded = ext[table.T if batch_first else table]
    return padded, ops.tensor(Ls)


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack tensors of shape (L_i, *) into (T, B, *) (or (B, T, *)), T = max L_i, padding with
    ``padding_value`` on the right (default) or the left."""
    if padding_side not in ("right", "left"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    seqs = list(sequences)
    if not seqs:
        raise RuntimeError("received an empty list of sequences")
    T = max(s.shape[0] for s in seqs)
    out = []
    for s in seqs:
        extra = T - s.shape[0]
        spec = (0, 0) * (s.dim() - 1) + ((0, extra) if padding_side == "right" else (extra, 0))
        out.append(ops.pad(s, spec, value=padding_value) if extra else s)
    return ops.stack(out, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list:
    """Split a padded batch back into a list of (L_i, *) tensors."""
    x = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [x[i, :int(n)] for i, n in enumerate(_lengths_array(lengths))]


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of (L_i, *) tensors of a PackedSequence, in the original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
