"""The README example runs and trains (the left column of the README's side-by-side code)."""
from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_readme_example_runs_and_loss_drops():
    out = subprocess.run([sys.executable, os.path.join(REPO, "examples", "readme_example.py")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    final = float(out.stdout.strip().splitlines()[-1])
    assert 0 <= final < 0.5  # y = sin(sum x) has variance ~0.5; the net fits part of it


def test_torch_style_attribute_access_of_subpackages():
    import ember as torch
    import ember.vision as torchvision

    assert torch.utils.data.DataLoader and torch.nn.functional.relu and torch.optim.lr_scheduler.StepLR
    assert torchvision.transforms.ToTensor and torchvision.datasets.MNIST and torchvision.ops.nms
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        torch.utils.nope


def test_pytorch_blitz_runs_with_import_ember_as_torch():
    out = subprocess.run([sys.executable, os.path.join(REPO, "examples", "pytorch_blitz.py")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "tensor([[4.5000, 4.5000]," in out.stdout  # d(mean(3 (x+2)^2))/dx at x = 1
