"""Array path of the transforms: NumPy images of shape (..., C, H, W), torchvision's tensor numerics.

Integer images are processed in float and rounded back (torchvision's ``_cast_squeeze_out``);
where torchvision truncates (``.to(uint8)`` after a blend or a grayscale), so does this file.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

# ----------------------------------------------------------------------------- resampling weights


def _bilinear(x: np.ndarray) -> np.ndarray:
    return np.clip(1.0 - np.abs(x), 0.0, None)


def _cubic(x: np.ndarray, a: float) -> np.ndarray:
    x = np.abs(x)
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, 0.0))


def _aa_weights(n_in: int, n_out: int, mode: str) -> np.ndarray:
    """PIL's (= torch ``antialias=True``) resampling matrix (n_out, n_in): filter widened by the
    downscale factor, centre (i + 0.5) * scale, weights normalised over the in-range taps."""
    scale = n_in / n_out
    fscale = max(scale, 1.0)
    support = (1.0 if mode == "bilinear" else 2.0) * fscale
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        center = (i + 0.5) * scale
        lo, hi = max(int(center - support + 0.5), 0), min(int(center + support + 0.5), n_in)
        t = (np.arange(lo, hi) - center + 0.5) / fscale
        k = _bilinear(t) if mode == "bilinear" else _cubic(t, -0.5)
        w[i, lo:hi] = k / k.sum() if k.sum() else k
    return w


def _plain_weights(n_in: int, n_out: int, mode: str) -> np.ndarray:
    """torch.nn.functional.interpolate(align_corners=False, antialias=False) as a matrix."""
    scale = n_in / n_out
    src = (np.arange(n_out) + 0.5) * scale - 0.5
    w = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if mode == "bilinear":
        src = np.maximum(src, 0.0)
        i0 = np.floor(src).astype(int)
        lam = src - i0
        i0 = np.minimum(i0, n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        np.add.at(w, (rows, i0), 1.0 - lam)
        np.add.at(w, (rows, i1), lam)
        return w
    i0 = np.floor(src).astype(int)
    t = src - i0
    for k in range(-1, 3):  # bicubic, Keys a = -0.75, border taps clamped
        np.add.at(w, (rows, np.clip(i0 + k, 0, n_in - 1)), _cubic(t - k, -0.75))
    return w


def _nearest_index(n_in: int, n_out: int, exact: bool) -> np.ndarray:
    scale = n_in / n_out
    pos = (np.arange(n_out) + (0.5 if exact else 0.0)) * scale
    return np.minimum(np.floor(pos).astype(int), n_in - 1)


def _to_float(x: np.ndarray) -> np.ndarray:
    return x if x.dtype.kind == "f" else x.astype(np.float32)


def _back(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if np.dtype(dtype).kind in "iub":
        info = np.iinfo(dtype) if np.dtype(dtype).kind != "b" else None
        out = np.round(out)
        if info is not None:
            out = np.clip(out, info.min, info.max)
    return out.astype(dtype)


def resize(x: np.ndarray, size: tuple[int, int], mode: str, antialias: bool) -> np.ndarray:
    """Resize the last two axes to ``size`` = (h, w) with "nearest", "nearest-exact",
    "bilinear" or "bicubic"; antialias only affects downscaling (PIL's filter widening)."""
    h, w = x.shape[-2:]
    oh, ow = size
    if mode in ("nearest", "nearest-exact"):
        exact = mode == "nearest-exact"
        return x[..., _nearest_index(h, oh, exact)[:, None], _nearest_index(w, ow, exact)[None, :]]
    fn = _aa_weights if antialias else _plain_weights
    wh, ww = fn(h, oh, mode), fn(w, ow, mode)
    xf = _to_float(x).astype(np.float64)
    out = np.einsum("oh,...hw,pw->...op", wh, xf, ww)
    if x.dtype.kind == "f":
        return out.astype(x.dtype)
    return _back(out, x.dtype)


# ----------------------------------------------------------------------------- padding, affine

_NP_PAD = {"constant": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}


def pad(x: np.ndarray, padding: Sequence[int], fill: float, mode: str) -> np.ndarray:
    """padding = (left, top, right, bottom); torchvision's mode names = NumPy's."""
    left, top, right, bottom = padding
    if min(padding) < 0:  # negative padding crops, as in torchvision
        h, w = x.shape[-2:]
        x = x[..., max(-top, 0):h - max(-bottom, 0), max(-left, 0):w - max(-right, 0)]
        left, top, right, bottom = (max(p, 0) for p in padding)
    widths = [(0, 0)] * (x.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "constant":
        return np.pad(x, widths, mode="constant", constant_values=fill)
    return np.pad(x, widths, mode=_NP_PAD[mode])


def inverse_affine_matrix(center: Sequence[float], angle: float, translate: Sequence[float],
                          scale: float, shear: Sequence[float]) -> list[float]:
    """torchvision's ``_get_inverse_affine_matrix``: the 2x3 map from output to input pixels of
    RSS = T(translate) C R(angle) S(shear) s C^-1 (angles in degrees)."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    m = [v / scale for v in (d, -b, 0.0, -c, a, 0.0)]
    m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty)
    m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty)
    m[2] += cx
    m[5] += cy
    return m


def affine_output_size(matrix: Sequence[float], w: int, h: int) -> tuple[int, int]:
    """Bounding box (ow, oh) of the transformed image corners (rotate with expand=True)."""
    pts = np.array([[-0.5 * w, -0.5 * h, 1.0], [-0.5 * w, 0.5 * h, 1.0], [0.5 * w, 0.5 * h, 1.0],
                    [0.5 * w, -0.5 * h, 1.0]])
    new = pts @ np.asarray(matrix, dtype=np.float64).reshape(2, 3).T
    tol = 1e-4
    cmax = np.ceil(np.trunc(new.max(0) / tol) * tol)
    cmin = np.floor(np.trunc(new.min(0) / tol) * tol)
    size = cmax - cmin
    return int(size[0]), int(size[1])


def _sample(x: np.ndarray, sx: np.ndarray, sy: np.ndarray, mode: str) -> np.ndarray:
    """grid_sample(align_corners=False, padding zeros) at pixel coordinates (sx, sy)."""
    h, w = x.shape[-2:]
    if mode == "nearest":
        ix, iy = np.round(sx).astype(int), np.round(sy).astype(int)  # half to even, as torch
        ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
        return np.where(ok, x[..., np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1)], 0.0)
    x0, y0 = np.floor(sx).astype(int), np.floor(sy).astype(int)
    fx, fy = sx - x0, sy - y0
    out = 0.0
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            ix, iy = x0 + dx, y0 + dy
            ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
            out = out + np.where(ok, x[..., np.clip(iy, 0, h - 1), np.clip(ix, 0, w - 1)], 0.0) * wx * wy
    return out


def affine(x: np.ndarray, matrix: Sequence[float], mode: str, fill: Sequence[float] | None,
           out_size: tuple[int, int] | None = None) -> np.ndarray:
    """Warp with the inverse matrix (centred coordinates, torchvision's ``_gen_affine_grid``).

    With ``fill`` the validity mask is sampled like the image and used to blend in the fill
    colour (nearest: mask < 0.5 -> fill; bilinear: img * mask + (1 - mask) * fill), as torchvision.
    """
    h, w = x.shape[-2:]
    ow, oh = out_size or (w, h)
    m = np.asarray(matrix, dtype=np.float64)
    yo, xo = np.meshgrid(np.arange(oh) - oh * 0.5 + 0.5, np.arange(ow) - ow * 0.5 + 0.5, indexing="ij")
    sx = m[0] * xo + m[1] * yo + m[2] + w * 0.5 - 0.5
    sy = m[3] * xo + m[4] * yo + m[5] + h * 0.5 - 0.5
    xf = _to_float(x).astype(np.float64)
    out = _sample(xf, sx, sy, mode)
    if fill is not None:
        mask = _sample(np.ones((h, w)), sx, sy, mode)
        f = np.asarray(fill, dtype=np.float64).reshape(-1, 1, 1)
        f = np.broadcast_to(f, out.shape[-3:]) if f.shape[0] in (1, out.shape[-3]) else f
        out = np.where(mask < 0.5, f, out) if mode == "nearest" else out * mask + (1.0 - mask) * f
    return out.astype(x.dtype) if x.dtype.kind == "f" else _back(out, x.dtype)


# ----------------------------------------------------------------------------- colour


def _bound(x: np.ndarray) -> float:
    return 1.0 if x.dtype.kind == "f" else 255.0


def rgb_to_grayscale(x: np.ndarray, num_output_channels: int = 1) -> np.ndarray:
    """L = 0.2989 R + 0.587 G + 0.114 B (ITU-R 601-2 luma; integer images truncate)."""
    if x.shape[-3] == 1:
        g = x
    else:
        r, gch, b = (x[..., i, :, :].astype(np.float32) for i in range(3))
        g = (0.2989 * r + 0.587 * gch + 0.114 * b).astype(x.dtype)[..., None, :, :]
    return np.repeat(g, num_output_channels, axis=-3) if num_output_channels > 1 else g


def blend(a: np.ndarray, b: np.ndarray | float, ratio: float) -> np.ndarray:
    """clamp(ratio * a + (1 - ratio) * b, 0, bound), cast (truncating) to a's dtype."""
    out = ratio * a.astype(np.float32) + (1.0 - ratio) * np.asarray(b, dtype=np.float32)
    return np.clip(out, 0, _bound(a)).astype(a.dtype)


def adjust_brightness(x: np.ndarray, f: float) -> np.ndarray:
    return blend(x, 0.0, f)


def adjust_contrast(x: np.ndarray, f: float) -> np.ndarray:
    gray = rgb_to_grayscale(x) if x.shape[-3] == 3 else x
    mean = gray.astype(np.float32).mean(axis=(-3, -2, -1), keepdims=True)
    return blend(x, mean, f)


def adjust_saturation(x: np.ndarray, f: float) -> np.ndarray:
    return x if x.shape[-3] == 1 else blend(x, rgb_to_grayscale(x), f)


def _rgb2hsv(r: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple:
    maxc, minc = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
    cr = maxc - minc
    s = cr / np.where(maxc == 0, 1.0, maxc)
    crd = np.where(cr == 0, 1.0, cr)
    rc, gc, bc = (maxc - r) / crd, (maxc - g) / crd, (maxc - b) / crd
    h = np.where(maxc == r, bc - gc, np.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = np.where(cr == 0, 0.0, h)
    return np.mod(h / 6.0 + 1.0, 1.0), s, maxc


def _hsv2rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.astype(int) % 6
    p, q, t = np.clip(v * (1 - s), 0, 1), np.clip(v * (1 - s * f), 0, 1), np.clip(v * (1 - s * (1 - f)), 0, 1)
    choices = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)]
    return np.stack([np.choose(i, [c[k] for c in choices]) for k in range(3)], axis=-3)


def adjust_hue(x: np.ndarray, hue_factor: float) -> np.ndarray:
    """Rotate the hue by ``hue_factor`` in [-0.5, 0.5] turns (HSV round trip)."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if x.shape[-3] == 1:
        return x
    xf = x.astype(np.float32) / 255.0 if x.dtype.kind != "f" else x
    h, s, v = _rgb2hsv(xf[..., 0, :, :], xf[..., 1, :, :], xf[..., 2, :, :])
    out = _hsv2rgb(np.mod(h + hue_factor, 1.0), s, v)
    return out.astype(x.dtype) if x.dtype.kind == "f" else (out * 255.0).astype(x.dtype)


def gaussian_kernel1d(ksize: int, sigma: float) -> np.ndarray:
    """exp(-x^2 / (2 sigma^2)) on x = -(k-1)/2 .. (k-1)/2, normalised to sum 1."""
    half = (ksize - 1) * 0.5
    k = np.exp(-0.5 * (np.linspace(-half, half, ksize) / sigma) ** 2)
    return (k / k.sum()).astype(np.float32)


def gaussian_blur(x: np.ndarray, ksize: Sequence[int], sigma: Sequence[float]) -> np.ndarray:
    """Separable Gaussian with reflect (mirror, edge not repeated) padding; kernel (kx, ky)."""
    kx, ky = gaussian_kernel1d(ksize[0], sigma[0]), gaussian_kernel1d(ksize[1], sigma[1])
    px, py = ksize[0] // 2, ksize[1] // 2
    xf = pad(_to_float(x).astype(np.float32), (px, py, px, py), 0.0, "reflect")
    h, w = x.shape[-2:]
    tmp = sum(kx[i] * xf[..., :, i:i + w] for i in range(ksize[0]))
    out = sum(ky[j] * tmp[..., j:j + h, :] for j in range(ksize[1]))
    return out.astype(x.dtype) if x.dtype.kind == "f" else _back(out, x.dtype)
