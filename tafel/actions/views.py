"""Action items: lists (overdue, per owner), creating one from a decision or a
response, progress updates and closing a report; and the template helpers
through which lower features' pages show action items."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts import roles
from tafel.actions import (
    closing,
    minutes_mail,  # noqa: F401 - connects the minutes_approved signal
    policies,
    queries,
    services,
)
from tafel.actions.blueprint import actions
from tafel.actions.forms import ActionForm, UpdateForm
from tafel.actions.models import STATUS_LABELS, ActionItem, ActionUpdate
from tafel.core.once import create_once, sent_before
from tafel.core.pagination import paginate
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.decisions import policies as decision_policies
from tafel.decisions.forms import PageShowsRefusal
from tafel.decisions.models import Decision, DecisionLink
from tafel.reference import cache as reference_cache
from tafel.reference.models import Ministry
from tafel.responses import policies as response_policies
from tafel.responses.models import Response
from tafel.responses.policies import ministry_of
from tafel.responses.queries import find_response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission


@actions.app_context_processor
def action_helpers():
    return {
        "action_status_labels": STATUS_LABELS,
        "submission_closable": closing.closable,
        "policies_actions": policies,
        "response_actions": response_actions,
    }


def response_actions(response: Response) -> list[ActionItem]:
    """The action items of a response, for its page (a lower feature)."""
    if response.id is None:
        return []
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.response_id == response.id)
            .options(
                selectinload(ActionItem.owner_ministry),
                selectinload(ActionItem.owner_organisation),
                selectinload(ActionItem.owner_user),
            )
            .order_by(ActionItem.due_date, ActionItem.id)
        )
    )


def load_action(action_id: int) -> ActionItem:
    action = db.session.scalar(
        queries.with_details(select(ActionItem).where(ActionItem.id == action_id)).options(
            selectinload(ActionItem.decision)
            .selectinload(Decision.links)
            .selectinload(DecisionLink.submission),
            selectinload(ActionItem.updates).selectinload(ActionUpdate.author),
        )
    )
    if action is None or not policies.can_view_action(current_user, action):
        abort(404)
    return action


def _id(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


def load_origin() -> Decision | Response:
    """The decision or response named in the query string, if the user may see it."""
    if _id("decision") is not None:
        origin = db.session.get(Decision, _id("decision"))
        visible = origin is not None and decision_policies.can_view_decision(current_user, origin)
    elif _id("response") is not None:
        origin = db.session.get(Response, _id("response"))
        visible = origin is not None and response_policies.can_view_response(current_user, origin)
    else:
        origin, visible = None, False
    if not visible:
        abort(404)
    return origin


# Lists ------------------------------------------------------------------------------


@actions.route("/")
def index():
    filters = queries.ActionFilters.from_args(request.args)
    manager = roles.is_manager(current_user)
    return render_template(
        "actions/index.html",
        page=paginate(queries.list_query(current_user, filters)),
        mine=[] if manager else queries.mine(current_user),
        filters=filters,
        manager=manager,
        ministries=reference_cache.choices(Ministry),
        today=local_today(),
    )


# Creating ---------------------------------------------------------------------------


def _action_form(origin: Decision | Response) -> ActionForm:
    """The form with the owners offered; a ministry adding to its own response owns it."""
    form = ActionForm()
    ministries, organisations = services.owner_options(origin)
    form.owner_choices(ministries, organisations, _("Kies een eigenaar"))
    own = ministry_of(current_user)
    if request.method == "GET" and isinstance(origin, Response) and own == origin.ministry_id:
        form.owner.data = f"ministry-{own}"
    return form


def _create(form: ActionForm, origin: Decision | Response) -> ActionItem:
    return services.create_action(
        origin,
        current_user,
        description=form.description.data,
        owner=services.owner_from(form.owner.data, origin),
        due_date=form.due_date.data,
    )


@actions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    origin = load_origin()
    ensure(policies.can_create_action(current_user, origin))
    form = _action_form(origin)
    if form.validate_on_submit():
        made = create_once(form, "action", lambda: _create(form, origin))
        if made.first:
            flash(_("Het actiepunt is aangemaakt."), "success")
        if made:
            return redirect(url_for("actions.detail", action_id=made.object_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "actions/form.html", form=form, origin=origin, decision=isinstance(origin, Decision)
    ), status


# One action item --------------------------------------------------------------------


def render_detail(action: ActionItem, status: int = 200, form=None):
    can_update = policies.can_update_action(current_user, action)
    if form is None and can_update:
        form = UpdateForm(status=action.status)
    if form is not None:
        form.limit_to(action.status)
    return (
        render_template(
            "actions/detail.html",
            action=action,
            form=form,
            can_update=can_update,
            submissions=[
                sub
                for sub in policies.action_submissions(action)
                if submission_policies.can_view(current_user, sub)
            ],
            overdue=services.is_overdue(action),
            owner=services.owner_label(action),
        ),
        status,
    )


@actions.route("/<int:action_id>")
def detail(action_id: int):
    return render_detail(load_action(action_id))


@actions.route("/<int:action_id>/update", methods=["POST"])
@login_required
def update(action_id: int):
    action = load_action(action_id)
    form = UpdateForm()
    if sent_before(form, "action_update"):  # e.g. finished by the first post
        return redirect(url_for("actions.detail", action_id=action.id))
    ensure(policies.can_update_action(current_user, action))
    if form.validate_on_submit():
        made = create_once(
            form,
            "action_update",
            lambda: services.update_action(
                action, current_user, status=form.status.data, text=form.text.data
            ),
        )
        if made.first:
            flash(_("De voortgang is vastgelegd."), "success")
        if made:
            return redirect(url_for("actions.detail", action_id=action.id))
    return render_detail(action, 422, form)


# Closing a report -------------------------------------------------------------------


def render_close(sub: Submission, status: int = 200, error: str | None = None):
    return (
        render_template(
            "actions/close.html",
            sub=sub,
            refusal=closing.close_refusal(sub),
            error=error,
            items=closing.actions_of_submission(sub),
            response=find_response(sub),
            today=local_today(),
        ),
        status,
    )


@actions.route("/close/<int:submission_id>", methods=["GET", "POST"])
@login_required
def close(submission_id: int):
    sub = db.session.get(Submission, submission_id)
    if sub is None or not submission_policies.can_view(current_user, sub):
        abort(404)
    ensure(policies.can_close_submission(current_user))
    if request.method == "GET":
        return render_close(sub)
    with commit_or_refuse(PageShowsRefusal()) as done:
        closing.close_submission(sub, current_user)
    if not done:
        return render_close(sub, 422, done.error.message)
    flash(_("De melding is afgehandeld; de indiener is op de hoogte gebracht."), "success")
    return redirect(url_for("submissions.detail", sub_id=sub.id))
