"""The dashboard's figures, each counted by the query of the list it links to.

A bar of "reports per market" is `submission_query(user, filters)` — the
query of `/submissions/` — grouped by market; its link is that list with the
same filters plus the market. Decisions use `register_query` (`/decisions/`),
action items `list_query` (`/actions/`). So a figure can never count more
than its list shows the same user, nor count it differently; a property test
(tests/dashboard) checks every bar against its list for every role.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from tafel import db
from tafel.accounts import roles
from tafel.actions.models import OPEN, ActionItem
from tafel.actions.models import STATUS_LABELS as ACTION_LABELS
from tafel.actions.models import STATUSES as ACTION_STATUSES
from tafel.actions.queries import ActionFilters, list_query
from tafel.decisions.models import OUTCOME_LABELS, OUTCOMES, Decision
from tafel.decisions.queries import RegisterFilters, register_query
from tafel.reference.models import ActionLine, Market, Ministry, Province
from tafel.submissions.models import STATUS_LABELS, STATUSES, Submission, submission_action_lines
from tafel.submissions.queries import Filters, submission_query

# The path of the report list's statuses, in the order a report goes.
FUNNEL = ("ingediend", "in_behandeling", "aanvaard", "geagendeerd", "besproken", "besloten",
          "afgehandeld")  # fmt: skip


@dataclass(frozen=True)
class DashboardFilters:
    market: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> DashboardFilters:
        base = Filters.from_args(args)  # the report list's own reading of the same names
        return cls(market=base.ids.get("market"), date_from=base.date_from,
                   date_to=base.date_to)  # fmt: skip

    def report_filters(self, **ids: int) -> Filters:
        chosen = {"market": self.market} if self.market else {}
        return Filters(date_from=self.date_from, date_to=self.date_to, ids=chosen | ids)

    def args(self) -> dict[str, Any]:
        return self.report_filters().args()


@dataclass
class Bar:
    label: str
    value: int
    endpoint: str
    args: dict[str, Any]


@dataclass
class Figure:
    key: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    note: str = ""

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)

    @property
    def top(self) -> Bar | None:
        return max(self.bars, key=lambda bar: bar.value, default=None)

    @property
    def peak(self) -> int:
        return max((bar.value for bar in self.bars), default=0)


def _grouped(query: Select) -> dict[Any, int]:
    return {key: count for key, count in db.session.execute(query)}


def _report_counts(user, filters: DashboardFilters, column, *, join=None) -> dict[Any, int]:
    query = submission_query(user, filters.report_filters(), columns=[column, func.count()],
                             ordered=False)  # fmt: skip
    if join is not None:
        query = query.join_from(Submission, join, join.c.submission_id == Submission.id)
    return _grouped(query.group_by(column))


def _reference_bars(model, counts: dict[Any, int], name: str, filters: DashboardFilters):
    rows = db.session.scalars(select(model).order_by(model.position, model.id))
    return [
        Bar(row.label, counts.get(row.id, 0), "submissions.index",
            filters.report_filters(**{name: row.id}).args())
        for row in rows
        if counts.get(row.id) or row.active
    ]  # fmt: skip


def reports_per_market(user, filters: DashboardFilters) -> Figure:
    """All markets side by side: the market filter does not narrow this one."""
    every = replace(filters, market=None)
    counts = _report_counts(user, every, Submission.market_id)
    return Figure("markets", _("Meldingen per markt"),
                  _reference_bars(Market, counts, "market", every),
                  _("Alle markten naast elkaar, ook als u op één markt filtert."))  # fmt: skip


def reports_per_action_line(user, filters: DashboardFilters) -> Figure:
    column = submission_action_lines.c.action_line_id
    counts = _report_counts(user, filters, column, join=submission_action_lines)
    return Figure("action_lines", _("Meldingen per actielijn"),
                  _reference_bars(ActionLine, counts, "action_line", filters),
                  _("Een melding kan bij meer actielijnen horen."))  # fmt: skip


def reports_per_province(user, filters: DashboardFilters) -> Figure:
    counts = _report_counts(user, filters, Submission.province_id)
    return Figure("provinces", _("Meldingen per provincie"),
                  _reference_bars(Province, counts, "province", filters))  # fmt: skip


def reports_per_status(user, filters: DashboardFilters) -> Figure:
    counts = _report_counts(user, filters, Submission.status)
    statuses = [s for s in STATUSES if s in FUNNEL or counts.get(s)]
    bars = [
        Bar(str(STATUS_LABELS[s]), counts.get(s, 0), "submissions.index",
            {**filters.args(), "status": s})
        for s in statuses
    ]  # fmt: skip
    return Figure("statuses", _("Meldingen per stand"), bars)


def _decision_filters(filters: DashboardFilters, **values) -> RegisterFilters:
    return RegisterFilters(market=filters.market, **values)


def decisions_per_outcome(user, filters: DashboardFilters) -> Figure:
    query = register_query(user, _decision_filters(filters)).order_by(None)
    counts = _grouped(
        query.with_only_columns(Decision.outcome, func.count(Decision.id)).group_by(
            Decision.outcome
        )
    )
    bars = [
        Bar(str(OUTCOME_LABELS[o]), counts.get(o, 0), "decisions.index",
            _decision_filters(filters, outcome=o).args())
        for o in OUTCOMES
    ]  # fmt: skip
    return Figure("outcomes", _("Besluiten per uitkomst"), bars,
                  _("Filter op markt: besluiten over meldingen in die markt."))  # fmt: skip


def _action_count(user, filters: ActionFilters) -> int:
    query = list_query(user, filters).with_only_columns(ActionItem.id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def actions_per_status(user) -> Figure:
    bars = [
        Bar(str(ACTION_LABELS[s]), _action_count(user, ActionFilters(status=s)), "actions.index",
            ActionFilters(status=s).args())
        for s in ACTION_STATUSES
    ]  # fmt: skip
    overdue = ActionFilters(overdue=True)
    bars.append(Bar(_("Over de datum"), _action_count(user, overdue), "actions.index",
                    overdue.args()))  # fmt: skip
    return Figure("actions", _("Actiepunten per stand"), bars,
                  _("Over de datum: nog open na de afgesproken datum."))  # fmt: skip


def overdue_actions_per_ministry(user) -> Figure:
    query = list_query(user, ActionFilters(overdue=True)).order_by(None)
    counts = _grouped(
        query.with_only_columns(ActionItem.owner_ministry_id, func.count(ActionItem.id))
        .where(ActionItem.owner_ministry_id.is_not(None), ActionItem.status.in_(OPEN))
        .group_by(ActionItem.owner_ministry_id)
    )
    ministries = db.session.scalars(select(Ministry).where(Ministry.id.in_(list(counts))))
    bars = [
        Bar(m.label, counts[m.id], "actions.index",
            ActionFilters(overdue=True, ministry=m.id).args())
        for m in sorted(ministries, key=lambda m: (m.position, m.id))
    ]  # fmt: skip
    return Figure("overdue_by_owner", _("Actiepunten over de datum per ministerie"), bars)


def figures(user, filters: DashboardFilters) -> list[Figure]:
    result = [
        reports_per_status(user, filters),
        reports_per_market(user, filters),
        reports_per_action_line(user, filters),
        reports_per_province(user, filters),
        decisions_per_outcome(user, filters),
        actions_per_status(user),
    ]
    if roles.is_secretariat(user):
        result.append(overdue_actions_per_ministry(user))
    return result


def summary(figure: Figure) -> str:
    """The figure in one sentence (its text alternative, WCAG 1.1.1)."""
    top = figure.top
    if top is None or figure.total == 0:
        return _("%(title)s: in deze selectie is nog niets te tellen.", title=figure.title)
    return _(
        "%(title)s: het hoogste aantal is %(value)d, bij ‘%(label)s’, van %(total)d in totaal.",
        title=figure.title,
        value=top.value,
        label=top.label,
        total=figure.total,
    )
