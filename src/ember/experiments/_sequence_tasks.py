"""SEQ fixtures and small training loops shared by the sequence claims (TOPICS.md §2.0, §2.9)."""
from __future__ import annotations

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.models import Decoder, Encoder, Seq2Seq, make_reversal_data
from ember.nn.utils.ctc_decode import ctc_greedy_decode


def adding_problem(n: int, T: int, rng: np.random.Generator) -> tuple:
    """x (T, n, 2): a U(0,1) value channel and a marker channel with two ones; y = sum of marked values."""
    vals = rng.random((T, n))
    marks = np.zeros((T, n))
    for i in range(n):
        marks[rng.choice(T, 2, replace=False), i] = 1.0
    return np.stack([vals, marks], -1).astype(np.float32), (vals * marks).sum(0)[:, None].astype(np.float32)


def _make(kind: str, inp: int, hidden: int, recurrent_std: float | None = None) -> nn.Module:
    m = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](inp, hidden)
    if kind == "lstm":
        with ember.no_grad():
            m.bias_hh_l0[hidden:2 * hidden] += 1.0  # forget-gate bias 1 (std, TOPICS.md §1.13)
    if recurrent_std is not None:
        nn.init.normal_(m.weight_hh_l0, std=recurrent_std)
    return m


def grad_norm_through_time(kind: str, T: int, seed: int = 0, hidden: int = 32, recurrent_std: float | None = None,
                           wrt: str = "input") -> float:
    """At init: ||d sum(h_T) / d x_1|| (wrt="input") or ||d sum(h_T) / d W_hh|| (wrt="weights")."""
    ember.manual_seed(seed)
    m = _make(kind, 8, hidden, recurrent_std)
    x = ember.randn(T, 4, 8, requires_grad=True)
    out, _ = m(x)
    out[-1].sum().backward()
    g = x.grad[0] if wrt == "input" else m.weight_hh_l0.grad
    return float((g * g).sum().sqrt().item())


def train_recurrent_regressor(kind: str, T: int, steps: int, hidden: int = 32, seed: int = 0,
                              recurrent_std: float | None = None, clip: float | None = None) -> dict:
    """Adding problem with Adam (lr 1e-2, batch 32); returns per-step loss and gradient norm."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    rnn, head = _make(kind, 2, hidden, recurrent_std), nn.Linear(hidden, 1)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = ember.optim.Adam(params, lr=1e-2)
    hist = {"loss": [], "grad_norm": []}
    for _ in range(steps):
        x, y = adding_problem(32, T, rng)
        out, _ = rnn(ember.tensor(x))
        loss = F.mse_loss(head(out[-1]), ember.tensor(y))
        opt.zero_grad()
        loss.backward()
        hist["grad_norm"].append(float(np.sqrt(sum((p.grad.numpy() ** 2).sum() for p in params))))
        if clip is not None:
            nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        hist["loss"].append(loss.item())
    return hist


class _KVAttention(nn.Module):
    """One soft-attention layer: score = (W_q q) . (W_k x_i) / sqrt(d); out = W_o sum_i w_i x_i."""

    def __init__(self, n_keys: int, n_vals: int, d: int = 32) -> None:
        super().__init__()
        self.q, self.k = nn.Linear(n_keys, d), nn.Linear(n_keys + n_vals, d)
        self.o = nn.Linear(n_keys + n_vals, n_vals)

    def forward(self, pairs: ember.Tensor, query: ember.Tensor) -> tuple:
        s = (self.k(pairs) @ self.q(query).unsqueeze(-1)).squeeze(-1) * 32 ** -0.5  # (B, P)
        w = s.softmax(-1)
        return self.o((w.unsqueeze(1) @ pairs).squeeze(1)), w


def _kv_batch(n: int, n_pairs: int, n_keys: int, n_vals: int, rng: np.random.Generator) -> tuple:
    keys = np.stack([rng.choice(n_keys, n_pairs, replace=False) for _ in range(n)])
    vals = rng.integers(0, n_vals, (n, n_pairs))
    pos = rng.integers(0, n_pairs, n)
    pairs = np.concatenate([np.eye(n_keys)[keys], np.eye(n_vals)[vals]], -1).astype(np.float32)
    query = np.eye(n_keys)[keys[np.arange(n), pos]].astype(np.float32)
    return pairs, query, vals[np.arange(n), pos], pos


def kv_retrieval(steps: int, n_pairs: int = 4, n_keys: int = 8, n_vals: int = 8, seed: int = 0) -> dict:
    """Train the single attention layer; report mass on the matching pair and accuracy on new data."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = _KVAttention(n_keys, n_vals)
    opt = ember.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        pairs, query, target, _ = _kv_batch(64, n_pairs, n_keys, n_vals, rng)
        logits, _ = model(ember.tensor(pairs), ember.tensor(query))
        loss = F.cross_entropy(logits, ember.tensor(target))
        opt.zero_grad()
        loss.backward()
        opt.step()
    pairs, query, target, pos = _kv_batch(1000, n_pairs, n_keys, n_vals, rng)
    with ember.no_grad():
        logits, w = model(ember.tensor(pairs), ember.tensor(query))
    w = w.numpy()
    return {"mass_on_correct": float(w[np.arange(1000), pos].mean()),
            "accuracy": float((logits.numpy().argmax(-1) == target).mean()), "steps": steps,
            "n_pairs": n_pairs, "final_train_loss": loss.item(), "example_weights": w[:8]}


def train_reversal(attention: str | None, min_len: int, max_len: int, steps: int, hidden: int, seed: int = 0) -> dict:
    """GRU seq2seq on sequence reversal (teacher forcing 0.5, Adam 5e-3); token accuracy by length."""
    ember.manual_seed(seed)
    V = 3 + 8
    src, tgt, L = make_reversal_data(4000, min_len, max_len, 8, seed=seed)
    model = Seq2Seq(Encoder(V, 32, hidden), Decoder(V, 32, hidden, attention=attention))
    opt = ember.optim.Adam(model.parameters(), lr=5e-3)
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        i = rng.integers(0, 3500, 32)
        logits = model(ember.tensor(src[i]), ember.tensor(tgt[i]), 0.5, src_lengths=L[i])
        loss = F.cross_entropy(logits.reshape(-1, V), ember.tensor(tgt[i]).reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    te = slice(3500, 4000)
    pred, _ = model.greedy_decode(ember.tensor(src[te]), max_len, src_lengths=L[te])
    pred, gold, lens = pred.numpy(), tgt[te, :max_len], L[te]
    return {int(n): float(np.mean([(pred[j, :n] == gold[j, :n]).mean() for j in np.where(lens == n)[0]]))
            for n in np.unique(lens)}


def _ctc_batch(n: int, rng: np.random.Generator, n_labels: int = 3) -> tuple:
    """Frames (T, n, n_labels+1): each label held 1-3 frames, optional blank frames; noisy one-hots."""
    xs, targets, lengths = [], [], []
    for _ in range(n):
        lab = list(rng.integers(1, n_labels + 1, rng.integers(1, 4)))
        frames = []
        for k, c in enumerate(lab):
            if k and (c == lab[k - 1] or rng.random() < 0.5):
                frames.append(0)
            frames += [c] * int(rng.integers(1, 4))
        xs.append(frames)
        targets.append(lab + [0] * (3 - len(lab)))
        lengths.append(len(lab))
    T = max(map(len, xs))
    x = np.zeros((T, n, n_labels + 1), dtype=np.float32)
    for i, f in enumerate(xs):
        x[np.arange(len(f)), i, f] = 1.0
    x += 0.3 * rng.standard_normal(x.shape).astype(np.float32)
    return x, np.array(targets), np.array([len(f) for f in xs]), np.array(lengths)


def train_ctc_toy(steps: int, seed: int = 0) -> tuple:
    """GRU(16) + Linear + log_softmax trained with CTC; greedy-decoding sequence accuracy on new data."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    rnn, head = nn.GRU(4, 16, bidirectional=True), nn.Linear(32, 4)
    opt = ember.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=2e-2)
    losses = []
    for _ in range(steps):
        x, tg, il, tl = _ctc_batch(32, rng)
        lp = head(rnn(ember.tensor(x))[0]).log_softmax(-1)
        loss = F.ctc_loss(lp, ember.tensor(tg), il, tl)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    x, tg, il, tl = _ctc_batch(200, rng)
    with ember.no_grad():
        lp = head(rnn(ember.tensor(x))[0]).log_softmax(-1)
    dec = ctc_greedy_decode(lp, il)
    acc = float(np.mean([d == list(tg[i, :tl[i]]) for i, d in enumerate(dec)]))
    return acc, losses


def recall_first_token(kind: str, T: int, steps: int, hidden: int = 32, vocab: int = 4,
                       seed: int = 0, batch: int = 64) -> float:
    """SEQ task "recall the first token after lag T": one-hot tokens plus a first-step flag,
    (T, B, vocab + 1); the label is the first token, read from the last hidden state. Returns the
    held-out accuracy (chance = 1 / vocab) after ``steps`` Adam steps."""
    ember.manual_seed(seed)
    rng = np.random.default_rng(seed)
    rnn = _make(kind, vocab + 1, hidden)
    head = nn.Linear(hidden, vocab)
    opt = ember.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-2)

    def batch_of(n: int) -> tuple:
        tok = rng.integers(0, vocab, (T, n))
        x = np.zeros((T, n, vocab + 1), np.float32)  # one-hot token + a "first step" flag
        x[np.arange(T)[:, None], np.arange(n)[None, :], tok] = 1.0
        x[0, :, vocab] = 1.0
        return ember.tensor(x), ember.tensor(tok[0])

    for _ in range(steps):
        x, y = batch_of(batch)
        out, _ = rnn(x)
        loss = ember.nn.functional.cross_entropy(head(out[-1]), y)
        opt.zero_grad()
        loss.backward()
        ember.nn.utils.clip_grad_norm_(list(rnn.parameters()) + list(head.parameters()), 5.0)
        opt.step()
    x, y = batch_of(1000)
    with ember.no_grad():
        out, _ = rnn(x)
        return float((head(out[-1]).argmax(1) == y).float().mean().item())
