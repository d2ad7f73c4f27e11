"""`ember` CLI smoke tests and the end-to-end demo on a small MNIST subset."""
import os
import subprocess
import sys

import pytest

from ember.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_info(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "ember 0." in out and "CPU cores" in out and "datasets in" in out


def test_help_for_each_subcommand(capsys):
    for cmd in ["train", "info", "prove", "bench"]:
        with pytest.raises(SystemExit) as e:
            main([cmd, "--help"])
        assert e.value.code == 0
    assert "--epochs" in capsys.readouterr().out


def test_prove_writes_report(tmp_path, capsys):
    assert main(["prove", "C004", "--quick", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "claims.md").read_text()
    assert "| C004 | holds |" in text and (tmp_path / "figures" / "C004.png").is_file()
    with pytest.raises(SystemExit, match="unknown claim"):
        main(["prove", "C999", "--out", str(tmp_path)])


def test_train_clear_error_without_data(tmp_path, capsys):
    assert main(["train", "lenet5", "--root", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "Place these files there by hand" in capsys.readouterr().err


@pytest.mark.slow
def test_train_cli_small_subset(tmp_path, shared_datasets):
    assert main(["train", "lenet5", "--epochs", "1", "--limit", "512", "--root", shared_datasets,
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "last.safetensors").is_file() and (tmp_path / "curves.png").is_file()


@pytest.mark.slow
def test_demo_script_end_to_end(tmp_path, shared_datasets):
    out = subprocess.run([sys.executable, os.path.join(REPO, "examples", "mnist_lenet.py"),
                          "--epochs", "1", "--limit", "4096", "--root", shared_datasets,
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    acc = float(out.stdout.split("final test accuracy ")[1].split("%")[0])
    assert acc > 85.0  # 4,096 training images, one epoch (32 steps)
    assert (tmp_path / "lenet5.safetensors").is_file() and (tmp_path / "curves.png").is_file()


def test_bench_forwards_options_to_runner(monkeypatch):
    import ember.cli as cli
    from ember.utils.benchmark import runner

    seen = {}
    monkeypatch.setattr(runner, "main", lambda argv: seen.setdefault("argv", argv) and 0)
    assert cli.main(["bench", "--threads", "1", "--list"]) == 0
    assert seen["argv"] == ["--threads", "1", "--list"]
