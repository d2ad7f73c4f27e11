"""Seq2seq attention (Bahdanau, Luong) with the notes' variants, and positional encodings.

Not in torch (TOPICS.md §1.13). Every attention module scores each encoder state (key) against the
decoder state (query), turns the scores into weights over positions and returns the weighted sum of
the values (the context vector):

    additive / Bahdanau:   score(s, h) = v^T tanh(W_q s + W_k h)
    Luong dot:             score(s, h) = s^T h
    Luong general:         score(s, h) = s^T W h
    Luong concat:          score(s, h) = v^T tanh(W [s; h])

``mode`` selects how scores become weights (the variants the notes name):
    "soft" / "global": softmax over every position (a weighted average of ALL positions; it selects
        no subset and does not reduce the input's dimensionality — TOPICS.md §3 E55);
    "hard": one position only — the arg-max (eval) or a sample from the softmax (training); the
        gradient is the straight-through estimator of the softmax (w = onehot + p - stop_grad(p));
    "local": Luong et al. 2015 local-p: a predicted centre p = S * sigmoid(v_p^T tanh(W_p s)),
        softmax restricted to |j - p| <= window, times exp(-(j - p)^2 / (2 (window/2)^2));
    "monotonic": forward ("forced-forward") attention (Zhang et al. 2018): with the previous step's
        weights a', w_j proportional to (a'_j + a'_{j-1}) * softmax_j, so the focus stays or moves
        one position forward per step (``prev_weights``, default all mass on position 0).
"""
from __future__ import annotations

import math

import numpy as np

from ... import ops
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["BahdanauAttention", "LuongAttention", "SinusoidalPositionalEncoding", "LearnedPositionalEncoding"]

MODES = ("soft", "global", "hard", "local", "monotonic")


class _SeqAttention(Module):
    """Shared forward: scores -> weights (by ``mode``) -> context = sum_j w_j values_j."""

    def __init__(self, query_size: int, mode: str, window: int) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        if window < 1:
            raise ValueError(f"window must be >= 1, got {window}")
        self.mode, self.window = mode, window
        if mode == "local":
            self.position_proj = Linear(query_size, query_size)
            self.position_v = Linear(query_size, 1, bias=False)

    def score(self, query: Tensor, keys: Tensor) -> Tensor:
        raise TypeError(f"{type(self).__name__} must define score(query, keys)")

    def forward(self, query: Tensor, keys: Tensor, values: Tensor | None = None, mask: Tensor | None = None,
                prev_weights: Tensor | None = None) -> tuple:
        """query (B, Dq), keys (B, S, Dk), values (B, S, Dv) (default keys), mask (B, S) bool with
        True = valid position. Returns (context (B, Dv), weights (B, S))."""
        values = keys if values is None else values
        scores = self.score(query, keys)  # (B, S)
        if mask is not None:
            scores = scores.masked_fill(mask.logical_not(), -math.inf)
        w = ops.softmax(scores, -1)
        if self.mode == "hard":
            w = self._hard(w)
        elif self.mode == "local":
            w = self._local(query, scores, mask)
        elif self.mode == "monotonic":
            w = self._monotonic(w, prev_weights)
        context = (w.unsqueeze(1) @ values).squeeze(1)  # (B, 1, S) @ (B, S, Dv) -> (B, Dv)
        return context, w

    def _hard(self, p: Tensor) -> Tensor:
        idx = ops.multinomial(p.detach(), 1) if self.training else p.detach().argmax(-1, keepdim=True)
        onehot = ops.zeros_like(p).scatter(-1, idx, 1.0)
        return onehot + (p - p.detach())  # straight-through; exact one-hot values

    def _local(self, query: Tensor, scores: Tensor, mask: Tensor | None) -> Tensor:
        S = scores.shape[-1]
        length = mask.sum(-1, keepdim=True).to(scores.dtype) if mask is not None else float(S)
        centre = length * ops.sigmoid(self.position_v(ops.tanh(self.position_proj(query))))  # (B, 1)
        pos = ops.arange(S, dtype=scores.dtype, device=scores.device).unsqueeze(0)  # (1, S)
        far = (pos - centre.detach()).abs() > self.window
        p = ops.softmax(scores.masked_fill(far, -math.inf), -1)
        sigma = self.window / 2.0
        return p * ops.exp(-((pos - centre) ** 2) / (2 * sigma * sigma))

    def _monotonic(self, p: Tensor, prev: Tensor | None) -> Tensor:
        if prev is None:
            prev = ops.zeros_like(p)
            prev[:, 0] = 1.0
        shifted = ops.pad(prev[:, :-1], (1, 0))  # a'_{j-1}
        w = (prev + shifted) * p
        return w / w.sum(-1, keepdim=True).clamp_min(1e-12)


class BahdanauAttention(_SeqAttention):
    """Additive attention: score(s, h) = v^T tanh(W_q s + W_k h) (Bahdanau et al. 2015).

    Args:
        query_size: decoder state size.   key_size: encoder state size.   hidden_size: attention size.
        mode: "soft" | "global" | "hard" | "local" | "monotonic" (module docstring). Default "soft".
        window: half width D of "local" attention. Default 2.

    Shape:
        query (B, query_size), keys (B, S, key_size) -> context (B, Dv), weights (B, S).
    """

    def __init__(self, query_size: int, key_size: int, hidden_size: int, mode: str = "soft", window: int = 2) -> None:
        super().__init__(query_size, mode, window)
        self.query_proj = Linear(query_size, hidden_size, bias=False)
        self.key_proj = Linear(key_size, hidden_size)
        self.v = Linear(hidden_size, 1, bias=False)

    def score(self, query: Tensor, keys: Tensor) -> Tensor:
        e = ops.tanh(self.query_proj(query).unsqueeze(1) + self.key_proj(keys))  # (B, S, hidden)
        return self.v(e).squeeze(-1)  # (B, S)


class LuongAttention(_SeqAttention):
    """Multiplicative attention (Luong et al. 2015): score "dot" s^T h, "general" s^T W h, or
    "concat" v^T tanh(W [s; h]).

    Args:
        query_size: decoder state size.   key_size: encoder state size (default query_size; "dot"
        needs them equal).   score: "dot" | "general" | "concat". Default "general".
        hidden_size: size of the "concat" layer (default query_size).   mode, window: as Bahdanau.
    """

    def __init__(self, query_size: int, key_size: int | None = None, score: str = "general",
                 hidden_size: int | None = None, mode: str = "soft", window: int = 2) -> None:
        super().__init__(query_size, mode, window)
        key_size = key_size or query_size
        if score not in ("dot", "general", "concat"):
            raise ValueError(f"score must be 'dot', 'general' or 'concat', got {score!r}")
        if score == "dot" and key_size != query_size:
            raise ValueError(f"dot score needs key_size == query_size, got {key_size} and {query_size}")
        self.score_name = score
        if score == "general":
            self.W = Linear(key_size, query_size, bias=False)
        elif score == "concat":
            self.W = Linear(query_size + key_size, hidden_size or query_size)
            self.v = Linear(hidden_size or query_size, 1, bias=False)

    def score(self, query: Tensor, keys: Tensor) -> Tensor:
        if self.score_name == "concat":
            q = query.unsqueeze(1).expand(keys.shape[0], keys.shape[1], query.shape[-1])
            return self.v(ops.tanh(self.W(ops.cat([q, keys], -1)))).squeeze(-1)  # (B, S)
        k = keys if self.score_name == "dot" else self.W(keys)  # (B, S, Dq)
        return (k @ query.unsqueeze(-1)).squeeze(-1)  # (B, S)


class SinusoidalPositionalEncoding(Module):
    """x + PE[:L], PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).

    Args: d_model, max_len=5000, dropout=0.0 (applied after the sum), batch_first=False.
    Shape: (L, N, d_model) or (N, L, d_model) with batch_first; ``pe`` is a non-persistent buffer.
    """

    def __init__(self, d_model: int, max_len: int = 5000, dropout: float = 0.0, batch_first: bool = False) -> None:
        super().__init__()
        pos = np.arange(max_len)[:, None]  # (max_len, 1)
        angle = pos / 10000.0 ** (np.arange(0, d_model, 2) / d_model)  # (max_len, ceil(d/2))
        pe = np.zeros((max_len, d_model))
        pe[:, 0::2] = np.sin(angle)
        pe[:, 1::2] = np.cos(angle)[:, : d_model // 2]
        self.register_buffer("pe", ops.tensor(pe.astype(np.float32)), persistent=False)
        self.dropout, self.batch_first, self.max_len = dropout, batch_first, max_len

    def forward(self, x: Tensor) -> Tensor:
        L = x.shape[1 if self.batch_first else 0]
        if L > self.max_len:
            raise ValueError(f"sequence length {L} exceeds max_len={self.max_len}")
        pe = self.pe[:L].to(x.dtype)
        x = x + (pe.unsqueeze(0) if self.batch_first else pe.unsqueeze(1))
        return F.dropout(x, self.dropout, self.training) if self.dropout else x


class LearnedPositionalEncoding(Module):
    """x + weight[:L] with a learned table ``weight`` (max_len, d_model) ~ N(0, 0.02^2) (GPT-2 style).

    Args: d_model, max_len=512, dropout=0.0, batch_first=False.
    """

    def __init__(self, d_model: int, max_len: int = 512, dropout: float = 0.0, batch_first: bool = False) -> None:
        super().__init__()
        self.weight = Parameter(ops.empty((max_len, d_model)))
        init.normal_(self.weight, std=0.02)
        self.dropout, self.batch_first, self.max_len = dropout, batch_first, max_len

    def forward(self, x: Tensor) -> Tensor:
        L = x.shape[1 if self.batch_first else 0]
        if L > self.max_len:
            raise ValueError(f"sequence length {L} exceeds max_len={self.max_len}")
        pe = self.weight[:L]
        x = x + (pe.unsqueeze(0) if self.batch_first else pe.unsqueeze(1))
        return F.dropout(x, self.dropout, self.training) if self.dropout else x
