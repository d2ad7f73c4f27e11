"""F.linear and F.bilinear (torch.nn.functional names)."""
from __future__ import annotations

from ... import ops
from ..._tensor import Tensor
from ...autograd.function import Op

__all__ = ["linear", "bilinear"]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b.

    Shape:
        input (*, in_features), weight (out_features, in_features), bias (out_features),
        output (*, out_features).
    """
    if weight.dim() not in (1, 2):
        raise RuntimeError(f"linear(): weight should be 1-D or 2-D, got {weight.dim()}-D")
    if input.dim() == 0:
        raise RuntimeError("linear(): input must have at least 1 dimension, got a 0-d tensor")
    if (weight.dim() == 2 and bias is not None and input.dtype is weight.dtype is bias.dtype
            and input.shape[-1] == weight.shape[1] and tuple(bias.shape) == (weight.shape[0],)):
        return LinearBias.apply(input, weight, bias)
    out = ops.matmul(input, weight.mT if weight.dim() == 2 else weight)
    return out if bias is None else out + bias


class LinearBias(Op):
    """y = x2 W^T + b as one GEMM with the bias added in place, x2 = x viewed as (-1, in).
    dx = g W,  dW = g2^T x2,  db = sum_rows(g2)  (ember ops: double backward works).
    Same value as ``matmul(x, W.mT) + b`` (tested); saves the separate add's full-size output."""

    @staticmethod
    def forward(ctx, x, w, b):
        ctx.save_for_backward(x, w)
        y = x.reshape(-1, x.shape[-1]) @ w.T
        y += b
        return y.reshape(x.shape[:-1] + (w.shape[0],))

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        nx, nw, nb = ctx.needs_input_grad
        g2 = g.reshape(-1, w.shape[0])
        gx = ops.matmul(g, w) if nx else None
        gw = ops.matmul(g2.mT, x.reshape(-1, w.shape[1])) if nw else None
        gb = g2.sum(0) if nb else None
        return gx, gw, gb


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_k = x1^T A_k x2 + b_k.

    Shape:
        input1 (*, in1), input2 (*, in2) with the same leading dims, weight (out, in1, in2),
        bias (out), output (*, out).
    """
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be 3-D (out, in1, in2), got {list(weight.shape)}")
    if input1.shape[:-1] != input2.shape[:-1]:
        raise RuntimeError(f"bilinear(): input batch dimensions do not match: got "
                           f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}")
    if input1.shape[-1] != weight.shape[1] or input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input sizes {input1.shape[-1]}, {input2.shape[-1]} do not "
                           f"match weight {list(weight.shape)}")
    out = ops.einsum("...i,kij,...j->...k", input1, weight, input2)  # (*, out)
    return out if bias is None else out + bias
