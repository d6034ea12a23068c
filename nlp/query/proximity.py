"""Proximity on token positions: NEAR/ONEAR pairs and sloppy phrases ("a b c"~n).

Spans are (first, last) token positions. Mentions can be long and hostile, so every function
here is near-linear in the number of occurrences, and the rare exponential case (phrase words
that can match the same token) runs on a step budget.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

Span = tuple[int, int]
MAX_SPANS = 10_000  # beyond this, a NEAR keeps the spans found so far
STEP_BUDGET = 20_000  # search steps for phrases whose words can match the same token


def near_spans(lefts: list[Span], rights: list[Span], distance: int, ordered: bool) -> list[Span]:
    """Spans of a left and a right span at most `distance` apart (right after left if ordered)."""
    if not lefts or not rights:
        return []
    by_start = sorted(rights)
    starts = [b[0] for b in by_start]
    by_end = sorted(rights, key=lambda b: b[1])
    ends = [b[1] for b in by_end]
    out: set[Span] = set()
    for a0, a1 in lefts:
        # the right span starts after the left one ends
        i, j = bisect_left(starts, a1 + 1), bisect_right(starts, a1 + distance)
        out.update((a0, max(a1, b1)) for _, b1 in by_start[i:j])
        if not ordered:  # or ends before it starts
            i, j = bisect_left(ends, a0 - distance), bisect_right(ends, a0 - 1)
            out.update((b0, a1) for b0, _ in by_end[i:j])
        if len(out) >= MAX_SPANS:
            break
    return sorted(out)


def near_exists(lefts: list[Span], rights: list[Span], distance: int, ordered: bool) -> bool:
    if not lefts or not rights:
        return False
    starts = sorted(b[0] for b in rights)
    ends = sorted(b[1] for b in rights)
    for a0, a1 in lefts:
        i = bisect_left(starts, a1 + 1)
        if i < len(starts) and starts[i] <= a1 + distance:
            return True
        if not ordered:
            i = bisect_left(ends, a0 - distance)
            if i < len(ends) and ends[i] <= a0 - 1:
                return True
    return False


def sloppy_spans(lists: list[list[int]], slop: int, disjoint: bool) -> list[Span]:
    """Spans holding one position of each list, all distinct, first to last at most `slop`.

    `disjoint`: no position can be in two lists (the phrase's words never match the same token).
    Then for every occurrence the tightest window ending there and the tightest window
    starting there are kept: what a NEAR around the phrase needs.
    """
    if not all(lists):
        return []
    if not disjoint:
        return _search(lists, slop)
    out: set[Span] = set()
    positions = sorted({p for found in lists for p in found})
    for p in positions:
        latest = [found[bisect_right(found, p) - 1] if found[0] <= p else None for found in lists]
        if None not in latest:
            start = min(q for q in latest if q is not None)
            if p - start <= slop:
                out.add((start, p))
        earliest = [
            found[i] if (i := bisect_left(found, p)) < len(found) else None for found in lists
        ]
        if None not in earliest:
            end = max(q for q in earliest if q is not None)
            if end - p <= slop:
                out.add((p, end))
    return sorted(out)


def _search(lists: list[list[int]], slop: int) -> list[Span]:
    found: set[Span] = set()
    order = sorted(range(len(lists)), key=lambda i: len(lists[i]))
    steps = 0

    def pick(k: int, used: frozenset[int], lo: int, hi: int) -> None:
        nonlocal steps
        if k == len(order):
            found.add((lo, hi))
            return
        for p in lists[order[k]]:
            steps += 1
            if steps > STEP_BUDGET:
                return
            if p in used or max(hi, p) - min(lo, p) > slop:
                continue
            pick(k + 1, used | {p}, min(lo, p), max(hi, p))

    for p in lists[order[0]]:
        pick(1, frozenset((p,)), p, p)
        if steps > STEP_BUDGET:
            break
    return sorted(found)
