"""The shapes of the API, as pydantic models: the endpoints validate their
query parameters and build their answers with these, and the OpenAPI
document (`openapi.py`) is generated from the same models, so the document
cannot drift from what the endpoints do.

Field names are English and stable; times are ISO 8601 in UTC ("Z"), days
are ISO dates. Choice fields list their allowed values (`enum`).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tafel.actions.models import STATUSES as ACTION_STATUSES
from tafel.api.params import CURSOR_PATTERN, MAX_ID
from tafel.decisions.models import IMPLEMENTATION, OUTCOMES
from tafel.responses.models import STATUSES as RESPONSE_STATUSES
from tafel.submissions.models import KINDS, STATUSES, VISIBILITIES

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# No control characters in free text (PostgreSQL refuses NUL in a string).
TEXT = r"^[^\x00-\x1f\x7f]*$"


def choice(values, default: Any = ..., description: str | None = None) -> Any:
    """A string that is one of `values` (listed as `enum` in the schema)."""
    pattern = "^(" + "|".join(re.escape(v) for v in values) + ")$"

    def add_enum(schema: dict[str, Any]) -> None:
        for branch in schema.get("anyOf", [schema]):
            if branch.get("type") == "string":
                branch.pop("pattern", None)
                branch["enum"] = list(values)

    return Field(default, pattern=pattern, description=description, json_schema_extra=add_enum)


def ref_id(description: str) -> Any:
    return Field(None, ge=1, le=MAX_ID, description=description)


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)

    cursor: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="opaque; copy it from `next`"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")


# Reference data -------------------------------------------------------------------


class Ref(Out):
    id: int
    slug: str
    label: str = Field(description="Dutch label")
    label_en: str | None = None


class RefEntry(Ref):
    active: bool


class ReferenceData(Out):
    markets: list[RefEntry]
    action_lines: list[RefEntry]
    technologies: list[RefEntry]
    missions: list[RefEntry]
    themes: list[RefEntry]
    sectors: list[RefEntry]
    government_levels: list[RefEntry]
    constituencies: list[RefEntry]
    provinces: list[RefEntry]
    ministries: list[RefEntry]


# Reports --------------------------------------------------------------------------


class SubmissionOut(Out):
    id: int
    kind: str = choice(KINDS)
    status: str = choice(STATUSES)
    visibility: str = choice(VISIBILITIES)
    title: str
    summary: str
    organisation: str | None = Field(description="null when the submitter stays anonymous")
    market: Ref | None
    sector: Ref | None
    theme: Ref | None
    province: Ref | None
    government_level: Ref | None
    ministry: Ref | None
    action_lines: list[Ref]
    technologies: list[Ref]
    missions: list[Ref]
    cosign_count: int
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    response_deadline: date | None
    url: str


class TimelineEntry(Out):
    kind: str
    at: datetime


class SubmissionDetail(SubmissionOut):
    body: str
    proposed_solution: str
    regulation_name: str | None
    regulation_identifier: str | None
    regulation_article: str | None
    impact_type: str | None
    impact_euro: int | None
    impact_delay_months: int | None
    merged_into: int | None
    cosignatures_by_constituency: dict[str, int]
    timeline: list[TimelineEntry]


class SubmissionPage(Out):
    items: list[SubmissionOut]
    next: str | None = Field(description="URL of the next page; null on the last")


class SubmissionQuery(Query):
    q: str = Field("", max_length=200, pattern=TEXT, description="search words")
    kind: str | None = choice(KINDS, None)
    status: str | None = choice(STATUSES, None)
    market: int | None = ref_id("market id (see /api/v1/reference)")
    action_line: int | None = ref_id("action line id")
    technology: int | None = ref_id("technology id")
    mission: int | None = ref_id("mission id")
    province: int | None = ref_id("province id")
    government_level: int | None = ref_id("government level id")
    ministry: int | None = ref_id("responsible ministry id")
    constituency: int | None = ref_id("constituency id of the submitting organisation")
    from_: date | None = Field(None, alias="from", description="created on or after")
    to: date | None = Field(None, description="created on or before")


# Decisions ------------------------------------------------------------------------


class Amendment(Out):
    text: str
    created_at: datetime


class MotionOut(Out):
    majority: str
    quorum: int
    opened_at: datetime
    closed_at: datetime | None
    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    quorum_met: bool | None
    adopted: bool | None


class DecisionOut(Out):
    id: int
    number: str
    year: int
    meeting_id: int
    text: str
    outcome: str = choice(OUTCOMES)
    explanation: str
    ministry: Ref | None
    organisation: str | None
    implementation: str = choice(IMPLEMENTATION)
    submissions: list[int]
    amendments: list[Amendment]
    motion: MotionOut | None
    created_at: datetime
    url: str


class DecisionPage(Out):
    items: list[DecisionOut]
    next: str | None


class DecisionQuery(Query):
    q: str = Field("", max_length=200, pattern=TEXT)
    market: int | None = ref_id("market id of a report the decision concerns")
    ministry: int | None = ref_id("responsible ministry id")
    outcome: str | None = choice(OUTCOMES, None)
    implementation: str | None = choice(IMPLEMENTATION, None)
    year: int | None = Field(None, ge=2000, le=2100)


# Responses ------------------------------------------------------------------------


class ResponseOut(Out):
    id: int
    submission_id: int
    ministry: Ref
    status: str = choice(RESPONSE_STATUSES)
    outcome: str | None = choice(OUTCOMES, None)
    explanation: str
    measures: str
    due_date: date
    published_at: datetime | None


class ResponsePage(Out):
    items: list[ResponseOut]
    next: str | None


class ResponseQuery(Query):
    ministry: int | None = ref_id("ministry id")
    outcome: str | None = choice(OUTCOMES, None)


# Action items ---------------------------------------------------------------------


class ActionUpdateOut(Out):
    status: str = choice(ACTION_STATUSES)
    text: str
    created_at: datetime


class ActionOut(Out):
    id: int
    description: str
    status: str = choice(ACTION_STATUSES)
    due_date: date
    completed_at: datetime | None
    owner: str
    owner_ministry: Ref | None
    decision_id: int | None
    response_id: int | None
    updates: list[ActionUpdateOut]
    created_at: datetime
    url: str


class ActionPage(Out):
    items: list[ActionOut]
    next: str | None


class ActionQuery(Query):
    status: str | None = choice(ACTION_STATUSES, None)
    overdue: bool = Field(False, description="open and past its due date")
    ministry: int | None = ref_id("owning ministry id")


# Scoreboard -----------------------------------------------------------------------


class ScoreRow(Out):
    ministry: Ref
    decisions: int
    responses_due: int
    responses_on_time: int
    responses_published: int
    outcomes: dict[str, int]
    actions_due: int
    actions_on_time: int
    median_days_to_response: float | None


class Scoreboard(Out):
    rows: list[ScoreRow]


class NoQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    invalid_params: list[dict[str, str]] | None = None


# Writes ---------------------------------------------------------------------------


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResponseDraftIn(Body):
    outcome: str | None = choice(OUTCOMES, None)
    explanation: str = Field("", max_length=20_000)
    measures: str = Field("", max_length=20_000)
    submit: bool = Field(False, description="offer the draft to the secretariat for review")


class ActionUpdateIn(Body):
    status: str = choice(ACTION_STATUSES)
    text: str = Field("", max_length=20_000)


# Dashboard ------------------------------------------------------------------------


class BarOut(Out):
    label: str
    value: int
    list_url: str = Field(description="the list this number counts")


class FigureOut(Out):
    key: str
    title: str
    summary: str
    total: int
    bars: list[BarOut]


class DashboardOut(Out):
    figures: list[FigureOut]


class DashboardQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    market: int | None = ref_id("market id")
    from_: date | None = Field(None, alias="from", description="reports created on or after")
    to: date | None = Field(None, description="reports created on or before")
