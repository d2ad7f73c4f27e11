"""ember.utils: ``data`` (Dataset, DataLoader, samplers), ``trainer``, ``early_stopping``,
``benchmark``. Sub-modules load on first attribute access, so ``torch.utils.data.DataLoader``
style code works after ``import ember as torch``."""
from __future__ import annotations

import importlib

_SUBMODULES = {"data", "trainer", "early_stopping", "benchmark"}


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'ember.utils' has no attribute '{name}'")
