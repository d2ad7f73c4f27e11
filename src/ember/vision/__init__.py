"""ember.vision: datasets, transforms, models, detection ops and evaluation (torchvision's layout).

Sub-packages load on first attribute access (``ember.vision.transforms.ToTensor``), so importing
``ember.vision`` stays cheap.
"""
from __future__ import annotations

import importlib

_SUBMODULES = {"datasets", "transforms", "models", "ops", "detection"}


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'ember.vision' has no attribute '{name}'")
