"""Tally methods for priority rounds: properties, known examples, validation and speed."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tafel.voting import methods
from tafel.voting.methods import InvalidBallot, Result, Row

# Strategies -----------------------------------------------------------------------------------

candidate_lists = st.lists(st.integers(1, 10_000), min_size=1, max_size=6, unique=True)


def as_key(candidate: int, text: bool) -> int | str:
    return str(candidate) if text else candidate


@st.composite
def ballot(draw: st.DrawFn, method: str, candidates: list[int]) -> dict:
    """A valid ballot; keys are ints or (as after a JSON round trip) strs."""
    text = draw(st.booleans())
    pick = st.sampled_from(candidates)
    if method == "approval":
        return {"approve": draw(st.lists(pick, min_size=1, unique=True))}
    if method == "dot":
        points = draw(st.dictionaries(pick, st.integers(0, 5), min_size=1))
        return {"points": {as_key(c, text): v for c, v in points.items()}}
    if method == "score":
        scores = draw(st.dictionaries(pick, st.integers(0, 5), min_size=1))
        return {"scores": {as_key(c, text): v for c, v in scores.items()}}
    if draw(st.booleans()):  # strict, possibly partial
        order = draw(st.permutations(candidates))[: draw(st.integers(1, len(candidates)))]
        ranking = {c: rank for rank, c in enumerate(order, start=1)}
    else:  # equal ranks allowed
        ranking = draw(st.dictionaries(pick, st.integers(1, len(candidates)), min_size=1))
    return {"ranking": {as_key(c, text): r for c, r in ranking.items()}}


@st.composite
def rounds(
    draw: st.DrawFn, method: str, max_ballots: int = 25, candidates=candidate_lists
) -> tuple[list[int], list[dict]]:
    candidates = draw(candidates)
    ballots = draw(st.lists(ballot(method, candidates), max_size=max_ballots))
    return candidates, ballots


any_round = st.sampled_from(methods.METHODS).flatmap(lambda m: st.tuples(st.just(m), rounds(m)))


# Independent reference computations ------------------------------------------------------------


def ids(mapping: dict) -> dict[int, int]:
    return {int(key): value for key, value in mapping.items()}


def naive_pairwise(candidates: list[int], ballots: list[dict]) -> dict[tuple[int, int], int]:
    """Ballots ranking a strictly above b, comparing every pair on every ballot."""
    ranks = [ids(b["ranking"]) for b in ballots]
    return {
        (a, b): sum(r.get(a, math.inf) < r.get(b, math.inf) for r in ranks)
        for a in candidates
        for b in candidates
        if a != b
    }


def condorcet_winner(candidates: list[int], ballots: list[dict]) -> int | None:
    d = naive_pairwise(candidates, ballots)
    winners = [a for a in candidates if all(d[a, b] > d[b, a] for b in candidates if b != a)]
    return winners[0] if winners else None


def textbook_strongest_paths(d: list[list[int]]) -> list[list[int]]:
    """Schulze's widest paths as written on Wikipedia."""
    n = len(d)
    p = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j and d[i][j] > d[j][i]:
                p[i][j] = d[i][j]
    for i in range(n):
        for j in range(n):
            if i != j:
                for k in range(n):
                    if i != k and j != k:
                        p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return p


def sort_key(row: Row) -> object:
    """What each method ranks by (higher is better)."""
    if row.approvals is not None:
        return row.approvals
    if row.points is not None:
        return row.points
    if row.voters is not None:
        return (-1 if row.mean is None else row.mean, row.voters)
    return row.schulze_wins


def check_rows(result: Result, candidates: list[int]) -> None:
    rows = result.rows
    assert sorted(row.candidate for row in rows) == sorted(candidates)  # each exactly once
    positions = [row.position for row in rows]
    assert positions == sorted(positions)
    assert not rows or positions[0] == 1
    for place, row in enumerate(rows):
        first = next(i for i, other in enumerate(rows) if other.position == row.position)
        assert row.position == first + 1  # competition ranking: 1, 1, 3
        sharing = sum(other.position == row.position for other in rows)
        assert row.tied == (sharing > 1)
        if place:
            before = rows[place - 1]
            assert sort_key(before) >= sort_key(row)
            assert (before.position == row.position) == (sort_key(before) == sort_key(row))


def by_candidate(result: Result) -> dict[int, Row]:
    return {row.candidate: row for row in result.rows}


def table(result: Result, figure: str) -> list[tuple[int, int, bool, object]]:
    return [(r.candidate, r.position, r.tied, getattr(r, figure)) for r in result.rows]


# Properties -------------------------------------------------------------------------------------


@given(any_round)
def test_every_candidate_once_and_positions_well_formed(case):
    method, (candidates, ballots) = case
    result = methods.tally(method, candidates, ballots)
    assert result.method == method
    assert result.ballots == len(ballots)
    check_rows(result, candidates)


@given(any_round, st.randoms(use_true_random=False))
def test_ballot_order_does_not_matter(case, rng):
    method, (candidates, ballots) = case
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert methods.tally(method, candidates, shuffled) == methods.tally(method, candidates, ballots)


@given(rounds("approval"))
def test_approval_counts_approving_ballots(case):
    candidates, ballots = case
    rows = by_candidate(methods.approval(candidates, ballots))
    for c in candidates:
        assert rows[c].approvals == sum(c in b["approve"] for b in ballots)


@given(rounds("dot"))
def test_dot_totals_equal_points_cast(case):
    candidates, ballots = case
    result = methods.dot(candidates, ballots)
    assert sum(row.points for row in result.rows) == sum(sum(b["points"].values()) for b in ballots)
    rows = by_candidate(result)
    for c in candidates:
        assert rows[c].points == sum(ids(b["points"]).get(c, 0) for b in ballots)


@given(rounds("score"))
def test_score_means_are_sum_over_voters(case):
    candidates, ballots = case
    rows = by_candidate(methods.score(candidates, ballots))
    for c in candidates:
        given_scores = [ids(b["scores"])[c] for b in ballots if c in ids(b["scores"])]
        assert rows[c].voters == len(given_scores)
        if given_scores:
            assert 0 <= rows[c].mean <= 5
            assert rows[c].mean == pytest.approx(sum(given_scores) / len(given_scores))
        else:
            assert rows[c].mean is None


@given(rounds("ranked"))
def test_pairwise_counts_every_pair(case):
    candidates, ballots = case
    d = methods.pairwise(candidates, ballots)
    expected = naive_pairwise(candidates, ballots)
    for i, a in enumerate(candidates):
        for j, b in enumerate(candidates):
            assert d[i][j] == (0 if a == b else expected[a, b])


@given(
    st.integers(1, 7).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 30), min_size=n, max_size=n), min_size=n, max_size=n
        )
    )
)
def test_strongest_paths_match_the_textbook(d):
    assert methods.strongest_paths(d) == textbook_strongest_paths(d)


few_candidates = st.lists(st.integers(1, 10_000), min_size=2, max_size=5, unique=True)


@settings(max_examples=300)
@given(rounds("ranked", max_ballots=40, candidates=few_candidates))
def test_schulze_elects_the_condorcet_winner(case):
    candidates, ballots = case
    winner = condorcet_winner(candidates, ballots)
    result = methods.schulze(candidates, ballots)
    if winner is None:
        return
    assert result.rows[0].candidate == winner
    assert result.rows[0].position == 1
    assert not result.rows[0].tied
    assert result.rows[0].schulze_wins == len(candidates) - 1


@given(rounds("ranked"))
def test_schulze_order_follows_the_beats_relation(case):
    candidates, ballots = case
    p = methods.strongest_paths(methods.pairwise(candidates, ballots))
    where = {c: i for i, c in enumerate(candidates)}
    rows = methods.schulze(candidates, ballots).rows
    for x in rows:
        for y in rows:
            i, j = where[x.candidate], where[y.candidate]
            if p[i][j] > p[j][i]:
                assert x.position < y.position
            if x.position == y.position:
                assert p[i][j] == p[j][i]


@given(rounds("ranked"))
def test_borda_is_n_minus_r_on_strict_ballots(case):
    candidates, ballots = case
    strict = [b for b in ballots if len(set(b["ranking"].values())) == len(b["ranking"])]
    n = len(candidates)
    expected = dict.fromkeys(candidates, 0)
    for b in strict:
        ranking = ids(b["ranking"])
        for place, c in enumerate(sorted(ranking, key=ranking.get), start=1):
            expected[c] += n - place
    rows = by_candidate(methods.schulze(candidates, strict))
    assert {c: rows[c].borda for c in candidates} == expected


# Known examples ---------------------------------------------------------------------------------

WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]
LETTERS = {letter: number for number, letter in enumerate("ABCDE", start=1)}


def ranked_ballots(spec: list[tuple[int, str]]) -> list[dict]:
    return [
        {"ranking": {str(LETTERS[c]): rank for rank, c in enumerate(order, start=1)}}
        for count, order in spec
        for _ in range(count)
    ]


def test_wikipedia_schulze_example():
    candidates = [1, 2, 3, 4, 5]
    ballots = ranked_ballots(WIKIPEDIA)
    d = methods.pairwise(candidates, ballots)
    assert d == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert methods.strongest_paths(d) == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    result = methods.tally("ranked", candidates, ballots)
    assert result.ballots == 45
    order = "".join("ABCDE"[row.candidate - 1] for row in result.rows)
    assert order == "EACBD"
    assert [row.position for row in result.rows] == [1, 2, 3, 4, 5]
    assert [row.schulze_wins for row in result.rows] == [4, 3, 2, 1, 0]
    assert not any(row.tied for row in result.rows)
    # Borda (row sums of d) is shown beside it and orders differently: B (92) above C (89).
    assert [row.borda for row in result.rows] == [102, 98, 89, 92, 69]


def test_approval_tie_keeps_display_order():
    ballots = [{"approve": [10, 30]}, {"approve": [30, 10]}, {"approve": [20]}]
    result = methods.approval([30, 40, 20, 10], ballots, k=2)
    # 10 and 30 tie at 2 approvals: display order (30 before 10), never by id.
    assert table(result, "approvals") == [
        (30, 1, True, 2),
        (10, 1, True, 2),
        (20, 3, False, 1),
        (40, 4, False, 0),
    ]


def test_dot_tie_with_str_and_int_keys():
    ballots = [{"points": {"1": 3, "2": 2}}, {"points": {2: 1, "3": 4}}]
    assert table(methods.dot([1, 2, 3], ballots), "points") == [
        (3, 1, False, 4),
        (1, 2, True, 3),
        (2, 2, True, 3),
    ]


def test_score_tie_broken_by_voters_and_true_tie():
    ballots = [
        {"scores": {"1": 4, "2": 4, "3": 5}},  # 1: 4, 4 -> mean 4 from two voters
        {"scores": {"1": 4, "3": 3}},  # 2: 4 -> mean 4 from one voter
        {"scores": {"5": 2}},  # 3: 5, 3 -> mean 4 from two voters, ties with 1
    ]  # 4: nobody scored it; 5: mean 2
    result = methods.score([1, 2, 3, 4, 5], ballots)
    assert [(r.candidate, r.position, r.tied, r.mean, r.voters) for r in result.rows] == [
        (1, 1, True, 4.0, 2),
        (3, 1, True, 4.0, 2),
        (2, 3, False, 4.0, 1),
        (5, 4, False, 2.0, 1),
        (4, 5, False, None, 0),
    ]


def test_ranked_cycle_is_a_three_way_tie():
    ballots = ranked_ballots([(1, "ABC"), (1, "BCA"), (1, "CAB")])
    result = methods.schulze([1, 2, 3], ballots)
    assert [(r.candidate, r.position, r.tied, r.schulze_wins, r.borda) for r in result.rows] == [
        (1, 1, True, 0, 3),
        (2, 1, True, 0, 3),
        (3, 1, True, 0, 3),
    ]


def test_ranked_partial_ballots_and_a_tie():
    ballots = [
        {"ranking": {"1": 1}},  # A above B and C
        {"ranking": {"2": 1}},  # B above A and C
        {"ranking": {"1": 1, "2": 1, "3": 2}},  # A and B share rank 1, above C
    ]
    result = methods.schulze([3, 2, 1], ballots)  # display order C, B, A
    assert [(r.candidate, r.position, r.tied, r.schulze_wins, r.borda) for r in result.rows] == [
        (2, 1, True, 1, 3),
        (1, 1, True, 1, 3),
        (3, 3, False, 0, 0),
    ]


def test_empty_round():
    for method in methods.METHODS:
        result = methods.tally(method, [7, 8], [])
        assert result.ballots == 0
        assert [(r.candidate, r.position, r.tied) for r in result.rows] == [
            (7, 1, True),
            (8, 1, True),
        ]


# Dispatch and bad ballots -----------------------------------------------------------------------


def test_tally_accepts_round_params_and_refuses_others():
    ballots = [{"points": {"1": 2}}]
    assert methods.tally("dot", [1], ballots, total=10, max_per_candidate=5).rows[0].points == 2
    with pytest.raises(TypeError):
        methods.tally("dot", [1], ballots, k=3)
    with pytest.raises(ValueError, match="unknown voting method"):
        methods.tally("plurality", [1], ballots)


@pytest.mark.parametrize(
    ("method", "content", "params", "code"),
    [
        ("approval", {"approve": [1, 2]}, {"k": 1}, "too_many_approvals"),
        ("approval", {"approve": [9]}, {}, "unknown_candidate"),
        ("dot", {"points": {"1": -1}}, {}, "negative"),
        ("dot", {"points": {"1": 1.5}}, {}, "malformed"),
        ("score", {"scores": {"1": 6}}, {}, "score_out_of_range"),
        ("score", {"points": {"1": 3}}, {}, "malformed"),
        ("ranked", {"ranking": {"1": 1, 1: 2}}, {}, "duplicate_candidate"),
    ],
)
def test_tally_refuses_ballots_it_cannot_count(method, content, params, code):
    with pytest.raises(InvalidBallot) as error:
        methods.tally(method, [1, 2], [content], **params)
    assert error.value.code == code


# validate() -------------------------------------------------------------------------------------

CANDIDATES = [1, 2, 3]
INVALID = [
    ("approval", {"approve": [1, 2]}, {"k": 1}, ["too_many_approvals"]),
    ("approval", {"approve": [1, 4]}, {"k": 3}, ["unknown_candidate"]),
    ("approval", {"approve": [1, "1"]}, {"k": 3}, ["duplicate_candidate"]),
    ("approval", {"approve": []}, {"k": 3}, ["empty"]),
    ("approval", {"approve": "1"}, {"k": 3}, ["malformed"]),
    ("approval", {"approve": [[1]]}, {"k": 3}, ["unknown_candidate"]),
    ("dot", {"points": {"1": 6, "2": 5}}, {"total": 10, "max_per_candidate": 6}, ["over_budget"]),
    (
        "dot",
        {"points": {"1": 6}},
        {"total": 10, "max_per_candidate": 5},
        ["over_max_per_candidate"],
    ),
    ("dot", {"points": {"1": -1, "2": 3}}, {"total": 10}, ["negative"]),
    ("dot", {"points": {"1": 0}}, {"total": 10}, ["empty"]),
    ("dot", {"points": {"x": 1}}, {}, ["unknown_candidate"]),
    ("dot", {"points": {"1": True}}, {}, ["malformed"]),
    ("score", {"scores": {"1": 6}}, {}, ["score_out_of_range"]),
    ("score", {"scores": {"1": -1}}, {}, ["score_out_of_range"]),
    ("score", {"scores": {}}, {}, ["empty"]),
    ("score", {"scores": {"1": "3"}}, {}, ["malformed"]),
    ("score", {"scores": {"1": 3}, "extra": 1}, {}, ["malformed"]),
    ("ranked", {"ranking": {"1": 1, "2": 1}}, {}, ["duplicate_rank"]),
    ("ranked", {"ranking": {"1": 4}}, {}, ["rank_out_of_range"]),
    ("ranked", {"ranking": {"1": 0}}, {}, ["rank_out_of_range"]),
    ("ranked", {"ranking": {"1": 1, "2": 2}}, {"allow_partial": False}, ["incomplete_ranking"]),
    ("ranked", {"ranking": {"4": 1}}, {}, ["unknown_candidate"]),
    ("ranked", {"ranking": {}}, {}, ["empty"]),
    ("ranked", [["1", 1]], {}, ["malformed"]),
    ("ranked", None, {}, ["malformed"]),
]


@pytest.mark.parametrize(("method", "content", "params", "codes"), INVALID)
def test_validate_reports_each_code(method, content, params, codes):
    assert methods.validate(method, CANDIDATES, content, params) == codes


def test_every_error_code_has_an_example():
    assert {code for *_, codes in INVALID for code in codes} == set(methods.ERROR_CODES)


def test_validate_reports_several_codes_once_each():
    content = {"points": {"1": 7, "2": 7, "4": 1, "3": -1}}
    assert methods.validate("dot", CANDIDATES, content, {"total": 10, "max_per_candidate": 5}) == [
        "unknown_candidate",
        "negative",
        "over_max_per_candidate",
        "over_budget",
    ]


@pytest.mark.parametrize(
    ("method", "content", "params"),
    [
        ("approval", {"approve": [1, 3]}, {"k": 2}),
        ("approval", {"approve": ["2"]}, None),
        ("dot", {"points": {"1": 5, 2: 5}}, {"total": 10, "max_per_candidate": 5}),
        ("dot", {"points": {"1": 3, "2": 0}}, {"total": 10, "max_per_candidate": 5}),
        ("score", {"scores": {"1": 0, "3": 5}}, {}),
        ("ranked", {"ranking": {"3": 1, "1": 2, "2": 3}}, {"allow_partial": False}),
        ("ranked", {"ranking": {"2": 1}}, {}),
        ("ranked", {"ranking": {"1": 1, "2": 1, "3": 3}}, {"allow_ties": True}),
    ],
)
def test_validate_accepts_valid_content(method, content, params):
    assert methods.validate(method, CANDIDATES, content, params) == []


@pytest.mark.parametrize("method", methods.METHODS)
def test_generated_bench_ballots_are_valid(method):
    rng = random.Random(7)
    candidates = list(range(100, 112))
    params = methods.BENCH_PARAMS[method]
    for _ in range(50):
        content = methods.random_ballot(method, candidates, rng, **params)
        assert methods.validate(method, candidates, content, params) == []


# Speed ------------------------------------------------------------------------------------------


def test_tally_1000_ballots_50_candidates_under_200_ms():
    best = {method: math.inf for method in methods.METHODS}
    for _ in range(3):
        for method, ms in methods.bench_tally(n_ballots=1000, n_candidates=50, seed=1).items():
            best[method] = min(best[method], ms)
    assert set(best) == set(methods.METHODS)
    slow = {method: ms for method, ms in best.items() if ms >= 200}
    assert not slow, f"tally too slow (best of 3, ms): {best}"
