"""Before/after table from two `ember bench` runs (their bench.json files).

Run:  python benchmarks/compare_runs.py BEFORE/bench.json AFTER/bench.json [--out FILE.md]

Each run already holds ember/torch ratios measured side by side in one process, so the two runs
may come from differently loaded moments: compare the *ratios*, not the milliseconds.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile


def load(path: str) -> dict:
    with open(path) as fh:
        return json.load(fh)


def compare_table(before: dict, after: dict) -> str:
    """Markdown rows: workload, kind, ratio before, ratio after, speed-up of ember (before/after
    ratio), ember ms after, torch ms after."""
    old = {r["name"]: r for r in before["results"]}
    lines = ["| workload | kind | ember/torch before | ember/torch after | ember speed-up | "
             "ember ms after | torch ms after |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in after["results"]:
        b = old.get(r["name"])
        rb = b["ratio"] if b else float("nan")
        lines.append(f"| {r['name']} | {r['kind']} | {rb:.2f} | {r['ratio']:.2f} | "
                     f"{rb / r['ratio']:.2f}x | {r['ember_ms']:.1f} | {r['torch_ms']:.1f} |")
    return "\n".join(lines) + "\n"


def machine_line(info: dict) -> str:
    return (f"{info['cpu_count']} cores ({info['machine']}), python {info['python']}, numpy "
            f"{info['numpy']}, torch {info['torch']} ({info['torch_threads']} threads), BLAS "
            f"{info.get('blas')}, float32 GEMM {info['gemm_gflops_float32']} GFLOP/s, peak RSS "
            f"{info['peak_rss_mb']} MB")


def main(argv: list | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--out", default=None, help="write the Markdown here (atomically)")
    a = p.parse_args(argv)
    before, after = load(a.before), load(a.after)
    md = (f"Before: {machine_line(before['machine'])}\n\nAfter: {machine_line(after['machine'])}"
          f"\n\n{compare_table(before, after)}")
    print(md)
    if a.out:
        folder = os.path.dirname(os.path.abspath(a.out))
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w") as fh:
            fh.write(md)
        os.replace(tmp, a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
