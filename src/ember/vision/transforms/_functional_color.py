"""Colour functional transforms (brightness, contrast, saturation, hue, grayscale, blur)."""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from . import _array
from .functional import _apply, _pil, pil_to_tensor, to_pil_image


def _enhance(name: str) -> Callable:
    def pil_fn(img: Any, factor: float) -> Any:
        from PIL import ImageEnhance

        return getattr(ImageEnhance, name)(img).enhance(factor)
    return pil_fn


def _check_factor(name: str, f: float) -> None:
    if f < 0:
        raise ValueError(f"{name} ({f}) is not non-negative.")


def adjust_brightness(img: Any, brightness_factor: float) -> Any:
    _check_factor("brightness_factor", brightness_factor)
    return _apply(img, lambda p: _enhance("Brightness")(p, brightness_factor),
                  lambda a: _array.adjust_brightness(a, brightness_factor), "adjust_brightness")


def adjust_contrast(img: Any, contrast_factor: float) -> Any:
    _check_factor("contrast_factor", contrast_factor)
    return _apply(img, lambda p: _enhance("Contrast")(p, contrast_factor),
                  lambda a: _array.adjust_contrast(a, contrast_factor), "adjust_contrast")


def adjust_saturation(img: Any, saturation_factor: float) -> Any:
    _check_factor("saturation_factor", saturation_factor)
    return _apply(img, lambda p: _enhance("Color")(p, saturation_factor),
                  lambda a: _array.adjust_saturation(a, saturation_factor), "adjust_saturation")


def _pil_hue(img: Any, hue_factor: float) -> Any:
    if img.mode in {"L", "1", "I", "F"}:
        return img
    Image = _pil()
    h, s, v = img.convert("HSV").split()
    np_h = np.array(h, dtype=np.uint8)
    with np.errstate(over="ignore"):
        np_h = (np_h.astype(np.int16) + int(np.int8(np.float64(hue_factor * 255)))) % 256
    h = Image.fromarray(np_h.astype(np.uint8))
    return Image.merge("HSV", (h, s, v)).convert(img.mode)


def adjust_hue(img: Any, hue_factor: float) -> Any:
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    return _apply(img, lambda p: _pil_hue(p, hue_factor),
                  lambda a: _array.adjust_hue(a, hue_factor), "adjust_hue")


def rgb_to_grayscale(img: Any, num_output_channels: int = 1) -> Any:
    if num_output_channels not in (1, 3):
        raise ValueError(f"num_output_channels should be either 1 or 3, got {num_output_channels}")

    def pil_fn(p: Any) -> Any:
        g = p.convert("L")
        if num_output_channels == 3:
            arr = np.array(g)
            return _pil().fromarray(np.dstack([arr, arr, arr]))
        return g

    return _apply(img, pil_fn, lambda a: _array.rgb_to_grayscale(a, num_output_channels),
                  "rgb_to_grayscale")


def gaussian_blur(img: Any, kernel_size: Any, sigma: Any = None) -> Any:
    """Gaussian blur with an odd ``kernel_size`` (kx, ky); default sigma = 0.3 * ((k - 1) * 0.5 - 1)
    + 0.8 (OpenCV's rule, as torchvision). PIL images go through the tensor path and back."""
    ks = [kernel_size, kernel_size] if isinstance(kernel_size, int) else list(kernel_size)
    if len(ks) == 1:
        ks = ks * 2
    for k in ks:
        if k % 2 == 0 or k < 0:
            raise ValueError(f"kernel_size should have odd and positive integers. Got {kernel_size}")
    if sigma is None:
        sg = [k * 0.15 + 0.35 for k in ks]
    else:
        sg = [float(sigma)] * 2 if isinstance(sigma, numbers.Number) else [float(s) for s in sigma]
        sg = sg * 2 if len(sg) == 1 else sg
    if any(s <= 0 for s in sg):
        raise ValueError(f"sigma should have positive values. Got {sigma}")

    def pil_fn(p: Any) -> Any:
        return to_pil_image(gaussian_blur(pil_to_tensor(p), ks, sg), mode=p.mode)

    return _apply(img, pil_fn, lambda a: _array.gaussian_blur(a, ks, sg), "gaussian_blur")


