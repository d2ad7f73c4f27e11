"""RNN, LSTM, GRU (multi-layer, bidirectional, packed) and RNNCell, LSTMCell, GRUCell.

Torch's constructors, parameter names and layouts (``weight_ih_l{k}{_reverse}`` (G*H, I),
``weight_hh_l{k}`` (G*H, H_out), ``bias_ih_l{k}``, ``bias_hh_l{k}`` (G*H), ``weight_hr_l{k}``
(proj_size, H); gate blocks LSTM i,f,g,o and GRU r,z,n), so torch state dicts load unchanged.
The layers run the fused op of ``functional/_rnn_fused.py``; the cells run the staged gate
equations of ``functional/_rnn_cells.py`` (double-differentiable).
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from ... import ops
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..functional import _rnn_cells as cells
from ..functional._rnn_fused import GATES, rnn_layer_fused
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, _packed_positions, _sizes_to_lengths
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _check_sizes(input_size: Any, hidden_size: Any, num_layers: Any, dropout: Any) -> None:
    if not isinstance(hidden_size, int) or isinstance(hidden_size, bool):
        raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if not isinstance(num_layers, int) or num_layers <= 0:
        raise ValueError(f"num_layers must be greater than zero, got {num_layers!r}")
    if not isinstance(input_size, int) or input_size < 0:
        raise ValueError(f"input_size must be a non-negative int, got {input_size!r}")
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
        raise ValueError("dropout should be a number in range [0, 1] representing the probability of "
                         "an element being zeroed")


def _reverse_time(x: Tensor, lengths: np.ndarray | None) -> Tensor:
    """Reverse each sequence of x (T, B, *) within its own length (padding stays in place)."""
    if lengths is None:
        return x.flip(0)
    T, B = x.shape[0], x.shape[1]
    t = np.arange(T)[:, None]
    idx = np.where(t < lengths[None, :], lengths[None, :] - 1 - t, t)  # (T, B); an involution
    return x[idx, np.arange(B)[None, :]]


class RNNBase(Module):
    """Base of RNN/LSTM/GRU: parameters, argument checks and the layer/direction loop.

    Args:
        mode: "RNN_TANH", "RNN_RELU", "LSTM" or "GRU".   input_size: I.   hidden_size: H.
        num_layers: stacked layers. Default 1.   bias: use b_ih and b_hh. Default True.
        batch_first: input/output (B, T, *) instead of (T, B, *). Default False.
        dropout: dropout on the outputs of every layer but the last (training only). Default 0.
        bidirectional: add a reverse direction, outputs concatenated. Default False.
        proj_size: LSTM only; project h to this size with ``weight_hr``. Default 0.

    Shape:
        input (T, B, I), (B, T, I) with batch_first, (T, I) unbatched, or a PackedSequence.
        h_0 (D*num_layers, B, H_out) with D = 2 if bidirectional else 1, H_out = proj_size or H.
        output (T, B, D*H_out) (zeros past each length for packed input); h_n like h_0.

    Attributes:
        every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H)) (torch's ``reset_parameters``).

    Notes:
        Shape errors are RuntimeError with torch's messages ("Expected hidden size (…), got […]").
        Packed input runs as padded input plus a (T, B) validity mask: past its length a sequence
        keeps its state and outputs zeros; the reverse direction reverses each sequence within its
        own length. This equals torch's packed kernels (tests/nn/test_rnn.py).
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if mode not in GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        _check_sizes(input_size, hidden_size, num_layers, dropout)
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero "
                          f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        D = 2 if bidirectional else 1
        G, H, H_out = GATES[mode], hidden_size, proj_size or hidden_size
        self._flat_weights_names: list = []
        self._all_weights: list = []
        kw = dict(device=device, dtype=dtype)
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else H_out * D
            for d in range(D):
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                shapes = [("weight_ih", (G * H, in_size)), ("weight_hh", (G * H, H_out))]
                if bias:
                    shapes += [("bias_ih", (G * H,)), ("bias_hh", (G * H,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, H)))
                names = []
                for name, shape in shapes:
                    setattr(self, name + sfx, Parameter(ops.empty(shape, **kw)))
                    names.append(name + sfx)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    @property
    def all_weights(self) -> list:
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, n) for n in self._flat_weights_names]

    def _layer_weights(self, layer: int, d: int) -> tuple:
        sfx = f"_l{layer}" + ("_reverse" if d else "")
        get = lambda n: getattr(self, n + sfx, None)  # noqa: E731
        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), get("weight_hr")

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        for name, default in (("proj_size", 0), ("num_layers", 1), ("bias", True),
                              ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, name) != default:
                s += f", {name}={getattr(self, name)}"
        return s

    # --- forward ---------------------------------------------------------------------------
    def _expected_hidden(self, batch: int, cell: bool = False) -> tuple:
        D = 2 if self.bidirectional else 1
        size = self.hidden_size if cell else (self.proj_size or self.hidden_size)
        return (self.num_layers * D, batch, size)

    def _check_hidden(self, hx: Tensor, expected: tuple, msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, list(hx.shape)))

    def _prepare_input(self, input: Any) -> tuple:
        """-> (x (T, B, I) time-major, lengths or None, sorted_indices, unsorted_indices, unbatched)."""
        if isinstance(input, PackedSequence):
            data, batch_sizes, srt, uns = input
            bs = batch_sizes.numpy().astype(np.int64)
            lengths = _sizes_to_lengths(bs)
            _, _, table = _packed_positions(lengths, bs.size)
            pad = ops.zeros((1,) + tuple(data.shape[1:]), dtype=data.dtype, device=data.device)
            x = ops.cat([data, pad], 0)[table]  # (T, B, I), sorted batch order
            return x, (None if np.all(lengths == bs.size) else lengths), srt, uns, False
        if not isinstance(input, Tensor):
            raise TypeError(f"input must be a Tensor or PackedSequence, got {type(input).__name__}")
        if input.dim() not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.dim()}D "
                             "tensor instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")
        unbatched = input.dim() == 2
        x = input.unsqueeze(1) if unbatched else (input.transpose(0, 1) if self.batch_first else input)
        return x, None, None, None, unbatched

    def _prepare_state(self, hx: Any, x: Tensor, srt: Any, unbatched: bool, cell: bool) -> Tensor:
        expected = self._expected_hidden(x.shape[1], cell)
        if hx is None:
            return ops.zeros(expected, dtype=x.dtype, device=x.device)
        if unbatched:
            if hx.dim() != 2:
                raise RuntimeError(f"For unbatched 2-D input, hx should also be 2-D but got "
                                   f"{hx.dim()}-D tensor")
            hx = hx.unsqueeze(1)
        elif hx.dim() != 3:
            raise RuntimeError(f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor")
        if srt is not None:
            hx = hx.index_select(1, srt)
        which = "" if self.mode != "LSTM" else ("[1]" if cell else "[0]")
        self._check_hidden(hx, expected, "Expected hidden" + which + " size {}, got {}")
        return hx

    def _run(self, x: Tensor, h0: Tensor, c0: Tensor | None, lengths: np.ndarray | None) -> tuple:
        """All layers and directions -> (y (T, B, D*H_out), h_n, c_n or None)."""
        D = 2 if self.bidirectional else 1
        mask = None
        if lengths is not None:
            mask = (np.arange(x.shape[0])[:, None] < lengths[None, :]).astype(x.dtype.np)
        hs, cs = [], []
        for layer in range(self.num_layers):
            outs = []
            for d in range(D):
                k = layer * D + d
                xin = x if d == 0 else _reverse_time(x, lengths)
                res = rnn_layer_fused(self.mode, xin, h0[k], None if c0 is None else c0[k],
                                      *self._layer_weights(layer, d), mask=mask)
                outs.append(res[0] if d == 0 else _reverse_time(res[0], lengths))
                hs.append(res[1])
                if c0 is not None:
                    cs.append(res[2])
            x = outs[0] if D == 1 else ops.cat(outs, -1)  # (T, B, D*H_out)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, ops.stack(hs, 0), (ops.stack(cs, 0) if c0 is not None else None)

    def _finish(self, input: Any, y: Tensor, states: list, uns: Any, unbatched: bool) -> tuple:
        if isinstance(input, PackedSequence):
            lengths = _sizes_to_lengths(input.batch_sizes.numpy().astype(np.int64))
            t_idx, b_idx, _ = _packed_positions(lengths, y.shape[0])
            out = PackedSequence(y[t_idx, b_idx], input.batch_sizes, input.sorted_indices, uns)
            states = [s if uns is None else s.index_select(1, uns) for s in states]
            return out, states
        if unbatched:
            return y.squeeze(1), [s.squeeze(1) for s in states]
        return (y.transpose(0, 1) if self.batch_first else y), states

    def forward(self, input: Any, hx: Any = None) -> tuple:
        lstm = self.mode == "LSTM"
        x, lengths, srt, uns, unbatched = self._prepare_input(input)
        if lstm and hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise RuntimeError("LSTM expects hx as a tuple (h_0, c_0)")
        if not lstm and isinstance(hx, (tuple, list)):
            raise RuntimeError(f"{type(self).__name__} expects hx as a Tensor, got a tuple")
        h0 = self._prepare_state(hx[0] if lstm and hx is not None else hx, x, srt, unbatched, False)
        c0 = self._prepare_state(hx[1] if hx is not None else None, x, srt, unbatched, True) if lstm else None
        y, h_n, c_n = self._run(x, h0, c0, lengths)
        out, states = self._finish(input, y, [h_n] + ([c_n] if lstm else []), uns, unbatched)
        return out, (tuple(states) if lstm else states[0])


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu).

    Args: input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False,
    dropout=0.0, bidirectional=False (see RNNBase). Returns (output, h_n).

    Examples:
        >>> import ember, ember.nn as nn
        >>> out, h = nn.RNN(10, 20, 2)(ember.randn(5, 3, 10))
        >>> tuple(out.shape), tuple(h.shape)
        ((5, 3, 20), (2, 3, 20))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """LSTM (gates i, f, g, o; see ``lstm_cell``), optional projection h_t = W_hr (o * tanh(c_t)).

    Returns (output, (h_n, c_n)); c_n has size hidden_size, h_n and output proj_size if set.

    Notes:
        The forget-gate bias is initialised like every other bias (U(-1/sqrt(H), 1/sqrt(H)), torch);
        the literature's "forget bias 1" (TOPICS.md §1.13) is ``lstm.bias_hh_l0.data[H:2H] += 1``.
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """GRU (gates r, z, n; see ``gru_cell``); returns (output, h_n)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, 0, device, dtype)


class RNNCellBase(Module):
    """One step; parameters weight_ih (G*H, I), weight_hh (G*H, H), bias_ih, bias_hh (G*H),
    all U(-1/sqrt(H), 1/sqrt(H)). Input (B, I) or (I,), hidden (B, H) or (H,)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        _check_sizes(input_size, hidden_size, 1, 0.0)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        kw = dict(device=device, dtype=dtype)
        self.weight_ih = Parameter(ops.empty((num_chunks * hidden_size, input_size), **kw))
        self.weight_hh = Parameter(ops.empty((num_chunks * hidden_size, hidden_size), **kw))
        if bias:
            self.bias_ih = Parameter(ops.empty((num_chunks * hidden_size,), **kw))
            self.bias_hh = Parameter(ops.empty((num_chunks * hidden_size,), **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size)
        for w in self.parameters():
            init.uniform_(w, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def _batch(self, input: Tensor, hx: Any) -> tuple:
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size}")
        unbatched = input.dim() == 1
        x = input.unsqueeze(0) if unbatched else input
        states = hx if isinstance(hx, (tuple, list)) else [hx]
        out = []
        for h in states:
            if h is None:
                h = ops.zeros((x.shape[0], self.hidden_size), dtype=x.dtype, device=x.device)
            elif h.dim() != input.dim():
                raise RuntimeError(f"{name}: Expected hidden to be {input.dim()}D, got {h.dim()}D instead")
            else:
                h = h.unsqueeze(0) if unbatched else h
            if tuple(h.shape) != (x.shape[0], self.hidden_size):
                raise RuntimeError(f"Expected hidden size {(x.shape[0], self.hidden_size)}, got "
                                   f"{list(h.shape)}")
            out.append(h)
        return x, out, unbatched

    def _weights(self) -> tuple:
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), unbatched = self._batch(input, hx)
        fn = cells.rnn_tanh_cell if self.nonlinearity == "tanh" else cells.rnn_relu_cell
        h = fn(x, h, *self._weights())
        return h.squeeze(0) if unbatched else h


class LSTMCell(RNNCellBase):
    """(h', c') = lstm_cell(x, (h, c)); hx is a tuple (h, c) or None (zeros)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple:
        x, (h, c), unbatched = self._batch(input, (None, None) if hx is None else hx)
        h, c = cells.lstm_cell(x, (h, c), *self._weights())
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)


class GRUCell(RNNCellBase):
    """h' = gru_cell(x, h) (reset gate r, update gate z, candidate n)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, (h,), unbatched = self._batch(input, hx)
        h = cells.gru_cell(x, h, *self._weights())
        return h.squeeze(0) if unbatched else h
