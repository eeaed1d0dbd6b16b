"""Programme pages: the list, a programme's working view, its CSV export;
adding and changing actions, milestones, progress updates and linked reports."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tafel import db
from tafel.core.exports import csv_response
from tafel.core.once import create_once
from tafel.core.views import commit_or_refuse, ensure
from tafel.decisions.models import Decision
from tafel.decisions.policies import can_view_decision
from tafel.programmes import policies, queries, services
from tafel.programmes.blueprint import programmes
from tafel.programmes.forms import (
    ActionForm,
    DecisionLinkForm,
    LinkForm,
    MilestoneForm,
    ProgressForm,
)
from tafel.programmes.models import (
    ACTION_STATUS_LABELS,
    GOAL_STATUS_LABELS,
    LEVEL_LABELS,
    PROGRAMME_STATUS_LABELS,
    RAG_LABELS,
    VISIBILITY_LABELS,
    Dimension,
    ProgrammeAction,
)
from tafel.programmes.pages import (
    load_action,
    load_programme,
    render_action,
    render_form,
    render_programme,
    set_choices,
)
from tafel.reference.services import active_choices
from tafel.submissions.models import Submission
from tafel.submissions.policies import can_view


@programmes.app_context_processor
def programme_helpers():
    return {
        "programme_action_labels": ACTION_STATUS_LABELS,
        "programme_status_labels": PROGRAMME_STATUS_LABELS,
        "programme_visibility_labels": VISIBILITY_LABELS,
        "programme_level_labels": LEVEL_LABELS,
        "programme_rag_labels": RAG_LABELS,
        "programme_goal_labels": GOAL_STATUS_LABELS,
        "visible_programme_action": visible_programme_action,
        "latest_programme_update": queries.latest_update,
        "decision_programme_actions": decision_programme_actions,
    }


def visible_programme_action(action_id) -> ProgrammeAction | None:
    """For lower features' pages (the report timeline): the action, if visible."""
    action = db.session.get(ProgrammeAction, action_id) if action_id else None
    if action is None or not policies.can_view_action(current_user, action):
        return None
    return action


def decision_programme_actions(decision) -> list[ProgrammeAction]:
    """For the decision page (a lower feature): the visible actions it creates or changes."""
    return [
        a
        for a in services.actions_of_decision(decision.id)
        if policies.can_view_action(current_user, a)
    ]


@programmes.route("/")
def index():
    return render_template("programmes/index.html", rows=queries.programmes_for(current_user))


@programmes.route("/<slug>")
def detail(slug: str):
    return render_programme(load_programme(slug))


@programmes.route("/<slug>/actions.csv")
def export_csv(slug: str):
    programme = load_programme(slug)
    header, rows = queries.csv_table(queries.actions_of(current_user, programme))
    return csv_response(header, rows, f"programma-{programme.slug}-acties.csv")


# Actions ------------------------------------------------------------------------------


def _impacts() -> dict[int, tuple[str, str]]:
    return {
        d.id: (
            request.form.get(f"impact-{d.id}-level", "").strip(),
            request.form.get(f"impact-{d.id}-text", "").strip()[:2000],
        )
        for d in active_choices(Dimension)
    }


@programmes.route("/<slug>/actions/new", methods=["GET", "POST"])
@login_required
def new_action(slug: str):
    programme = load_programme(slug)
    ensure(policies.can_edit_actions(current_user, programme))
    form = ActionForm()
    set_choices(form)
    if not form.validate_on_submit():
        return render_form(programme, form, impacts=_impacts(), status=422 if form.errors else 200)
    data = form.data_for_service(active_choices(Dimension), _impacts())
    made = create_once(
        form, "programme_action", lambda: services.create_action(programme, current_user, data)
    )
    if made.first:
        flash(_("De actie is toegevoegd."), "success")
    if made:
        return redirect(url_for("programmes.action", action_id=made.object_id))
    return render_form(programme, form, impacts=_impacts(), status=422)


@programmes.route("/actions/<int:action_id>")
def action(action_id: int):
    return render_action(load_action(action_id))


def _filled(action: ProgrammeAction) -> ActionForm:
    form = ActionForm(obj=action)
    form.version.data = str(action.version)
    form.action_line.data = action.action_line_id
    form.amount_eur.data = "" if action.amount_eur is None else str(action.amount_eur)
    for name in ("funding_source", "funding_status", "lead_organisation", "lead_ministry"):
        getattr(form, name).data = getattr(action, f"{name}_id")
    for name in ("organisations", "ministries", "technologies", "missions", "instruments"):
        getattr(form, name).data = [row.id for row in getattr(action, name)]
    return form


@programmes.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(action_id: int):
    action = load_action(action_id)
    ensure(policies.can_update_action(current_user, action))
    form = ActionForm() if request.method == "POST" else _filled(action)
    set_choices(form)
    if request.method == "GET":
        impacts = {i.dimension_id: (i.level, i.text) for i in action.impacts}
        return render_form(action.programme, form, action, impacts)
    if form.validate_on_submit():
        data = form.data_for_service(active_choices(Dimension), _impacts())
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        with commit_or_refuse(form) as done:
            services.update_action(action, current_user, data, version=version)
        if done:
            flash(_("De actie is opgeslagen."), "success")
            return redirect(url_for("programmes.action", action_id=action.id))
    return render_form(action.programme, form, action, _impacts(), 422)


@programmes.route("/actions/<int:action_id>/milestones", methods=["POST"])
@login_required
def add_milestone(action_id: int):
    action = load_action(action_id)
    ensure(policies.can_update_action(current_user, action))
    form = MilestoneForm()
    if form.validate_on_submit():
        made = create_once(
            form,
            "programme_milestone",
            lambda: services.add_milestone(
                action, current_user, title=form.title.data, due=form.due_date.data
            ),
        )
        if made:
            flash(_("De mijlpaal is toegevoegd."), "success")
            return redirect(url_for("programmes.action", action_id=action.id))
    return render_action(action, 422, milestone_form=form)


@programmes.route("/actions/<int:action_id>/progress", methods=["POST"])
@login_required
def add_progress(action_id: int):
    action = load_action(action_id)
    ensure(policies.can_update_action(current_user, action))
    form = ProgressForm()
    if form.validate_on_submit():
        made = create_once(
            form,
            "programme_progress",
            lambda: services.add_update(
                action, current_user, day=form.day.data, rag=form.rag.data, text=form.text.data
            ),
        )
        if made:
            flash(_("De voortgang is vastgelegd."), "success")
            return redirect(url_for("programmes.action", action_id=action.id))
    return render_action(action, 422, progress_form=form)


@programmes.route("/actions/<int:action_id>/submissions", methods=["POST"])
@login_required
def link_submission(action_id: int):
    action = load_action(action_id)
    ensure(policies.can_link_submissions(current_user))
    form = LinkForm()
    if form.validate_on_submit():
        sub = db.session.get(Submission, form.submission.data)
        if sub is None or not can_view(current_user, sub):
            form.submission.errors = [_("Er is geen melding met dit nummer.")]
        else:
            with commit_or_refuse(form, "submission") as done:
                services.link_submission(action, sub, current_user)
            if done:
                flash(_("De melding is opgepakt in deze actie."), "success")
                return redirect(url_for("programmes.action", action_id=action.id))
    return render_action(action, 422, link_form=form)


@programmes.route("/actions/<int:action_id>/decisions", methods=["POST"])
@login_required
def link_decision(action_id: int):
    action = load_action(action_id)
    ensure(policies.can_link_submissions(current_user))
    form = DecisionLinkForm()
    if form.validate_on_submit():
        decision = db.session.scalar(select(Decision).where(Decision.number == form.number.data))
        if decision is None or not can_view_decision(current_user, decision):
            form.number.errors = [_("Er is geen besluit met dit nummer.")]
        else:
            with commit_or_refuse(form, "number") as done:
                services.link_decision(action, decision, current_user)
            if done:
                flash(_("Het besluit is aan deze actie gekoppeld."), "success")
                return redirect(url_for("programmes.action", action_id=action.id))
    return render_action(action, 422, decision_form=form)
