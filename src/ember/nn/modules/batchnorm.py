"""BatchNorm1d/2d/3d with running statistics (torch's names, defaults and state_dict keys).

TOPICS.md 1.5: per-channel batch statistics in training, running estimates in eval; learnable
gamma (``weight``) and beta (``bias``); 2*C parameters + 2*C running buffers (+ a step counter).
"""
from __future__ import annotations

from typing import Any

from ... import ops
from ..._dtype import int64
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


def register_affine(module: Module, shape: tuple, affine: bool, bias: bool, kw: dict) -> None:
    """Register ``weight`` (ones) and ``bias`` (zeros) of ``shape``, or None placeholders."""
    module.register_parameter("weight", Parameter(ops.ones(shape, **kw)) if affine else None)
    module.register_parameter("bias", Parameter(ops.zeros(shape, **kw)) if affine and bias else None)


class _NormBase(Module):
    """Parameters and buffers shared by batch and instance norm.

    Attributes:
        weight: (C,) ones (gamma) if affine.   bias: (C,) zeros (beta) if affine and bias.
        running_mean: (C,) zeros, running_var: (C,) ones, num_batches_tracked: int64 scalar 0,
            all only when ``track_running_stats`` (else None, and batch statistics are always used).
    """

    _version = 2

    def __init__(self, num_features: int, eps: float = 1e-05, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, bias: bool = True) -> None:
        super().__init__()
        if not isinstance(num_features, int) or isinstance(num_features, bool) or num_features <= 0:
            raise ValueError(f"num_features must be a positive integer, got {num_features!r}")
        if momentum is not None and not 0.0 <= momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1] or None, got {momentum}")
        if eps < 0:
            raise ValueError(f"eps must be non-negative, got {eps}")
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        kw = dict(device=device, dtype=dtype)
        register_affine(self, (num_features,), affine, bias, kw)
        if track_running_stats:
            self.register_buffer("running_mean", ops.zeros(num_features, **kw))
            self.register_buffer("running_var", ops.ones(num_features, **kw))
            self.register_buffer("num_batches_tracked", ops.tensor(0, dtype=int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """running_mean = 0, running_var = 1, num_batches_tracked = 0 (in place)."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Reset the running stats, then weight = 1 and bias = 0."""
        self.reset_running_stats()
        with no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def _check_input_dim(self, input: Tensor) -> None:
        raise TypeError(f"{type(self).__name__} is abstract: use BatchNorm1d/2d/3d")

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")

    def _load_from_state_dict(self, state_dict: dict, prefix: str, local_metadata: dict, strict: bool,
                              missing_keys: list, unexpected_keys: list, error_msgs: list) -> None:
        # state dicts saved before num_batches_tracked existed (version < 2) load with 0 (torch)
        version = local_metadata.get("version", None)
        key = prefix + "num_batches_tracked"
        if (version is None or version < 2) and self.track_running_stats and key not in state_dict:
            state_dict[key] = ops.tensor(0, dtype=int64)
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs)


class _BatchNorm(_NormBase):
    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        if input.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}: expected input with {self.num_features} channels "
                             f"at dim 1, got input of shape {tuple(input.shape)}")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            # momentum=None: cumulative moving average, factor 1/t at the t-th batch
            factor = 1.0 / float(self.num_batches_tracked.item()) if self.momentum is None else self.momentum
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        use_buffers = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if use_buffers else None,
                            self.running_var if use_buffers else None, self.weight, self.bias,
                            bn_training, factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """y = (x - E[x]) / sqrt(Var[x] + eps) * gamma + beta per feature, over N (and L).

    Args:
        num_features: C.   eps: added to the variance. Default: 1e-5.
        momentum: running = (1 - momentum) * running + momentum * batch_stat; None gives the
            cumulative average (1/t). Default: 0.1.
        affine: learn gamma (``weight``) and beta (``bias``). Default: True.
        track_running_stats: keep running estimates and use them in eval. Default: True.
        bias: learn beta when affine. Default: True.

    Shape:
        input (N, C) or (N, C, L); output the same.

    Notes:
        Training normalizes with the biased batch variance; the running variance is updated with
        the unbiased one (torch; TOPICS.md 1.5). Eval mode uses the running estimates, so the
        output of a sample does not depend on the rest of the batch (claim C029).

    References:
        Ioffe & Szegedy, "Batch Normalization", 2015.

    Examples:
        >>> import ember, ember.nn as nn
        >>> tuple(nn.BatchNorm1d(4)(ember.randn(8, 4)).shape)
        (8, 4)
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch norm per channel over (N, H, W); arguments as ``BatchNorm1d``.

    Shape:
        input (N, C, H, W); output the same.

    Examples:
        >>> import ember, ember.nn as nn
        >>> tuple(nn.BatchNorm2d(3)(ember.randn(2, 3, 4, 4)).shape)
        (2, 3, 4, 4)
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class BatchNorm3d(_BatchNorm):
    """Batch norm per channel over (N, D, H, W); arguments as ``BatchNorm1d``.

    Shape:
        input (N, C, D, H, W); output the same.
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 5:
            raise ValueError(f"expected 5D input (got {input.dim()}D input)")
