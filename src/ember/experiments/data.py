"""Claims about the data pipeline (TOPICS §2.1: C004)."""
from __future__ import annotations

import math

from matplotlib.figure import Figure

from ember.experiments import Verdict, claim
from ember.utils.data import BatchSampler, DataLoader, SequentialSampler


@claim("C004", "300,000 samples with batch 100 give 3,000 iterations per epoch (vs 300,000 for "
       "per-sample SGD)", topics="2.1")
def iterations_per_epoch(quick: bool) -> Verdict:
    n = 300_000
    sizes = [1, 50, 100, 128, 1000] if not quick else [1, 100, 128]
    evidence: dict = {"n_samples": n}
    ok = True
    for bs in sizes:
        for drop in (False, True):
            loader = DataLoader(range(n), batch_size=bs, drop_last=drop)
            counted = sum(1 for _ in BatchSampler(SequentialSampler(range(n)), bs, drop))
            expected = n // bs if drop else math.ceil(n / bs)
            evidence[f"len_bs{bs}_drop{int(drop)}"] = len(loader)
            evidence[f"iterated_bs{bs}_drop{int(drop)}"] = counted
            ok &= len(loader) == counted == expected
    holds = ok and evidence["len_bs100_drop0"] == 3000 and evidence["len_bs1_drop0"] == n
    fig = Figure(figsize=(5, 3.2))
    ax = fig.subplots()
    ax.bar([str(b) for b in sizes], [evidence[f"len_bs{b}_drop0"] for b in sizes])
    ax.set(yscale="log", xlabel="batch size", ylabel="iterations per epoch",
           title=f"{n:,} samples")
    return Verdict("holds" if holds else "fails", evidence, fig,
                   f"batch 100 gives {evidence['len_bs100_drop0']} iterations per epoch, batch 1 "
                   f"gives {evidence['len_bs1_drop0']}; ceil(N/B) (floor with drop_last) in all cases")
