"""Report lists: the list with its filters and search, the CSV export, the
similar-report hints and the organisation's own reports.

The routes of the report page are in detail_views.py, the form in
form_views.py, triage in triage_views.py; all use the blueprints of
blueprint.py."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from tafel import db
from tafel.accounts.roles import Viewer, viewer_of
from tafel.core.download_limit import expensive
from tafel.core.exports import Link, csv_stream
from tafel.core.pagination import paginate, paginate_ids
from tafel.core.timefmt import local_date, local_today
from tafel.reference.cache import choices
from tafel.reference.models import (
    ActionLine,
    Constituency,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    Province,
    Sector,
    Technology,
    Theme,
)
from tafel.submissions import policies, search, support
from tafel.submissions.blueprint import submissions
from tafel.submissions.models import STATUS_LABELS, Submission
from tafel.submissions.queries import (
    Filters,
    load_for_list,
    search_page,
    submission_query,
    with_list_relations,
)
from tafel.submissions.search import similar_submissions


@submissions.app_context_processor
def submission_helpers():
    return {"policies_can_see_submitter": lambda sub: policies.can_see_submitter(current_user, sub)}


def _filter_options() -> dict:
    return {
        "markets": choices(Market),
        "action_lines": choices(ActionLine),
        "technologies": choices(Technology),
        "missions": choices(Mission),
        "provinces": choices(Province),
        "government_levels": choices(GovernmentLevel),
        "ministries": choices(Ministry),
        "constituencies": choices(Constituency),
        "sectors": choices(Sector),
        "themes": choices(Theme),
    }


@submissions.route("/")
def index():
    filters = Filters.from_args(request.args)
    if search.has_terms(filters.q):
        page = search_page(current_user, filters)
    else:
        ids = submission_query(current_user, filters, columns=[Submission.id])
        count = submission_query(current_user, filters, columns=[Submission.id], ordered=False)
        page = paginate_ids(ids, count, load_for_list)
    counts = support.cosign_counts([sub.id for sub in page.items])
    return render_template(
        "submissions/index.html",
        page=page,
        filters=filters,
        counts=counts,
        options=_filter_options(),
        status_labels=STATUS_LABELS,
    )


def _csv_header() -> list[str]:
    return [
        _("Nummer"), _("Soort"), _("Status"), _("Titel"), _("Organisatie"), _("Markt"),
        _("Aangemaakt"), _("Steunbetuigingen"), _("Link"),
    ]  # fmt: skip


def _csv_rows(query, user: Viewer, base: str):
    """Run while the response streams, in a session of its own: only plain
    values come in from the request (see core.exports.csv_stream)."""
    for sub in db.session.scalars(query.execution_options(yield_per=500)):
        yield (
            sub.id,
            sub.kind,
            STATUS_LABELS[sub.status],
            sub.title,
            sub.organisation.name if policies.can_see_submitter(user, sub) else "",
            sub.market.label if sub.market else "",
            local_date(sub.created_at),
            sub.cosign_count,
            Link(f"{base}/submissions/{sub.id}"),
        )


@submissions.route("/export.csv")
@expensive
def export_csv():
    filters = Filters.from_args(request.args)
    query = with_list_relations(submission_query(current_user, filters))
    user = viewer_of(current_user)
    base = current_app.config["BASE_URL"].rstrip("/")
    name = f"inzendingen-{local_today().isoformat()}.csv"
    return csv_stream(_csv_header(), _csv_rows(query, user, base), name)


@submissions.route("/similar")
def similar():
    """Closest existing submissions for a title being typed (JSON)."""
    text = (request.args.get("title") or "").strip()[:200]
    exclude = request.args.get("exclude", type=int)
    found = similar_submissions(current_user, text, exclude=exclude)
    return jsonify(
        [
            {
                "id": sub.id,
                "title": sub.title,
                "status": str(STATUS_LABELS[sub.status]),
                "cosign_count": sub.cosign_count,
                "support": ngettext(
                    "%(num)d steunbetuiging", "%(num)d steunbetuigingen", sub.cosign_count
                ),
                "url": url_for("submissions.detail", sub_id=sub.id),
            }
            for sub in found
        ]
    )


@submissions.route("/mine")
@login_required
def mine():
    query = (
        select(Submission)
        .where(Submission.organisation_id == current_user.organisation_id)
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    page = paginate(with_list_relations(query))
    counts = support.cosign_counts([sub.id for sub in page.items])
    return render_template(
        "submissions/mine.html", page=page, counts=counts, status_labels=STATUS_LABELS
    )
