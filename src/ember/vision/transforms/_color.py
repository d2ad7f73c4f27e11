"""Conversion, normalisation and photometric transforms."""
from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import numpy as np

from . import functional as F
from ._container import Transform, _rand, _randint, _rng, _uniform

__all__ = ["ToTensor", "PILToTensor", "ToPILImage", "Normalize", "ColorJitter", "Grayscale",
           "RandomGrayscale", "GaussianBlur", "RandomErasing"]


class ToTensor(Transform):
    """PIL image / ndarray (H, W, C) uint8 -> float32 Tensor (C, H, W) in [0, 1]."""

    def forward(self, pic: Any) -> Any:
        return F.to_tensor(pic)


class PILToTensor(Transform):
    """PIL image -> Tensor (C, H, W) of the image's dtype (no scaling)."""

    def forward(self, pic: Any) -> Any:
        return F.pil_to_tensor(pic)


class ToPILImage(Transform):
    _repr_attrs = ("mode",)

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode

    def forward(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)


class Normalize(Transform):
    """output[c] = (input[c] - mean[c]) / std[c] on a float Tensor (..., C, H, W)."""

    _repr_attrs = ("mean", "std")

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean, self.std, self.inplace = list(mean), list(std), inplace

    def forward(self, tensor: Any) -> Any:
        return F.normalize(tensor, self.mean, self.std, self.inplace)


def _check_input(value: Any, name: str, center: float = 1.0,
                 bound: tuple[float, float] = (0, float("inf")),
                 clip_first_on_zero: bool = True) -> list[float] | None:
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"If {name} is a single number, it must be non negative, got {value}")
        value = [center - float(value), center + float(value)]
        if clip_first_on_zero:
            value[0] = max(value[0], 0.0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        value = [float(value[0]), float(value[1])]
    else:
        raise TypeError(f"{name} should be a single number or a list/tuple with length 2, got {value!r}")
    if not bound[0] <= value[0] <= value[1] <= bound[1]:
        raise ValueError(f"{name} values should be between {bound}, but got {value}.")
    return None if value[0] == value[1] == center else value


class ColorJitter(Transform):
    """Random brightness, contrast, saturation (factors around 1) and hue (shift in [-0.5, 0.5]),
    applied in a random order with factors drawn uniformly from their ranges."""

    _repr_attrs = ("brightness", "contrast", "saturation", "hue")

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0) -> None:
        self.brightness = _check_input(brightness, "brightness")
        self.contrast = _check_input(contrast, "contrast")
        self.saturation = _check_input(saturation, "saturation")
        self.hue = _check_input(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)

    @staticmethod
    def get_params(brightness: Any, contrast: Any, saturation: Any, hue: Any) -> tuple:
        order = _rng().permutation(4).tolist()
        draw = [None if r is None else _uniform(r[0], r[1]) for r in (brightness, contrast, saturation, hue)]
        return (order, *draw)

    def forward(self, img: Any) -> Any:
        order, b, c, s, h = self.get_params(self.brightness, self.contrast, self.saturation, self.hue)
        fns = [(F.adjust_brightness, b), (F.adjust_contrast, c), (F.adjust_saturation, s),
               (F.adjust_hue, h)]
        for i in order:
            fn, factor = fns[i]
            if factor is not None:
                img = fn(img, factor)
        return img


class Grayscale(Transform):
    _repr_attrs = ("num_output_channels",)

    def __init__(self, num_output_channels: int = 1) -> None:
        self.num_output_channels = num_output_channels

    def forward(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, self.num_output_channels)


class RandomGrayscale(Transform):
    """Grayscale with probability ``p``, keeping the number of channels."""

    _repr_attrs = ("p",)

    def __init__(self, p: float = 0.1) -> None:
        self.p = p

    def forward(self, img: Any) -> Any:
        if _rand() < self.p:
            return F.rgb_to_grayscale(img, F.get_image_num_channels(img))
        return img


class GaussianBlur(Transform):
    """Blur with an odd ``kernel_size`` and sigma uniform in ``sigma`` = (min, max)."""

    _repr_attrs = ("kernel_size", "sigma")

    def __init__(self, kernel_size: Any, sigma: Any = (0.1, 2.0)) -> None:
        ks = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
        for k in ks:
            if k <= 0 or k % 2 == 0:
                raise ValueError(f"Kernel size value should be an odd and positive number, got {kernel_size}")
        if isinstance(sigma, numbers.Number):
            if sigma <= 0:
                raise ValueError(f"If sigma is a single number, it must be positive, got {sigma}")
            sigma = (float(sigma), float(sigma))
        elif not (len(sigma) == 2 and 0 < sigma[0] <= sigma[1]):
            raise ValueError(f"sigma values should be positive and of the form (min, max), got {sigma}")
        self.kernel_size, self.sigma = ks, tuple(sigma)

    @staticmethod
    def get_params(sigma_min: float, sigma_max: float) -> float:
        return _uniform(sigma_min, sigma_max)

    def forward(self, img: Any) -> Any:
        s = self.get_params(*self.sigma)
        return F.gaussian_blur(img, list(self.kernel_size), [s, s])


class RandomErasing(Transform):
    """With probability ``p`` erase a random rectangle (area fraction in ``scale``, aspect ratio
    log-uniform in ``ratio``) of a Tensor image with ``value`` (a number, per-channel sequence or
    "random" for N(0, 1) noise). Zhong et al. 2017 ("cutout" when the value is 0)."""

    _repr_attrs = ("p", "scale", "ratio", "value")

    def __init__(self, p: float = 0.5, scale: Sequence[float] = (0.02, 0.33),
                 ratio: Sequence[float] = (0.3, 3.3), value: Any = 0, inplace: bool = False) -> None:
        if not isinstance(value, (numbers.Number, str, tuple, list)):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError(f"If value is str, it should be 'random', got {value!r}")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError("Scale and ratio should be of kind (min, max)")
        if not 0 <= p <= 1:
            raise ValueError(f"Random erasing probability should be between 0 and 1, got {p}")
        self.p, self.scale, self.ratio, self.value, self.inplace = p, tuple(scale), tuple(ratio), value, inplace

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float],
                   value: Sequence[float] | None = None) -> tuple:
        c, h_img, w_img = img.shape[-3], img.shape[-2], img.shape[-1]
        area = h_img * w_img
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            erase_area = area * _uniform(scale[0], scale[1])
            aspect = math.exp(_uniform(log_ratio[0], log_ratio[1]))
            h = int(round(math.sqrt(erase_area * aspect)))
            w = int(round(math.sqrt(erase_area / aspect)))
            if not (h < h_img and w < w_img):
                continue
            if value is None:
                v = _rng().standard_normal((c, h, w)).astype(np.float32)
            else:
                v = np.asarray(value, dtype=np.float32)[:, None, None]
            return _randint(0, h_img - h + 1), _randint(0, w_img - w + 1), h, w, v
        return 0, 0, h_img, w_img, img

    def forward(self, img: Any) -> Any:
        if _rand() >= self.p:
            return img
        if isinstance(self.value, numbers.Number):
            value: Any = [float(self.value)]
        elif isinstance(self.value, str):
            value = None
        else:
            value = list(self.value)
        if value is not None and len(value) not in (1, img.shape[-3]):
            raise ValueError("If value is a sequence, it should have either a single value or "
                             f"{img.shape[-3]} (number of input channels)")
        i, j, h, w, v = self.get_params(img, self.scale, self.ratio, value)
        return F.erase(img, i, j, h, w, v, self.inplace)
