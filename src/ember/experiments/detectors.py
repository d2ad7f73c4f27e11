"""Detection-architecture claims of TOPICS §2.12 that need autograd: C121 (SPP / RoI pooling give
fixed-size outputs from any input and route gradients to the max positions)."""
from __future__ import annotations

import numpy as np

import ember
from ember.vision import ops

from ._registry import Verdict, claim


@claim("C121", "SPP and RoI pooling produce fixed-size outputs from arbitrary input sizes",
       topics="2.12")
def spp_roi_fixed_size(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    sizes = list(range(7, 41, 11 if quick else 3))
    spp = ops.SpatialPyramidPooling((1, 2, 4))
    spp_shapes, roi_shapes, routed = [], [], []
    for s in sizes:
        x = ember.tensor(rng.standard_normal((1, 4, s, s + 3)).astype(np.float32), requires_grad=True)
        y = spp(x)
        spp_shapes.append(tuple(y.shape))
        k = 3
        x1 = rng.uniform(0, s / 2, k)
        boxes = np.stack([np.zeros(k), x1, x1, x1 + rng.uniform(3, s / 2, k), x1 + rng.uniform(3, s / 2, k)], 1)
        r = ops.roi_pool(x, ember.tensor(boxes, dtype=ember.float32), (3, 3))
        roi_shapes.append(tuple(r.shape))
        (y.sum() + r.sum()).backward()
        g = x.grad.numpy()
        # every max cell sends its gradient to exactly one input position: total = number of cells
        routed.append(float(g.sum()) == float(y.numel() + r.numel()))
    xg = ember.tensor(rng.standard_normal((1, 2, 6, 7)), requires_grad=True)
    b = ember.tensor([[0, 0.3, 0.4, 5.2, 4.9]], dtype=ember.float64)
    gradcheck_ok = ember.autograd.gradcheck(lambda t: ops.roi_align(t, b, 2, 1.0, 2), (xg,))
    fixed = len(set(spp_shapes)) == 1 and len(set(roi_shapes)) == 1
    ok = fixed and all(routed) and gradcheck_ok
    fig = Figure(figsize=(6, 3))
    ax = fig.subplots()
    ax.plot(sizes, [s[1] for s in spp_shapes], "o-", label="SPP output length")
    ax.plot(sizes, [np.prod(s[1:]) for s in roi_shapes], "s-", label="RoI pool output size / RoI")
    ax.set_xlabel("input side (pixels)")
    ax.legend()
    ax.set_title("C121: output size is independent of input size")
    fig.tight_layout()
    ev = {"input_sizes": sizes, "spp_shape": spp_shapes[0], "roi_pool_shape": roi_shapes[0],
          "fixed_shapes": fixed, "gradient_routed_to_single_max": all(routed),
          "roi_align_gradcheck": bool(gradcheck_ok)}
    return Verdict("holds" if ok else "fails", ev, fig,
                   "SPP (1+4+16 bins per channel) and RoI pooling give the same shape for every "
                   "input size; gradients go only to the max positions.")
