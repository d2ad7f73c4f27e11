"""ember.imgproc vs OpenCV and scikit-image on a 512x512 image, one run side by side.

Gaussian blur, Canny, HOG, LBP and bilinear resize; best of ``REPEAT`` runs, milliseconds.
Run: ``.venv/bin/python benchmarks/imgproc_vs_references.py``.
"""
from __future__ import annotations

import time

import numpy as np

from ember.imgproc import data, feature, filters, transform

REPEAT = 3


def best_ms(fn) -> float:
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * min(times)


def main() -> None:
    import cv2
    import skimage.feature as skf
    import skimage.filters as skfilt
    import skimage.transform as skt

    img = data.scene("shapes", 512, 0) + np.random.default_rng(0).normal(0, 5, (512, 512))
    u8 = np.clip(img, 0, 255).astype(np.uint8)
    f32 = img.astype(np.float32)
    rows = {
        "gaussian sigma=2": (lambda: filters.gaussian(f32, 2.0, mode="mirror"),
                             lambda: cv2.GaussianBlur(f32, (0, 0), 2.0),
                             lambda: skfilt.gaussian(f32, 2.0, preserve_range=True)),
        "canny": (lambda: feature.canny(u8, 0, 50, 150),
                  lambda: cv2.Canny(u8, 50, 150, L2gradient=True),
                  lambda: skf.canny(u8, 1.0)),
        "hog 8x8 cells 3x3 blocks": (lambda: feature.hog(img), None, lambda: skf.hog(img)),
        "lbp P=8 R=1 uniform": (lambda: feature.local_binary_pattern(img, 8, 1, "uniform"), None,
                                lambda: skf.local_binary_pattern(img, 8, 1, "uniform")),
        "resize bilinear 512->300": (lambda: transform.resize(f32, (300, 300)),
                                     lambda: cv2.resize(f32, (300, 300), interpolation=cv2.INTER_LINEAR),
                                     lambda: skt.resize(f32, (300, 300), order=1, anti_aliasing=False)),
    }
    print(f"{'operation':28s} {'ember':>9s} {'OpenCV':>9s} {'skimage':>9s}   (ms, best of {REPEAT})")
    for name, fns in rows.items():
        cols = [f"{best_ms(f):9.1f}" if f is not None else f"{'-':>9s}" for f in fns]
        print(f"{name:28s} {' '.join(cols)}")


if __name__ == "__main__":
    main()
