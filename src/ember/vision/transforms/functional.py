"""Functional transforms (torchvision.transforms.functional): PIL images, NumPy HWC arrays, Tensors.

* PIL images take torchvision's PIL path (PIL's own resize / rotate / affine / ImageEnhance).
* ember Tensors (..., C, H, W) take the tensor path (``_array``: torchvision's tensor numerics).
* NumPy arrays are (H, W) or (H, W, C): they go through the tensor path in CHW and come back HWC
  with their dtype (an ember extension; torchvision accepts them only in ``to_tensor``).
"""
from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence

import numpy as np

from . import _array

__all__ = ["to_tensor", "pil_to_tensor", "to_pil_image", "normalize", "resize", "crop",
           "center_crop", "resized_crop", "pad", "hflip", "vflip", "rotate", "affine",
           "adjust_brightness", "adjust_contrast", "adjust_saturation", "adjust_hue",
           "rgb_to_grayscale", "gaussian_blur", "erase", "get_image_size",
           "get_image_num_channels", "InterpolationMode"]


class InterpolationMode:
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"


def _pil():
    from PIL import Image

    return Image


def _is_pil(img: Any) -> bool:
    try:
        return isinstance(img, _pil().Image)
    except ImportError:
        return False


def _pil_mode(interpolation: str) -> int:
    Image = _pil()
    table = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}
    if interpolation not in table:
        raise ValueError(f"interpolation {interpolation!r} is not supported for PIL images; "
                         f"expected one of {sorted(table)}")
    return table[interpolation]


def _apply(img: Any, pil_fn: Callable | None, arr_fn: Callable, name: str) -> Any:
    """Run ``pil_fn`` on PIL images, ``arr_fn`` on (..., C, H, W) arrays for tensors and arrays."""
    from ember import Tensor

    if _is_pil(img):
        if pil_fn is None:
            raise TypeError(f"{name}: PIL images are not supported, convert with to_tensor first")
        return pil_fn(img)
    if isinstance(img, Tensor):
        if img.ndim < 2:
            raise ValueError(f"{name}: tensor image must have shape (..., C, H, W) or (H, W), "
                             f"got {tuple(img.shape)}")
        arr = np.asarray(img.detach().cpu().numpy())
        out = arr_fn(arr[None] if arr.ndim == 2 else arr)
        return Tensor._make(np.ascontiguousarray(out[0] if arr.ndim == 2 else out))
    if isinstance(img, np.ndarray):
        if img.ndim not in (2, 3):
            raise ValueError(f"{name}: NumPy image must be (H, W) or (H, W, C), got {img.shape}")
        chw = img[None] if img.ndim == 2 else np.moveaxis(img, -1, 0)
        out = np.moveaxis(arr_fn(chw), 0, -1)
        return np.ascontiguousarray(out[..., 0] if img.ndim == 2 else out)
    raise TypeError(f"{name}: img should be a PIL Image, an ember Tensor or a NumPy array, got "
                    f"{type(img).__name__}")


def get_image_size(img: Any) -> list[int]:
    """[width, height]."""
    if _is_pil(img):
        return list(img.size)
    shape = tuple(img.shape)
    if isinstance(img, np.ndarray):
        return [shape[1], shape[0]]
    return [shape[-1], shape[-2]]


def get_image_num_channels(img: Any) -> int:
    if _is_pil(img):
        return len(img.getbands())
    if isinstance(img, np.ndarray):
        return 1 if img.ndim == 2 else img.shape[-1]
    return 1 if img.ndim == 2 else int(img.shape[-3])


# ----------------------------------------------------------------------------- conversion


def _pil_to_array(pic: Any) -> np.ndarray:
    arr = np.array(pic, copy=True)
    if pic.mode == "1":
        arr = arr.astype(np.uint8) * 255
    return arr if arr.ndim == 3 else arr[:, :, None]


def pil_to_tensor(pic: Any) -> Any:
    """PIL image -> Tensor (C, H, W) with the image's dtype (no scaling)."""
    from ember import Tensor

    if not _is_pil(pic):
        raise TypeError(f"pic should be PIL Image, got {type(pic).__name__}")
    arr = np.array(pic, copy=True)
    arr = arr if arr.ndim == 3 else arr[:, :, None]
    return Tensor._make(np.ascontiguousarray(arr.transpose(2, 0, 1)))


def to_tensor(pic: Any) -> Any:
    """PIL image or ndarray (H, W[, C]) -> float32 Tensor (C, H, W); uint8 is divided by 255."""
    from ember import Tensor

    if _is_pil(pic):
        arr = _pil_to_array(pic)
    elif isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2 or 3 dimensional, got {pic.ndim} dimensions")
        arr = pic if pic.ndim == 3 else pic[:, :, None]
    else:
        raise TypeError(f"pic should be PIL Image or ndarray, got {type(pic).__name__}")
    chw = arr.transpose(2, 0, 1)
    if chw.dtype == np.uint8:
        return Tensor._make(np.ascontiguousarray(chw, dtype=np.float32) / np.float32(255))
    return Tensor._make(np.ascontiguousarray(chw))  # other dtypes are kept, as torchvision


def to_pil_image(pic: Any, mode: str | None = None) -> Any:
    """Tensor (C, H, W) (floats in [0, 1] are scaled by 255) or ndarray (H, W, C) -> PIL image."""
    from ember import Tensor

    Image = _pil()
    if isinstance(pic, Tensor):
        arr = np.asarray(pic.detach().cpu().numpy())
        arr = arr[None] if arr.ndim == 2 else arr
        if arr.ndim != 3:
            raise ValueError(f"pic should be 2/3 dimensional, got shape {tuple(pic.shape)}")
        if arr.dtype.kind == "f" and mode != "F":
            arr = (arr * 255).astype(np.uint8)  # truncation, as torchvision's mul(255).byte()
        arr = arr.transpose(1, 2, 0)
    elif isinstance(pic, np.ndarray):
        arr = pic if pic.ndim == 3 else pic[:, :, None]
    else:
        raise TypeError(f"pic should be Tensor or ndarray, got {type(pic).__name__}")
    if arr.shape[-1] == 1:
        return Image.fromarray(arr[:, :, 0], mode=mode) if mode else Image.fromarray(arr[:, :, 0])
    return Image.fromarray(arr, mode=mode) if mode else Image.fromarray(arr)


def normalize(tensor: Any, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Any:
    """(x - mean[c]) / std[c] per channel of a float Tensor (..., C, H, W)."""
    from ember import Tensor

    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image, got {type(tensor).__name__}")
    if not tensor.is_floating_point():
        raise TypeError(f"Input tensor should be a float tensor, got {tensor.dtype}")
    arr = tensor._data
    m = np.asarray(mean, dtype=arr.dtype).reshape(-1, 1, 1)
    s = np.asarray(std, dtype=arr.dtype).reshape(-1, 1, 1)
    if np.any(s == 0):
        raise ValueError(f"std evaluated to zero after conversion to {arr.dtype}, leading to "
                         "division by zero.")
    out = (arr - m) / s
    if inplace:
        arr[...] = out
        return tensor
    return Tensor._make(out.astype(arr.dtype, copy=False))


# ----------------------------------------------------------------------------- geometry


def _output_size(size: Any, w: int, h: int, max_size: int | None) -> tuple[int, int]:
    """(h, w) for ``size``: an int scales the shorter edge (keeping aspect ratio), a pair is exact."""
    if isinstance(size, (list, tuple)) and len(size) == 2:
        return int(size[0]), int(size[1])
    s = int(size[0] if isinstance(size, (list, tuple)) else size)
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = s, int(s * long / short)
    if max_size is not None:
        if max_size <= s:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested "
                             f"size for the smaller edge size = {s}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if w <= h else (new_short, new_long)


def resize(img: Any, size: Any, interpolation: str = InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Any:
    """Resize to ``size`` (h, w), or the shorter edge to ``size`` if an int."""
    w, h = get_image_size(img)
    oh, ow = _output_size(size, w, h, max_size)
    if (oh, ow) == (h, w):
        return img
    return _apply(img, lambda p: p.resize((ow, oh), _pil_mode(interpolation)),
                  lambda a: _array.resize(a, (oh, ow), interpolation, bool(antialias)), "resize")


def crop(img: Any, top: int, left: int, height: int, width: int) -> Any:
    """Crop box (top, left, height, width); parts outside the image are zero-padded."""
    def arr_fn(a: np.ndarray) -> np.ndarray:
        h, w = a.shape[-2:]
        b, r = top + height, left + width
        if top < 0 or left < 0 or b > h or r > w:
            a = _array.pad(a, (max(-left, 0), max(-top, 0), max(r - w, 0), max(b - h, 0)), 0, "constant")
            return a[..., max(top, 0):max(top, 0) + height, max(left, 0):max(left, 0) + width]
        return a[..., top:b, left:r]

    return _apply(img, lambda p: p.crop((left, top, left + width, top + height)), arr_fn, "crop")


def center_crop(img: Any, output_size: Any) -> Any:
    if isinstance(output_size, numbers.Number):
        output_size = (int(output_size), int(output_size))
    elif len(output_size) == 1:
        output_size = (output_size[0], output_size[0])
    ch, cw = output_size
    w, h = get_image_size(img)
    if cw > w or ch > h:
        pl, pt = (cw - w) // 2 if cw > w else 0, (ch - h) // 2 if ch > h else 0
        pr, pb = (cw - w + 1) // 2 if cw > w else 0, (ch - h + 1) // 2 if ch > h else 0
        img = pad(img, [pl, pt, pr, pb], fill=0)
        w, h = get_image_size(img)
        if cw == w and ch == h:
            return img
    top, left = int(round((h - ch) / 2.0)), int(round((w - cw) / 2.0))
    return crop(img, top, left, ch, cw)


def resized_crop(img: Any, top: int, left: int, height: int, width: int, size: Any,
                 interpolation: str = InterpolationMode.BILINEAR, antialias: bool | None = True) -> Any:
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def _parse_padding(padding: Any) -> list[int]:
    if isinstance(padding, numbers.Number):
        return [int(padding)] * 4
    padding = list(padding)
    if len(padding) == 1:
        return padding * 4
    if len(padding) == 2:
        return [padding[0], padding[1], padding[0], padding[1]]
    if len(padding) == 4:
        return padding
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a "
                     f"{len(padding)} element tuple")


def pad(img: Any, padding: Any, fill: Any = 0, padding_mode: str = "constant") -> Any:
    """Pad by ``padding`` (all / (lr, tb) / (l, t, r, b)) with ``padding_mode`` in constant,
    edge, reflect (mirror without repeating the edge), symmetric (edge repeated)."""
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, "
                         f"got {padding_mode!r}")
    p = _parse_padding(padding)

    def pil_fn(im: Any) -> Any:
        if min(p) < 0:  # negative padding crops first
            w, h = im.size
            im = im.crop((max(-p[0], 0), max(-p[1], 0), w - max(-p[2], 0), h - max(-p[3], 0)))
        q = [max(v, 0) for v in p]
        if padding_mode == "constant":
            from PIL import ImageOps

            return ImageOps.expand(im, border=tuple(q), fill=_pil_fill(0 if fill is None else fill, im))
        arr = _pil_to_array(im)
        out = _array.pad(arr.transpose(2, 0, 1), q, 0, padding_mode).transpose(1, 2, 0)
        res = _pil().fromarray(np.ascontiguousarray(out[:, :, 0] if out.shape[2] == 1 else out))
        if im.mode == "P":
            res.putpalette(im.getpalette())
        return res

    def arr_fn(a: np.ndarray) -> np.ndarray:
        if padding_mode == "constant" and not isinstance(fill, numbers.Number) and fill is not None:
            f = np.asarray(fill, dtype=np.float64).reshape(-1, 1, 1)
            mask = _array.pad(np.zeros(a.shape[-2:], bool), p, True, "constant")
            out = _array.pad(a, p, 0, "constant")
            return np.where(mask, f, out).astype(a.dtype)
        return _array.pad(a, p, 0 if fill is None else fill, padding_mode)

    return _apply(img, pil_fn, arr_fn, "pad")


def hflip(img: Any) -> Any:
    return _apply(img, lambda p: p.transpose(_pil().FLIP_LEFT_RIGHT), lambda a: a[..., ::-1], "hflip")


def vflip(img: Any) -> Any:
    return _apply(img, lambda p: p.transpose(_pil().FLIP_TOP_BOTTOM), lambda a: a[..., ::-1, :], "vflip")


def _fill_list(fill: Any, channels: int) -> list[float] | None:
    if fill is None:
        return None
    f = [float(fill)] if isinstance(fill, numbers.Number) else [float(v) for v in fill]
    if len(f) not in (1, channels):
        raise ValueError(f"The number of elements in 'fill' ({len(f)}) does not match the number "
                         f"of channels of the image ({channels})")
    return f


def _pil_fill(fill: Any, img: Any) -> Any:
    if fill is None:
        return None
    bands = len(img.getbands())
    f = [fill] * bands if isinstance(fill, numbers.Number) else list(fill)
    f = [int(v) if img.mode != "F" else float(v) for v in f]
    return f[0] if bands == 1 else tuple(f if len(f) == bands else f * bands)


def rotate(img: Any, angle: float, interpolation: str = InterpolationMode.NEAREST,
           expand: bool = False, center: Sequence[int] | None = None, fill: Any = None) -> Any:
    """Rotate counter-clockwise by ``angle`` degrees about ``center`` (default the image centre)."""
    w, h = get_image_size(img)
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (w, h))]
    matrix = _array.inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    out_size = _array.affine_output_size(matrix, w, h) if expand else None
    return _apply(
        img, lambda p: p.rotate(angle, _pil_mode(interpolation), expand, center,
                                fillcolor=_pil_fill(fill, p)),
        lambda a: _array.affine(a, matrix, interpolation, _fill_list(fill, a.shape[-3]), out_size),
        "rotate")


def affine(img: Any, angle: float, translate: Sequence[float], scale: float,
           shear: Any, interpolation: str = InterpolationMode.NEAREST, fill: Any = None,
           center: Sequence[int] | None = None) -> Any:
    """Affine map keeping the centre: rotate by ``angle``, translate, scale, shear (degrees)."""
    if scale <= 0:
        raise ValueError(f"Argument scale should be positive, got {scale}")
    shear = [float(shear), 0.0] if isinstance(shear, numbers.Number) else \
        [float(s) for s in shear] + [0.0] * (2 - len(shear))
    w, h = get_image_size(img)
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (w, h))]
    matrix = _array.inverse_affine_matrix(center_f, angle, list(translate), scale, shear)

    def pil_fn(p: Any) -> Any:
        c = [w * 0.5, h * 0.5] if center is None else list(center)
        m = _array.inverse_affine_matrix(c, angle, list(translate), scale, shear)
        return p.transform(p.size, _pil().AFFINE, m, _pil_mode(interpolation),
                           fillcolor=_pil_fill(fill, p))

    return _apply(img, pil_fn,
                  lambda a: _array.affine(a, matrix, interpolation, _fill_list(fill, a.shape[-3])),
                  "affine")


from ._functional_color import (adjust_brightness, adjust_contrast, adjust_hue,  # noqa: E402
                                adjust_saturation, gaussian_blur, rgb_to_grayscale)


def erase(img: Any, i: int, j: int, h: int, w: int, v: Any, inplace: bool = False) -> Any:
    """Set ``img[..., i:i+h, j:j+w] = v`` on a Tensor image (v broadcastable to that region)."""
    from ember import Tensor

    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image, got {type(img).__name__}")
    target = img if inplace else img.clone()
    val = v._data if isinstance(v, Tensor) else np.asarray(v)
    target._data[..., i:i + h, j:j + w] = val
    return target
