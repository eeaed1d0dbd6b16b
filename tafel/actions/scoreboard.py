"""The per-ministry scoreboard: responses on time, their outcomes, action
items done on time and the median time to a response.

Figures only, never titles or texts; they count every response, whatever
the visibility of its submission. Four queries, however many ministries or
rows: the rows are read as plain columns and counted in one pass.

It reads decisions, responses and action items, so it lives here, in the
highest of the three; its pages keep their place on the decisions blueprint
(`actions.scoreboard_views`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from tafel import db
from tafel.actions.models import ActionItem
from tafel.core.timefmt import local_date, local_today
from tafel.decisions.models import OUTCOME_LABELS, OUTCOMES, Decision
from tafel.reference.models import Ministry
from tafel.responses.models import Response
from tafel.submissions.models import Submission

NOTHING = "–"
# Reports that owe a response once accepted (also after they are closed).
DUE_STATUSES = ("aanvaard", "geagendeerd", "besproken", "besloten", "afgehandeld")


@dataclass
class Row:
    ministry: Ministry
    decisions: int = 0
    responses_due: int = 0
    responses_on_time: int = 0
    published: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    actions_due: int = 0
    actions_on_time: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return median(self.days) if self.days else None


def on_time(done_at, due: date) -> bool:
    return done_at is not None and local_date(done_at) <= due


def compute(today: date | None = None) -> list[Row]:
    today = today or local_today()
    rows: dict[int, Row] = {}

    def row(ministry_id: int) -> Row:
        return rows.setdefault(ministry_id, Row(ministry=None))

    # Every accepted report is due a response, whether or not the ministry has
    # started one: reports without a Response row count as not (yet) answered.
    responses = db.session.execute(
        select(
            func.coalesce(Response.ministry_id, Submission.ministry_id),
            func.coalesce(Response.due_date, Submission.response_deadline),
            Response.status, Response.outcome, Response.published_at, Submission.submitted_at,
        )
        .select_from(Submission)
        .outerjoin(Response, Response.submission_id == Submission.id)
        .where(
            Response.id.is_not(None)
            | and_(
                Submission.ministry_id.is_not(None),
                Submission.response_deadline.is_not(None),
                Submission.status.in_(DUE_STATUSES),
            )
        )
    )  # fmt: skip
    for ministry_id, due, status, outcome, published_at, submitted_at in responses:
        current = row(ministry_id)
        published = status == "gepubliceerd" and published_at is not None
        if due <= today:
            current.responses_due += 1
            current.responses_on_time += published and on_time(published_at, due)
        if not published:
            continue
        current.published += 1
        if outcome in current.outcomes:
            current.outcomes[outcome] += 1
        if submitted_at is not None:
            current.days.append((local_date(published_at) - local_date(submitted_at)).days)
    actions = db.session.execute(
        select(
            ActionItem.owner_ministry_id, ActionItem.due_date, ActionItem.status,
            ActionItem.completed_at,
        ).where(ActionItem.owner_ministry_id.is_not(None))
    )  # fmt: skip
    for ministry_id, due, status, completed_at in actions:
        current = row(ministry_id)
        if due <= today:
            current.actions_due += 1
            current.actions_on_time += status == "gerealiseerd" and on_time(completed_at, due)
    counts = db.session.execute(
        select(Decision.ministry_id, func.count(Decision.id))
        .where(Decision.ministry_id.is_not(None))
        .group_by(Decision.ministry_id)
    )
    for ministry_id, count in counts:
        row(ministry_id).decisions = count
    if not rows:
        return []
    ministries = db.session.scalars(
        select(Ministry).where(Ministry.id.in_(rows)).order_by(Ministry.position, Ministry.id)
    )
    result = []
    for ministry in ministries:
        rows[ministry.id].ministry = ministry
        result.append(rows[ministry.id])
    return result


def percent(done: int, total: int) -> int | None:
    """Rounded half up, but 100 only when all and 0 only when none."""
    if not total:
        return None
    value = (200 * done + total) // (2 * total)
    if done < total:
        value = min(value, 99)
    if done:
        value = max(value, 1)
    return value


def share(done: int, total: int) -> str:
    if not total:
        return NOTHING
    return _(
        "%(percent)d %% (%(done)d van %(total)d)",
        percent=percent(done, total),
        done=done,
        total=total,
    )


def days(value: float | None) -> str:
    return NOTHING if value is None else format_decimal(value, format="#,##0.#")


def csv_header() -> list[str]:
    return [
        _("Ministerie"), _("Afkorting"), _("Besluiten"), _("Reacties verschuldigd"),
        _("Reacties op tijd"), _("Reacties op tijd (%)"),
        *[str(OUTCOME_LABELS[o]) for o in OUTCOMES],
        _("Actiepunten verschuldigd"), _("Actiepunten op tijd"), _("Actiepunten op tijd (%)"),
        _("Mediane doorlooptijd (dagen)"),
    ]  # fmt: skip


def csv_rows(rows: list[Row]) -> list[list]:
    lines = []
    for row in rows:
        figures = [
            row.ministry.label, row.ministry.slug, row.decisions, row.responses_due,
            row.responses_on_time, percent(row.responses_on_time, row.responses_due),
            *[row.outcomes[o] if row.published else "" for o in OUTCOMES],
            row.actions_due, row.actions_on_time,
            percent(row.actions_on_time, row.actions_due),
            _days_number(row.median_days),
        ]  # fmt: skip
        lines.append(figures)
    return lines


def _days_number(value: float | None) -> int | float | None:
    """A number for the CSV (a decimal point, see core.exports.csv_cell)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 1)
