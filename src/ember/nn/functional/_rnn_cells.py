"""Staged (teaching) RNN / LSTM / GRU cells written from the gate equations with ember ops.

These are the reference the docs show (STYLE S4): each line is one equation of TOPICS.md §1.13,
every op is an ember op, so gradients of any order work. ``RNNCell``/``LSTMCell``/``GRUCell`` use
them; ``rnn_layer_staged`` loops them over time and is the twin of the fused
``_rnn_fused.rnn_layer_fused`` (same signature and masking rule, proven equal in the tests).
"""
from __future__ import annotations

from typing import Any

from ... import ops
from ..._tensor import Tensor
from .linear import linear

__all__ = ["rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell", "rnn_layer_staged"]


def rnn_tanh_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh).   input (B, I), hx (B, H) -> (B, H)."""
    return ops.tanh(linear(input, w_ih, b_ih) + linear(hx, w_hh, b_hh))


def rnn_relu_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
                  b_hh: Tensor | None = None) -> Tensor:
    """h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh).   input (B, I), hx (B, H) -> (B, H)."""
    return ops.relu(linear(input, w_ih, b_ih) + linear(hx, w_hh, b_hh))


def lstm_cell(input: Tensor, hx: tuple, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
              b_hh: Tensor | None = None, w_hr: Tensor | None = None) -> tuple:
    """One LSTM step (gate order i, f, g, o as torch stores them).

    i = s(W_ii x + b_ii + W_hi h + b_hi); f = s(W_if x + b_if + W_hf h + b_hf);
    g = tanh(W_ig x + b_ig + W_hg h + b_hg); o = s(W_io x + b_io + W_ho h + b_ho);
    c' = f * c + i * g;  h' = o * tanh(c')  (then h' = h' W_hr^T when a projection is given).

    Shapes: input (B, I), hx = (h (B, H_out), c (B, H)) -> (h' (B, H_out), c' (B, H)).
    """
    h, c = hx
    gates = linear(input, w_ih, b_ih) + linear(h, w_hh, b_hh)  # (B, 4H)
    i, f, g, o = gates.chunk(4, dim=-1)
    i, f, g, o = ops.sigmoid(i), ops.sigmoid(f), ops.tanh(g), ops.sigmoid(o)
    c_new = f * c + i * g
    h_new = o * ops.tanh(c_new)
    if w_hr is not None:
        h_new = linear(h_new, w_hr)
    return h_new, c_new


def gru_cell(input: Tensor, hx: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None = None,
             b_hh: Tensor | None = None) -> Tensor:
    """One GRU step (gate order r, z, n as torch stores them).

    r = s(W_ir x + b_ir + W_hr h + b_hr);  z = s(W_iz x + b_iz + W_hz h + b_hz);
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h' = (1 - z) * n + z * h.
    Two gates only: reset r and update z (there is no output gate; TOPICS.md §3 E08).

    Shapes: input (B, I), hx (B, H) -> (B, H).
    """
    xr, xz, xn = linear(input, w_ih, b_ih).chunk(3, dim=-1)  # 3 x (B, H)
    hr, hz, hn = linear(hx, w_hh, b_hh).chunk(3, dim=-1)
    r = ops.sigmoid(xr + hr)
    z = ops.sigmoid(xz + hz)
    n = ops.tanh(xn + r * hn)
    return (1 - z) * n + z * hx


def rnn_layer_staged(mode: str, x: Tensor, h0: Tensor, c0: Any, w_ih: Tensor, w_hh: Tensor,
                     b_ih: Any = None, b_hh: Any = None, w_hr: Any = None, mask: Any = None) -> tuple:
    """The staged twin of ``rnn_layer_fused``: loop the cell over T with the same masking rule."""
    cells = {"RNN_TANH": rnn_tanh_cell, "RNN_RELU": rnn_relu_cell, "GRU": gru_cell}
    h, c, ys = h0, c0, []
    for t in range(x.shape[0]):
        m = None if mask is None else Tensor._make(mask[t][:, None])
        if mode == "LSTM":
            h_new, c_new = lstm_cell(x[t], (h, c), w_ih, w_hh, b_ih, b_hh, w_hr)
            c = c_new if m is None else m * c_new + (1 - m) * c
        else:
            h_new = cells[mode](x[t], h, w_ih, w_hh, b_ih, b_hh)
        ys.append(h_new if m is None else m * h_new)
        h = h_new if m is None else m * h_new + (1 - m) * h
    y = ops.stack(ys, 0)
    return (y, h, c) if mode == "LSTM" else (y, h)
