"""Inpainting: deterministic properties (no library implements Criminisi; ORACLES.md §4)."""
import numpy as np
import pytest
from tolerances import TOL, assert_close

from ember.imgproc import data
from ember.imgproc import restoration as R

cv2 = pytest.importorskip("cv2")


def _hole(n=40, r0=14, size=10):
    m = np.zeros((n, n), bool)
    m[r0:r0 + size, r0:r0 + size] = True
    return m


def _psnr(a, b, mask):
    mse = np.mean((a[mask] - b[mask]) ** 2)
    return 10 * np.log10(255 ** 2 / max(mse, 1e-12))


def test_exemplar_copies_known_pixels_verbatim():
    img = data.scene("texture", 40, 0)
    mask = _hole()
    damaged = np.where(mask, 0.0, img)
    out, trace = R.inpaint_exemplar(damaged, mask, 7, return_trace=True)
    np.testing.assert_array_equal(out[~mask], damaged[~mask])
    known_vals = set(np.round(damaged[~mask], 9))
    assert set(np.round(out[mask], 9)) <= known_vals
    assert len(trace.targets) == len(trace.sources) >= 2
    assert all(p > 0 for p in trace.priorities)


def test_exemplar_restores_periodic_texture_better_than_diffusion():
    img = data.scene("texture", 40, 0)
    mask = _hole()
    damaged = np.where(mask, 0.0, img)
    ex = R.inpaint_exemplar(damaged, mask, 9)
    diff = R.inpaint_diffusion(damaged, mask)
    assert _psnr(ex, img, mask) > _psnr(diff, img, mask) + 3


def test_exemplar_fill_order_prefers_the_edge():
    img = np.zeros((20, 20))
    img[:, 10:] = 200.0  # a vertical edge crossing the hole
    mask = np.zeros((20, 20), bool)
    mask[7:13, 7:13] = True
    _, trace = R.inpaint_exemplar(img, mask, 5, return_trace=True)
    assert trace.targets[0][1] in (8, 9, 10, 11)  # first target: where the isophote enters (+-1 px)


def test_diffusion_and_onion_fill_smooth_content():
    yy, xx = np.mgrid[0:40, 0:40]
    img = 2.0 * xx + yy  # harmonic: diffusion reproduces it
    mask = _hole()
    out = R.inpaint_diffusion(np.where(mask, 0, img), mask, max_iter=5000, tol=1e-9)
    assert np.abs(out - img)[mask].max() < 0.05
    onion = R.inpaint_onion(np.where(mask, 0, img), mask)
    assert np.abs(onion - img)[mask].mean() < 5.0
    ref = cv2.inpaint(img.astype(np.uint8), mask.astype(np.uint8), 3, cv2.INPAINT_TELEA)
    assert np.abs(onion - ref)[mask].mean() < 5.0


def test_bad_inputs():
    with pytest.raises(ValueError, match="mask shape"):
        R.inpaint_diffusion(np.zeros((5, 5)), np.zeros((4, 4)))
    with pytest.raises(ValueError, match="patch_size"):
        R.inpaint_exemplar(np.zeros((9, 9)), _hole(9, 3, 2), 4)
    with pytest.raises(ValueError, match="whole image"):
        R.inpaint_onion(np.zeros((5, 5)), np.ones((5, 5)))


@pytest.mark.parametrize("balance", [0.01, 0.1])
def test_wiener_matches_skimage_and_deblurs(balance):
    skr = pytest.importorskip("skimage.restoration")
    img = data.scene("shapes", 48, 1) / 255.0
    psf = np.ones((5, 5)) / 25
    blurred = R.circular_blur(img, psf) + np.random.default_rng(0).normal(0, 0.002, img.shape)
    ours = R.wiener(blurred, psf, balance)
    assert_close(ours, skr.wiener(blurred, psf, balance), **TOL["float64_reduce"])
    if balance == 0.01:
        assert np.abs(ours - img).mean() < np.abs(blurred - img).mean()
