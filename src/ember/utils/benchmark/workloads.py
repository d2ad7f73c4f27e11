"""Benchmark workloads, written once against the shared torch/ember API (``L`` is the library).

Each ``build(L)`` returns a zero-argument ``step`` closure doing one full unit of work (for a
training workload: forward, loss, backward, optimizer step) and the number of samples it
processes. Shapes follow issue 11.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class Workload:
    name: str
    build: Callable[[Any], tuple[Callable[[], Any], int]]
    kind: str = "train"  # train | infer | micro
    needs: tuple = ()    # ember attributes required (skipped with a note when missing)


def _data(L, shape, seed=0, classes=None):
    rng = np.random.default_rng(seed)
    if classes is not None:
        return L.tensor(rng.integers(0, classes, size=shape))
    return L.tensor(rng.standard_normal(shape).astype(np.float32))


def _train_step(L, model, x, y, lr=0.01, momentum=0.9):
    opt = L.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_fn = L.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def _infer_step(L, model, x):
    model.eval()

    def step():
        with L.no_grad():
            return model(x)
    return step


def _seed(L):
    L.manual_seed(0)


def mlp(L):
    _seed(L)
    nn = L.nn
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10))


def lenet5(L):
    _seed(L)
    nn = L.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                         nn.Linear(84, 10))


def bn_cnn(L):
    _seed(L)
    nn = L.nn
    layers, c = [], 3
    for out in (32, 32, 64, 64):
        layers += [nn.Conv2d(c, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU()]
        c = out
    return nn.Sequential(*layers, nn.MaxPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(64, 10))


def resnet18_cifar(L):
    _seed(L)
    nn = L.nn

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.b1 = nn.BatchNorm2d(cout)
            self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.b2 = nn.BatchNorm2d(cout)
            self.short = nn.Sequential()
            if stride != 1 or cin != cout:
                self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                           nn.BatchNorm2d(cout))

        def forward(self, x):
            out = self.b1(self.c1(x)).relu()
            return (self.b2(self.c2(out)) + self.short(x)).relu()

    layers, c = [nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU()], 64
    for out, stride in ((64, 1), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1)):
        layers.append(Block(c, out, stride))
        c = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 10))


def lstm_lm(L):
    _seed(L)
    nn = L.nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10000, 256)
            self.rnn = nn.LSTM(256, 256, batch_first=True)
            self.out = nn.Linear(256, 10000)

        def forward(self, x):
            h, _ = self.rnn(self.emb(x))
            return self.out(h).reshape(-1, 10000)

    return LM()


def encoder_layer(L):
    _seed(L)
    nn = L.nn

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.TransformerEncoderLayer(256, 4, 1024, dropout=0.0, batch_first=True)
            self.head = nn.Linear(256, 10)

        def forward(self, x):
            return self.head(self.layer(x).mean(1))

    return Enc()


def _classify(model_fn, shape, batch, classes=10, kind="train"):
    def build(L):
        model = model_fn(L)
        x = _data(L, shape)
        if kind == "infer":
            return _infer_step(L, model, x), batch
        return _train_step(L, model, x, _data(L, (batch,), 1, classes)), batch
    return build


def _lstm_build(L):
    model = lstm_lm(L)
    x = _data(L, (32, 35), classes=10000)
    y = _data(L, (32 * 35,), 1, classes=10000)
    return _train_step(L, model, x, y), 32


def _micro_conv(L):
    x = _data(L, (32, 64, 32, 32)).requires_grad_()
    conv = L.nn.Conv2d(64, 64, 3, padding=1)

    def step():
        conv.zero_grad()
        conv(x).sum().backward()
    return step, 32


def _micro_matmul(L):
    a, b = _data(L, (512, 512)).requires_grad_(), _data(L, (512, 512), 1).requires_grad_()

    def step():
        a.grad = b.grad = None
        (a @ b).sum().backward()
    return step, 1


def _micro_softmax_ce(L):
    x = _data(L, (256, 1000)).requires_grad_()
    y = _data(L, (256,), 1, classes=1000)

    def step():
        x.grad = None
        L.nn.functional.cross_entropy(x, y).backward()
    return step, 256


def _micro_bn(L):
    x = _data(L, (64, 64, 16, 16)).requires_grad_()
    bn = L.nn.BatchNorm2d(64)

    def step():
        x.grad = None
        bn(x).sum().backward()
    return step, 64


def _micro_elementwise(L):
    x = _data(L, (256, 1024)).requires_grad_()

    def step():
        x.grad = None
        ((x * 2 + 1).tanh() * x.sigmoid()).sum().backward()
    return step, 256


WORKLOADS = [
    Workload("mlp_784_512_512_10_b128", _classify(mlp, (128, 784), 128)),
    Workload("lenet5_b128", _classify(lenet5, (128, 1, 28, 28), 128)),
    Workload("bn_cnn_3x32x32_b64", _classify(bn_cnn, (64, 3, 32, 32), 64)),
    Workload("resnet18_cifar_b32", _classify(resnet18_cifar, (32, 3, 32, 32), 32)),
    Workload("lstm256_seq35_b32_vocab10k", _lstm_build, needs=("LSTM",)),
    Workload("transformer_enc_d256_h4_seq64_b32", _classify(encoder_layer, (32, 64, 256), 32),
             needs=("TransformerEncoderLayer",)),
    Workload("infer_mlp_b128", _classify(mlp, (128, 784), 128, kind="infer"), "infer"),
    Workload("infer_lenet5_b128", _classify(lenet5, (128, 1, 28, 28), 128, kind="infer"), "infer"),
    Workload("infer_resnet18_cifar_b32", _classify(resnet18_cifar, (32, 3, 32, 32), 32, kind="infer"),
             "infer"),
    Workload("micro_conv2d_64c_32x32_fwd_bwd", _micro_conv, "micro"),
    Workload("micro_matmul_512_fwd_bwd", _micro_matmul, "micro"),
    Workload("micro_softmax_ce_256x1000", _micro_softmax_ce, "micro"),
    Workload("micro_batchnorm2d_64c", _micro_bn, "micro"),
    Workload("micro_elementwise_chain", _micro_elementwise, "micro"),
]
