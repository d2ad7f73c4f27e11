"""Registry of the notes' claims (TOPICS.md §2): each claim is a function returning a Verdict.

Usage::

    @claim("C012", "Nesterov reaches the tolerance in fewer steps than momentum", topics="2.1")
    def nesterov_vs_momentum(quick: bool) -> Verdict:
        ...
        return Verdict("holds", {"steps_nesterov": 31, "steps_momentum": 58}, fig)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

STATUSES = ("holds", "fails", "depends")


@dataclass
class Verdict:
    """Outcome of one experiment.

    Attributes:
        status: "holds", "fails" (the notes are wrong here; ``evidence`` says what is true) or
            "depends" (``evidence["condition"]`` names the condition).
        evidence: the measured numbers (every one computed by the run).
        figure: a matplotlib Figure, or None.
        summary: one sentence for the report.
    """

    status: str
    evidence: dict[str, Any] = field(default_factory=dict)
    figure: Any = None
    summary: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Verdict status must be one of {STATUSES}, got {self.status!r}")


@dataclass(frozen=True)
class Claim:
    """A registered claim: id (C001..C176), statement, TOPICS section and the function."""

    id: str
    statement: str
    topics: str
    fn: Callable[[bool], Verdict]

    def run(self, quick: bool = False) -> Verdict:
        verdict = self.fn(quick)
        if not isinstance(verdict, Verdict):
            raise TypeError(f"claim {self.id} returned {type(verdict).__name__}, expected Verdict")
        return verdict


REGISTRY: dict[str, Claim] = {}


def claim(id: str, statement: str, topics: str = "") -> Callable[[Callable[[bool], Verdict]], Callable[[bool], Verdict]]:
    """Register ``fn(quick) -> Verdict`` as the experiment for claim ``id``."""

    def deco(fn: Callable[[bool], Verdict]) -> Callable[[bool], Verdict]:
        if id in REGISTRY:
            raise ValueError(f"claim {id} registered twice ({REGISTRY[id].fn.__qualname__} and {fn.__qualname__})")
        REGISTRY[id] = Claim(id, statement, topics, fn)
        return fn

    return deco
