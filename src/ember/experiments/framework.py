"""Claims of TOPICS §2.21 (framework API): C175 (the multiplication family), C176 (a custom
Module trains exactly like the built-in Linear)."""
from __future__ import annotations

import numpy as np

import ember

from ._registry import Verdict, claim


def _raises(fn) -> bool:
    try:
        fn()
    except RuntimeError:
        return True
    return False


@claim("C175", "mul is elementwise with broadcasting, dot is 1-D only, mm is strict 2-D, matmul "
       "broadcasts/batches, and @ equals matmul (not mm)", topics="2.21")
def multiplication_family(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    a3, b3 = rng.standard_normal((4, 2, 3)), rng.standard_normal((4, 3, 5))
    A3, B3 = ember.tensor(a3, requires_grad=True), ember.tensor(b3, requires_grad=True)
    checks = {
        "mul_broadcasts": tuple((ember.ones(3, 1) * ember.ones(1, 4)).shape) == (3, 4),
        "mul_by_scalar_scales": bool((ember.tensor([1.0, 2.0]) * 3).tolist() == [3.0, 6.0]),
        "dot_1d": ember.dot(ember.tensor([1.0, 2.0]), ember.tensor([3.0, 4.0])).item() == 11.0,
        "dot_rejects_2d": _raises(lambda: ember.dot(ember.ones(2, 2), ember.ones(2, 2))),
        "mm_rejects_3d": _raises(lambda: ember.mm(A3, B3)),
        "mm_rejects_broadcast": _raises(lambda: ember.mm(ember.ones(2, 3), ember.ones(1, 3, 2))),
        "matmul_batched_equals_numpy": bool(np.allclose((A3 @ B3).detach().numpy(), a3 @ b3)),
        "matmul_vector_equals_numpy": bool(np.allclose(
            (A3 @ ember.tensor(b3[0, :, 0])).detach().numpy(), a3 @ b3[0, :, 0])),
        "at_equals_matmul": bool(ember.equal(A3 @ B3, ember.matmul(A3, B3))),
        "at_is_not_mm": _raises(lambda: ember.mm(A3, B3)) and tuple((A3 @ B3).shape) == (4, 2, 5),
    }
    grad_ok = ember.autograd.gradcheck(lambda x, y: x @ y, (A3, B3))
    checks["matmul_gradcheck"] = bool(grad_ok)
    holds = all(checks.values())
    fig = Figure(figsize=(6, 3))
    ax = fig.subplots()
    names = list(checks)
    ax.barh(names, [1 if v else 0 for v in checks.values()], color=["tab:green" if v else "tab:red"
                                                                   for v in checks.values()])
    ax.set_xlim(0, 1)
    ax.set_title("C175: multiplication API checks (1 = as claimed)")
    fig.tight_layout()
    return Verdict("holds" if holds else "fails", checks, fig,
                   "mul/dot/mm/matmul behave as stated, and @ is matmul (the notes' '@ = mm' is "
                   "wrong: @ batches and broadcasts, mm rejects 3-D).")


@claim("C176", "A custom Module (init parameters, define forward) trains like a built-in layer",
       topics="2.21")
def custom_module_trains_like_builtin(quick: bool) -> Verdict:
    from matplotlib.figure import Figure

    from ember import nn

    class MyLinear(nn.Module):
        """The notes' three steps: subclass Module, create Parameters in __init__, write forward.
        W is stored (in_features, out_features) as in the notes, so forward is x @ W + b."""

        def __init__(self, in_features: int, out_features: int) -> None:
            super().__init__()
            self.W = nn.Parameter(ember.zeros(in_features, out_features))
            self.b = nn.Parameter(ember.zeros(out_features))

        def forward(self, x):
            return x @ self.W + self.b

    rng = np.random.default_rng(0)
    n, d = 1000, 20
    X = rng.standard_normal((n, d)).astype(np.float32)
    w_true = rng.standard_normal((d, 1)).astype(np.float32)
    y = X @ w_true + 0.1 * rng.standard_normal((n, 1)).astype(np.float32)
    X, y = ember.tensor(X), ember.tensor(y)
    builtin = nn.Linear(d, 1)
    custom = MyLinear(d, 1)
    with ember.no_grad():  # equal init: W is the transpose of Linear's (out, in) weight
        custom.W.copy_(builtin.weight.T)
        custom.b.copy_(builtin.bias)
    curves = {}
    steps = 60 if quick else 300
    for name, model in (("builtin", builtin), ("custom", custom)):
        opt = ember.optim.SGD(model.parameters(), lr=0.05)
        losses = []
        for _ in range(steps):
            loss = ((model(X) - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        curves[name] = np.array(losses)
    max_diff = float(np.abs(curves["builtin"] - curves["custom"]).max())
    fig = Figure(figsize=(6, 3.5))
    ax = fig.subplots()
    ax.semilogy(curves["builtin"], label="nn.Linear")
    ax.semilogy(curves["custom"], "--", label="custom Module (x @ W + b)")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("MSE")
    ax.legend()
    ax.set_title("C176: custom layer vs built-in Linear on LINREG")
    fig.tight_layout()
    ev = {"steps": steps, "final_loss_builtin": float(curves["builtin"][-1]),
          "final_loss_custom": float(curves["custom"][-1]), "max_abs_curve_difference": max_diff,
          "n_params_custom": sum(p.numel() for p in custom.parameters())}
    holds = max_diff < 1e-5 * max(1.0, float(curves["builtin"][0]))
    return Verdict("holds" if holds else "fails", ev, fig,
                   "With equal initialisation the custom Module's loss curve matches nn.Linear's "
                   "step for step (float32 rounding only).")
