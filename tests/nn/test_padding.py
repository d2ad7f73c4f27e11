"""Padding modules vs torch 2.13 (values, gradients, repr)."""
from __future__ import annotations

import pytest
import torch
from _helpers_b import parity, randn

from ember import nn

NAMES = ["ZeroPad{}d", "ReflectionPad{}d", "ReplicationPad{}d", "CircularPad{}d"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("nd,pad", [(1, 2), (1, (1, 3)), (2, 1), (2, (1, 2, 0, 3)), (3, (1, 0, 2, 1, 1, 1))])
def test_padding_modules_match_torch(name, nd, pad):
    cls = name.format(nd)
    em, tm = getattr(nn, cls)(pad), getattr(torch.nn, cls)(pad)
    assert repr(em) == repr(tm)
    parity(em, tm, randn(2, 3, *[5] * nd))
    parity(em, tm, randn(3, *[4] * nd))  # unbatched


@pytest.mark.parametrize("nd,pad", [(1, (2, 1)), (2, (1, 2, 0, 3)), (3, 1)])
def test_constant_pad(nd, pad):
    cls = f"ConstantPad{nd}d"
    em, tm = getattr(nn, cls)(pad, 3.5), getattr(torch.nn, cls)(pad, 3.5)
    assert repr(em) == repr(tm)
    parity(em, tm, randn(2, 3, *[4] * nd))


def test_bad_inputs():
    with pytest.raises(ValueError, match="4-tuple"):
        nn.ZeroPad2d((1, 2, 3))
    with pytest.raises(RuntimeError, match="Padding size should be less"):
        nn.ReflectionPad2d(3)(nn.Identity()(randn_t()))
    with pytest.raises(ValueError, match="expected 3D or 4D"):
        nn.ReflectionPad2d(1)(randn_t().reshape(2, 3))


def randn_t():
    import ember
    return ember.tensor(randn(1, 1, 2, 3))
