"""ember: a readable deep-learning framework on NumPy with PyTorch's API.

``import ember as torch`` runs PyTorch-style code on the CPU with the same numbers.
"""
from __future__ import annotations

__version__ = "0.1.0"
