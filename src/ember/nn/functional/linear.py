"""F.linear and F.bilinear (torch.nn.functional names)."""
from __future__ import annotations

from ... import ops
from ..._tensor import Tensor

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
    out = ops.matmul(input, weight.mT if weight.dim() == 2 else weight)
    return out if bias is None else out + bias


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
