"""The secretariat's programme pages: a new programme, its particulars, its goals."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tafel import db
from tafel.accounts import roles
from tafel.accounts.models import User, UserRole
from tafel.core.forms import as_choices, reference_choices
from tafel.core.once import create_once
from tafel.core.views import commit_or_refuse, ensure
from tafel.programmes import management, policies
from tafel.programmes.blueprint import programmes
from tafel.programmes.forms import GoalForm, ProgrammeForm
from tafel.programmes.pages import load_programme, render_programme
from tafel.reference.models import Market, Ministry
from tafel.reference.services import active_choices


def _programme_form(obj=None) -> ProgrammeForm:
    form = ProgrammeForm(obj=obj)
    blank = "—"
    form.market.choices = reference_choices(active_choices(Market), blank)
    form.lead_ministry.choices = reference_choices(active_choices(Ministry), blank)
    staff = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_((roles.SECRETARIAAT, roles.DEPARTEMENT)), User.active.is_(True))
        .distinct()
        .order_by(User.name)
    )
    form.ez_lead.choices = as_choices([("", blank), *((u.id, u.name) for u in staff)])
    if obj is not None and request.method == "GET":
        form.market.data, form.lead_ministry.data = obj.market_id, obj.lead_ministry_id
        form.ez_lead.data = obj.ez_lead_id
    return form


def _data(form: ProgrammeForm) -> management.ProgrammeData:
    return management.ProgrammeData(
        name_nl=form.name_nl.data or "",
        name_en=form.name_en.data or None,
        market_id=form.market.data,
        summary=form.summary.data or "",
        lead_ministry_id=form.lead_ministry.data,
        ez_lead_id=form.ez_lead.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        status=form.status.data,
        visibility=form.visibility.data,
    )


@programmes.route("/new", methods=["GET", "POST"])
@login_required
def new_programme():
    ensure(policies.can_manage_programmes(current_user))
    form = _programme_form()
    if form.validate_on_submit():
        made = create_once(
            form, "programme", lambda: management.create_programme(current_user, _data(form))
        )
        if made:
            programme = db.session.get(management.Programme, made.object_id)
            return redirect(url_for("programmes.detail", slug=programme.slug))
    status = 422 if form.errors else 200
    return render_template("programmes/programme_form.html", form=form, programme=None), status


@programmes.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(slug: str):
    programme = load_programme(slug)
    ensure(policies.can_manage_programmes(current_user))
    form = _programme_form(programme)
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            management.update_programme(programme, current_user, _data(form))
        if done:
            flash(_("Het programma is opgeslagen."), "success")
            return redirect(url_for("programmes.detail", slug=programme.slug))
    status = 422 if form.errors else 200
    return render_template("programmes/programme_form.html", form=form, programme=programme), status


@programmes.route("/<slug>/goals", methods=["POST"])
@login_required
def add_goal(slug: str):
    programme = load_programme(slug)
    ensure(policies.can_manage_programmes(current_user))
    form = goal_form()
    if form.validate_on_submit():
        fields = {name: form[name].data for name in management.GOAL_FIELDS}
        made = create_once(
            form,
            "programme_goal",
            lambda: management.add_goal(programme, current_user, **fields),
        )
        if made:
            flash(_("Het doel is toegevoegd."), "success")
            return redirect(url_for("programmes.detail", slug=programme.slug))
    return render_programme(programme, 422, goal_form=form)


def goal_form() -> GoalForm:
    form = GoalForm()
    form.indicator.choices = as_choices([("", "—"), *management.indicator_choices()])
    return form
