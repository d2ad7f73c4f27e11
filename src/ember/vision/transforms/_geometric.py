"""Geometric transforms: Resize, crops, flips, Pad, RandomRotation, RandomAffine."""
from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

from . import functional as F
from ._container import Transform, _rand, _randint, _uniform

__all__ = ["Resize", "CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomHorizontalFlip",
           "RandomVerticalFlip", "Pad", "RandomRotation", "RandomAffine"]


def _pair(x: Any, name: str) -> tuple[int, int]:
    if isinstance(x, numbers.Number):
        return int(x), int(x)
    if len(x) == 1:
        return int(x[0]), int(x[0])
    if len(x) != 2:
        raise ValueError(f"{name} should be an int or a sequence of 1 or 2 ints, got {x!r}")
    return int(x[0]), int(x[1])


def _range(x: Any, name: str, center: float = 0.0) -> list[float]:
    """A scalar d becomes [center - d, center + d] (d >= 0); a pair is kept."""
    if isinstance(x, numbers.Number):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive, got {x}")
        return [center - float(x), center + float(x)]
    if len(x) != 2:
        raise ValueError(f"If {name} is a sequence, it must be of len 2, got {x!r}")
    return [float(v) for v in x]


class Resize(Transform):
    """Resize to ``size`` (h, w) or the shorter edge to ``size`` (int); see ``F.resize``."""

    _repr_attrs = ("size", "interpolation", "max_size", "antialias")

    def __init__(self, size: Any, interpolation: str = F.InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def forward(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)


class CenterCrop(Transform):
    _repr_attrs = ("size",)

    def __init__(self, size: Any) -> None:
        self.size = _pair(size, "size")

    def forward(self, img: Any) -> Any:
        return F.center_crop(img, self.size)


class RandomCrop(Transform):
    """Random (h, w) crop after optional ``padding``; ``pad_if_needed`` pads images smaller than
    the crop. ``fill`` / ``padding_mode`` as in ``F.pad``."""

    _repr_attrs = ("size", "padding")

    def __init__(self, size: Any, padding: Any = None, pad_if_needed: bool = False, fill: Any = 0,
                 padding_mode: str = "constant") -> None:
        self.size = _pair(size, "size")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img: Any, output_size: tuple[int, int]) -> tuple[int, int, int, int]:
        w, h = F.get_image_size(img)
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if w == tw and h == th:
            return 0, 0, h, w
        return _randint(0, h - th + 1), _randint(0, w - tw + 1), th, tw

    def forward(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        w, h = F.get_image_size(img)
        if self.pad_if_needed and w < self.size[1]:
            img = F.pad(img, [self.size[1] - w, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and h < self.size[0]:
            img = F.pad(img, [0, self.size[0] - h], self.fill, self.padding_mode)
        i, j, th, tw = self.get_params(img, self.size)
        return F.crop(img, i, j, th, tw)


class RandomResizedCrop(Transform):
    """Crop a random area fraction in ``scale`` with aspect ratio log-uniform in ``ratio``, then
    resize to ``size`` (10 tries, then a centre crop clamped to ``ratio``: torchvision's rule)."""

    _repr_attrs = ("size", "scale", "ratio", "interpolation")

    def __init__(self, size: Any, scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0),
                 interpolation: str = F.InterpolationMode.BILINEAR, antialias: bool | None = True) -> None:
        self.size = _pair(size, "size")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            raise ValueError(f"Scale and ratio should be of kind (min, max), got {scale}, {ratio}")
        self.scale, self.ratio = tuple(scale), tuple(ratio)
        self.interpolation, self.antialias = interpolation, antialias

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float]) -> tuple[int, int, int, int]:
        width, height = F.get_image_size(img)
        area = height * width
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * _uniform(scale[0], scale[1])
            aspect = math.exp(_uniform(log_ratio[0], log_ratio[1]))
            w = int(round(math.sqrt(target_area * aspect)))
            h = int(round(math.sqrt(target_area / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return _randint(0, height - h + 1), _randint(0, width - w + 1), h, w
        in_ratio = float(width) / float(height)
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def forward(self, img: Any) -> Any:
        i, j, h, w = self.get_params(img, self.scale, self.ratio)
        return F.resized_crop(img, i, j, h, w, self.size, self.interpolation, self.antialias)


class RandomHorizontalFlip(Transform):
    _repr_attrs = ("p",)

    def __init__(self, p: float = 0.5) -> None:
        self.p = p

    def forward(self, img: Any) -> Any:
        return F.hflip(img) if _rand() < self.p else img


class RandomVerticalFlip(RandomHorizontalFlip):
    def forward(self, img: Any) -> Any:
        return F.vflip(img) if _rand() < self.p else img


class Pad(Transform):
    _repr_attrs = ("padding", "fill", "padding_mode")

    def __init__(self, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> None:
        F._parse_padding(padding)
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, "
                             f"got {padding_mode!r}")
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def forward(self, img: Any) -> Any:
        return F.pad(img, self.padding, self.fill, self.padding_mode)


class RandomRotation(Transform):
    """Rotate by an angle uniform in ``degrees`` (d -> [-d, d])."""

    _repr_attrs = ("degrees", "interpolation", "expand", "fill")

    def __init__(self, degrees: Any, interpolation: str = F.InterpolationMode.NEAREST,
                 expand: bool = False, center: Sequence[int] | None = None, fill: Any = 0) -> None:
        self.degrees = _range(degrees, "degrees")
        self.interpolation, self.expand, self.center, self.fill = interpolation, expand, center, fill

    @staticmethod
    def get_params(degrees: Sequence[float]) -> float:
        return _uniform(degrees[0], degrees[1])

    def forward(self, img: Any) -> Any:
        angle = self.get_params(self.degrees)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, self.fill)


class RandomAffine(Transform):
    """Random affine map: angle in ``degrees``; ``translate`` = (a, b) max fractions of width /
    height; ``scale`` = (lo, hi); ``shear`` = d, (x0, x1) or (x0, x1, y0, y1) degrees."""

    _repr_attrs = ("degrees", "translate", "scale", "shear", "interpolation", "fill")

    def __init__(self, degrees: Any, translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, shear: Any = None,
                 interpolation: str = F.InterpolationMode.NEAREST, fill: Any = 0,
                 center: Sequence[int] | None = None) -> None:
        self.degrees = _range(degrees, "degrees")
        if translate is not None and not all(0.0 <= t <= 1.0 for t in translate):
            raise ValueError(f"translation values should be between 0 and 1, got {translate}")
        if scale is not None and any(s <= 0 for s in scale):
            raise ValueError(f"scale values should be positive, got {scale}")
        if shear is not None and not isinstance(shear, numbers.Number) and len(shear) not in (2, 4):
            raise ValueError(f"shear should be a number or a sequence of 2 or 4 values, got {shear}")
        self.translate, self.scale, self.center = translate, scale, center
        self.shear = None if shear is None else (_range(shear, "shear") if isinstance(shear, numbers.Number)
                                                 else [float(s) for s in shear])
        self.interpolation, self.fill = interpolation, fill

    @staticmethod
    def get_params(degrees: Sequence[float], translate: Any, scale_ranges: Any, shears: Any,
                   img_size: Sequence[int]) -> tuple:
        angle = _uniform(degrees[0], degrees[1])
        tx = ty = 0
        if translate is not None:
            max_dx, max_dy = float(translate[0] * img_size[0]), float(translate[1] * img_size[1])
            tx, ty = int(round(_uniform(-max_dx, max_dx))), int(round(_uniform(-max_dy, max_dy)))
        scale = 1.0 if scale_ranges is None else _uniform(scale_ranges[0], scale_ranges[1])
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = _uniform(shears[0], shears[1])
            if len(shears) == 4:
                shear_y = _uniform(shears[2], shears[3])
        return angle, (tx, ty), scale, (shear_x, shear_y)

    def forward(self, img: Any) -> Any:
        angle, t, s, sh = self.get_params(self.degrees, self.translate, self.scale, self.shear,
                                          F.get_image_size(img))
        return F.affine(img, angle, t, s, sh, self.interpolation, self.fill, self.center)
