"""Transform containers and randomness: Compose, Lambda, RandomApply, RandomChoice, RandomOrder.

All random draws use ember's default generator, so ``ember.manual_seed`` (and the per-worker
seeding of the DataLoader) makes augmentation reproducible.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Compose", "Lambda", "RandomApply", "RandomChoice", "RandomOrder"]


def _rng() -> np.random.Generator:
    from ember.ops.random import default_generator

    return default_generator.rng


def _rand() -> float:
    """One U[0, 1) draw (torch.rand(1))."""
    return float(_rng().random())


def _uniform(lo: float, hi: float) -> float:
    return float(_rng().uniform(lo, hi))


def _randint(lo: int, hi: int) -> int:
    """Integer in [lo, hi) (torch.randint(lo, hi, (1,)))."""
    return int(_rng().integers(lo, hi))


class Transform:
    """Base class: ``__call__`` applies ``forward``; ``__repr__`` lists the constructor args."""

    _repr_attrs: tuple[str, ...] = ()

    def __call__(self, *args: Any) -> Any:
        return self.forward(*args)

    def forward(self, img: Any) -> Any:  # pragma: no cover - overridden
        raise TypeError(f"{type(self).__name__} must define forward()")

    def __repr__(self) -> str:
        args = ", ".join(f"{a}={getattr(self, a)!r}" for a in self._repr_attrs)
        return f"{type(self).__name__}({args})"


class Compose(Transform):
    """Apply ``transforms`` one after the other."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = list(transforms)

    def forward(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({body}\n)"


class Lambda(Transform):
    """Apply a user function."""

    def __init__(self, lambd: Callable) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def forward(self, img: Any) -> Any:
        return self.lambd(img)


class RandomApply(Transform):
    """Apply all ``transforms`` with probability ``p`` (one draw for the list)."""

    _repr_attrs = ("p",)

    def __init__(self, transforms: Sequence[Callable], p: float = 0.5) -> None:
        self.transforms, self.p = list(transforms), p

    def forward(self, img: Any) -> Any:
        if self.p < _rand():
            return img
        for t in self.transforms:
            img = t(img)
        return img


class RandomChoice(Transform):
    """Apply one transform picked at random (weights ``p``, default uniform)."""

    def __init__(self, transforms: Sequence[Callable], p: Sequence[float] | None = None) -> None:
        if p is not None and len(p) != len(transforms):
            raise ValueError(f"Length of p doesn't match the number of transforms: {len(p)} != "
                             f"{len(transforms)}")
        self.transforms = list(transforms)
        total = float(sum(p)) if p is not None else float(len(transforms))
        self.p = [w / total for w in p] if p is not None else [1.0 / total] * len(transforms)

    def forward(self, img: Any) -> Any:
        idx = int(_rng().choice(len(self.transforms), p=self.p))
        return self.transforms[idx](img)


class RandomOrder(Transform):
    """Apply all ``transforms`` in a random order."""

    def __init__(self, transforms: Sequence[Callable]) -> None:
        self.transforms = list(transforms)

    def forward(self, img: Any) -> Any:
        for i in _rng().permutation(len(self.transforms)):
            img = self.transforms[int(i)](img)
        return img
