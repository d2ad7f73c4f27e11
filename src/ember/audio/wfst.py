"""Tiny weighted finite-state transducers over the tropical semiring (TOPICS.md 1.24; claim C172).

Weights are costs (-log probabilities): a path's weight is the sum of its arc weights, and
alternatives combine by min. Decoding with a static graph (HCLG = H o C o L o G in Kaldi, composed,
determinised and minimised offline) is a shortest-path search through (acoustic lattice) o graph.
This module implements composition (epsilon = label 0, no epsilon filter: redundant epsilon paths
can appear but never change a min-cost result) and Dijkstra shortest path; no determinisation.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

__all__ = ["EPS", "WFST", "compose", "shortest_path", "linear_acceptor"]

EPS = 0


class WFST:
    """States 0..n-1, start state 0, arcs (ilabel, olabel, weight, next), final weights."""

    def __init__(self):
        self.arcs: dict[int, list[tuple[int, int, float, int]]] = defaultdict(list)
        self.finals: dict[int, float] = {}
        self.n_states = 0
        self.start = 0

    def add_state(self) -> int:
        self.n_states += 1
        return self.n_states - 1

    def add_arc(self, src: int, ilabel: int, olabel: int, weight: float, dst: int) -> None:
        if not (0 <= src < self.n_states and 0 <= dst < self.n_states):
            raise ValueError(f"arc {src}->{dst} refers to a state outside 0..{self.n_states - 1}")
        self.arcs[src].append((int(ilabel), int(olabel), float(weight), int(dst)))

    def set_final(self, state: int, weight: float = 0.0) -> None:
        self.finals[state] = float(weight)

    def num_arcs(self) -> int:
        return sum(len(a) for a in self.arcs.values())


def compose(A: WFST, B: WFST) -> WFST:
    """C = A o B: a path maps x -> z with weight w_A + w_B whenever A maps x -> y and B maps y -> z.
    Only states reachable from (start_A, start_B) are built."""
    C = WFST()
    index = {(A.start, B.start): C.add_state()}
    stack = [(A.start, B.start)]
    while stack:
        qa, qb = stack.pop()
        src = index[(qa, qb)]
        moves = []
        for ia, oa, wa, na in A.arcs.get(qa, []):
            if oa == EPS:
                moves.append((ia, EPS, wa, na, qb))
            else:
                moves += [
                    (ia, ob, wa + wb, na, nb) for ib, ob, wb, nb in B.arcs.get(qb, []) if ib == oa
                ]
        moves += [(EPS, ob, wb, qa, nb) for ib, ob, wb, nb in B.arcs.get(qb, []) if ib == EPS]
        for il, ol, w, na, nb in moves:
            if (na, nb) not in index:
                index[(na, nb)] = C.add_state()
                stack.append((na, nb))
            C.add_arc(src, il, ol, w, index[(na, nb)])
        if qa in A.finals and qb in B.finals:
            C.set_final(src, A.finals[qa] + B.finals[qb])
    return C


def shortest_path(T: WFST):
    """Dijkstra from the start to the best final state (weights must be >= 0).

    Returns (cost, input labels, output labels) with epsilons removed; (inf, [], []) if no final
    state is reachable.
    """
    dist = {T.start: 0.0}
    back: dict[int, tuple[int, int, int]] = {}
    heap = [(0.0, T.start)]
    done = set()
    best = (np.inf, None)
    while heap:
        d, q = heapq.heappop(heap)
        if q in done:
            continue
        done.add(q)
        if q in T.finals and d + T.finals[q] < best[0]:
            best = (d + T.finals[q], q)
        for il, ol, w, nq in T.arcs.get(q, []):
            if w < 0:
                raise ValueError(f"negative arc weight {w}: Dijkstra needs costs >= 0")
            if d + w < dist.get(nq, np.inf):
                dist[nq] = d + w
                back[nq] = (q, il, ol)
                heapq.heappush(heap, (d + w, nq))
    cost, q = best
    if q is None:
        return np.inf, [], []
    ins, outs = [], []
    while q != T.start:
        q, il, ol = back[q]
        ins.append(il)
        outs.append(ol)
    return float(cost), [x for x in ins[::-1] if x != EPS], [x for x in outs[::-1] if x != EPS]


def linear_acceptor(cost_matrix, labels=None) -> WFST:
    """Lattice of T frames: from state t to t+1 one arc per label l with weight cost[t, l]
    (e.g. -log posterior); ``labels`` maps columns to label ids (default 1..P, 0 is epsilon)."""
    cost = np.asarray(cost_matrix, dtype=np.float64)
    T, P = cost.shape
    labels = np.arange(1, P + 1) if labels is None else np.asarray(labels)
    A = WFST()
    for _ in range(T + 1):
        A.add_state()
    for t in range(T):
        for p in range(P):
            A.add_arc(t, labels[p], labels[p], cost[t, p], t + 1)
    A.set_final(T)
    return A
