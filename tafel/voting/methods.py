"""Tally methods for priority rounds (DESIGN.md §6): pure functions from ballots to a ranking.

No database and no Flask. The caller passes the round's candidate ids in display order and the
ballots' *content* (the JSON object stored per ballot):

- approval: ``{"approve": [id, ...]}``            rank by number of approvals
- dot:      ``{"points": {id: int, ...}}``        rank by points
- score:    ``{"scores": {id: 0..5, ...}}``       rank by mean, then by number of voters
- ranked:   ``{"ranking": {id: rank, ...}}``      rank 1 is best; Schulze order, Borda beside it

Candidate ids may be int or str keys (JSON object keys are text). A score left out is "no
opinion", not 0; a candidate left out of a ranking is below every ranked one.

Ties: rows are sorted best first; candidates with equal figures share a position (competition
ranking: 1, 1, 3) and are marked ``tied``; within a tie the round's display order is kept. A tie
is never broken by id.

The tally trusts ballots that :func:`validate` accepted when they were cast. A ballot it cannot
count (unknown candidate, wrong shape, score outside 0..5, negative points, more than ``k``
approvals when ``k`` is given) raises :class:`InvalidBallot` instead of being skipped silently.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

from tafel.voting.paths import Matrix, Order, pairwise_counts, strongest_paths

METHODS = ("approval", "dot", "score", "ranked")
FIELDS = {"approval": "approve", "dot": "points", "score": "scores", "ranked": "ranking"}
SCORE_MIN, SCORE_MAX = 0, 5

# What validate() can return. The caller maps each code to a translated message.
ERROR_CODES = (
    "malformed",  # not the method's shape, or a value that is not a whole number
    "unknown_candidate",  # an id that is not a candidate of the round
    "duplicate_candidate",  # the same candidate twice (e.g. 7 and "7")
    "empty",  # nothing chosen, no points, no scores, nothing ranked
    "too_many_approvals",  # approval: more than k
    "negative",  # dot: points below 0
    "over_max_per_candidate",  # dot: more than m on one candidate
    "over_budget",  # dot: more than N in total
    "score_out_of_range",  # score: outside 0..5
    "rank_out_of_range",  # ranked: outside 1..number of candidates
    "duplicate_rank",  # ranked: two candidates share a rank and allow_ties is off
    "incomplete_ranking",  # ranked: a candidate left out and allow_partial is off
)

# Round parameters per method; tally() accepts them all so the caller can pass a round's
# params as they are, but only approval's k affects counting (the rest is validate()'s job).
PARAMS = {
    "approval": ("k",),
    "dot": ("total", "max_per_candidate"),
    "score": (),
    "ranked": ("allow_partial", "allow_ties"),
}

Ballot = Mapping[str, Any]
Index = Mapping[int | str, int]
Params = Mapping[str, Any]


class InvalidBallot(ValueError):
    """A ballot the tally cannot count; ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Row:
    """One candidate's place in a result. Figures not used by the method stay None."""

    candidate: int
    position: int  # 1-based; tied candidates share it (1, 1, 3)
    tied: bool  # True when another row has the same position
    approvals: int | None = None  # approval
    points: int | None = None  # dot
    mean: float | None = None  # score; None when nobody scored the candidate
    voters: int | None = None  # score: how many ballots scored the candidate
    schulze_wins: int | None = None  # ranked: candidates it beats in the Schulze relation
    borda: int | None = None  # ranked: see schulze()


@dataclass(frozen=True, slots=True)
class Result:
    method: str
    ballots: int
    rows: list[Row]


# Tallies --------------------------------------------------------------------------------------


def approval(candidates: Sequence[int], ballots: Iterable[Ballot], k: int | None = None) -> Result:
    """Rank by the number of ballots approving each candidate. With ``k`` given, a ballot
    approving more than k candidates raises InvalidBallot("too_many_approvals")."""
    index = _index(candidates)
    approvals = [0] * len(candidates)
    count = 0
    for ballot in ballots:
        count += 1
        chosen = _entries(ballot, "approve", index)
        if k is not None and len(chosen) > k:
            raise InvalidBallot("too_many_approvals")
        for i in chosen:
            approvals[i] += 1
    return _result("approval", candidates, count, approvals, [{"approvals": a} for a in approvals])


def dot(candidates: Sequence[int], ballots: Iterable[Ballot]) -> Result:
    """Rank by the total of the points each candidate received."""
    index = _index(candidates)
    points = [0] * len(candidates)
    count = 0
    for ballot in ballots:
        count += 1
        for i, value in _entries(ballot, "points", index).items():
            if value < 0:
                raise InvalidBallot("negative")
            points[i] += value
    return _result("dot", candidates, count, points, [{"points": p} for p in points])


def score(candidates: Sequence[int], ballots: Iterable[Ballot]) -> Result:
    """Rank by mean score over the ballots that scored the candidate, then by the number of
    those ballots; still equal is a tie. Nobody scored it: mean None, below every scored one."""
    index = _index(candidates)
    sums = [0] * len(candidates)
    voters = [0] * len(candidates)
    count = 0
    for ballot in ballots:
        count += 1
        for i, value in _entries(ballot, "scores", index).items():
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise InvalidBallot("score_out_of_range")
            sums[i] += value
            voters[i] += 1
    # Compared as exact fractions: ties are decided on the true means, not on rounded floats.
    keys = [(Fraction(s, v) if v else Fraction(-1), v) for s, v in zip(sums, voters, strict=True)]
    figures = [
        {"mean": s / v if v else None, "voters": v} for s, v in zip(sums, voters, strict=True)
    ]
    return _result("score", candidates, count, keys, figures)


def schulze(candidates: Sequence[int], ballots: Iterable[Ballot]) -> Result:
    """Schulze order (winning votes), with Borda scores beside it.

    d[a][b] counts the ballots ranking a strictly above b; p = strongest_paths(d); a beats b
    when p[a][b] > p[b][a]. Candidates are ordered by the number they beat (``schulze_wins``).
    The relation is transitive, so a candidate beating another also beats everything that one
    beats and has strictly more wins: equal wins therefore means neither beats the other, and
    those candidates are tied.

    Borda: per ballot a candidate gets one point for every candidate it is ranked strictly
    above, unranked candidates included. For a ranking without ties that is n - r for the
    candidate ranked r-th among the ranked (n = number of candidates) and 0 for the unranked;
    candidates tied on a ballot each get the points of the lowest place of their group
    (n - r - (t - 1) for t candidates sharing rank position r). So borda[a] = sum_b d[a][b].
    """
    orders = _orders(candidates, ballots)
    d = pairwise_counts(len(candidates), orders)
    p = strongest_paths(d)
    n = len(candidates)
    wins = [sum(1 for j in range(n) if p[i][j] > p[j][i]) for i in range(n)]
    figures = [{"schulze_wins": w, "borda": sum(row)} for w, row in zip(wins, d, strict=True)]
    return _result("ranked", candidates, sum(orders.values()), wins, figures)


TALLIES = {"approval": approval, "dot": dot, "score": score, "ranked": schulze}


def tally(
    method: str, candidates: Sequence[int], ballots: Iterable[Ballot], **params: Any
) -> Result:
    """Tally by method name ("approval", "dot", "score", "ranked"). Accepts the round's params
    (see PARAMS); unknown method -> ValueError, unknown parameter -> TypeError."""
    if method not in TALLIES:
        raise ValueError(f"unknown voting method {method!r}")
    unknown = set(params) - set(PARAMS[method])
    if unknown:
        raise TypeError(f"{method} takes no parameter {', '.join(sorted(unknown))}")
    if method == "approval":
        return approval(candidates, ballots, k=params.get("k"))
    return TALLIES[method](candidates, ballots)


def pairwise(candidates: Sequence[int], ballots: Iterable[Ballot]) -> Matrix:
    """Ranked helper: d[i][j]: number of ballots ranking candidates[i] strictly above candidates[j]
    (indices follow ``candidates``; the diagonal is 0)."""
    return pairwise_counts(len(candidates), _orders(candidates, ballots))


def _orders(candidates: Sequence[int], ballots: Iterable[Ballot]) -> Counter[Order]:
    """Each ballot as groups of candidate indices, best first (unranked left out), counted so
    identical ballots are processed once."""
    index = _index(candidates)
    orders: Counter[Order] = Counter()
    for ballot in ballots:
        entries = _entries(ballot, "ranking", index)
        ranked = sorted((rank, i) for i, rank in entries.items())  # best first
        if len(set(entries.values())) == len(ranked):  # no equal ranks: one group each
            order = tuple((i,) for _, i in ranked)
        else:
            order = tuple(tuple(i for _, i in same) for _, same in groupby(ranked, itemgetter(0)))
        orders[order] += 1
    return orders


# Validation -----------------------------------------------------------------------------------


def validate(
    method: str, candidates: Sequence[int], content: object, params: Params | None = None
) -> list[str]:
    """Error codes (see ERROR_CODES) for one ballot's content; [] when it may be cast.

    params: approval ``k`` (at most k approvals); dot ``total`` (N, at most N points in all)
    and ``max_per_candidate`` (m); ranked ``allow_partial`` (default True: candidates may be
    left out) and ``allow_ties`` (default False: equal ranks are refused). A missing limit is
    not checked. Rank numbers must lie in 1..len(candidates); gaps are allowed."""
    if method not in FIELDS:
        raise ValueError(f"unknown voting method {method!r}")
    field = FIELDS[method]
    if not isinstance(content, Mapping) or set(content) != {field}:
        return ["malformed"]
    errors: list[str] = []
    entries = _collect(content, field, _index(candidates), errors)
    values = list(entries.values())
    errors += _CHECKS[method](values, params or {}, len(candidates))
    if method == "dot":
        values = [v for v in values if v > 0]  # zero points everywhere is an empty ballot
    if not values and not errors:
        errors.append("empty")
    return list(dict.fromkeys(errors))


def _check_approval(values: list[int], params: Params, n: int) -> list[str]:
    k = params.get("k")
    return ["too_many_approvals"] if k is not None and len(values) > k else []


def _check_dot(values: list[int], params: Params, n: int) -> list[str]:
    total, most = params.get("total"), params.get("max_per_candidate")
    errors = []
    if any(v < 0 for v in values):
        errors.append("negative")
    if most is not None and any(v > most for v in values):
        errors.append("over_max_per_candidate")
    if total is not None and sum(v for v in values if v > 0) > total:
        errors.append("over_budget")
    return errors


def _check_score(values: list[int], params: Params, n: int) -> list[str]:
    return ["score_out_of_range"] if any(not SCORE_MIN <= v <= SCORE_MAX for v in values) else []


def _check_ranked(values: list[int], params: Params, n: int) -> list[str]:
    errors = []
    if any(not 1 <= v <= n for v in values):
        errors.append("rank_out_of_range")
    if not params.get("allow_ties", False) and len(set(values)) < len(values):
        errors.append("duplicate_rank")
    if not params.get("allow_partial", True) and values and len(values) < n:
        errors.append("incomplete_ranking")
    return errors


_CHECKS = {
    "approval": _check_approval,
    "dot": _check_dot,
    "score": _check_score,
    "ranked": _check_ranked,
}


def _index(candidates: Sequence[int]) -> dict[int | str, int]:
    """Candidate id (as int and as its str form) -> position in ``candidates``."""
    index: dict[int | str, int] = {}
    for i, candidate in enumerate(candidates):
        if candidate in index:
            raise ValueError(f"candidate {candidate} listed twice")
        index[candidate] = index[str(candidate)] = i
    return index


def _collect(content: object, field: str, index: Index, errors: list[str]) -> dict[int, int]:
    """The ballot's entries as {candidate index: value}; problems are appended to ``errors``
    and the offending entries left out. Approvals get the value 1."""
    raw = content.get(field) if isinstance(content, Mapping) else None
    if field == "approve":
        pairs = zip(raw, repeat(1)) if isinstance(raw, list | tuple) else None
    else:
        pairs = iter(raw.items()) if isinstance(raw, Mapping) else None
    if pairs is None:
        errors.append("malformed")
        return {}
    entries: dict[int, int] = {}
    for key, value in pairs:
        ok_key = isinstance(key, int | str) and not isinstance(key, bool)
        i = index.get(key) if ok_key else None
        if i is None:
            errors.append("unknown_candidate")
        elif type(value) is not int:  # bool, float and str are refused
            errors.append("malformed")
        elif i in entries:
            errors.append("duplicate_candidate")
        else:
            entries[i] = value
    return entries


def _entries(content: object, field: str, index: Index) -> dict[int, int]:
    """_collect for the tally: the first problem raises InvalidBallot."""
    errors: list[str] = []
    entries = _collect(content, field, index, errors)
    if errors:
        raise InvalidBallot(errors[0])
    return entries


def _result(
    method: str,
    candidates: Sequence[int],
    count: int,
    keys: Sequence[Any],
    figures: Sequence[Mapping[str, Any]],
) -> Result:
    """Rows best first by ``keys`` (higher is better). Equal keys share a position and are
    tied; the sort is stable, so a tie keeps the display order of ``candidates``."""
    order = sorted(range(len(candidates)), key=lambda i: keys[i], reverse=True)
    sizes = Counter(keys)
    rows: list[Row] = []
    for place, i in enumerate(order):
        same = rows and keys[i] == keys[order[place - 1]]
        position = rows[-1].position if same else place + 1
        rows.append(Row(candidates[i], position, sizes[keys[i]] > 1, **figures[i]))
    return Result(method, count, rows)


# Benchmark ------------------------------------------------------------------------------------

BENCH_PARAMS: dict[str, dict[str, Any]] = {
    "approval": {"k": 5},
    "dot": {"total": 10, "max_per_candidate": 5},
    "score": {},
    "ranked": {},
}


def random_ballot(
    method: str, candidates: Sequence[int], rng: random.Random, **params: Any
) -> dict[str, Any]:
    """A random valid ballot, with str keys as ballots come back from JSON."""
    if method == "approval":
        k = min(params.get("k", 5), len(candidates))
        return {"approve": rng.sample(list(candidates), rng.randint(1, k))}
    if method == "dot":
        total, most = params.get("total", 10), params.get("max_per_candidate", 5)
        points: dict[str, int] = {}
        for _ in range(min(total, most * len(candidates))):
            key = str(rng.choice([c for c in candidates if points.get(str(c), 0) < most]))
            points[key] = points.get(key, 0) + 1
        return {"points": points}
    if method == "score":
        chosen = [c for c in candidates if rng.random() < 0.7] or [rng.choice(candidates)]
        return {"scores": {str(c): rng.randint(SCORE_MIN, SCORE_MAX) for c in chosen}}
    if method == "ranked":
        order = rng.sample(list(candidates), len(candidates))
        if rng.random() < 0.5:  # half of the ballots rank only their top few
            order = order[: rng.randint(1, len(order))]
        return {"ranking": {str(c): rank for rank, c in enumerate(order, start=1)}}
    raise ValueError(f"unknown voting method {method!r}")


def bench_tally(n_ballots: int = 1000, n_candidates: int = 50, seed: int = 1) -> dict[str, float]:
    """Milliseconds to tally n_ballots random valid ballots over n_candidates, per method."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    candidates = list(range(1001, 1001 + n_candidates))
    timings: dict[str, float] = {}
    for method in METHODS:
        params = BENCH_PARAMS[method]
        ballots = [random_ballot(method, candidates, rng, **params) for _ in range(n_ballots)]
        start = time.perf_counter()
        tally(method, candidates, ballots, **params)
        timings[method] = (time.perf_counter() - start) * 1000
    return timings
