"""Scaled dot-product attention and the multi-head attention forward of torch, in ember ops.

    Attention(Q, K, V) = softmax(Q K^T * scale + bias) V,   scale = 1/sqrt(d_k) by default.

Mask conventions (torch's, and they differ): in ``scaled_dot_product_attention`` a boolean
``attn_mask`` is True where attention IS allowed; in ``multi_head_attention_forward`` /
``nn.MultiheadAttention`` boolean ``attn_mask`` and ``key_padding_mask`` are True where attention is
NOT allowed. Float masks are added to the scores in both.
"""
from __future__ import annotations

import math
from typing import Any

from ... import _dtype, ops
from ..._tensor import Tensor
from .dropout import dropout
from .linear import linear

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _float_mask(mask: Tensor | None, dtype: Any, true_means_blocked: bool) -> Tensor | None:
    """A boolean mask as an additive float mask (-inf where blocked); float masks pass through."""
    if mask is None or mask.is_floating_point():
        return mask
    if mask.dtype != _dtype.bool:
        raise TypeError(f"only bool and floating types of masks are supported, got {mask.dtype}")
    blocked = mask if true_means_blocked else mask.logical_not()
    return ops.zeros(tuple(mask.shape), dtype=dtype, device=mask.device).masked_fill(blocked, -math.inf)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(q k^T * scale + mask) v with dropout on the weights (always applied when p > 0).

    Args:
        query (*, L, E), key (*, S, E), value (*, S, Ev).
        attn_mask: broadcastable to (*, L, S); bool (True = may attend) or float (added).
        dropout_p: dropout probability on the attention weights.
        is_causal: mask out j > i (top-left aligned lower triangle); exclusive with attn_mask.
        scale: default 1/sqrt(E).   enable_gqa: repeat key/value heads (dim -3) to match query.

    Shape:
        output (*, L, Ev).

    Notes:
        A row whose keys are all masked outputs zeros (torch 2.13's safe softmax; the math
        reference in torch's docs would give NaN), with zero gradient. Weights are materialised: O(L*S) memory, no flash kernel.
    """
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                           "is_causal=True")
    L, S = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    if enable_gqa and key.dim() >= 3 and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key, value = key.repeat_interleave(rep, -3), value.repeat_interleave(rep, -3)
    scores = query @ key.transpose(-2, -1) * scale  # (*, L, S)
    if is_causal:
        causal = ops.ones((L, S), dtype=_dtype.bool, device=query.device).tril(0)
        scores = scores.masked_fill(causal.logical_not(), -math.inf)
    if attn_mask is not None:
        scores = scores + _float_mask(attn_mask, scores.dtype, true_means_blocked=False)
    dead = (scores == -math.inf).all(-1, keepdim=True)  # rows with every key masked
    weights = ops.softmax(scores.masked_fill(dead, 0.0), -1).masked_fill(dead, 0.0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True)
    return weights @ value


def _project(query: Tensor, key: Tensor, value: Tensor, E: int, in_proj_weight: Any, in_proj_bias: Any,
             separate: bool, q_w: Any, k_w: Any, v_w: Any) -> tuple:
    """q, k, v = x W_q^T + b_q, … (packed (3E, E) weight or three separate weights)."""
    b = [None] * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
    if separate:
        ws = (q_w, k_w, v_w)
    else:
        ws = in_proj_weight.chunk(3)
    return tuple(linear(x, w, bb) for x, w, bb in zip((query, key, value), ws, b))


def _append_kv(k: Tensor, v: Tensor, masks: list, extra_k: Tensor, extra_v: Tensor) -> tuple:
    """Append one key/value column (bias_kv or zeros) and an unmasked column to every mask."""
    k, v = ops.cat([k, extra_k], 1), ops.cat([v, extra_v], 1)
    masks = [None if m is None else ops.pad(m, (0, 1)) for m in masks]
    return k, v, masks


def multi_head_attention_forward(query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int,
                                 num_heads: int, in_proj_weight: Any, in_proj_bias: Any, bias_k: Any,
                                 bias_v: Any, add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor,
                                 out_proj_bias: Any, training: bool = True, key_padding_mask: Any = None,
                                 need_weights: bool = True, attn_mask: Any = None,
                                 use_separate_proj_weight: bool = False, q_proj_weight: Any = None,
                                 k_proj_weight: Any = None, v_proj_weight: Any = None, static_k: Any = None,
                                 static_v: Any = None, average_attn_weights: bool = True,
                                 is_causal: bool = False) -> tuple:
    """torch's F.multi_head_attention_forward: inputs (L, N, E) / (S, N, E) or unbatched (L, E).

    Heads: q, k, v are split into num_heads blocks of head_dim = E / num_heads, reshaped to
    (N*heads, L, head_dim); weights = softmax(q k^T / sqrt(head_dim) + masks); out = out_proj(w v).
    Returns (output (L, N, E), weights (N, L, S) averaged over heads, (N, heads, L, S) otherwise,
    or None when need_weights=False).
    """
    unbatched = query.dim() == 2
    if unbatched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    L, N, E = query.shape
    if E != embed_dim_to_check:
        raise RuntimeError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {E}")
    if E % num_heads:
        raise ValueError(f"embed_dim ({E}) must be divisible by num_heads ({num_heads})")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                           "module method `generate_square_subsequent_mask` to create this mask.")
    hd = E // num_heads
    q, k, v = _project(query, key, value, E, in_proj_weight, in_proj_bias, use_separate_proj_weight,
                       q_proj_weight, k_proj_weight, v_proj_weight)
    am = _float_mask(attn_mask, q.dtype, true_means_blocked=True)
    if am is not None and am.dim() == 2:
        am = am.unsqueeze(0)  # (1, L, S)
    kpm = _float_mask(key_padding_mask, q.dtype, true_means_blocked=True)
    if bias_k is not None:
        k, v = ops.cat([k, bias_k.expand(1, N, E)]), ops.cat([v, bias_v.expand(1, N, E)])  # (S+1, N, E)
        am, kpm = (None if m is None else ops.pad(m, (0, 1)) for m in (am, kpm))
    q = q.reshape(L, N * num_heads, hd).transpose(0, 1)  # (N*h, L, hd)
    k = (static_k if static_k is not None else k.reshape(k.shape[0], N * num_heads, hd).transpose(0, 1))
    v = (static_v if static_v is not None else v.reshape(v.shape[0], N * num_heads, hd).transpose(0, 1))
    if add_zero_attn:
        z = ops.zeros((N * num_heads, 1, hd), dtype=q.dtype, device=q.device)
        k, v, (am, kpm) = _append_kv(k, v, [am, kpm], z, z)
    S = k.shape[1]
    if kpm is not None:
        kpm = kpm.reshape(N, 1, 1, S).expand(N, num_heads, 1, S).reshape(N * num_heads, 1, S)
        am = kpm if am is None else am + kpm
    scores = (q * math.sqrt(1.0 / hd)) @ k.transpose(1, 2)  # (N*h, L, S)
    if am is not None:
        scores = scores + am
    w = ops.softmax(scores, -1)
    if dropout_p > 0.0 and training:
        w = dropout(w, dropout_p, True)
    out = (w @ v).transpose(0, 1).reshape(L * N, E)  # (L*N, E)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(L, N, E)
    if unbatched:
        out = out.squeeze(1)
    if not need_weights:
        return out, None
    w = w.reshape(N, num_heads, L, S)
    if average_attn_weights:
        w = w.mean(1)  # (N, L, S)
    return out, (w.squeeze(0) if unbatched else w)
