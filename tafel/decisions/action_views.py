"""Action items: lists (overdue, per owner), progress updates and closing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.forms import add_error
from tafel.core.pagination import paginate
from tafel.core.timefmt import local_today
from tafel.decisions import actions as service
from tafel.decisions import policies
from tafel.decisions.action_forms import ActionForm, UpdateForm
from tafel.decisions.models import ActionItem, ActionUpdate, Decision, DecisionLink, Response
from tafel.decisions.responses import find_response
from tafel.reference.models import Ministry
from tafel.reference.services import active_choices
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

actions = Blueprint("actions", __name__, url_prefix="/actions")


@actions.app_context_processor
def action_helpers():
    return {
        "action_status_labels": service.STATUS_LABELS,
        "submission_closable": service.closable,
    }


def guard(allowed: bool) -> None:
    """Something the user may see but not do: 403."""
    if not allowed:
        abort(403)


def load_action(action_id: int) -> ActionItem:
    action = db.session.scalar(
        service.with_details(select(ActionItem).where(ActionItem.id == action_id)).options(
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
        visible = origin is not None and policies.can_view_decision(current_user, origin)
    elif _id("response") is not None:
        origin = db.session.get(Response, _id("response"))
        visible = origin is not None and policies.can_view_response(current_user, origin)
    else:
        origin, visible = None, False
    if not visible:
        abort(404)
    return origin


# Lists ------------------------------------------------------------------------------


@actions.route("/")
def index():
    filters = service.ActionFilters.from_args(request.args)
    manager = current_user.is_authenticated and bool(set(current_user.roles) & policies.MANAGERS)
    return render_template(
        "actions/index.html",
        page=paginate(service.list_query(current_user, filters)),
        mine=[] if manager else service.mine(current_user),
        filters=filters,
        manager=manager,
        ministries=active_choices(Ministry),
        today=local_today(),
    )


# Creating ---------------------------------------------------------------------------


@actions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    origin = load_origin()
    guard(policies.can_create_action(current_user, origin))
    form = ActionForm()
    ministries, organisations = service.owner_options(origin)
    form.owner_choices(ministries, organisations, _("Kies een eigenaar"))
    own = policies.ministry_of(current_user)
    if request.method == "GET" and isinstance(origin, Response) and own == origin.ministry_id:
        form.owner.data = f"ministry-{own}"
    if form.validate_on_submit():
        try:
            action = service.create_action(
                origin,
                current_user,
                description=form.description.data,
                owner=service.owner_from(form.owner.data, origin),
                due_date=form.due_date.data,
            )
        except service.ActionError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("Het actiepunt is aangemaakt."), "success")
            return redirect(url_for("actions.detail", action_id=action.id))
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
            overdue=service.is_overdue(action),
            owner=service.owner_label(action),
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
    guard(policies.can_update_action(current_user, action))
    form = UpdateForm()
    if form.validate_on_submit():
        try:
            service.update_action(
                action, current_user, status=form.status.data, text=form.text.data
            )
        except service.ActionError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("De voortgang is vastgelegd."), "success")
            return redirect(url_for("actions.detail", action_id=action.id))
    return render_detail(action, 422, form)


# Closing a submission ---------------------------------------------------------------


@actions.route("/close/<int:submission_id>", methods=["GET", "POST"])
@login_required
def close(submission_id: int):
    sub = db.session.get(Submission, submission_id)
    if sub is None or not submission_policies.can_view(current_user, sub):
        abort(404)
    guard(policies.can_close_submission(current_user))
    status, message = 200, None
    if request.method == "POST":
        try:
            service.close_submission(sub, current_user)
        except service.ActionError as error:
            db.session.rollback()
            status, message = 422, error.message
        else:
            db.session.commit()
            flash(_("De melding is afgehandeld; de indiener is op de hoogte gebracht."), "success")
            return redirect(url_for("submissions.detail", sub_id=sub.id))
    return (
        render_template(
            "actions/close.html",
            sub=sub,
            refusal=service.close_refusal(sub),
            error=message,
            items=service.actions_of_submission(sub),
            response=find_response(sub),
            today=local_today(),
        ),
        status,
    )
