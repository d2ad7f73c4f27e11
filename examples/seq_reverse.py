"""Learn to reverse token sequences with a GRU seq2seq + Luong attention (ember.models.Seq2Seq).

Run:  python examples/seq_reverse.py [steps]   (about 30 s for the default 300 steps on one core)
"""
import sys

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.models import Decoder, Encoder, Seq2Seq, make_reversal_data

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
ember.manual_seed(0)
V = 3 + 8  # pad, SOS, EOS + 8 symbols
src, tgt, lengths = make_reversal_data(3000, min_len=3, max_len=8, n_symbols=8, seed=0)
model = Seq2Seq(Encoder(V, 32, 64), Decoder(V, 32, 64, attention="luong"))
opt = ember.optim.Adam(model.parameters(), lr=5e-3)
rng = np.random.default_rng(0)
for step in range(steps):
    i = rng.integers(0, 2500, 32)
    logits = model(ember.tensor(src[i]), ember.tensor(tgt[i]), teacher_forcing_ratio=0.5, src_lengths=lengths[i])
    loss = F.cross_entropy(logits.reshape(-1, V), ember.tensor(tgt[i]).reshape(-1), ignore_index=0)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 50 == 0:
        print(f"step {step:4d}  loss {loss.item():.3f}")
pred, _ = model.greedy_decode(ember.tensor(src[2500:]), 9, src_lengths=lengths[2500:])
pred = pred.numpy()
exact = np.mean([(pred[j, :n + 1] == tgt[2500 + j, :n + 1]).all() for j, n in enumerate(lengths[2500:])])
print(f"held-out exact-match accuracy: {exact:.3f}")
print("example:", src[2500, :lengths[2500]].tolist(), "->", model.beam_search(ember.tensor(src[2500:2501]), 3, 10,
                                                                            src_lengths=lengths[2500:2501])[0][0])
