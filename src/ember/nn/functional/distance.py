"""F.pairwise_distance and F.cosine_similarity (torch.nn.functional names)."""
from __future__ import annotations

from ..._tensor import Tensor

__all__ = ["pairwise_distance", "cosine_similarity"]


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dim (eps keeps the p-norm differentiable at 0, torch).

    Shape:
        x1, x2 (N, D) or (D) (broadcastable), output (N) (or (N, 1) with keepdim).
    """
    if x1.dim() == 0 or x2.dim() == 0:
        raise RuntimeError("pairwise_distance: inputs must have at least 1 dimension")
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1 . x2 / (max(||x1||, eps) * max(||x2||, eps)) along ``dim`` (inputs broadcast).

    Shape:
        x1, x2 (*, D, *) broadcastable, output the broadcast shape without ``dim``.
    """
    n1 = x1.norm(2, dim=dim, keepdim=True).clamp(min=eps)
    n2 = x2.norm(2, dim=dim, keepdim=True).clamp(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)
