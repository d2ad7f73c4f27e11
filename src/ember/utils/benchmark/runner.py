"""The side-by-side timing runner behind ``ember bench``.

Method: build the workload in both libraries, warm up, then alternate ember and torch
repeats (interleaved, so drift hits both alike), each repeat timing enough steps to last about
``min_time`` seconds. Reports medians, spread (IQR), ratio ember/torch, samples/s, and the
machine's float32 GEMM GFLOP/s measured in the same run with NumPy as the practical ceiling.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable

import numpy as np

from .workloads import WORKLOADS, Workload


@dataclass
class BenchResult:
    name: str
    kind: str
    ember_ms: float
    torch_ms: float
    ember_iqr_ms: float
    torch_iqr_ms: float
    ratio: float
    ember_samples_per_s: float
    torch_samples_per_s: float
    note: str = ""
    ember_peak_mb: float | None = None
    torch_peak_mb: float | None = None


def _quantiles(xs: list) -> tuple:
    xs = sorted(xs)
    q = statistics.quantiles(xs, n=4) if len(xs) >= 2 else [xs[0]] * 3
    return statistics.median(xs), q[2] - q[0]


def _time_steps(step: Callable, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t0) / n


def _calibrate(step: Callable, min_time: float) -> int:
    t = _time_steps(step, 1)
    return max(1, int(min_time / max(t, 1e-6)))


def gemm_gflops(n: int = 1024, repeats: int = 5) -> float:
    """float32 GEMM throughput of NumPy's BLAS: the practical ceiling for conv/linear work."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    b = a.copy()
    a @ b
    best = min(_time_steps(lambda: a @ b, 3) for _ in range(repeats))
    return 2 * n ** 3 / best / 1e9


def machine_info() -> dict:
    import torch

    info: dict[str, Any] = {"python": platform.python_version(), "numpy": np.__version__,
                            "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
                            "cpu_count": os.cpu_count(), "machine": platform.machine(),
                            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)")}
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "num_threads",
                                               "architecture")} for d in threadpool_info()
                        if d.get("user_api") == "blas"]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    return info


def _run_one(w: Workload, repeats: int, min_time: float) -> BenchResult:
    import torch

    import ember

    missing = [n for n in w.needs if not hasattr(ember.nn, n)]
    if missing:
        return BenchResult(w.name, w.kind, float("nan"), float("nan"), 0, 0, float("nan"), 0, 0,
                           note=f"ember.nn lacks {missing}")
    (se, bs), (st, _) = w.build(ember), w.build(torch)
    for s in (se, st):
        s()
        s()
    ne, nt = _calibrate(se, min_time), _calibrate(st, min_time)
    te, tt = [], []
    for _ in range(repeats):
        te.append(_time_steps(se, ne))
        tt.append(_time_steps(st, nt))
    me, ie = _quantiles(te)
    mt, it = _quantiles(tt)
    return BenchResult(w.name, w.kind, me * 1e3, mt * 1e3, ie * 1e3, it * 1e3, me / mt,
                       bs / me, bs / mt)


def run_benchmarks(names: list | None = None, repeats: int = 5, min_time: float = 0.3,
                   threads: int | None = None, progress: bool = True,
                   memory: bool = False) -> tuple[list, dict]:
    import torch

    limiter = None
    if threads:  # the same thread count for both: torch's pool and NumPy's BLAS
        torch.set_num_threads(threads)
        try:
            from threadpoolctl import threadpool_limits

            limiter = threadpool_limits(limits=threads, user_api="blas")
        except ImportError:
            pass
    selected = [w for w in WORKLOADS if not names or any(n in w.name for n in names)]
    results = []
    it = selected
    if progress:
        from tqdm import tqdm

        it = tqdm(selected, desc="bench", unit="workload")
    for w in it:
        results.append(_run_one(w, repeats, min_time))
        if memory and not results[-1].note:
            from .memory import peak_memory_mb

            results[-1].ember_peak_mb = peak_memory_mb(w.name, "ember")
            results[-1].torch_peak_mb = peak_memory_mb(w.name, "torch")
    info = machine_info()
    info["gemm_gflops_float32"] = round(gemm_gflops(), 1)
    info["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if limiter is not None:
        limiter.restore_original_limits()
    return results, info


def to_markdown(results: list, info: dict) -> str:
    mem = any(r.ember_peak_mb is not None for r in results)
    head_row = ("| workload | kind | ember ms | torch ms | ember/torch | ember samples/s | "
                "torch samples/s |" + (" ember MB | torch MB | memory ratio |" if mem else ""))
    lines = [head_row, "|---|---|---:|---:|---:|---:|---:|" + ("---:|---:|---:|" if mem else "")]
    for r in results:
        row = (f"| {r.name} | {r.kind} | {r.ember_ms:.2f} ± {r.ember_iqr_ms:.2f} | "
               f"{r.torch_ms:.2f} ± {r.torch_iqr_ms:.2f} | {r.ratio:.2f} | "
               f"{r.ember_samples_per_s:.0f} | {r.torch_samples_per_s:.0f} |")
        if mem:
            if r.ember_peak_mb is None:
                row += " | | |"
            else:
                ratio = r.ember_peak_mb / max(r.torch_peak_mb, 1e-9)
                row += f" {r.ember_peak_mb:.0f} | {r.torch_peak_mb:.0f} | {ratio:.2f} |"
        lines.append(row + (f" {r.note}" if r.note else ""))
    head = (f"Machine: {info['cpu_count']} cores, numpy {info['numpy']}, torch {info['torch']} "
            f"({info['torch_threads']} threads), float32 GEMM {info['gemm_gflops_float32']} GFLOP/s, "
            f"peak RSS {info['peak_rss_mb']} MB, BLAS {info.get('blas')}.")
    if mem:
        head += (" Memory: peak MB above the post-import baseline, each library alone in a child "
                 "process.")
    return head + "\n\n" + "\n".join(lines) + "\n"


def update_markdown_block(path: str, table: str) -> None:
    """Replace the text between the bench markers of ``path`` by ``table`` (with the date)."""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = open(path, encoding="utf-8").read()
    if start not in text or end not in text:
        raise ValueError(f"{path} has no '{start}' ... '{end}' block to update")
    stamp = time.strftime("%Y-%m-%d")
    block = f"{start}\nMeasured {stamp} with `ember bench --markdown`.\n\n{table}\n{end}"
    head, rest = text.split(start, 1)
    _atomic_write(path, head + block + rest.split(end, 1)[1])


def _atomic_write(path: str, text: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


_BLAS_PINS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def _reexec_without_blas_pins(argv: list | None) -> None:
    """These variables slow a current OpenBLAS; they must be gone before numpy loads, so the
    benchmark re-executes itself without them (only this process; tests keep them)."""
    if any(k in os.environ for k in _BLAS_PINS) and not os.environ.get("EMBER_BENCH_CHILD"):
        env = {k: v for k, v in os.environ.items() if k not in _BLAS_PINS}
        env["EMBER_BENCH_CHILD"] = "1"
        args = sys.argv[1:] if argv is None else list(argv)
        os.execvpe(sys.executable, [sys.executable, "-m", "ember.utils.benchmark", *args], env)


def main(argv: list | None = None) -> int:
    _reexec_without_blas_pins(argv)
    p = argparse.ArgumentParser(prog="ember bench", description=__doc__)
    p.add_argument("names", nargs="*", help="substrings of workload names (default: all)")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--min-time", type=float, default=0.3, help="seconds per timed repeat")
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--out", default="runs/bench", help="folder for bench.md and bench.json")
    p.add_argument("--list", action="store_true", help="list workloads and exit")
    p.add_argument("--memory", action="store_true",
                   help="also measure each library's peak memory per workload (child processes)")
    p.add_argument("--markdown", nargs="?", const="README.md", default=None, metavar="FILE",
                   help="also replace the benchmark block of FILE (default README.md) between "
                        "'<!-- bench:start -->' and '<!-- bench:end -->' with this run's table")
    a = p.parse_args(argv)
    if a.list:
        for w in WORKLOADS:
            print(f"{w.name:<40} {w.kind}")
        return 0
    try:
        import torch  # noqa: F401
    except ImportError:
        print("ember bench compares against PyTorch: pip install 'ember[test]' (torch==2.13.0)",
              file=sys.stderr)
        return 2
    results, info = run_benchmarks(a.names, a.repeats, a.min_time, a.threads, memory=a.memory)
    md = to_markdown(results, info)
    print(md)
    _atomic_write(os.path.join(a.out, "bench.md"), md)
    if a.markdown:
        update_markdown_block(a.markdown, md)
    _atomic_write(os.path.join(a.out, "bench.json"),
                  json.dumps({"machine": info, "results": [asdict(r) for r in results]}, indent=2))
    return 0
