"""Experiments that check the notes' claims (TOPICS.md §2); ``ember prove`` runs them.

Each area module registers its claims on import; ``load_all()`` imports every area.
"""
from __future__ import annotations

import importlib
import pkgutil

from ._registry import REGISTRY, Claim, Verdict, claim

__all__ = ["REGISTRY", "Claim", "Verdict", "claim", "load_all", "get"]


def load_all() -> dict[str, Claim]:
    """Import every experiment module of this package and return the registry."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def get(claim_id: str) -> Claim:
    """The registered claim ``claim_id`` (e.g. "C175")."""
    load_all()
    if claim_id not in REGISTRY:
        raise KeyError(f"unknown claim {claim_id!r}; known: {sorted(REGISTRY)[:5]}...")
    return REGISTRY[claim_id]
