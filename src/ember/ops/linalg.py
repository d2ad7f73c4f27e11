"""The multiplication family (TOPICS §1.27: mul is elementwise; dot is 1-D only; mm is strict
2-D; matmul/@ broadcast and batch) and the small linear algebra of the second-order optimizers:
inv, solve, det, cholesky, norms."""
from __future__ import annotations

import string
from typing import Any, Sequence

import numpy as np

from .._backend import get_array_module
from .._tensor import Tensor
from ..autograd.function import Op
from ._util import binary_operands, sum_to


class Matmul(Op):
    """C = A @ B for A (*, n, k), B (*, k, m) with batch broadcasting.
    dA = sum_to(G @ B^T),  dB = sum_to(A^T @ G).

    A batched A against a 2-D B (every linear layer on (batch, seq, features)) runs as one 2-D
    GEMM on A viewed as (prod(*) * n, k), and then dB = A2^T @ G2 is one GEMM too (the stacked
    form would build prod(*) partial products and sum them: measured ~2x slower)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        if b.ndim == 2 and a.ndim > 2:
            return (a.reshape(-1, a.shape[-1]) @ b).reshape(a.shape[:-1] + b.shape[1:])
        return a @ b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        na, nb = ctx.needs_input_grad
        ga = sum_to(Matmul.apply(g, b.mT), a.shape) if na else None
        if nb and b.ndim == 2 and a.ndim > 2:
            k, m = b.shape
            gb = Matmul.apply(a.reshape(-1, k).mT, g.reshape(-1, m))
        else:
            gb = sum_to(Matmul.apply(a.mT, g), b.shape) if nb else None
        return ga, gb


def _mat_operands(input: Tensor, other: Tensor, name: str) -> tuple:
    for n, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument '{n}' must be Tensor, not {type(t).__name__}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {input.dtype.name} "
                           f"!= {other.dtype.name}")
    return input, other


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with NumPy/torch matmul semantics: 1-D operands are promoted to a row
    (left) or column (right) and the added dim removed; leading dims broadcast (batched)."""
    a, b = _mat_operands(input, other, "matmul")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    squeeze = []
    if a.ndim == 1:
        a = a.unsqueeze(0)
        squeeze.append(-2)
    if b.ndim == 1:
        b = b.unsqueeze(-1)
        squeeze.append(-1)
    if a.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[-2]}x{a.shape[-1]} "
                           f"and {b.shape[-2]}x{b.shape[-1]})")
    out = Matmul.apply(a, b)
    for d in squeeze:
        out = out.squeeze(d)
    return out


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Strict 2-D matrix product (n, k) @ (k, m) -> (n, m); no broadcasting."""
    a, b = _mat_operands(input, mat2, "mm")
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix (mm got a {a.ndim}-D input)")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix (mm got a {b.ndim}-D mat2)")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} "
                           f"and {b.shape[0]}x{b.shape[1]})")
    return Matmul.apply(a, b)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched (b, n, k) @ (b, k, m) -> (b, n, m); batch sizes must match exactly."""
    a, b = _mat_operands(input, mat2, "bmm")
    if a.ndim != 3 or b.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor (bmm got {a.ndim}-D and {b.ndim}-D)")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {a.shape[0]} "
                           f"and {b.shape[0]}")
    if a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return Matmul.apply(a, b)


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix (n, m) times vector (m,) -> (n,)."""
    a, b = _mat_operands(input, vec, "mv")
    if a.ndim != 2 or b.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {a.ndim}, {b.ndim}")
    return matmul(a, b)


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """Inner product of two 1-D tensors of equal length (0-d result); nothing else is accepted."""
    a, b = _mat_operands(input, tensor, "dot")
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    return (a * b).sum()


inner = dot


def vdot(input: Tensor, other: Tensor) -> Tensor:
    return dot(input, other)


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """(n,) x (m,) -> (n, m) with out[i, j] = a[i] b[j]."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: expected 1-D tensors, got {input.ndim}-D and {vec2.ndim}-D")
    return input.unsqueeze(1) * vec2.unsqueeze(0)


ger = outer


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    out = mm(mat1, mat2)
    out = out if alpha == 1 else out * alpha
    return out + (input if beta == 1 else input * beta)


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract the last ``dims`` dims of a with the first of b (or explicit dim lists)."""
    if isinstance(dims, int):
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = [list(d) if isinstance(d, (list, tuple)) else [d] for d in dims]
    da = [d % a.ndim for d in da]
    db = [d % b.ndim for d in db]
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in dim {y}")
    fa = [d for d in range(a.ndim) if d not in da]
    fb = [d for d in range(b.ndim) if d not in db]
    k = int(np.prod([a.shape[d] for d in da]))
    A = a.permute(fa + da).reshape(-1, k)
    B = b.permute(db + fb).reshape(k, -1)
    return Matmul.apply(A, B).reshape([a.shape[d] for d in fa] + [b.shape[d] for d in fb])


class Einsum(Op):
    """out = einsum(equation, *operands).   d operand_i = einsum(out and the other operands ->
    operand_i's subscripts), broadcast over indices that appear only in operand_i."""

    @staticmethod
    def forward(ctx, eq, *ops):
        ctx.save_for_backward(*ops)
        return get_array_module(*ops).einsum(eq, *ops, optimize=len(ops) > 2)

    @staticmethod
    def backward(ctx, g):
        eq = ctx.inputs[0]
        ops = ctx.saved_tensors
        ins, out = eq.split("->")
        subs = ins.split(",")
        grads: list = [None]
        for i, (s, x) in enumerate(zip(subs, ops)):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            others = [(subs[j], ops[j]) for j in range(len(ops)) if j != i]
            avail = set(out) | set("".join(o for o, _ in others))
            target = "".join(c for c in s if c in avail)
            geq = ",".join([out] + [o for o, _ in others]) + "->" + target
            gi = einsum(geq, g, *[t for _, t in others])
            if target != s:  # indices summed only inside operand i: broadcast back
                shape = [x.shape[k] if c in avail else 1 for k, c in enumerate(s)]
                gi = gi.reshape(shape).expand(x.shape)
            grads.append(gi)
        return tuple(grads)


def _normalize_equation(eq: str, ops: Sequence[Tensor]) -> str:
    eq = eq.replace(" ", "")
    if "..." in eq:
        free = [c for c in string.ascii_letters if c not in eq]
        ins = eq.split("->")[0].split(",")
        nell = max(o.ndim - (len(s) - 3) for s, o in zip(ins, ops) if "..." in s)
        ell = "".join(free[:nell])
        new_ins = []
        for s, o in zip(ins, ops):
            if "..." in s:
                k = o.ndim - (len(s) - 3)
                s = s.replace("...", ell[nell - k:])
            new_ins.append(s)
        if "->" in eq:
            out = eq.split("->")[1].replace("...", ell)
        else:
            out = ell + "".join(sorted(c for c in set("".join(new_ins)) - set(ell)
                                       if "".join(new_ins).count(c) == 1))
        return ",".join(new_ins) + "->" + out
    if "->" not in eq:
        joined = eq.replace(",", "")
        out = "".join(sorted(c for c in set(joined) if joined.count(c) == 1))
        return eq + "->" + out
    return eq


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, e.g. einsum('bij,bjk->bik', a, b). Repeated indices inside one
    operand (diagonals/traces) are supported in the forward; their gradient is not."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = _normalize_equation(equation, operands)
    ins = eq.split("->")[0].split(",")
    if len(ins) != len(operands):
        raise ValueError(f"einsum(): {len(ins)} operands in the equation but {len(operands)} given")
    for s, o in zip(ins, operands):
        if len(s) != o.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(s)}) does "
                               f"not match the number of dimensions ({o.ndim}) for operand")
        if len(set(s)) != len(s) and o.requires_grad:
            raise RuntimeError(f"einsum(): repeated subscript '{s}' in one operand is supported "
                               "without gradient only; take torch.diagonal first")
    dt = operands[0].dtype
    for o in operands[1:]:
        dt = binary_operands(operands[0], o)[0].dtype if o.dtype is not dt else dt
    return Einsum.apply(eq, *[o.to(dt) for o in operands])


class Inv(Op):
    """Y = A^-1.   dA = -Y^T G Y^T."""

    @staticmethod
    def forward(ctx, a):
        y = get_array_module(a).linalg.inv(a)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        yt = y.mT
        return -(yt @ g @ yt)


class Solve(Op):
    """X = A^-1 B.   dB = A^-T G,  dA = -dB X^T."""

    @staticmethod
    def forward(ctx, a, b):
        x = get_array_module(a).linalg.solve(a, b)
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        gb = Solve.apply(a.mT, g)
        ga = -(gb @ x.mT) if ctx.needs_input_grad[0] else None
        return (sum_to(ga, a.shape) if ga is not None else None), sum_to(gb, ctx.inputs[1].shape)


class Det(Op):
    """d = det(A).   dA = g d A^-T."""

    @staticmethod
    def forward(ctx, a):
        d = get_array_module(a).linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, g):
        a, d = ctx.saved_tensors
        return (g * d).unsqueeze(-1).unsqueeze(-1) * inv(a).mT


class Cholesky(Op):
    """A = L L^T, L lower.   dA = sym(L^-T Phi(L^T G) L^-1) with Phi = lower triangle, half diag."""

    @staticmethod
    def forward(ctx, a):
        xp = get_array_module(a)
        try:
            L = xp.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise RuntimeError("linalg.cholesky: The factorization could not be completed because "
                               "the input is not positive-definite.") from None
        ctx.save_for_backward(L)
        return L

    @staticmethod
    def backward(ctx, g):
        (L,) = ctx.saved_tensors
        n = L.shape[-1]
        xp = get_array_module(L._data)
        tril = Tensor._make(xp.tril(xp.ones((n, n), dtype=L._data.dtype), -1)
                            + 0.5 * xp.eye(n, dtype=L._data.dtype))
        P = (L.mT @ g) * tril
        Linv = inv(L)
        S = Linv.mT @ P @ Linv
        return 0.5 * (S + S.mT)


def _square(a: Tensor, name: str) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{a.shape[-2] if a.ndim > 1 else a.shape} by {a.shape[-1]} matrices")


def inv(A: Tensor) -> Tensor:
    _square(A, "inv")
    return Inv.apply(A)


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (left) or X A = B."""
    _square(A, "solve")
    if not left:
        return solve(A.mT, B.mT).mT
    if B.ndim == A.ndim - 1:  # vector right-hand side
        return Solve.apply(A, B.unsqueeze(-1)).squeeze(-1)
    return Solve.apply(A, B)


def det(A: Tensor) -> Tensor:
    _square(A, "det")
    return Det.apply(A)


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    _square(A, "cholesky")
    L = Cholesky.apply(A)
    return L.mT if upper else L


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    from .reduce import norm

    return norm(x, 2 if ord == 2 else ord, dim, keepdim, dtype)


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:
    """Frobenius (default), nuclear ('nuc'), 1 / inf (max column / row abs sum)."""
    from .reduce import norm

    if ord == "fro":
        return norm(A, 2, dim, keepdim)
    d0, d1 = (d % A.ndim for d in dim)
    if ord == "nuc":
        xp = get_array_module(A._data)
        s = xp.linalg.svd(xp.moveaxis(A._data, (d0, d1), (-2, -1)), compute_uv=False).sum(-1)
        return Tensor._make(s)
    if ord in (1, -1):
        s = A.abs().sum(d0, keepdim=True)
        return (s.amax if ord == 1 else s.amin)(d1, keepdim=True).squeeze((d0, d1)) if not keepdim \
            else (s.amax if ord == 1 else s.amin)(d1, keepdim=True)
    if ord in (float("inf"), float("-inf")):
        s = A.abs().sum(d1, keepdim=True)
        r = (s.amax if ord > 0 else s.amin)(d0, keepdim=True)
        return r if keepdim else r.squeeze((d0, d1))
    raise ValueError(f"linalg.matrix_norm: Order {ord} not supported.")


def linalg_norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """torch.linalg.norm: vector 2-norm of the flattened input by default; matrix norms for a
    2-tuple ``dim`` or a string ``ord``."""
    if dtype is not None:
        A = A.to(dtype)
    if isinstance(ord, str) or (isinstance(dim, (tuple, list)) and len(dim) == 2) or \
            (ord is not None and dim is None and A.ndim == 2):
        return matrix_norm(A, "fro" if ord is None else ord, dim if dim is not None else (-2, -1),
                           keepdim)
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim)
