"""Normalization functionals (torch.nn.functional names): batch, instance, layer, group, RMS and
local response normalization (TOPICS.md 1.5).

One fused op, ``NormalizeAffine``, computes ``y = (x - mean) / sqrt(var + eps) * w + b`` over a set of
axes and its backward in one pass; batch/instance/layer norm call it. ``batch_norm_staged`` builds
the same training-mode forward from primitive ops, step by step as the notes derive it (mean,
variance, normalize, scale-and-shift), so autograd differentiates it; a test checks both agree in
value and gradient in float64 (STYLE S4).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..._backend import get_array_module
from ..._tensor import Tensor
from ...autograd.function import Op
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...ops._util import reduce_to_shape, sum_to

__all__ = ["batch_norm", "batch_norm_staged", "instance_norm", "layer_norm", "group_norm",
           "rms_norm", "local_response_norm"]


class NormalizeAffine(Op):
    """y = (x - mu) * invstd * w + b,  mu = mean(x), var = mean((x - mu)^2) over ``axes`` (biased),
    invstd = 1 / sqrt(var + eps).  Outputs (y, mu, var); mu and var are non-differentiable.

    Backward (compact form, M = number of reduced elements, gh = g * w, xhat = (x - mu) * invstd):
    dx = invstd / M * (M * gh - sum(gh) - xhat * sum(gh * xhat)),  dw = sum_to(g * xhat),
    db = sum_to(g).  Without ``create_graph`` it runs on arrays; with it, the same formula in ember
    ops recomputed from x, so second derivatives are exact.
    """

    @staticmethod
    def forward(ctx, x, w, b, axes, eps):
        xp = get_array_module(x)
        m = x.size // _kept_size(x.shape, axes)
        mu = x.mean(axis=axes, keepdims=True)
        xhat = x - mu
        var = _sum_prod(xhat, xhat, axes) / m  # no (x - mu)^2 temporary
        invstd = 1.0 / xp.sqrt(var + eps)
        xhat *= invstd  # in place: xhat = (x - mu) * invstd
        y = xhat if w is None else xhat * w
        if b is not None:
            y = y + b if y is xhat else _iadd(y, b)
        ctx.save_for_backward(x, w)
        ctx.axes, ctx.eps, ctx.xhat, ctx.invstd = axes, eps, xhat, invstd
        ctx.mark_non_differentiable(mu, var)
        return y.astype(x.dtype, copy=False), mu, var

    @staticmethod
    def backward(ctx, g, _gmu, _gvar):
        x, w = ctx.saved_tensors[:2]
        if is_grad_enabled():
            return _normalize_backward_graph(ctx, x, w, g)
        axes, xhat, invstd = ctx.axes, ctx.xhat, ctx.invstd
        ga = g._data
        m = xhat.size // invstd.size
        b = ctx.inputs[2]
        nd = xhat.ndim
        if w is None or all(((1,) * (nd - w.ndim) + tuple(w.shape))[a % nd] == 1 for a in axes):
            # w constant over the reduced axes: sum(g*w) = w*sum(g), sum(g*w*xhat) = w*sum(g*xhat)
            # dx = k*g - xhat*(k*sgx/m) - k*sg/m with k = invstd*w, three passes, no temporaries
            sg = ga.sum(axis=axes, keepdims=True)
            sgx = _sum_prod(ga, xhat, axes)
            k = invstd if w is None else invstd * w._data
            dx = ga * k
            tmp = xhat * (k * sgx / m)
            dx -= tmp
            dx -= k * sg / m
            dw = None if w is None else Tensor._make(reduce_to_shape(sgx, w.shape))
            db = None if b is None else Tensor._make(reduce_to_shape(sg, b.shape))
            return Tensor._make(dx.astype(x.dtype.np, copy=False)), dw, db, None, None
        gh = ga * w._data
        sg = gh.sum(axis=axes, keepdims=True)
        sgx = _sum_prod(gh, xhat, axes)
        dx = (invstd / m) * (m * gh - sg - xhat * sgx)
        dw = Tensor._make(reduce_to_shape(ga * xhat, w.shape))
        db = None if b is None else Tensor._make(reduce_to_shape(ga, b.shape))
        return Tensor._make(dx.astype(x.dtype.np, copy=False)), dw, db, None, None


def _kept_size(shape: tuple, axes: tuple) -> int:
    n = 1
    for i, s in enumerate(shape):
        if i not in axes and i - len(shape) not in axes:
            n *= s
    return n


def _sum_prod(a, b, axes: tuple):
    """sum(a * b) over ``axes`` with kept dims, one einsum pass (no a*b temporary)."""
    xp = get_array_module(a)
    nd = a.ndim
    red = {ax % nd for ax in axes}
    sub = "abcdefghijklmnopqrstuvwxyz"[:nd]
    out = "".join(c for i, c in enumerate(sub) if i not in red)
    r = xp.einsum(f"{sub},{sub}->{out}", a, b)
    return r.reshape(tuple(1 if i in red else n for i, n in enumerate(a.shape)))


def _iadd(y, b):
    """y += b in place when the broadcast keeps y's shape and dtype, else y + b."""
    xp = get_array_module(y)
    if xp.result_type(y, b) == y.dtype and xp.broadcast_shapes(y.shape, b.shape) == y.shape:
        y += b
        return y
    return y + b


def _normalize_backward_graph(ctx, x: Tensor, w: Tensor | None, g: Tensor) -> tuple:
    """The compact backward written in ember ops (differentiable again: double backward)."""
    axes = ctx.axes
    mu = x.mean(dim=axes, keepdim=True)
    xc = x - mu
    invstd = ((xc * xc).mean(dim=axes, keepdim=True) + ctx.eps).rsqrt()
    xhat = xc * invstd
    gh = g if w is None else g * w
    m = xhat.numel() // invstd.numel()
    dx = invstd / m * (m * gh - gh.sum(dim=axes, keepdim=True)
                       - xhat * (gh * xhat).sum(dim=axes, keepdim=True))
    dw = None if w is None else sum_to(g * xhat, tuple(w.shape))
    b = ctx.inputs[2]
    db = None if b is None else sum_to(g, tuple(b.shape))
    return dx, dw, db, None, None


def _channel_view(p: Tensor | None, ndim: int) -> Tensor | None:
    """A per-channel (C,) tensor viewed as (1, C, 1, ...) to broadcast against (N, C, *)."""
    return None if p is None else p.reshape((1, -1) + (1,) * (ndim - 2))  # (1, C, 1, ...)


def _check_bn_input(input: Tensor, training: bool) -> None:
    if input.dim() < 2:
        raise ValueError(f"batch_norm: expected input with at least 2 dims (N, C, *), got "
                         f"{input.dim()}D input of shape {tuple(input.shape)}")
    per_channel = input.numel() // max(input.shape[1], 1)
    if training and per_channel <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{tuple(input.shape)}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias, statistics per channel over (N, *).

    Args:
        input: (N, C, *) tensor.
        running_mean, running_var: (C,) buffers or None. In training they are updated in place:
            ``running = (1 - momentum) * running + momentum * batch_stat``, the variance with the
            unbiased estimator (divides by M - 1, M = N * prod(*)), as torch does.
        weight, bias: (C,) affine parameters (gamma, beta) or None.
        training: use batch statistics (True) or the running ones (False).
        momentum: weight of the new batch statistic. Default: 0.1.
        eps: added to the variance. Default: 1e-5.

    Shape:
        input (N, C, *), output the same shape. The batch variance used to normalize is biased
        (divides by M).

    Notes:
        The notes' sample (TOPICS.md §3 E03) has no running statistics and no train/eval switch;
        here eval mode normalizes with the running estimates, so a batch of one works
        (claim C029).
    """
    _check_bn_input(input, training)
    c, nd = input.shape[1], input.dim()
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != (c,):
            raise ValueError(f"batch_norm: {name} must have shape ({c},) for input with {c} channels, "
                             f"got {tuple(t.shape)}")
    w, b = _channel_view(weight, nd), _channel_view(bias, nd)
    if training or running_mean is None or running_var is None:
        axes = (0,) + tuple(range(2, nd))
        y, mu, var = NormalizeAffine.apply(input, w, b, axes, eps)
        if training and running_mean is not None and running_var is not None:
            m = input.numel() // c
            with no_grad():
                running_mean.mul_(1 - momentum).add_(Tensor._make(mu.reshape(c)) * momentum)
                running_var.mul_(1 - momentum).add_(Tensor._make(var.reshape(c)) * (momentum * m / (m - 1)))
        return y
    scale = (running_var.to(input.dtype) + eps).rsqrt()
    if weight is not None:
        scale = scale * weight
    shift = -running_mean.to(input.dtype) * scale
    if bias is not None:
        shift = shift + bias
    return input * _channel_view(scale, nd) + _channel_view(shift, nd)


def batch_norm_staged(input: Tensor, weight: Tensor | None = None, bias: Tensor | None = None,
                      eps: float = 1e-05) -> Tensor:
    """Training-mode batch norm built from primitive ops, one step per line (the notes' staged
    derivation; autograd supplies the two-branch backward through ``x - mu`` and through ``mu``).

    Same value and gradients as ``batch_norm(..., training=True)`` (tested in float64).
    """
    _check_bn_input(input, True)
    axes = (0,) + tuple(range(2, input.dim()))
    mu = input.mean(dim=axes, keepdim=True)           # step 1: batch mean, (1, C, 1, ...)
    xmu = input - mu
    var = (xmu * xmu).mean(dim=axes, keepdim=True)    # step 2: biased batch variance
    ivar = 1.0 / (var + eps).sqrt()
    xhat = xmu * ivar                                  # step 3: normalize
    out = xhat                                         # step 4: scale and shift
    if weight is not None:
        out = out * _channel_view(weight, input.dim())
    if bias is not None:
        out = out + _channel_view(bias, input.dim())
    return out


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    """Per-sample, per-channel normalization over the spatial dims: batch_norm on (1, N*C, *).

    Shape:
        input (N, C, *) with at least one spatial dim; output the same. Running stats (C,) are
        updated with the batch average of the per-instance statistics (torch's rule).
    """
    if input.dim() < 3:
        raise ValueError(f"instance_norm: expected input of shape (N, C, L, ...) with at least 3 dims, "
                         f"got {tuple(input.shape)}")
    n, c = input.shape[0], input.shape[1]
    if use_input_stats and input.numel() // max(n * c, 1) <= 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size "
                         f"{tuple(input.shape)}")
    rep = (lambda t: None if t is None else t.repeat(n))
    rm, rv = rep(running_mean), rep(running_var)
    x = input.reshape((1, n * c) + tuple(input.shape[2:]))  # (1, N*C, *)
    out = batch_norm(x, rm, rv, rep(weight), rep(bias), use_input_stats, momentum, eps)
    with no_grad():
        if running_mean is not None and use_input_stats:
            running_mean.copy_(rm.view(n, c).mean(0))
        if running_var is not None and use_input_stats:
            running_var.copy_(rv.view(n, c).mean(0))
    return out.reshape(tuple(input.shape))


def _normalized_dims(input: Tensor, normalized_shape: Sequence[int] | int, fn: str) -> tuple:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.dim() - k:]) != shape or input.dim() < k:
        raise ValueError(f"{fn}: Given normalized_shape={list(shape)}, expected input with shape "
                         f"[*, {', '.join(map(str, shape))}], but got input of size "
                         f"{list(input.shape)}")
    return tuple(range(input.dim() - k, input.dim()))


def layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-05) -> Tensor:
    """y = (x - mean) / sqrt(var + eps) * weight + bias over the trailing ``normalized_shape`` dims.

    Shape:
        input (*, D...), weight/bias D..., output like input. Biased variance; no running stats.
    """
    axes = _normalized_dims(input, normalized_shape, "layer_norm")
    return NormalizeAffine.apply(input, weight, bias, axes, eps)[0]


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-05) -> Tensor:
    """Normalize each of ``num_groups`` channel groups of every sample, then a per-channel affine.

    Shape:
        input (N, C, *), C divisible by num_groups; weight/bias (C,); output like input.
    """
    if input.dim() < 2:
        raise ValueError(f"group_norm: expected input (N, C, *), got shape {tuple(input.shape)}")
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise ValueError(f"Expected number of channels in input ({c}) to be divisible by "
                         f"num_groups, but got num_groups={num_groups}")
    x = input.reshape(n, num_groups, -1)  # (N, G, C/G * prod(*))
    y = NormalizeAffine.apply(x, None, None, (2,), eps)[0].reshape(tuple(input.shape))
    if weight is not None:
        y = y * _channel_view(weight, input.dim())
    if bias is not None:
        y = y + _channel_view(bias, input.dim())
    return y


def rms_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """y = x / sqrt(mean(x^2) + eps) * weight over the trailing dims (no centering, no bias).

    ``eps=None`` uses the machine epsilon of the input dtype, as torch does.
    """
    axes = _normalized_dims(input, normalized_shape, "rms_norm")
    if eps is None:
        eps = float(np.finfo(input.dtype.np).eps)
    y = input * ((input * input).mean(dim=axes, keepdim=True) + eps).rsqrt()
    return y if weight is None else y * weight


def local_response_norm(input: Tensor, size: int, alpha: float = 0.0001, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """AlexNet's LRN across channels: b_c = a_c / (k + alpha / size * sum_{c'} a_{c'}^2)^beta.

    The sum runs over a window of ``size`` channels (size//2 before, (size-1)//2 after) with zero
    padding at the ends; alpha is divided by ``size`` (torch's convention, an average of squares).

    Shape:
        input (N, C, *) with at least 3 dims; output the same.
    """
    if input.dim() < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.dim()} dimensions)")
    if size <= 0:
        raise ValueError(f"local_response_norm: size must be a positive int, got {size}")
    from ...ops import cat, zeros

    sq = input * input
    before, after = size // 2, (size - 1) // 2
    rest = tuple(input.shape[2:])
    parts = [zeros((input.shape[0], before) + rest, dtype=input.dtype), sq,
             zeros((input.shape[0], after) + rest, dtype=input.dtype)]
    padded = cat([p for p in parts if p.shape[1] > 0], dim=1)  # (N, C + size - 1, *)
    c = input.shape[1]
    window = padded.narrow(1, 0, c)
    for s in range(1, size):
        window = window + padded.narrow(1, s, c)
    div = (window * (alpha / size) + k) ** beta
    return input / div

