"""LayerNorm, GroupNorm, InstanceNorm1d/2d/3d, LocalResponseNorm, RMSNorm (torch's names/keys).

TOPICS.md 1.5: layer norm normalizes each sample over its features, with no running statistics,
so train and eval agree and the output does not depend on the batch (claim C032).
"""
from __future__ import annotations

import numbers
import warnings
from typing import Any, Sequence

from ... import ops
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..parameter import Parameter
from .batchnorm import _NormBase, register_affine
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d",
           "LocalResponseNorm", "RMSNorm"]


def _as_shape(normalized_shape: int | Sequence[int]) -> tuple[int, ...]:
    if isinstance(normalized_shape, numbers.Integral):
        return (int(normalized_shape),)
    return tuple(int(s) for s in normalized_shape)


class LayerNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, over the last len(normalized_shape) dims.

    Args:
        normalized_shape: trailing shape D normalised over (int or tuple).
        eps: added to the variance. Default: 1e-5.
        elementwise_affine: learn weight (ones) and bias (zeros) of shape D. Default: True.
        bias: learn the bias when elementwise_affine. Default: True.

    Shape:
        input (*, D), output the same shape. var is the biased estimator (divides by prod(D)).

    Notes:
        No running statistics: train and eval agree and the output does not depend on the batch
        (TOPICS.md 1.5; claim C032, checked in ember.experiments.normalization).

    References:
        Ba, Kiros & Hinton, "Layer Normalization", 2016.

    Examples:
        >>> import ember, ember.nn as nn
        >>> tuple(nn.LayerNorm(8)(ember.randn(4, 10, 8)).shape)
        (4, 10, 8)
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-05,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        register_affine(self, self.normalized_shape, elementwise_affine, bias,
                        dict(device=device, dtype=dtype))

    def reset_parameters(self) -> None:
        with no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    """Split C channels into ``num_groups`` groups; normalize each group of each sample, then a
    per-channel affine (weight ones, bias zeros).

    Shape:
        input (N, C, *), output the same; C must be divisible by num_groups.

    References:
        Wu & He, "Group Normalization", 2018.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-05, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups != 0:
            raise ValueError("num_channels must be divisible by num_groups "
                             f"(got num_channels={num_channels}, num_groups={num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        register_affine(self, (num_channels,), affine, bias, dict(device=device, dtype=dtype))

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() < 2 or input.shape[1] != self.num_channels:
            raise ValueError(f"GroupNorm: expected input (N, {self.num_channels}, *), got shape "
                             f"{tuple(input.shape)}")
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class _InstanceNorm(_NormBase):
    _dims: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-05, momentum: float = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias)

    def forward(self, input: Tensor) -> Tensor:
        unbatched, batched = self._dims
        if input.dim() not in self._dims:
            raise ValueError(f"expected {unbatched}D or {batched}D input (got {input.dim()}D input)")
        feature_dim = input.dim() - unbatched
        if input.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match num_features "
                                 f"({self.num_features}), but got: {input.shape[feature_dim]}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You can "
                          "silence this warning by not passing in num_features, which is not used "
                          "because affine=False", UserWarning, stacklevel=2)
        x = input.unsqueeze(0) if input.dim() == unbatched else input
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              self.momentum if self.momentum is not None else 0.0, self.eps)
        return out.squeeze(0) if input.dim() == unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Normalize each (sample, channel) over L; affine=False and no running stats by default.

    Shape:
        input (N, C, L) or (C, L); output the same.

    References:
        Ulyanov, Vedaldi & Lempitsky, "Instance Normalization", 2016.
    """

    _dims = (2, 3)


class InstanceNorm2d(_InstanceNorm):
    """Normalize each (sample, channel) over (H, W) (style transfer). Shape: (N, C, H, W) or (C, H, W)."""

    _dims = (3, 4)


class InstanceNorm3d(_InstanceNorm):
    """Normalize each (sample, channel) over (D, H, W). Shape: (N, C, D, H, W) or (C, D, H, W)."""

    _dims = (4, 5)


class LocalResponseNorm(Module):
    """AlexNet's cross-channel LRN: b_c = a_c / (k + alpha/n * sum_{c' near c} a_{c'}^2)^beta.

    Args:
        size: n, channels in the window.   alpha: Default 1e-4.   beta: Default 0.75.   k: Default 1.

    Shape:
        input (N, C, *), output the same.

    Notes:
        torch divides alpha by n (an average of squares); Krizhevsky et al. 2012 use the sum with
        k = 2, n = 5, alpha = 1e-4, beta = 0.75, so AlexNet's layer is LocalResponseNorm(5, 5e-4, 0.75, 2).
    """

    def __init__(self, size: int, alpha: float = 0.0001, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class RMSNorm(Module):
    """y = x / sqrt(mean(x^2) + eps) * weight over the trailing ``normalized_shape`` dims.

    Args:
        normalized_shape: trailing shape D.   eps: None = machine epsilon of the input dtype.
        elementwise_affine: learn weight (ones) of shape D. Default: True.

    References:
        Zhang & Sennrich, "Root Mean Square Layer Normalization", 2019.
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ops.ones(self.normalized_shape, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    def reset_parameters(self) -> None:
        if self.weight is not None:
            with no_grad():
                self.weight.fill_(1.0)

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
