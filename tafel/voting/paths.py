"""Schulze's pairwise counts and strongest paths, the two O(n²)–O(n³) steps
of a ranked tally (`methods.schulze`): pure integer arithmetic on candidate
indices, no ballots and no database."""

from __future__ import annotations

from collections import Counter

Matrix = list[list[int]]
Order = tuple[tuple[int, ...], ...]  # a ranking: groups of candidate indices, best first


def strongest_paths(d: Matrix) -> Matrix:
    """Schulze strongest-path strengths p[i][j] from pairwise counts d (Floyd–Warshall, O(n^3)).

    A direct link i->j has strength d[i][j] when d[i][j] > d[j][i], else 0; a path is as
    strong as its weakest link. p[i][j] = max(p[i][j], min(p[i][k], p[k][j])) via every k.
    Diagonal is 0."""
    n = len(d)
    p = [[d[i][j] if d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for k in range(n):
        pk = p[k]
        for i in range(n):
            pi = p[i]
            pik = pi[k]
            if i == k or not pik:
                continue
            for j in range(n):
                if j != i:
                    width = pk[j] if pk[j] < pik else pik
                    if width > pi[j]:
                        pi[j] = width
    return p


def pairwise_counts(n: int, orders: Counter[Order]) -> Matrix:
    """Pairwise counts, with each matrix row packed into one integer.

    Row i is stored as a big integer holding n counters of ``width`` bits: counter j lives at
    bit j * width. Per ballot, walking its groups from worst to best, ``below`` packs a 1 for
    every candidate strictly below the current group, so adding it to a row adds 1 to each of
    those n counters at once: O(n) big-integer additions per ballot instead of O(n^2) cells.
    No counter can exceed the number of ballots, so no counter overflows into the next.
    """
    width = max(1, sum(orders.values()).bit_length())
    unit = [1 << (j * width) for j in range(n)]
    rows = [0] * n
    for groups, weight in orders.items():
        below = sum(unit) - sum(unit[i] for group in groups for i in group)  # the unranked
        for group in reversed(groups):
            if below:
                add = below * weight
                for i in group:
                    rows[i] += add
            for i in group:
                below += unit[i]
    mask = (1 << width) - 1
    return [[(row >> (j * width)) & mask for j in range(n)] for row in rows]
