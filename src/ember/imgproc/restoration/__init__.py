"""Restoration: inpainting (harmonic diffusion, onion-peel, exemplar-based) and Wiener deconvolution."""
from ._criminisi import ExemplarTrace, inpaint_exemplar
from ._deconvolution import circular_blur, psf_transfer, wiener
from ._diffusion import inpaint_diffusion, inpaint_onion

__all__ = ["ExemplarTrace", "circular_blur", "inpaint_diffusion", "inpaint_exemplar", "inpaint_onion",
           "psf_transfer", "wiener"]
