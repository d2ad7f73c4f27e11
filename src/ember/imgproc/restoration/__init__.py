"""Restoration: inpainting (harmonic diffusion, onion-peel, exemplar-based)."""
from ._criminisi import ExemplarTrace, inpaint_exemplar
from ._diffusion import inpaint_diffusion, inpaint_onion

__all__ = ["ExemplarTrace", "inpaint_exemplar", "inpaint_diffusion", "inpaint_onion"]
