"""Level-wise CART growth, vectorised over all nodes of a depth and all features at once.

Each feature keeps its samples sorted by (node, value); a node's samples are then one contiguous
column segment, identical for every feature row. Cumulative class counts (or sums of w, w*y, w*y^2)
along a row give the left-child statistics of every candidate split of every node in one pass;
a candidate between sorted positions c and c+1 of a segment is valid when
x[c+1] > x[c] + 1e-7 and both children keep >= min_samples_leaf samples. The best split maximises
-(w_L imp_L + w_R imp_R) (scikit-learn's proxy); ties go to the lowest feature index / position.
Nodes are renumbered in depth-first pre-order (left child first) at the end, scikit-learn's order.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Tree", "grow_tree", "impurity"]

EPS = np.finfo(np.float64).eps
FEATURE_THRESHOLD = 1e-7


def impurity(stats, criterion: str):
    """Node impurity from summed statistics (..., K'): gini, entropy (log2) or squared_error."""
    if criterion == "squared_error":
        w = stats[..., 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(w > 0, stats[..., 2] / w - (stats[..., 1] / w) ** 2, 0.0)
    w = stats.sum(-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = stats / w[..., None]
        if criterion == "gini":
            return np.where(w > 0, 1.0 - np.sum(p * p, -1), 0.0)
        return np.where(
            w > 0, -np.sum(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1)), 0), -1), 0.0
        )


class Tree:
    """Fitted tree arrays (scikit-learn's ``tree_`` layout, leaves have children -1)."""

    def __init__(
        self,
        children_left,
        children_right,
        feature,
        threshold,
        value,
        impurity,
        n_node_samples,
        weighted_n_node_samples,
    ):
        self.children_left, self.children_right = children_left, children_right
        self.feature, self.threshold, self.value = feature, threshold, value
        self.impurity, self.n_node_samples = impurity, n_node_samples
        self.weighted_n_node_samples = weighted_n_node_samples
        self.node_count = len(feature)

    def apply(self, X32):
        """Leaf index of every row of X (float32 values, compared as x <= threshold)."""
        node = np.zeros(len(X32), dtype=np.intp)
        todo = np.flatnonzero(self.children_left[node] >= 0)
        while len(todo):
            nd = node[todo]
            go_left = X32[todo, self.feature[nd]] <= self.threshold[nd]
            node[todo] = np.where(go_left, self.children_left[nd], self.children_right[nd])
            todo = todo[self.children_left[node[todo]] >= 0]
        return node

    @property
    def max_depth(self) -> int:
        depth = np.zeros(self.node_count, dtype=int)
        for i in range(self.node_count):  # pre-order: parents precede children
            for c in (self.children_left[i], self.children_right[i]):
                if c >= 0:
                    depth[c] = depth[i] + 1
        return int(depth.max())


def _proxy(left, right, criterion):
    """Split score that orders like the impurity decrease within a node (larger is better):
    gini: sum_k L_k^2 / w_L + sum_k R_k^2 / w_R; squared error: S_L^2 / w_L + S_R^2 / w_R;
    entropy: -(w_L H_L + w_R H_R)."""
    if criterion == "gini":
        return (left**2).sum(-1) / left.sum(-1) + (right**2).sum(-1) / right.sum(-1)
    if criterion == "squared_error":
        return left[:, 1] ** 2 / left[:, 0] + right[:, 1] ** 2 / right[:, 0]
    return -left.sum(-1) * impurity(left, criterion) - right.sum(-1) * impurity(right, criterion)


def _no_split(n_act, k):
    z, lr = np.zeros(n_act, dtype=np.intp), (np.zeros((n_act, k)), np.zeros((n_act, k)))
    return np.zeros(n_act, dtype=bool), z, z.copy(), lr, np.zeros(n_act), np.zeros(n_act)


def _best_splits(X32, S, stats, seg, col_node, cand, criterion, msl, min_wleaf):
    """Best split of every active node, scanning only the candidate (feature, node) segments.

    The candidate entries of S are flattened feature-major, so each (feature, node) segment is
    contiguous; one cumulative sum gives every candidate's left statistics. Returns (found,
    feature, position, left statistics, x at the position, x at the next position), per node.
    """
    seg_start, seg_end = seg
    n_act, m = len(seg_start), S.shape[1]
    f, c = np.nonzero(cand[:, col_node])  # feature-major; a node's columns stay contiguous
    if len(f) == 0:
        return _no_split(n_act, stats.shape[1])
    x = X32[S[f, c], f]
    C = np.cumsum(stats[S[f, c]], axis=0)  # (M, K')
    node = col_node[c]
    st, en = seg_start[node], seg_end[node]
    first = np.flatnonzero(c == st)  # first entry of each (feature, node) segment
    seg_id = np.cumsum(c == st) - 1
    base = np.where((first > 0)[:, None], C[np.maximum(first - 1, 0)], 0.0)
    total = C[first + (en - st)[first] - 1] - base
    nr = en - c - 1
    nxt = np.minimum(np.arange(len(x)) + 1, len(x) - 1)
    idx = np.flatnonzero((c - st + 1 >= msl) & (nr >= msl) & (nr > 0) & (x[nxt] > x + FEATURE_THRESHOLD))
    left = C[idx] - base[seg_id[idx]]  # statistics only for the valid positions
    right = total[seg_id[idx]] - left
    if min_wleaf > 0:
        wsum = (lambda a: a[:, 0]) if criterion == "squared_error" else (lambda a: a.sum(-1))
        keep = (wsum(left) >= min_wleaf) & (wsum(right) >= min_wleaf)
        idx, left, right = idx[keep], left[keep], right[keep]
    if len(idx) == 0:
        return _no_split(n_act, stats.shape[1])
    proxy = _proxy(left, right, criterion)
    nd = node[idx]
    best = np.full(n_act, -np.inf)
    np.maximum.at(best, nd, proxy)
    key = np.where(proxy == best[nd], f[idx] * m + c[idx], np.iinfo(np.int64).max)
    kmin = np.full(n_act, np.iinfo(np.int64).max)
    np.minimum.at(kmin, nd, key)  # first maximum in (feature, position) order
    pick = np.flatnonzero(key == kmin[nd])
    chosen = idx[pick]
    present = node[chosen]
    found, bf, bc, (lb, rb), lo, hi = _no_split(n_act, stats.shape[1])
    found[present], bf[present], bc[present] = True, f[chosen], c[chosen]
    lb[present], rb[present], lo[present], hi[present] = left[pick], right[pick], x[chosen], x[chosen + 1]
    return found, bf, bc, (lb, rb), lo, hi


def _candidates(X32, S, seg, search, max_features, rng):
    """(d, n_act) mask of the features each node may split on: all, or ``max_features`` drawn at
    random among the features that are not constant in the node (scikit-learn's rule)."""
    n_feat, n_act = S.shape[0], len(search)
    if max_features >= n_feat:
        return np.broadcast_to(search, (n_feat, n_act))
    rows = np.arange(n_feat)[:, None]
    lo, hi = X32[S[:, seg[0]], rows], X32[S[:, seg[1] - 1], rows]  # node min / max per feature
    nonconst = (hi > lo + FEATURE_THRESHOLD).T  # (n_act, d)
    perm = np.argsort(rng.random((n_act, n_feat)), axis=1)
    nc_perm = np.take_along_axis(nonconst, perm, 1)
    chosen = np.zeros_like(nonconst)
    np.put_along_axis(chosen, perm, nc_perm & (np.cumsum(nc_perm, 1) <= max_features), 1)
    return chosen.T & search[None, :]


def _new_node_lists():
    return {"left": [-1], "right": [-1], "feat": [-2], "thr": [-2.0], "val": [None], "imp": [0.0],
            "n": [0], "wn": [0.0]}


def _add_children(nodes, act, js, f, thr):
    """Record the splits of nodes act[js] and append their (empty) children; returns first child id."""
    first = len(nodes["feat"])
    for i, j in enumerate(js):
        g = act[j]
        nodes["feat"][g], nodes["thr"][g] = int(f[i]), float(thr[i])
        nodes["left"][g], nodes["right"][g] = first + 2 * i, first + 2 * i + 1
    for key, v in _new_node_lists().items():
        nodes[key].extend(v * (2 * len(js)))
    return first


def grow_tree(X32, stats, sample_ids, criterion, max_depth, min_samples_split, min_samples_leaf,
              min_weight_leaf, min_impurity_decrease, max_features, rng):
    """Grow a CART tree; returns (Tree, un-normalised impurity-decrease importances (d,))."""
    n_feat = X32.shape[1]
    S = sample_ids[np.argsort(X32[sample_ids], axis=0, kind="stable").T]  # (d, m) sorted per feature
    col_node, act, nodes = np.zeros(S.shape[1], dtype=np.intp), np.array([0]), _new_node_lists()
    importance, w_root, depth = np.zeros(n_feat), None, 0
    wsum = (lambda a: a[..., 0]) if criterion == "squared_error" else (lambda a: a.sum(-1))
    while S.shape[1]:
        n_act = len(act)
        seg_start = np.searchsorted(col_node, np.arange(n_act))
        seg = (seg_start, np.append(seg_start[1:], S.shape[1]))
        tot = np.add.reduceat(stats[S[0]], seg_start, axis=0)  # node statistics (n_act, K')
        wn, imp, cnt = wsum(tot), impurity(tot, criterion), seg[1] - seg_start
        w_root = wn[0] if w_root is None else w_root
        for j, g in enumerate(act):
            nodes["val"][g], nodes["imp"][g], nodes["n"][g], nodes["wn"][g] = tot[j], imp[j], cnt[j], wn[j]
        search = (depth < max_depth) & (cnt >= min_samples_split) & (cnt >= 2 * min_samples_leaf) & \
            (wn >= 2 * min_weight_leaf) & (imp > EPS)
        cand = _candidates(X32, S, seg, search, max_features, rng)
        found, bf, bc, (lb, rb), lo, hi = _best_splits(X32, S, stats, seg, col_node, cand, criterion,
                                                 min_samples_leaf, min_weight_leaf)
        js = np.flatnonzero(found)
        f, sl, sr = bf[js], lb[js], rb[js]
        thr = lo[js] / 2.0 + hi[js] / 2.0
        thr = np.where((thr == hi[js]) | np.isinf(thr), lo[js], thr)
        # node statistics from the same cumulative sums as the children (consistent rounding)
        wl, wr = wsum(sl), wsum(sr)
        wt, it = wl + wr, impurity(sl + sr, criterion)
        il, ir = impurity(sl, criterion), impurity(sr, criterion)
        improvement = wt / w_root * (it - wr / wt * ir - wl / wt * il)
        good = improvement + EPS >= min_impurity_decrease
        js, f, thr = js[good], f[good], thr[good]
        np.add.at(importance, f, (wt * it - wl * il - wr * ir)[good])
        child = np.full(n_act, -1)
        child[js] = 2 * np.arange(len(js))
        first = _add_children(nodes, act, js, f, thr)
        keep = child[col_node] >= 0
        if not keep.any():
            break
        feat_of, thr_of = np.zeros(n_act, dtype=np.intp), np.zeros(n_act)
        feat_of[js], thr_of[js] = f, thr
        side = np.zeros(X32.shape[0], dtype=bool)  # True = goes right
        side[S[0]] = X32[S[0], feat_of[col_node]] > thr_of[col_node]
        S, S_parent = S[:, keep], child[col_node[keep]] // 2
        S, col_node = _stable_partition(S, side[S], S_parent, len(js))
        act = first + np.arange(2 * len(js))
        depth += 1
    return _preorder(nodes), importance


def _stable_partition(S, right, parent, n_parents):
    """Within every parent segment of every row, move left samples first, right ones after, each in
    their existing (value-sorted) order — a per-row stable partition by counting, O(d m).
    Returns the new (d, m) sample matrix and the child index of each column (left 2p, right 2p+1)."""
    m = S.shape[1]
    start = np.searchsorted(parent, np.arange(n_parents))
    size = np.diff(np.append(start, m))
    n_left = size - np.bincount(parent[right[0]], minlength=n_parents)
    cum_r = np.cumsum(right, axis=1)
    base = np.where(start > 0, cum_r[:, np.maximum(start - 1, 0)], 0)[:, parent]  # (d, m)
    r_before = cum_r - base  # right samples up to and including this column, within the segment
    offset = np.arange(m) - start[parent]
    pos = start[parent] + np.where(right, n_left[parent] + r_before - 1, offset - r_before)
    out = np.empty_like(S)
    np.put_along_axis(out, pos, S, axis=1)
    col_child = np.repeat(
        np.ravel(np.column_stack([2 * np.arange(n_parents), 2 * np.arange(n_parents) + 1])),
        np.ravel(np.column_stack([n_left, size - n_left])),
    )
    return out, col_child


def _preorder(nodes) -> Tree:
    """Renumber nodes depth-first, left child first (scikit-learn's numbering)."""
    L, R = nodes["left"], nodes["right"]
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        if L[i] >= 0:
            stack += [R[i], L[i]]
    new = {old: k for k, old in enumerate(order)}
    remap = lambda a: np.array([new[a[i]] if a[i] >= 0 else -1 for i in order], dtype=np.intp)  # noqa: E731
    pick = lambda key, dt: np.array([nodes[key][i] for i in order], dtype=dt)  # noqa: E731
    return Tree(
        remap(L),
        remap(R),
        pick("feat", np.intp),
        pick("thr", np.float64),
        np.stack([nodes["val"][i] for i in order]),
        pick("imp", np.float64),
        pick("n", np.intp),
        pick("wn", np.float64),
    )
