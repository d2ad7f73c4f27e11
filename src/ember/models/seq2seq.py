"""RNN encoder-decoder (seq2seq) with optional attention, teacher forcing, greedy and beam search.

The encoder reads the source into its states; without attention the decoder starts from the final
state only (the "fixed-length semantic vector" of the notes, TOPICS.md §1.13); with attention every
decoder step also reads a context vector = attention-weighted sum of all encoder outputs. All tensors
are batch-first: src (B, S), tgt (B, T) token ids.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from .._dtype import int64
from ..autograd.grad_mode import no_grad
from .._tensor import Tensor
from .. import nn
from ..nn.utils import rnn as rnn_utils

__all__ = ["Encoder", "Decoder", "Seq2Seq", "make_reversal_data"]

CELLS = {"gru": nn.GRU, "lstm": nn.LSTM, "rnn": nn.RNN}


def _top(hidden: Any) -> Tensor:
    """Top-layer h (B, H) of a GRU/RNN state or an LSTM (h, c) state."""
    return (hidden[0] if isinstance(hidden, tuple) else hidden)[-1]


class Encoder(nn.Module):
    """Embedding + unidirectional RNN. forward(src (B, S), lengths=None) -> (outputs (B, S, H), hidden)."""

    def __init__(self, vocab_size: int, embed_dim: int, hidden_size: int, num_layers: int = 1,
                 cell: str = "gru", dropout: float = 0.0) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r}")
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.rnn = CELLS[cell](embed_dim, hidden_size, num_layers, batch_first=True,
                               dropout=dropout if num_layers > 1 else 0.0)

    def forward(self, src: Tensor, lengths: Any = None) -> tuple:
        x = self.embedding(src)  # (B, S, E)
        if lengths is None:
            return self.rnn(x)
        packed = rnn_utils.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, hidden = self.rnn(packed)
        out, _ = rnn_utils.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        return out, hidden


class Decoder(nn.Module):
    """One step at a time: embed the previous token (+ context), RNN step, project to the vocabulary.

    Args:
        vocab_size, embed_dim, hidden_size, num_layers, cell: as Encoder (same hidden size).
        attention: None (fixed-vector decoder), "bahdanau" or "luong" (general score); the query is
            the previous top-layer state, the context is concatenated to the input and to the output.
    """

    def __init__(self, vocab_size: int, embed_dim: int, hidden_size: int, num_layers: int = 1,
                 cell: str = "gru", attention: str | None = None, dropout: float = 0.0) -> None:
        super().__init__()
        if attention not in (None, "bahdanau", "luong"):
            raise ValueError(f"attention must be None, 'bahdanau' or 'luong', got {attention!r}")
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        ctx = hidden_size if attention else 0
        self.rnn = CELLS[cell](embed_dim + ctx, hidden_size, num_layers, batch_first=True,
                               dropout=dropout if num_layers > 1 else 0.0)
        self.attention = None
        if attention == "bahdanau":
            self.attention = nn.BahdanauAttention(hidden_size, hidden_size, hidden_size)
        elif attention == "luong":
            self.attention = nn.LuongAttention(hidden_size, hidden_size, score="general")
        self.out = nn.Linear(hidden_size + ctx, vocab_size)

    def step(self, token: Tensor, hidden: Any, enc_out: Tensor, mask: Tensor | None = None) -> tuple:
        """token (B,) -> (logits (B, V), hidden, attention weights (B, S) or None)."""
        x = self.embedding(token)  # (B, E)
        w = None
        if self.attention is not None:
            ctx, w = self.attention(_top(hidden), enc_out, mask=mask)  # (B, H), (B, S)
            x = ops.cat([x, ctx], -1)
        out, hidden = self.rnn(x.unsqueeze(1), hidden)  # (B, 1, H)
        out = out.squeeze(1)
        if self.attention is not None:
            out = ops.cat([out, ctx], -1)
        return self.out(out), hidden, w


class Seq2Seq(nn.Module):
    """Encoder-decoder for token sequences.

    Args:
        encoder, decoder: the two halves (same cell type, hidden size and layers).
        sos_index: start token fed to the first decoder step.   eos_index: end token (stops decoding).

    Notes:
        ``forward`` uses teacher forcing: at each step, with probability ``teacher_forcing_ratio`` the
        next input is the true previous target token, otherwise the model's own arg-max prediction
        (one Bernoulli draw per step from ember's generator).
    """

    def __init__(self, encoder: Encoder, decoder: Decoder, sos_index: int = 1, eos_index: int = 2) -> None:
        super().__init__()
        self.encoder, self.decoder = encoder, decoder
        self.sos_index, self.eos_index = sos_index, eos_index

    def _encode(self, src: Tensor, src_lengths: Any) -> tuple:
        enc_out, hidden = self.encoder(src, src_lengths)
        mask = None
        if src_lengths is not None:
            L = np.asarray(src_lengths.numpy() if isinstance(src_lengths, Tensor) else src_lengths)
            mask = ops.tensor(np.arange(src.shape[1])[None, :] < L[:, None])  # (B, S) True = valid
        return enc_out, hidden, mask

    def forward(self, src: Tensor, tgt: Tensor, teacher_forcing_ratio: float = 0.5, src_lengths: Any = None) -> Tensor:
        """Logits (B, T, V) for predicting tgt[:, t] at step t."""
        enc_out, hidden, mask = self._encode(src, src_lengths)
        B, T = tgt.shape
        token = ops.full((B,), self.sos_index, dtype=int64)
        logits = []
        for t in range(T):
            lg, hidden, _ = self.decoder.step(token, hidden, enc_out, mask)
            logits.append(lg)
            teach = teacher_forcing_ratio > 0 and ops.rand(1).item() < teacher_forcing_ratio
            token = tgt[:, t] if teach else lg.detach().argmax(-1)
        return ops.stack(logits, 1)

    def greedy_decode(self, src: Tensor, max_len: int, src_lengths: Any = None) -> tuple:
        """Arg-max decoding: (tokens (B, max_len) int64, attention (B, max_len, S) or None)."""
        with no_grad():
            enc_out, hidden, mask = self._encode(src, src_lengths)
            token = ops.full((src.shape[0],), self.sos_index, dtype=int64)
            out, attn = [], []
            for _ in range(max_len):
                lg, hidden, w = self.decoder.step(token, hidden, enc_out, mask)
                token = lg.argmax(-1)
                out.append(token)
                if w is not None:
                    attn.append(w)
        return ops.stack(out, 1), (ops.stack(attn, 1) if attn else None)

    def beam_search(self, src: Tensor, beam_size: int = 4, max_len: int = 20, src_lengths: Any = None) -> list:
        """Beam search per batch element: keep the ``beam_size`` best partial outputs by summed
        log-probability; a hypothesis ends at ``eos_index`` or ``max_len``. Returns, per source, the
        best (tokens list without SOS/EOS, log-probability)."""
        if beam_size < 1:
            raise ValueError(f"beam_size must be >= 1, got {beam_size}")
        results = []
        with no_grad():
            enc_all, hid_all, mask_all = self._encode(src, src_lengths)
            for b in range(src.shape[0]):
                results.append(self._beam_one(enc_all[b:b + 1], _slice_hidden(hid_all, b),
                                              None if mask_all is None else mask_all[b:b + 1], beam_size, max_len))
        return results

    def _beam_one(self, enc: Tensor, hidden: Any, mask: Any, k: int, max_len: int) -> tuple:
        beams, done = [([], 0.0, hidden)], []
        for _ in range(max_len):
            cand = []
            for toks, score, h in beams:
                prev = ops.tensor([toks[-1] if toks else self.sos_index])
                lg, h2, _ = self.decoder.step(prev, h, enc, mask)
                lp = ops.log_softmax(lg, -1)[0].numpy()
                for tok in np.argsort(-lp)[:k]:
                    cand.append((toks + [int(tok)], score + float(lp[tok]), h2))
            cand.sort(key=lambda c: -c[1])
            beams = []
            for c in cand[:k]:
                (done if c[0][-1] == self.eos_index else beams).append(c)
            if not beams:
                break
        best = max(done + beams, key=lambda c: c[1])
        toks = best[0][:-1] if best[0] and best[0][-1] == self.eos_index else best[0]
        return toks, best[1]


def _slice_hidden(hidden: Any, b: int) -> Any:
    if isinstance(hidden, tuple):
        return tuple(h[:, b:b + 1] for h in hidden)
    return hidden[:, b:b + 1]



def make_reversal_data(n: int, min_len: int = 5, max_len: int = 12, n_symbols: int = 8, seed: int = 0) -> tuple:
    """The SEQ reversal fixture (TOPICS.md §2.0): random sequences and their reversals.

    Tokens: 0 = pad, 1 = SOS, 2 = EOS, 3 .. 3 + n_symbols - 1 = symbols.
    Returns (src (n, max_len) int64 padded, tgt (n, max_len + 1) int64 = reversed src + EOS, padded,
    lengths (n,) int64).
    """
    rng = np.random.default_rng(seed)
    lengths = rng.integers(min_len, max_len + 1, size=n)
    src = np.zeros((n, max_len), dtype=np.int64)
    tgt = np.zeros((n, max_len + 1), dtype=np.int64)
    for i, L in enumerate(lengths):
        seq = rng.integers(3, 3 + n_symbols, size=L)
        src[i, :L] = seq
        tgt[i, :L] = seq[::-1]
        tgt[i, L] = 2
    return src, tgt, lengths.astype(np.int64)
