"""Transform numerics vs their oracles: torch (interpolate, grid_sample), PIL, OpenCV, colorsys.

torchvision cannot be imported next to torch 2.13 (ORACLES.md §0); its tensor kernels are torch
primitives (``F.interpolate``, ``F.grid_sample`` on the grid of ``_gen_affine_grid``), which the
tests call directly, and its PIL path is PIL itself.
"""
import colorsys

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as tF
from PIL import Image, ImageEnhance
from tolerances import TOL, assert_close

import ember
import ember.vision.transforms.functional as F
from ember.vision.transforms import _array


def _img(h=13, w=17, c=3, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, c), dtype=np.uint8)


def _chw(a):
    return ember.tensor(np.ascontiguousarray(a.transpose(2, 0, 1)))


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("size", [(7, 9), (20, 31), (13, 8)])
def test_resize_float_matches_torch_interpolate(mode, antialias, size):
    x = np.random.default_rng(1).random((2, 3, 13, 17)).astype(np.float32)
    ours = F.resize(ember.tensor(x), list(size), mode, antialias=antialias)
    ref = tF.interpolate(torch.tensor(x), size=size, mode=mode, align_corners=False,
                         antialias=antialias)
    assert_close(ours, ref, **TOL["float32_reduce"], name=f"{mode} aa={antialias}")


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
def test_resize_nearest_matches_torch(mode):
    x = np.random.default_rng(2).random((1, 1, 12, 10)).astype(np.float32)
    for size in [(6, 5), (24, 30), (7, 3)]:
        ours = F.resize(ember.tensor(x), list(size), mode)
        ref = tF.interpolate(torch.tensor(x), size=size, mode=mode)
        np.testing.assert_array_equal(ours.numpy(), ref.numpy())


def test_resize_uint8_tensor_matches_pil_antialias():
    a = _img(40, 36)
    for size in [(13, 11), (20, 50)]:
        pil = np.asarray(Image.fromarray(a).resize(size[::-1], Image.BILINEAR))
        ours = F.resize(_chw(a), list(size)).numpy().transpose(1, 2, 0)
        assert_close(ours, pil, **TOL["uint8_level"], name=f"resize {size}")
        np.testing.assert_array_equal(F.resize(a, list(size)), ours)  # numpy HWC path


def test_resize_int_keeps_aspect_and_max_size():
    a = _img(10, 20)
    assert F.resize(a, 5).shape == (5, 10, 3)
    assert F.resize(Image.fromarray(a), 5).size == (10, 5)
    assert F.resize(_chw(a), 6, max_size=8).shape == (3, 4, 8)
    with pytest.raises(ValueError, match="max_size"):
        F.resize(a, 6, max_size=6)


def _torchvision_affine(x, matrix, mode, fill, out_size=None):
    """torchvision's tensor affine: `_gen_affine_grid` + grid_sample (+ mask blending for fill)."""
    n, c, h, w = x.shape
    ow, oh = out_size or (w, h)
    theta = torch.tensor(matrix, dtype=torch.float64).reshape(1, 2, 3)
    xs = torch.linspace(-ow * 0.5 + 0.5, ow * 0.5 - 0.5, ow, dtype=torch.float64)
    ys = torch.linspace(-oh * 0.5 + 0.5, oh * 0.5 - 0.5, oh, dtype=torch.float64)
    base = torch.stack(torch.meshgrid(xs, ys, indexing="xy") + (torch.ones(oh, ow, dtype=torch.float64),), -1)
    grid = base.view(1, oh * ow, 3).bmm(theta.transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h],
                                                                                dtype=torch.float64))
    grid = grid.view(1, oh, ow, 2)
    img = torch.cat([x, torch.ones(n, 1, h, w, dtype=x.dtype)], 1) if fill is not None else x
    out = tF.grid_sample(img, grid, mode=mode, padding_mode="zeros", align_corners=False)
    if fill is None:
        return out
    mask, out = out[:, -1:].expand(n, c, oh, ow), out[:, :-1]
    f = torch.tensor(fill, dtype=x.dtype).view(1, -1, 1, 1).expand_as(out)
    if mode == "nearest":
        return torch.where(mask < 0.5, f, out)
    return out * mask + (1.0 - mask) * f


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill", [None, [0.0], [0.2, 0.5, 0.9]])
def test_affine_and_rotate_match_grid_sample(mode, fill):
    x = np.random.default_rng(3).random((1, 3, 11, 14))
    m = _array.inverse_affine_matrix([0.0, 0.0], 23.0, [1.0, -2.0], 1.1, [7.0, -3.0])
    ours = F.affine(ember.tensor(x), 23.0, [1, -2], 1.1, [7.0, -3.0], mode, fill)
    ref = _torchvision_affine(torch.tensor(x), m, mode, fill)
    assert_close(ours, ref, **TOL["float64_reduce"], name="affine")
    m = _array.inverse_affine_matrix([0.0, 0.0], -31.0, [0.0, 0.0], 1.0, [0.0, 0.0])
    size = _array.affine_output_size(m, 14, 11)
    ours = F.rotate(ember.tensor(x), 31.0, mode, expand=True, fill=fill)
    ref = _torchvision_affine(torch.tensor(x), m, mode, fill, size)
    assert tuple(ours.shape[-2:]) == (size[1], size[0])
    assert_close(ours, ref, **TOL["float64_reduce"], name="rotate expand")


def test_rotate_90_is_rot90_and_pil_agrees():
    a = _img(9, 9)
    t = F.rotate(_chw(a), 90.0).numpy().transpose(1, 2, 0)
    np.testing.assert_array_equal(t, np.rot90(a))  # counter-clockwise
    np.testing.assert_array_equal(np.asarray(F.rotate(Image.fromarray(a), 90.0)), np.rot90(a))


def test_gaussian_blur_matches_opencv():
    x = np.random.default_rng(4).random((15, 12)).astype(np.float32)
    ours = F.gaussian_blur(ember.tensor(x[None]), [5, 3], [1.3, 0.7]).numpy()[0]
    ref = cv2.GaussianBlur(x, (5, 3), sigmaX=1.3, sigmaY=0.7, borderType=cv2.BORDER_REFLECT_101)
    assert_close(ours, ref, **TOL["image_float32"], name="gaussian_blur")
    pil = F.gaussian_blur(Image.fromarray(_img()), 3, 1.0)
    assert pil.size == (17, 13) and pil.mode == "RGB"


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_modes_pil_numpy_tensor_agree(mode):
    a = _img(5, 6)
    ref = np.pad(a, [(2, 3), (1, 4), (0, 0)], mode=mode) if mode != "constant" else \
        np.pad(a, [(2, 3), (1, 4), (0, 0)], constant_values=7)
    kw = dict(fill=7) if mode == "constant" else {}
    np.testing.assert_array_equal(F.pad(a, [1, 2, 4, 3], padding_mode=mode, **kw), ref)
    np.testing.assert_array_equal(np.asarray(F.pad(Image.fromarray(a), [1, 2, 4, 3], padding_mode=mode, **kw)), ref)
    np.testing.assert_array_equal(F.pad(_chw(a), [1, 2, 4, 3], padding_mode=mode, **kw).numpy(),
                                  ref.transpose(2, 0, 1))


def test_grayscale_formula_and_pil():
    a = _img()
    ours = F.rgb_to_grayscale(_chw(a)).numpy()[0]
    expected = (0.2989 * a[..., 0].astype(np.float32) + 0.587 * a[..., 1] + 0.114 * a[..., 2]).astype(np.uint8)
    np.testing.assert_array_equal(ours, expected)
    pil = np.asarray(F.rgb_to_grayscale(Image.fromarray(a)))
    assert_close(ours, pil, **TOL["uint8_level"], name="gray vs PIL")


@pytest.mark.parametrize("name,enh", [("brightness", "Brightness"), ("saturation", "Color")])
@pytest.mark.parametrize("factor", [0.3, 1.0, 1.7])
def test_color_adjust_tensor_vs_pil(name, enh, factor):
    a = _img(seed=5)
    fn = getattr(F, f"adjust_{name}")
    ours = fn(_chw(a), factor).numpy().transpose(1, 2, 0)
    pil = np.asarray(getattr(ImageEnhance, enh)(Image.fromarray(a)).enhance(factor))
    assert_close(ours, pil, **TOL["uint8_level"], name=name)
    np.testing.assert_array_equal(np.asarray(fn(Image.fromarray(a), factor)), pil)


def test_contrast_blend_formula():
    x = np.random.default_rng(6).random((3, 8, 9)).astype(np.float32)
    gray = 0.2989 * x[0] + 0.587 * x[1] + 0.114 * x[2]
    expected = np.clip(1.5 * x + (1 - 1.5) * gray.mean(), 0, 1)
    assert_close(F.adjust_contrast(ember.tensor(x), 1.5), expected, **TOL["float32"], name="contrast")


def test_hue_matches_colorsys():
    x = np.random.default_rng(7).random((3, 4, 5))
    ours = F.adjust_hue(ember.tensor(x), 0.23).numpy()
    ref = np.empty_like(x)
    for i in range(4):
        for j in range(5):
            h, s, v = colorsys.rgb_to_hsv(*x[:, i, j])
            ref[:, i, j] = colorsys.hsv_to_rgb((h + 0.23) % 1.0, s, v)
    assert_close(ours, ref, **TOL["float64_reduce"], name="hue")
    with pytest.raises(ValueError, match="hue_factor"):
        F.adjust_hue(ember.tensor(x), 0.7)


def test_to_tensor_and_pil_to_tensor():
    a = _img()
    t = F.to_tensor(Image.fromarray(a))
    assert t.dtype == ember.float32 and tuple(t.shape) == (3, 13, 17)
    assert_close(t, a.transpose(2, 0, 1) / 255.0, **TOL["float32"], name="to_tensor")
    p = F.pil_to_tensor(Image.fromarray(a[..., 0]))
    assert p.dtype == ember.uint8 and tuple(p.shape) == (1, 13, 17)
    back = F.to_pil_image(t)
    np.testing.assert_array_equal(np.asarray(back), a)
    with pytest.raises(TypeError, match="PIL Image or ndarray"):
        F.to_tensor([1, 2])


def test_normalize_and_errors():
    x = np.random.default_rng(8).random((3, 4, 4)).astype(np.float32)
    out = F.normalize(ember.tensor(x), [0.1, 0.2, 0.3], [0.5, 0.25, 2.0])
    expected = (x - np.array([0.1, 0.2, 0.3], np.float32)[:, None, None]) / np.array([0.5, 0.25, 2.0], np.float32)[:, None, None]
    assert_close(out, expected, **TOL["float32"], name="normalize")
    with pytest.raises(TypeError, match="float tensor"):
        F.normalize(ember.tensor(np.zeros((3, 2, 2), np.uint8)), [0] * 3, [1] * 3)
    with pytest.raises(ValueError, match="division by zero"):
        F.normalize(ember.tensor(x), [0] * 3, [1, 0, 1])


def test_crop_outside_pads_and_center_crop():
    a = _img(6, 6)
    t = F.crop(_chw(a), -1, 2, 4, 6).numpy()
    assert t.shape == (3, 4, 6) and (t[:, 0] == 0).all() and (t[:, 1:, :4] == a.transpose(2, 0, 1)[:, :3, 2:]).all()
    np.testing.assert_array_equal(F.center_crop(a, 4), a[1:5, 1:5])
    assert F.center_crop(a, 8).shape == (8, 8, 3)
    assert np.asarray(F.center_crop(Image.fromarray(a), [2, 4])).shape == (2, 4, 3)


def test_flips_all_backends():
    a = _img(4, 5)
    np.testing.assert_array_equal(F.hflip(a), a[:, ::-1])
    np.testing.assert_array_equal(np.asarray(F.vflip(Image.fromarray(a))), a[::-1])
    np.testing.assert_array_equal(F.hflip(_chw(a)).numpy(), a[:, ::-1].transpose(2, 0, 1))
    with pytest.raises(TypeError, match="PIL Image, an ember Tensor or a NumPy array"):
        F.hflip([[1]])
