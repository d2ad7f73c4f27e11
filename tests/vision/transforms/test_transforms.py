"""Transform classes: random parameters (torchvision's sampling rules), containers, mixing."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from tolerances import TOL, assert_close

import ember
import ember.vision.transforms as T
from ember.vision.transforms._mix import cutmix_box


def _img(h=20, w=24, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


@given(h=st.integers(4, 60), w=st.integers(4, 60), seed=st.integers(0, 1000))
def test_random_resized_crop_params_in_bounds(h, w, seed):
    ember.manual_seed(seed)
    img = np.zeros((h, w, 3), np.uint8)
    i, j, ch, cw = T.RandomResizedCrop.get_params(img, (0.08, 1.0), (3 / 4, 4 / 3))
    assert 0 <= i and 0 <= j and 0 < ch and 0 < cw and i + ch <= h and j + cw <= w


def test_random_resized_crop_area_and_ratio_distribution():
    ember.manual_seed(0)
    img = np.zeros((100, 100, 3), np.uint8)
    params = [T.RandomResizedCrop.get_params(img, (0.2, 0.5), (0.5, 2.0)) for _ in range(300)]
    area = np.array([p[2] * p[3] / 1e4 for p in params])
    ratio = np.array([p[3] / p[2] for p in params])
    assert area.min() > 0.18 and area.max() < 0.52  # rounding of h, w moves the area slightly
    assert ratio.min() > 0.45 and ratio.max() < 2.2
    assert abs(np.mean(np.log(ratio))) < 0.15  # log-uniform around 1


def test_random_resized_crop_fallback_is_centre_crop():
    img = np.zeros((10, 100, 3), np.uint8)  # too wide for any sampled crop with ratio <= 4/3
    i, j, h, w = T.RandomResizedCrop.get_params(img, (0.99, 1.0), (3 / 4, 4 / 3))
    assert (i, j, h, w) == (0, (100 - round(10 * 4 / 3)) // 2, 10, round(10 * 4 / 3))
    out = T.RandomResizedCrop(8)(Image.fromarray(_img()))
    assert out.size == (8, 8)


def test_random_crop_padding_and_pad_if_needed():
    a = _img(5, 6)
    ember.manual_seed(1)
    outs = {T.RandomCrop(5, padding=2)(a).tobytes() for _ in range(30)}
    assert len(outs) > 5  # offsets vary
    out = T.RandomCrop((8, 9), pad_if_needed=True, fill=3)(a)
    assert out.shape == (8, 9, 3) and (out == 3).any()
    with pytest.raises(ValueError, match="larger than input image size"):
        T.RandomCrop(8)(a)
    t = T.RandomCrop(4, padding=1, padding_mode="reflect")(ember.tensor(a.transpose(2, 0, 1).copy()))
    assert tuple(t.shape) == (3, 4, 4)


def test_flip_probability():
    a = _img()
    ember.manual_seed(0)
    flipped = sum(np.array_equal(T.RandomHorizontalFlip(0.3)(a), a[:, ::-1]) for _ in range(2000))
    assert abs(flipped / 2000 - 0.3) < 4 * math.sqrt(0.21 / 2000)
    assert np.array_equal(T.RandomVerticalFlip(1.0)(a), a[::-1])


def test_reproducible_pipeline_with_manual_seed():
    pipe = T.Compose([T.RandomResizedCrop(12), T.RandomHorizontalFlip(), T.ColorJitter(0.4, 0.4, 0.4, 0.1),
                      T.RandomAffine(10, (0.1, 0.1), (0.9, 1.1), 5), T.ToTensor(), T.RandomErasing(1.0)])
    img = Image.fromarray(_img())
    ember.manual_seed(5)
    a = pipe(img)
    ember.manual_seed(5)
    b = pipe(img)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert tuple(a.shape) == (3, 12, 12)


def test_color_jitter_ranges_and_errors():
    cj = T.ColorJitter(brightness=0.5, hue=0.2)
    assert cj.brightness == [0.5, 1.5] and cj.hue == [-0.2, 0.2] and cj.contrast is None
    ember.manual_seed(0)
    order, b, c, s, h = cj.get_params(cj.brightness, None, None, cj.hue)
    assert sorted(order) == [0, 1, 2, 3] and 0.5 <= b <= 1.5 and c is None and -0.2 <= h <= 0.2
    with pytest.raises(ValueError, match="hue values should be between"):
        T.ColorJitter(hue=0.8)
    with pytest.raises(ValueError, match="non negative"):
        T.ColorJitter(brightness=-1)


def test_random_erasing_region_and_value():
    x = ember.ones(3, 20, 20)
    ember.manual_seed(0)
    out = T.RandomErasing(p=1.0, value=(0.1, 0.2, 0.3))(x).numpy()
    erased = out[0] != 1.0
    assert erased.any() and not erased.all()
    ys, xs = np.nonzero(erased)
    area = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
    assert area == erased.sum()  # a rectangle
    assert 0.02 * 400 * 0.6 <= area <= 0.33 * 400 * 1.3
    assert np.allclose(out[:, erased][:, 0], [0.1, 0.2, 0.3])
    assert x.numpy().min() == 1.0  # not in place
    noise = T.RandomErasing(p=1.0, value="random")(x).numpy()
    assert (noise != 1.0).any()
    with pytest.raises(TypeError, match="Tensor"):
        T.RandomErasing(p=1.0)(_img())


def test_containers():
    ember.manual_seed(0)
    add1 = T.Lambda(lambda v: v + 1)
    assert T.Compose([add1, add1])(0) == 2
    hits = sum(T.RandomApply([add1], p=0.25)(0) for _ in range(2000)) / 2000
    assert abs(hits - 0.25) < 0.05
    picks = [T.RandomChoice([T.Lambda(lambda v: 0), T.Lambda(lambda v: 1)], p=[1, 3])(None)
             for _ in range(2000)]
    assert abs(np.mean(picks) - 0.75) < 0.05
    assert T.RandomOrder([add1, T.Lambda(lambda v: v * 2)])(1) in (3, 4)
    with pytest.raises(TypeError, match="callable"):
        T.Lambda(3)
    assert "RandomCrop(size=(4, 4)" in repr(T.Compose([T.RandomCrop(4)]))


def test_mixup_formula():
    x = ember.tensor(np.random.default_rng(0).random((4, 1, 2, 2)).astype(np.float32))
    y = ember.tensor([0, 1, 2, 1])
    xm, ym = T.mixup(x, y, 0.7, 3)
    expected = 0.7 * x.numpy() + 0.3 * np.roll(x.numpy(), 1, axis=0)
    assert_close(xm, expected, **TOL["float32"], name="mixup x")
    assert_close(ym.numpy()[0], [0.7, 0.3, 0.0], **TOL["float32"], name="mixup y")  # partner = sample 3
    ember.manual_seed(0)
    xm, ym = T.MixUp(alpha=0.4, num_classes=3)(x, y)
    assert_close(ym.sum(1), np.ones(4), **TOL["float32"], name="rows sum to 1")


def test_cutmix_box_and_label_weight():
    x = ember.tensor(np.arange(2 * 1 * 8 * 10, dtype=np.float32).reshape(2, 1, 8, 10))
    box = cutmix_box(0.75, 8, 10, (3, 2))  # r = 0.25: half sides int(2.5)=2, int(2.0)=2
    assert box == (1, 0, 5, 4)
    xm, ym = T.cutmix(x, ember.tensor([0, 1]), box, 2)
    a = x.numpy()
    assert np.array_equal(xm.numpy()[0, :, 0:4, 1:5], a[1, :, 0:4, 1:5])
    assert np.array_equal(xm.numpy()[0, :, 4:, :], a[0, :, 4:, :])
    lam = 1 - 16 / 80
    assert_close(ym.numpy()[0], [lam, 1 - lam], **TOL["float32"], name="cutmix label")
    ember.manual_seed(1)
    xm, ym = T.CutMix(num_classes=2)(x, ember.tensor([0, 1]))
    assert tuple(xm.shape) == (2, 1, 8, 10)
    with pytest.raises(ValueError, match="batch"):
        T.mixup(x[0], ember.tensor([0]), 0.5, 2)
