"""Results of a priority round: the tally overall and per constituency,
turnout and quorum, where constituencies disagree, the latest closed round's
ranking (for agendas and meeting packs) and the words and figures the result
pages print. Nothing here changes the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.reference.models import Constituency
from tafel.submissions.models import Submission
from tafel.voting import methods
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound

MIN_GROUP = 3  # smaller constituencies are not shown apart in secret rounds


def candidate_ids(rnd: PriorityRound) -> list[int]:
    return [c.submission_id for c in rnd.candidates]


@dataclass
class Outcome:
    overall: methods.Result
    by_constituency: dict[str, methods.Result]
    constituencies: list[Constituency]
    eligible: int
    voted: int
    voted_by_constituency: dict[str, int] = field(default_factory=dict)
    eligible_by_constituency: dict[str, int] = field(default_factory=dict)
    disagreement: set[int] = field(default_factory=set)

    @property
    def turnout(self) -> float:
        return self.voted / self.eligible if self.eligible else 0.0

    def place(self, slug: str, candidate: int) -> str:
        """A candidate's place in one constituency's ranking ('2', '2 =', or '–')."""
        if not hasattr(self, "_places"):
            self._places = {
                key: {r.candidate: f"{r.position}{' =' if r.tied else ''}" for r in result.rows}
                for key, result in self.by_constituency.items()
                if result.ballots
            }
        return self._places.get(slug, {}).get(candidate, "–")


def turnout(rnd: PriorityRound) -> tuple[int, int]:
    rows = db.session.execute(
        select(EligibleVoter.voted).where(EligibleVoter.round_id == rnd.id)
    ).all()
    return sum(1 for (voted,) in rows if voted), len(rows)


def quorum_met(rnd: PriorityRound, voted: int, eligible: int) -> bool:
    return eligible > 0 and voted * 100 >= rnd.quorum_percent * eligible


def _constituencies() -> list[Constituency]:
    return list(db.session.scalars(select(Constituency).order_by(Constituency.position)))


def results(rnd: PriorityRound) -> Outcome:
    """The ranking overall and per constituency: the result stored when the
    round closed, or (an open round, or one closed before results were
    stored) tallied from the ballots now."""
    if rnd.status == "gesloten" and rnd.result:
        return outcome_from_json(rnd.result, _constituencies())
    return tally_round(rnd)


def store_result(rnd: PriorityRound) -> Outcome:
    """Tally a closing round once and keep the result on it (services.close_round)."""
    outcome = tally_round(rnd)
    rnd.result = outcome_to_json(outcome)
    return outcome


def _result_json(result: methods.Result) -> dict[str, Any]:
    return {
        "method": result.method,
        "ballots": result.ballots,
        "rows": [
            {name: getattr(row, name) for name in methods.Row.__slots__} for row in result.rows
        ],
    }


def _result_from(data: dict[str, Any]) -> methods.Result:
    rows = [methods.Row(**row) for row in data["rows"]]
    return methods.Result(method=data["method"], ballots=data["ballots"], rows=rows)


def outcome_to_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "version": 1,
        "overall": _result_json(outcome.overall),
        "by_constituency": {k: _result_json(v) for k, v in outcome.by_constituency.items()},
        "eligible": outcome.eligible,
        "voted": outcome.voted,
        "voted_by_constituency": outcome.voted_by_constituency,
        "eligible_by_constituency": outcome.eligible_by_constituency,
        "disagreement": sorted(outcome.disagreement),
    }


def outcome_from_json(data: dict[str, Any], constituencies: list[Constituency]) -> Outcome:
    by = {slug: _result_from(value) for slug, value in data["by_constituency"].items()}
    return Outcome(
        overall=_result_from(data["overall"]),
        by_constituency=by,
        constituencies=constituencies,
        eligible=data["eligible"],
        voted=data["voted"],
        voted_by_constituency=dict(data["voted_by_constituency"]),
        eligible_by_constituency=dict(data["eligible_by_constituency"]),
        disagreement=set(data["disagreement"]),
    )


def tally_round(rnd: PriorityRound) -> Outcome:
    """The ranking overall and per constituency from the ballots, in three
    queries whatever the number of ballots."""
    ids = candidate_ids(rnd)
    constituencies = _constituencies()
    slugs = {c.id: c.slug for c in constituencies}
    ballots = db.session.execute(
        select(Ballot.content, Ballot.constituency_id).where(Ballot.round_id == rnd.id)
    ).all()
    voters = db.session.execute(
        select(EligibleVoter.constituency_id, EligibleVoter.voted).where(
            EligibleVoter.round_id == rnd.id
        )
    ).all()
    per: dict[str, list] = {c.slug: [] for c in constituencies}
    for content, constituency_id in ballots:
        if constituency_id is not None:
            per.setdefault(slugs.get(constituency_id, "overig"), []).append(content)
    if rnd.secret:
        # A constituency of one or two voters would give their ballots away.
        per = {slug: group if len(group) >= MIN_GROUP else [] for slug, group in per.items()}
    params = rnd.params or {}
    overall = methods.tally(rnd.method, ids, [c for c, _ in ballots], **params)
    by = {slug: methods.tally(rnd.method, ids, group, **params) for slug, group in per.items()}
    outcome = Outcome(
        overall=overall,
        by_constituency=by,
        constituencies=constituencies,
        eligible=len(voters),
        voted=sum(1 for _, voted in voters if voted),
    )
    for constituency_id, voted in voters:
        slug = slugs.get(constituency_id, "overig")
        outcome.eligible_by_constituency[slug] = outcome.eligible_by_constituency.get(slug, 0) + 1
        outcome.voted_by_constituency[slug] = outcome.voted_by_constituency.get(slug, 0) + int(
            voted
        )
    outcome.disagreement = _top3_disagreement([r for r in by.values() if r.ballots])
    return outcome


def _top3_disagreement(groups: list[methods.Result]) -> set[int]:
    """Candidates whose place in the top 3 (or outside it) differs between
    constituencies: in one group's top 3 but not another's, or at another place."""
    if len(groups) < 2:
        return set()
    places = [
        {row.candidate: (row.position if row.position <= 3 else None) for row in result.rows}
        for result in groups
    ]
    candidates = set().union(*places)
    return {
        c
        for c in candidates
        if len({p.get(c) for p in places}) > 1 and any(p.get(c) for p in places)
    }


def latest_ranking() -> list[tuple[Submission, int]]:
    """The latest closed round's ordering, ready for the agenda builder."""
    rnd = db.session.scalar(
        select(PriorityRound)
        .where(PriorityRound.status == "gesloten")
        .order_by(PriorityRound.closed_at.desc())
        .limit(1)
    )
    if rnd is None:
        return []
    ranked = [c for c in rnd.candidates if c.final_position is not None]
    ranked.sort(key=lambda c: (c.final_position, c.position))
    return [(c.submission, c.final_position) for c in ranked]


def latest_ranks() -> dict[int, int]:
    """Submission id → rank in the latest closed round (agendas, meeting packs)."""
    return {sub.id: rank for sub, rank in latest_ranking()}


def describe_ballot(rnd: PriorityRound, content: dict[str, Any]) -> str:
    """A ballot in words, for named rounds: '1. Netcongestie …; 2. …'."""
    titles = {str(c.submission_id): c.submission.title for c in rnd.candidates}
    if rnd.method == "approval":
        return "; ".join(titles.get(str(i), str(i)) for i in content.get("approve", []))
    field = methods.FIELDS[rnd.method]
    entries = sorted(
        content.get(field, {}).items(),
        key=lambda item: item[1] if rnd.method == "ranked" else -item[1],
    )
    if rnd.method == "ranked":
        return "; ".join(f"{value}. {titles.get(key, key)}" for key, value in entries)
    return "; ".join(f"{titles.get(key, key)}: {value}" for key, value in entries if value)


def row_figure(rnd: PriorityRound, row) -> str:
    """The number a result row is ranked by, written out for people (in the
    reader's notation: 3,50 in Dutch)."""
    if rnd.method == "approval":
        return format_decimal(row.approvals)
    if rnd.method == "dot":
        return format_decimal(row.points)
    if rnd.method == "score":
        return (
            "–" if row.mean is None else f"{format_decimal(row.mean, format='0.00')} ({row.voters})"
        )
    return f"{row.schulze_wins} / Borda {row.borda}"


def method_params(rnd: PriorityRound) -> list[str]:
    """The method's parameters in words, for the official result."""
    params = rnd.params or {}
    if rnd.method == "approval" and params.get("k"):
        return [_("hoogstens %(k)s kandidaten per lid", k=params["k"])]
    if rnd.method == "dot":
        return [
            _("%(n)s punten per lid", n=params.get("total", "")),
            _("hoogstens %(m)s per kandidaat", m=params.get("max_per_candidate", "")),
        ]
    if rnd.method == "score":
        return [_("cijfer 0 tot 5; rangorde naar gemiddelde, bij gelijkheid naar aantal")]
    if rnd.method == "ranked":
        return [_("winnaar volgens Schulze; Borda-score ernaast")]
    return []


def figure_columns(method: str) -> list[tuple[str, str]]:
    """The figures a method ranks by: (Row attribute, column title)."""
    return {
        "approval": [("approvals", _("Goedkeuringen"))],
        "dot": [("points", _("Punten"))],
        "score": [("mean", _("Gemiddelde score")), ("voters", _("Aantal beoordelingen"))],
        "ranked": [("schulze_wins", _("Schulze: verslagen kandidaten")), ("borda", _("Borda"))],
    }[method]


def _figure(row, attribute: str):
    value = getattr(row, attribute)
    return round(value, 4) if isinstance(value, float) else value


def table(rnd: PriorityRound, outcome: Outcome) -> tuple[list[str], list[list[Any]]]:
    """The result as rows for the CSV export: overall place (for a ranked
    round: the Schulze place), whether it is shared, report, title, the
    method's figures as numbers, and the place in each constituency that has
    ballots."""
    titles = {c.submission_id: c.submission.title for c in rnd.candidates}
    slugs = [c.slug for c in outcome.constituencies]
    figures = figure_columns(rnd.method)
    header = [_("Positie"), _("Gedeelde positie"), _("Melding"), _("Titel")]
    header += [title for _attr, title in figures]
    header += [_("Positie %(c)s", c=c.label) for c in outcome.constituencies]
    per = {
        slug: {row.candidate: row.position for row in outcome.by_constituency[slug].rows}
        for slug in slugs
        if outcome.by_constituency[slug].ballots
    }
    rows = [
        [
            row.position,
            _("ja") if row.tied else _("nee"),
            row.candidate,
            titles.get(row.candidate, ""),
        ]
        + [_figure(row, attr) for attr, _title in figures]
        + [per[slug].get(row.candidate) if slug in per else None for slug in slugs]
        for row in outcome.overall.rows
    ]
    return header, rows
