"""SGDSolver: Caffe's solver loop with its learning-rate policies and snapshots."""
from __future__ import annotations

import os
from typing import Any, Callable

from .. import optim
from ..serialization import save
from .net import Net
from .proto import parse_solver


class SGDSolver:
    """Train ``net`` with SGD + momentum + weight decay; lr from Caffe's ``lr_policy``:
    fixed; step: base * gamma^floor(it/stepsize); multistep; exp: base * gamma^it;
    inv: base * (1 + gamma it)^-power; poly: base * (1 - it/max_iter)^power."""

    def __init__(self, net: Net, definition: Any) -> None:
        self.net = net
        self.cfg = parse_solver(definition)
        self.iter = 0
        self.opt = optim.SGD(net.parameters(), lr=self.cfg["base_lr"], momentum=self.cfg["momentum"],
                             weight_decay=self.cfg["weight_decay"])

    def learning_rate(self, it: int) -> float:
        c = self.cfg
        base, pol = c["base_lr"], c["lr_policy"]
        if pol == "fixed":
            return base
        if pol == "step":
            return base * c["gamma"] ** (it // c["stepsize"])
        if pol == "multistep":
            return base * c["gamma"] ** sum(it >= s for s in c["stepvalue"])
        if pol == "exp":
            return base * c["gamma"] ** it
        if pol == "inv":
            return base * (1 + c["gamma"] * it) ** (-c["power"])
        return base * (1 - it / c["max_iter"]) ** c["power"] if it < c["max_iter"] else 0.0

    def step(self, iters: int, batch_fn: Callable[[int], dict]) -> list:
        """Run ``iters`` iterations; ``batch_fn(it)`` returns the input blobs. Returns losses."""
        losses = []
        for _ in range(iters):
            for g in self.opt.param_groups:
                g["lr"] = self.learning_rate(self.iter)
            self.net.forward(**batch_fn(self.iter))
            loss = self.net.loss()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            losses.append(float(loss.item()))
            self.iter += 1
            if self.cfg["snapshot"] and self.iter % self.cfg["snapshot"] == 0:
                self.snapshot()
        return losses

    def snapshot(self) -> str:
        path = f"{self.cfg['snapshot_prefix']}_iter_{self.iter}.safetensors"
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        save({"net": self.net.state_dict(), "iter": self.iter}, path)
        return path
