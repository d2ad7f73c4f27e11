"""The one tolerance table of the test suite (STYLE S10). Loosening a row needs a reason."""
from __future__ import annotations

TOL = {
    # elementwise float32 vs torch: one or two ulps of float32
    "float32": dict(rtol=1e-5, atol=1e-6),
    # reductions / matmul / conv in float32: summation order differs from torch's kernels
    "float32_reduce": dict(rtol=1e-4, atol=1e-5),
    "float64": dict(rtol=1e-10, atol=1e-12),
    # long sums in float64 (e.g. large convs): different summation order
    "float64_reduce": dict(rtol=1e-9, atol=1e-10),
    # central differences with eps 1e-6 in float64
    "gradcheck": dict(eps=1e-6, atol=1e-5, rtol=1e-3),
    # the loss of one training step of a deep net (ResNet-18, LSTM LM) in float32: many long
    # reductions in a different order than torch's kernels
    "float32_deep": dict(rtol=1e-3, atol=1e-5),
    # optimizer trajectories over hundreds of steps
    "trajectory": dict(rtol=1e-5, atol=1e-7),
    # classical algorithms vs their oracle (sklearn/skimage/OpenCV); see ORACLES.md
    "oracle": dict(rtol=1e-6, atol=1e-8),
    # two different iterative solvers (e.g. saga vs L-BFGS-B, coordinate descent), each run to tol<=1e-10
    "iterative": dict(rtol=1e-5, atol=1e-6),
    # SMO vs libsvm: different working sets/shrinking, both stop at KKT violation tol=1e-3 (ORACLES §5)
    "svm": dict(rtol=0.0, atol=5e-3),
    # metrics vs scikit-learn / pycocotools: same float64 formula, differences are round-off only
    # (ORACLES.md §3 "1e-12")
    "metrics": dict(rtol=1e-12, atol=1e-12),
    # uint8 image results vs OpenCV: its fixed-point weights / float32 rounding move a value by one
    # grey level (ORACLES.md §2.2, §4: resize, GaussianBlur, CLAHE, bilateral)
    "uint8_level": dict(rtol=0.0, atol=1.0),
    # float32 image pipelines vs OpenCV / SciPy float32 kernels (values up to ~255: a few float32 ulps)
    "image_float32": dict(rtol=1e-5, atol=1e-4),
}


def assert_close(actual, expected, rtol: float, atol: float, name: str = "value") -> None:
    """np.testing-style comparison whose message gives the max abs/rel error and its index."""
    import numpy as np

    a = np.asarray(actual, dtype=np.float64) if not hasattr(actual, "numpy") else _np(actual)
    e = np.asarray(expected, dtype=np.float64) if not hasattr(expected, "numpy") else _np(expected)
    if a.shape != e.shape:
        raise AssertionError(f"{name}: shape {a.shape} != expected {e.shape}")
    same = (np.isnan(a) & np.isnan(e)) | (a == e)  # nan vs nan and inf vs inf count as equal
    with np.errstate(invalid="ignore"):
        err = np.where(same, 0.0, np.abs(a - e))
        bad = ~(err <= atol + rtol * np.abs(e)) & ~same
    if bad.any():
        i = np.unravel_index(int(np.argmax(np.where(bad, err, -1))), err.shape) if err.ndim else ()
        rel = err[i] / max(abs(float(e[i])), 1e-300)
        raise AssertionError(f"{name}: {int(bad.sum())}/{bad.size} elements differ; max abs err "
                             f"{float(err[i]):.3g} (rel {rel:.3g}) at {i}: {float(a[i])!r} vs "
                             f"{float(e[i])!r} (rtol={rtol}, atol={atol})")


def _np(t):
    import numpy as np

    if hasattr(t, "detach"):
        t = t.detach()
    if hasattr(t, "cpu"):
        t = t.cpu()
    return np.asarray(t.numpy(), dtype=np.float64)
