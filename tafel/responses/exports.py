"""The register of ministry responses ("pas toe of leg uit") as CSV and
Excel: every published response whose report the reader may read, with the
outcome, its explanation, the measures, the deadline, the day of publication
and whether it came on time."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.download_limit import expensive
from tafel.core.exports import Link, csv_response, xlsx_response
from tafel.core.timefmt import local_date, local_today
from tafel.decisions.models import OUTCOME_LABELS
from tafel.responses.blueprint import responses
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission


def header() -> list[str]:
    return [
        _("Melding"), _("Titel"), _("Ministerie"), _("Uitkomst"), _("Toelichting"),
        _("Maatregelen"), _("Termijn"), _("Gepubliceerd"), _("Op tijd"), _("Link"),
    ]  # fmt: skip


def published_for(user) -> list[Response]:
    query = (
        select(Response)
        .join(Submission, Submission.id == Response.submission_id)
        .where(
            Response.status == "gepubliceerd",
            Response.published_at.is_not(None),
            submission_policies.visible_clause(user),
        )
        .options(selectinload(Response.submission), selectinload(Response.ministry))
        .order_by(Response.published_at.desc(), Response.id.desc())
    )
    return list(db.session.scalars(query))


def rows(items: list[Response]) -> list[list]:
    base = current_app.config["BASE_URL"].rstrip("/")
    out = []
    for r in items:
        assert r.published_at is not None  # published_for() selects only these
        published = local_date(r.published_at)
        out.append(
            [
                r.submission_id,
                r.submission.title,
                r.ministry.label,
                str(OUTCOME_LABELS[r.outcome]) if r.outcome in OUTCOME_LABELS else "",
                r.explanation,
                r.measures,
                r.due_date,
                published,
                _("ja") if published <= r.due_date else _("nee"),
                Link(f"{base}/submissions/{r.submission_id}", str(r.submission_id)),
            ]
        )
    return out


@responses.route("/register.csv")
@expensive
def register_csv():
    name = f"reacties-{local_today().isoformat()}.csv"
    return csv_response(header(), rows(published_for(current_user)), name)


@responses.route("/register.xlsx")
@expensive
def register_xlsx():
    name = f"reacties-{local_today().isoformat()}.xlsx"
    return xlsx_response(_("Reacties"), header(), rows(published_for(current_user)), name)
