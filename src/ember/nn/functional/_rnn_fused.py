"""Fused, vectorized one-layer, one-direction RNN / LSTM / GRU ops with hand-written BPTT.

Forward: one GEMM for the input projection of the whole sequence (``x @ W_ih^T + b`` for all T),
then a loop over time with one recurrent GEMM per step; the gate activations are saved. Backward:
backpropagation through time in the array library, the per-step gate gradients stacked so that
``dW_ih``, ``dW_hh`` and ``dx`` are again single GEMMs over all T.

Variable lengths use a validity mask ``m`` of shape (T, B): past its length a sequence holds its
state (``h_t = m * h_cand + (1 - m) * h_{t-1}``) and outputs zeros (``y_t = m * h_cand``). This is
how packed sequences run (see ``ember.nn.modules.rnn``).

The staged twin built from ember ops (gate equations, double-differentiable) lives in
``_rnn_cells.py``; tests/nn/test_rnn.py checks both agree in value and every gradient (float64).
Backward returns arrays, so no double backward through the fused op (STYLE S4).
"""
from __future__ import annotations

from typing import Any

from ..._backend import get_array_module
from ...autograd.function import Op

__all__ = ["rnn_layer_fused"]

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _sigmoid(xp: Any, x: Any) -> Any:
    return 0.5 * (xp.tanh(0.5 * x) + 1.0)  # overflow-free logistic


def _blend(m: Any, new: Any, old: Any) -> Any:
    """m * new + (1 - m) * old for a (B, 1) 0/1 mask (None = all valid)."""
    return new if m is None else old + m * (new - old)


class RNNLayer(Op):
    """One layer, one direction, all T steps.

    Equations (PyTorch convention; gate blocks stacked along dim 0 of the weights):
        RNN:  h' = act(W_ih x + b_ih + W_hh h + b_hh)
        LSTM: [i, f, g, o] = [s, s, tanh, s](W_ih x + b_ih + W_hh h + b_hh);  c' = f*c + i*g;
              h' = W_hr (o * tanh(c'))   (W_hr only when proj_size > 0)
        GRU:  [r, z] = s(W_i[rz] x + b_i[rz] + W_h[rz] h + b_h[rz]);
              n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h' = (1 - z) * n + z * h
    Inputs: x (T, B, I), h0 (B, H_out), c0 (B, H) or None, weights, mask (T, B) array or None.
    Outputs: y (T, B, H_out), h_n (B, H_out), c_n (B, H) for LSTM.
    """

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, mask, mode):
        xp = get_array_module(x)
        T, B, _ = x.shape
        xg = x.reshape(T * B, -1) @ w_ih.T  # (T*B, G*H)
        if b_ih is not None:
            xg += b_ih
            if mode != "GRU":  # GRU keeps b_hn inside r * (...)
                xg += b_hh
        xg = xg.reshape(T, B, -1)  # (T, B, G*H)
        H = w_hh.shape[0] // GATES[mode]
        hs = xp.empty((T + 1, B, h0.shape[-1]), dtype=x.dtype)  # hs[t] = state before step t
        hs[0] = h0
        acts = xp.empty_like(xg)
        cs = xp.empty((T + 1, B, H), dtype=x.dtype) if mode == "LSTM" else None
        hn = xp.empty((T, B, H), dtype=x.dtype) if mode == "GRU" else None
        pre = xp.empty((T, B, H), dtype=x.dtype) if w_hr is not None else None
        if cs is not None:
            cs[0] = c0
        ys = xp.empty_like(hs[1:])
        for t in range(T):
            m = None if mask is None else mask[t][:, None]
            h = hs[t]
            if mode == "LSTM":
                g = xg[t] + h @ w_hh.T
                a = acts[t]
                a[:] = _sigmoid(xp, g)
                a[:, 2 * H:3 * H] = xp.tanh(g[:, 2 * H:3 * H])
                c_new = a[:, H:2 * H] * cs[t] + a[:, :H] * a[:, 2 * H:3 * H]
                o_new = a[:, 3 * H:] * xp.tanh(c_new)
                if pre is not None:
                    pre[t] = o_new
                    o_new = o_new @ w_hr.T
                cs[t + 1] = _blend(m, c_new, cs[t])
            elif mode == "GRU":
                hh = h @ w_hh.T
                if b_hh is not None:
                    hh += b_hh
                rz = _sigmoid(xp, xg[t, :, :2 * H] + hh[:, :2 * H])
                hn[t] = hh[:, 2 * H:]
                n = xp.tanh(xg[t, :, 2 * H:] + rz[:, :H] * hn[t])
                acts[t, :, :2 * H], acts[t, :, 2 * H:] = rz, n
                z = rz[:, H:]
                o_new = n + z * (h - n)
            else:
                a = xg[t] + h @ w_hh.T
                o_new = xp.tanh(a) if mode == "RNN_TANH" else xp.maximum(a, 0)
                acts[t] = o_new
            ys[t] = o_new if m is None else m * o_new
            hs[t + 1] = _blend(m, o_new, h)
        ctx.mode, ctx.H = mode, H
        ctx.arrays = (x, hs, cs, acts, hn, pre, mask)
        ctx.save_for_backward(w_ih, w_hh, b_hh, w_hr)
        if mode == "LSTM":
            return ys, hs[T].copy(), cs[T].copy()
        return ys, hs[T].copy()

    @staticmethod
    def backward(ctx, gy, ghn, gcn=None):
        w_ih, w_hh, b_hh, w_hr = (None if t is None else t._data for t in ctx.saved_tensors)
        x, hs, cs, acts, hn, pre, mask = ctx.arrays
        mode, H = ctx.mode, ctx.H
        xp = get_array_module(x)
        T, B, _ = x.shape
        gy = gy._data if gy is not None else xp.zeros((T, B, hs.shape[-1]), dtype=x.dtype)
        dh = ghn._data.copy() if ghn is not None else xp.zeros_like(hs[0])
        dc = None
        if mode == "LSTM":
            dc = gcn._data.copy() if gcn is not None else xp.zeros_like(cs[0])
        dpre = xp.empty_like(acts)  # gradient of the gate pre-activations
        dhg = xp.empty_like(acts) if mode == "GRU" else None  # GRU: of W_hh h + b_hh
        dw_hr = xp.zeros_like(w_hr) if w_hr is not None else None
        for t in range(T - 1, -1, -1):
            m = None if mask is None else mask[t][:, None]
            dcand = dh + gy[t] if m is None else m * (dh + gy[t])
            keep = None if m is None else (1.0 - m) * dh
            if mode == "LSTM":
                if w_hr is not None:
                    dw_hr += dcand.T @ pre[t]
                    dcand = dcand @ w_hr
                a = acts[t]
                i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
                c_new = f * cs[t] + i * g
                tc = xp.tanh(c_new)
                dcc = dcand * o * (1.0 - tc * tc) + (dc if m is None else m * dc)
                d = dpre[t]
                d[:, :H] = dcc * g * i * (1.0 - i)
                d[:, H:2 * H] = dcc * cs[t] * f * (1.0 - f)
                d[:, 2 * H:3 * H] = dcc * i * (1.0 - g * g)
                d[:, 3 * H:] = dcand * tc * o * (1.0 - o)
                dc = dcc * f if m is None else dcc * f + (1.0 - m) * dc
                dh = d @ w_hh
            elif mode == "GRU":
                a = acts[t]
                r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
                dn = dcand * (1.0 - z) * (1.0 - n * n)
                d, e = dpre[t], dhg[t]
                d[:, :H] = dn * hn[t] * r * (1.0 - r)
                d[:, H:2 * H] = dcand * (hs[t] - n) * z * (1.0 - z)
                d[:, 2 * H:] = dn
                e[:, :2 * H] = d[:, :2 * H]
                e[:, 2 * H:] = dn * r
                dh = e @ w_hh + dcand * z
            else:
                y = acts[t]
                d = dpre[t]
                d[:] = dcand * (1.0 - y * y) if mode == "RNN_TANH" else dcand * (y > 0)
                dh = d @ w_hh
            if keep is not None:
                dh += keep
        return _weight_grads(ctx, x, hs, dpre, dhg, dh, dc, w_ih, b_hh, dw_hr)


def _weight_grads(ctx: Any, x: Any, hs: Any, dpre: Any, dhg: Any, dh: Any, dc: Any, w_ih: Any,
                  b_hh: Any, dw_hr: Any) -> tuple:
    """Whole-sequence GEMMs: dx = dG W_ih, dW_ih = dG^T x, dW_hh = dG_h^T h_{t-1}, biases = sums."""
    T, B, I = x.shape
    need = ctx.needs_input_grad
    G = dpre.reshape(T * B, -1)  # (T*B, G*H)
    Gh = G if dhg is None else dhg.reshape(T * B, -1)
    dx = (G @ w_ih).reshape(T, B, I) if need[0] else None
    dw_ih = G.T @ x.reshape(T * B, I) if need[3] else None
    dw_hh = Gh.T @ hs[:-1].reshape(T * B, -1) if need[4] else None
    db_ih = G.sum(0) if need[5] else None
    db_hh = Gh.sum(0) if (need[6] and b_hh is not None) else None
    return dx, dh if need[1] else None, dc if need[2] else None, dw_ih, dw_hh, db_ih, db_hh, dw_hr, \
        None, None


def rnn_layer_fused(mode: str, x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any = None,
                    b_hh: Any = None, w_hr: Any = None, mask: Any = None) -> tuple:
    """Run one layer in one direction with the fused op.

    Args:
        mode: "RNN_TANH", "RNN_RELU", "LSTM" or "GRU".
        x: (T, B, I) Tensor. h0: (B, H_out). c0: (B, H) for LSTM, else None.
        w_ih (G*H, I), w_hh (G*H, H_out), b_ih/b_hh (G*H) or None, w_hr (H_out, H) or None.
        mask: (T, B) array of 0/1 in x's dtype, or None (every step valid).

    Returns:
        (y (T, B, H_out), h_n (B, H_out)) and c_n (B, H) appended for LSTM.
    """
    if mode not in GATES:
        raise ValueError(f"Unknown RNN mode {mode!r}; expected one of {sorted(GATES)}")
    return RNNLayer.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr, mask, mode)
