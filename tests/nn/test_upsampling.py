"""interpolate / Upsample / PixelShuffle vs torch 2.13 (values and gradients)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from _helpers_b import grad_checks, parity, randn
from hypothesis import given
from hypothesis import strategies as st

import ember
import ember.nn.functional as F
from ember import nn

TF = torch.nn.functional

CASES = [
    {"size": (9, 13), "mode": "nearest"}, {"scale_factor": 2, "mode": "nearest"},
    {"scale_factor": (1.7, 0.6), "mode": "nearest"}, {"scale_factor": (1.7, 0.6), "mode": "nearest-exact"},
    {"size": (9, 13), "mode": "bilinear", "align_corners": False}, {"size": (9, 13), "mode": "bilinear", "align_corners": True},
    {"scale_factor": 1.7, "mode": "bilinear"}, {"scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True},
    {"scale_factor": 0.6, "mode": "bicubic", "recompute_scale_factor": True},
    {"size": (11, 4), "mode": "bicubic", "align_corners": True}, {"size": (11, 4), "mode": "bicubic"},
    {"size": (3, 4), "mode": "area"}, {"size": (3, 4), "mode": "bilinear", "antialias": True},
    {"scale_factor": 0.3, "mode": "bicubic", "antialias": True},
]


@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
@pytest.mark.parametrize("dtype,tol", [(np.float64, "float64_reduce"), (np.float32, "float32_reduce")])
def test_interpolate_matches_torch(kw, dtype, tol):
    parity(lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), randn(2, 3, 7, 8, dtype=dtype),
           tol=tol)


def test_linear_and_trilinear():
    parity(lambda x: F.interpolate(x, scale_factor=2.5, mode="linear", align_corners=True),
           lambda x: TF.interpolate(x, scale_factor=2.5, mode="linear", align_corners=True), randn(2, 3, 7))
    parity(lambda x: F.interpolate(x, size=(3, 5, 6), mode="trilinear"),
           lambda x: TF.interpolate(x, size=(3, 5, 6), mode="trilinear"), randn(1, 2, 4, 4, 4))


@given(h=st.integers(1, 8), w=st.integers(1, 8), oh=st.integers(1, 12), ow=st.integers(1, 12),
       mode=st.sampled_from(["nearest", "bilinear", "bicubic", "nearest-exact"]), ac=st.booleans())
def test_interpolate_hypothesis(h, w, oh, ow, mode, ac):
    kw = {"size": (oh, ow), "mode": mode, "align_corners": ac if "nearest" not in mode else None}
    parity(lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), randn(1, 2, h, w))


def test_gradgradcheck():
    grad_checks(lambda x: F.interpolate(x, scale_factor=1.5, mode="bicubic"), randn(1, 2, 4, 5))
    grad_checks(lambda x: F.interpolate(x, size=(7, 3), mode="bilinear", align_corners=True), randn(1, 2, 4, 5))


def test_upsample_modules():
    for em, tm in ((nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2)),
                   (nn.Upsample(size=(5, 7), mode="bilinear"), torch.nn.Upsample(size=(5, 7), mode="bilinear")),
                   (nn.UpsamplingNearest2d(scale_factor=3), torch.nn.UpsamplingNearest2d(scale_factor=3)),
                   (nn.UpsamplingBilinear2d(size=(6, 9)), torch.nn.UpsamplingBilinear2d(size=(6, 9)))):
        assert repr(em) == repr(tm)
        parity(em, tm, randn(2, 3, 4, 5))


def test_pixel_shuffle_roundtrip_and_parity():
    parity(lambda x: F.pixel_shuffle(x, 2), lambda x: TF.pixel_shuffle(x, 2), randn(2, 8, 3, 4))
    parity(lambda x: F.pixel_unshuffle(x, 3), lambda x: TF.pixel_unshuffle(x, 3), randn(1, 2, 6, 9))
    x = ember.tensor(randn(2, 12, 3, 5))
    np.testing.assert_array_equal(nn.PixelUnshuffle(2)(nn.PixelShuffle(2)(x)).numpy(), x.numpy())


@pytest.mark.parametrize("call,match", [
    (lambda: F.interpolate(ember.zeros(1, 1, 4, 4)), "either size or scale_factor"),
    (lambda: F.interpolate(ember.zeros(1, 1, 4, 4), size=2, scale_factor=2), "only one of size"),
    (lambda: F.interpolate(ember.zeros(1, 1, 4, 4), size=2, align_corners=True), "align_corners option"),
    (lambda: F.interpolate(ember.zeros(1, 1, 4, 4), size=2, mode="linear"), "Only 3D, 4D and 5D"),
    (lambda: F.interpolate(ember.zeros(1, 1, 4, 4), size=(2, 2, 2)), "same number of spatial"),
    (lambda: F.pixel_shuffle(ember.zeros(1, 5, 2, 2), 2), "divisible by the square"),
    (lambda: F.pixel_unshuffle(ember.zeros(1, 1, 5, 4), 2), "height to be divisible"),
])
def test_bad_input_errors(call, match):
    with pytest.raises((ValueError, RuntimeError), match=match):
        call()
