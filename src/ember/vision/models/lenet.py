"""LeNet-5 (LeCun et al. 1998) as walked through in the notes (TOPICS §1.12).

Layers (input 1x32x32; MNIST's 28x28 is padded by 2):
    C1  conv 6@5x5            -> 6x28x28    156 parameters, 122,304 connections
    S2  2x2 subsampling       -> 6x14x14    12 (one coefficient + one bias per map), 5,880
    C3  conv 16@5x5, partial  -> 16x10x10   1,516 with the connection table (2,416 if full)
    S4  2x2 subsampling       -> 16x5x5     32, 2,000
    C5  conv 120@5x5          -> 120x1x1    48,120
    F6  linear 84                           10,164
    out 10 Euclidean RBF units: y_i = sum_j (x_j - w_ij)^2   840  (or a linear layer, 850)

The subsampling unit sums its 2x2 inputs, multiplies by a trainable coefficient and adds a
trainable bias; the squashing function is LeCun's scaled tanh 1.7159 * tanh(2x/3) (std).
Options give the common modern variant (ReLU, max-pooling, full C3, linear output).
"""
from __future__ import annotations


import numpy as np

import ember
from ember import nn
from ember.nn import functional as F

__all__ = ["LeNet5", "C3_TABLE", "lenet5_counts"]

# C3 map -> the S2 maps it reads (LeCun et al. 1998, Table I)
C3_TABLE = [(0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (4, 5, 0), (5, 0, 1), (0, 1, 2, 3),
            (1, 2, 3, 4), (2, 3, 4, 5), (3, 4, 5, 0), (4, 5, 0, 1), (5, 0, 1, 2), (0, 1, 3, 4),
            (1, 2, 4, 5), (0, 2, 3, 5), (0, 1, 2, 3, 4, 5)]


class ScaledTanh(nn.Module):
    """f(x) = 1.7159 * tanh(2x / 3) (LeCun's squashing function)."""

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return 1.7159 * F.tanh(x * (2.0 / 3.0))


class Subsampling(nn.Module):
    """y[c] = coef[c] * (sum of the 2x2 block) + bias[c]: 2 parameters per map."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(ember.ones(channels) * 0.25)
        self.bias = nn.Parameter(ember.zeros(channels))

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        s = F.avg_pool2d(x, 2) * 4.0
        return s * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class PartialConv2d(nn.Conv2d):
    """Conv2d whose weight is multiplied by a fixed 0/1 connection mask (out, in, 1, 1)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, table: list) -> None:
        super().__init__(in_channels, out_channels, kernel_size)
        mask = np.zeros((out_channels, in_channels, 1, 1), np.float32)
        for o, ins in enumerate(table):
            mask[o, list(ins), 0, 0] = 1.0
        self.register_buffer("mask", ember.tensor(mask))
        with ember.no_grad():
            self.weight.mul_(self.mask)

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias)

    def n_effective_parameters(self) -> int:
        k = self.kernel_size[0] * self.kernel_size[1]
        return int(self.mask.sum().item()) * k + self.out_channels


class RBFOutput(nn.Module):
    """y_i = sum_j (x_j - w_ij)^2 (a distance: smaller = more likely). ``forward`` returns -y so
    the output works as logits for cross-entropy."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        g = ember.Generator().manual_seed(0)  # fixed +-1 prototypes, as LeCun's bitmaps
        self.weight = nn.Parameter(ember.randint(0, 2, (out_features, in_features), generator=g).float() * 2 - 1)

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        d = (x.unsqueeze(1) - self.weight.unsqueeze(0)) ** 2
        return -d.sum(-1)


class LeNet5(nn.Module):
    """LeNet-5 for 1x32x32 inputs (pass 28x28 MNIST with ``pad_input=True``).

    Args:
        num_classes: output units (10).
        c3_table: use the partial C3 connection table (else all 6 S2 maps feed every C3 map).
        subsampling: "trainable" (the paper's S2/S4), "avg" or "max".
        activation: "scaled_tanh" (the paper's), "tanh" or "relu".
        output: "rbf" (the paper's Euclidean RBF units, returned as negative distances) or "linear".
        pad_input: zero-pad 28x28 inputs to 32x32 inside the model.
    """

    def __init__(self, num_classes: int = 10, c3_table: bool = True, subsampling: str = "trainable",
                 activation: str = "scaled_tanh", output: str = "linear", pad_input: bool = True) -> None:
        super().__init__()
        acts = {"scaled_tanh": ScaledTanh, "tanh": nn.Tanh, "relu": nn.ReLU}
        if activation not in acts:
            raise ValueError(f"activation must be one of {sorted(acts)}, got {activation!r}")
        if subsampling not in ("trainable", "avg", "max"):
            raise ValueError(f"subsampling must be 'trainable', 'avg' or 'max', got {subsampling!r}")
        if output not in ("rbf", "linear"):
            raise ValueError(f"output must be 'rbf' or 'linear', got {output!r}")
        self.pad_input = pad_input

        def pool(c: int) -> nn.Module:
            return Subsampling(c) if subsampling == "trainable" else \
                nn.AvgPool2d(2) if subsampling == "avg" else nn.MaxPool2d(2)

        self.c1 = nn.Conv2d(1, 6, 5)
        self.s2 = pool(6)
        self.c3 = PartialConv2d(6, 16, 5, C3_TABLE) if c3_table else nn.Conv2d(6, 16, 5)
        self.s4 = pool(16)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.act = acts[activation]()
        self.output = RBFOutput(84, num_classes) if output == "rbf" else nn.Linear(84, num_classes)

    def features(self, x: ember.Tensor) -> ember.Tensor:
        """The 84-d F6 activations, shape (N, 84)."""
        if self.pad_input and x.shape[-1] == 28:
            x = F.pad(x, (2, 2, 2, 2))
        x = self.act(self.s2(self.act(self.c1(x))))
        x = self.act(self.s4(self.act(self.c3(x))))
        x = self.act(self.c5(x)).flatten(1)
        return self.act(self.f6(x))

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        """(N, 1, 32, 32) or (N, 1, 28, 28) -> (N, num_classes) logits."""
        return self.output(self.features(x))


def lenet5_counts(model: LeNet5) -> dict[str, dict[str, int]]:
    """Trainable parameters and connections per layer (connections = parameters used per output
    unit times output units, the paper's count)."""
    def n_params(m: nn.Module) -> int:
        if isinstance(m, PartialConv2d):
            return m.n_effective_parameters()
        return sum(p.numel() for p in m.parameters())

    out = {}
    for name, m, units in (("C1", model.c1, 28 * 28), ("S2", model.s2, 14 * 14),
                           ("C3", model.c3, 10 * 10), ("S4", model.s4, 5 * 5), ("C5", model.c5, 1),
                           ("F6", model.f6, 1), ("output", model.output, 1)):
        p = n_params(m)
        if name in ("S2", "S4"):
            ch = 6 if name == "S2" else 16
            conn = ch * (4 + 1) * units
        else:
            conn = p * units
        out[name] = {"parameters": p, "connections": conn}
    return out
