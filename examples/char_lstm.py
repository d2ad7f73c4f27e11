"""Character-level LSTM language model on tiny Shakespeare (small and fast), then sample text.

Data: $EMBER_DATA/tinyshakespeare/input.txt, else ../shared/datasets/tinyshakespeare/input.txt
relative to the repository. Run:  python examples/char_lstm.py [steps]   (default 200 steps)
"""
import os
import sys

import numpy as np

import ember
import ember.nn as nn
import ember.nn.functional as F

root = os.environ.get("EMBER_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets"))
with open(os.path.join(root, "tinyshakespeare", "input.txt"), encoding="utf-8") as f:
    text = f.read()[:200_000]  # a slice keeps the example fast
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = np.array([stoi[c] for c in text], dtype=np.int64)
V, T, B = len(chars), 64, 32


class CharLSTM(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.rnn = nn.LSTM(32, 128, batch_first=True)
        self.head = nn.Linear(128, V)

    def forward(self, x, state=None):
        out, state = self.rnn(self.emb(x), state)  # (B, T, 128)
        return self.head(out), state


steps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ember.manual_seed(0)
rng = np.random.default_rng(0)
model = CharLSTM()
opt = ember.optim.Adam(model.parameters(), lr=3e-3)
for step in range(steps):
    starts = rng.integers(0, data.size - T - 1, B)
    x = ember.tensor(np.stack([data[s:s + T] for s in starts]))
    y = ember.tensor(np.stack([data[s + 1:s + T + 1] for s in starts]))
    logits, _ = model(x)
    loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 50 == 0:
        print(f"step {step:4d}  loss {loss.item():.3f}  (uniform: {np.log(V):.3f})")

with ember.no_grad():
    token, state, out = ember.tensor([[stoi["T"]]]), None, ["T"]
    for _ in range(200):
        logits, state = model(token, state)
        probs = (logits[0, -1] / 0.8).softmax(-1)
        token = ember.multinomial(probs, 1).reshape(1, 1)
        out.append(chars[token.item()])
print("".join(out))
