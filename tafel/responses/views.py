"""Ministry responses ("comply or explain"): the queue per ministry, drafting,
review and publication by the secretariat; and the template helpers through
which lower features' pages show a report's response."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from tafel import db
from tafel.accounts import roles
from tafel.core.once import create_once, sent_before
from tafel.core.pagination import paginate
from tafel.core.permissions import requires
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.decisions.models import OUTCOME_LABELS
from tafel.extensions import login_manager
from tafel.reference import cache as reference_cache
from tafel.reference.models import Ministry
from tafel.responses import policies, queries, services
from tafel.responses.blueprint import responses
from tafel.responses.forms import PublishForm, ResponseForm, ReturnForm
from tafel.responses.models import STATUS_LABELS, Response
from tafel.submissions.models import Submission


@responses.app_context_processor
def response_helpers():
    return {
        "response_state": queries.response_state,
        "response_states": queries.response_states,
        "response_visible": response_visible,
        "can_list_responses": policies.can_list_responses,
        "response_outcome_labels": OUTCOME_LABELS,
        "response_status_labels": STATUS_LABELS,
        "ministry_named": _ministry_named,
        "overdue_responses": overdue_responses,
    }


# The panel counts up to this many and then says "more than"; so its cost
# stays the same whatever the backlog (ix_submissions_response_deadline).
OVERDUE_COUNT_CAP = 1000


def overdue_responses(limit: int = 10) -> tuple[list[Submission], int, bool]:
    """Accepted reports whose ministry's response is past its deadline, for the
    panel in the triage inbox: the first `limit` (earliest deadline first), how
    many there are up to OVERDUE_COUNT_CAP, and whether there are more."""
    late = queries.queue_query(None).where(Submission.response_deadline < local_today())
    counted = (
        late.with_only_columns(Submission.id).order_by(None).limit(OVERDUE_COUNT_CAP + 1)
    ).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted)) or 0
    more = total > OVERDUE_COUNT_CAP
    return list(db.session.scalars(late.limit(limit))), min(total, OVERDUE_COUNT_CAP), more


def _ministry_named(ministry_id) -> str | None:
    """The ministry that answered, as it was called (a timeline entry keeps its id)."""
    ministry = db.session.get(Ministry, ministry_id) if isinstance(ministry_id, int) else None
    return ministry.label if ministry else None


def response_visible(sub: Submission) -> bool:
    """Whether the current user may open the response page of `sub`."""
    response = queries.response_for(sub)
    return response is not None and policies.can_view_response(current_user, response)


def load(submission_id: int) -> tuple[Submission, Response]:
    """The submission and its (possibly unsaved) response; 404 when the user
    may not see the response in its present state."""
    sub = db.session.get(Submission, submission_id)
    response = queries.response_for(sub) if sub is not None else None
    if response is None or not policies.can_view_response(current_user, response):
        abort(404)
    return sub, response


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def to_page(sub: Submission):
    return redirect(url_for("responses.page", submission_id=sub.id))


# The queue --------------------------------------------------------------------------


@responses.route("/")
@requires(policies.can_list_responses)
def index():
    manager = roles.is_manager(current_user)
    if manager:
        ministry_id = _int(request.args.get("ministry"))
    else:
        ministry_id = policies.ministry_of(current_user)
    page = paginate(queries.queue_query(ministry_id))
    return render_template(
        "responses/index.html",
        page=page,
        found=queries.responses_by_submission([sub.id for sub in page.items]),
        review=queries.awaiting_review(ministry_id) if manager else [],
        manager=manager,
        ministries=reference_cache.choices(Ministry) if manager else [],
        ministry_id=ministry_id,
        today=local_today(),
    )


# The response page ------------------------------------------------------------------


def render_page(sub, response, status: int = 200, form=None, return_form=None):
    """The response page; its action items come from the `response_actions`
    template helper of tafel.actions (a higher feature)."""
    can_draft = policies.can_draft_response(current_user, response)
    return (
        render_template(
            "responses/page.html",
            sub=sub,
            response=response,
            form=form or (ResponseForm(obj=response) if can_draft else None),
            return_form=return_form or ReturnForm(),
            publish_form=PublishForm(),
            can_draft=can_draft,
            can_list=policies.can_list_responses(current_user),
            can_review=policies.can_review_response(current_user, response),
            today=local_today(),
        ),
        status,
    )


@responses.route("/<int:submission_id>", methods=["GET", "POST"])
def page(submission_id: int):
    if request.method == "POST" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    sub, response = load(submission_id)
    if request.method == "GET":
        return render_page(sub, response)
    form = ResponseForm()
    if sent_before(form, "response"):  # e.g. offered for review by the first post
        return to_page(sub)
    ensure(policies.can_draft_response(current_user, response))
    if form.validate_on_submit():
        submit = request.form.get("action") == "submit"
        made = create_once(form, "response", lambda: _save(sub, form, submit))
        if made.first:
            flash(_draft_saved(submit), "success")
        if made:
            return to_page(sub)
    return render_page(sub, response, 422, form=form)


def _save(sub: Submission, form: ResponseForm, submit: bool) -> Response:
    """The first save creates the response row; the form's token makes a
    second post of the same form (which would save or offer it again) a no-op."""
    row = services.ensure_response(sub)
    return services.save_draft(row, current_user, submit=submit, **form.values())


def _draft_saved(submit: bool) -> str:
    if submit:
        return _("De reactie is ter beoordeling aangeboden aan het secretariaat.")
    return _("Het concept is opgeslagen.")


@responses.route("/<int:submission_id>/publish", methods=["POST"])
@login_required
def publish(submission_id: int):
    sub, response = load(submission_id)
    ensure(policies.can_review_response(current_user, response))
    with commit_or_refuse() as done:
        services.publish(response, current_user)
    if done:
        flash(_("De reactie is gepubliceerd; de indiener is op de hoogte gebracht."), "success")
    return to_page(sub)


@responses.route("/<int:submission_id>/return", methods=["POST"])
@login_required
def send_back(submission_id: int):
    sub, response = load(submission_id)
    ensure(policies.can_review_response(current_user, response))
    form = ReturnForm()
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.return_to_ministry(response, current_user, form.note.data)
        if done:
            flash(_("De reactie is teruggestuurd naar het ministerie."), "success")
            return to_page(sub)
    return render_page(sub, response, 422, return_form=form)
