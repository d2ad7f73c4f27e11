"""The benchmark runner's own logic on fake timings (timings are never asserted)."""
from __future__ import annotations

import json

import pytest

from ember.utils.benchmark import runner
from ember.utils.benchmark.runner import BenchResult, _quantiles, to_markdown


def test_quantiles_median_and_iqr():
    med, iqr = _quantiles([1.0, 2.0, 3.0, 4.0, 100.0])
    assert med == 3.0 and iqr > 0
    assert _quantiles([5.0]) == (5.0, 0.0)


def test_run_one_uses_interleaved_repeats_and_ratio(monkeypatch):
    calls = []

    def fake_time_steps(step, n):
        calls.append(step.__name__)
        return {"ember_step": 0.02, "torch_step": 0.01}[step.__name__]

    def build(lib):
        def ember_step():
            return None

        def torch_step():
            return None
        return (ember_step if lib.__name__ == "ember" else torch_step), 64

    monkeypatch.setattr(runner, "_time_steps", fake_time_steps)
    monkeypatch.setattr(runner, "_calibrate", lambda step, t: 1)
    w = runner.Workload("fake", build)
    r = runner._run_one(w, repeats=3, min_time=0.0)
    assert calls == ["ember_step", "torch_step"] * 3  # alternating, so drift hits both alike
    assert r.ratio == pytest.approx(2.0) and r.ember_samples_per_s == pytest.approx(3200)
    assert r.ember_ms == pytest.approx(20.0) and r.torch_ms == pytest.approx(10.0)


def test_markdown_table_and_json_roundtrip(tmp_path):
    res = [BenchResult("w1", "train", 2.0, 1.0, 0.1, 0.1, 2.0, 500, 1000)]
    info = {"cpu_count": 2, "numpy": "x", "torch": "y", "torch_threads": 1,
            "gemm_gflops_float32": 100.0, "peak_rss_mb": 10.0, "blas": "openblas"}
    md = to_markdown(res, info)
    assert "| w1 | train | 2.00 ± 0.10 | 1.00 ± 0.10 | 2.00 |" in md and "100.0 GFLOP/s" in md
    path = tmp_path / "b.json"
    runner._atomic_write(str(path), json.dumps({"results": [r.__dict__ for r in res]}))
    assert json.loads(path.read_text())["results"][0]["ratio"] == 2.0


def test_markdown_block_is_replaced(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n")
    runner.update_markdown_block(str(readme), "| new | table |")
    text = readme.read_text()
    assert "old" not in text and "| new | table |" in text and text.endswith("after\n")
    other = tmp_path / "x.md"
    other.write_text("no markers here")
    with pytest.raises(ValueError, match="no '<!-- bench:start -->'"):
        runner.update_markdown_block(str(other), "t")


def test_markdown_memory_columns():
    res = [BenchResult("w1", "train", 2.0, 1.0, 0.1, 0.1, 2.0, 500, 1000, ember_peak_mb=30.0,
                       torch_peak_mb=20.0)]
    info = {"cpu_count": 2, "numpy": "x", "torch": "y", "torch_threads": 1,
            "gemm_gflops_float32": 1.0, "peak_rss_mb": 1.0, "blas": "b"}
    md = to_markdown(res, info)
    assert "| ember MB | torch MB | memory ratio |" in md and "| 30 | 20 | 1.50 |" in md


@pytest.mark.slow
def test_memory_probe_runs_each_library_in_a_child():
    from ember.utils.benchmark.memory import peak_memory_mb

    for lib in ("ember", "torch"):
        assert peak_memory_mb("micro_matmul_512_fwd_bwd", lib, steps=1) >= 0
    with pytest.raises(ValueError, match="library"):
        peak_memory_mb("x", "jax")
