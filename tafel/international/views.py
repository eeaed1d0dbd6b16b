"""International files: the list with the 30-day deadline filter, a file's
page with its dates and links, and the secretariat's forms."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.forms import reference_choices
from tafel.core.once import create_once
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.decisions.models import Decision
from tafel.international import feed, policies, queries, services  # noqa: F401 - feed connects
from tafel.international.blueprint import international
from tafel.international.forms import DateForm, FileForm, FilterForm, LinkForm
from tafel.international.models import (
    KIND_LABELS,
    STATUS_LABELS,
    InternationalFile,
    file_actions,
    file_decisions,
    file_submissions,
)
from tafel.programmes.models import ProgrammeAction
from tafel.reference.models import Market, Ministry
from tafel.reference.services import active_choices
from tafel.submissions.models import Submission


@international.app_context_processor
def international_helpers():
    return {
        "file_kind_labels": KIND_LABELS,
        "file_status_labels": STATUS_LABELS,
        "country_name": services.country_name,
    }


def load_file(slug: str) -> InternationalFile:
    item = db.session.scalar(
        select(InternationalFile)
        .where(InternationalFile.slug == slug)
        .options(selectinload(InternationalFile.dates))
    )
    if item is None or not policies.can_view(current_user, item):
        abort(404)
    return item


@international.route("/")
def index():
    filters = FilterForm(request.args)
    today = local_today()
    files = queries.list_files(
        current_user, kind=filters.kind.data or None, soon=bool(filters.soon.data), today=today
    )
    return render_template(
        "international/index.html",
        files=files,
        filters=filters,
        soon=queries.deadlines_soon(current_user, today),
        today=today,
        can_edit=policies.can_edit(current_user),
    )


def render_file(item: InternationalFile, status: int = 200, **forms):
    forms.setdefault("date_form", DateForm())
    forms.setdefault("link_form", LinkForm())
    return render_template(
        "international/detail.html",
        item=item,
        today=local_today(),
        submissions=queries.linked_submissions(current_user, item),
        decisions=queries.linked_decisions(current_user, item),
        actions=queries.linked_actions(current_user, item),
        can_edit=policies.can_edit(current_user),
        **forms,
    ), status


@international.route("/<slug>")
def detail(slug: str):
    return render_file(load_file(slug))


def _file_form(item=None) -> FileForm:
    form = FileForm(obj=item)
    form.markets.choices = reference_choices(active_choices(Market))
    form.lead_ministry.choices = reference_choices(active_choices(Ministry), "—")
    if item is not None and request.method == "GET":
        form.markets.data = [m.id for m in item.markets]
        form.lead_ministry.data = item.lead_ministry_id
        form.countries.data = ", ".join(item.countries or [])
    return form


def _data(form: FileForm) -> services.FileData:
    return services.FileData(
        title=form.title.data or "",
        kind=form.kind.data,
        celex=form.celex.data or None,
        com_number=form.com_number.data or None,
        countries=form.countries.data or "",
        market_ids=list(form.markets.data or []),
        lead_ministry_id=form.lead_ministry.data,
        position=form.position.data or "",
        note=form.note.data or "",
        status=form.status.data,
        visibility=form.visibility.data or "openbaar",
    )


@international.route("/new", methods=["GET", "POST"])
@login_required
def new_file():
    ensure(policies.can_edit(current_user))
    form = _file_form()
    if form.validate_on_submit():
        made = create_once(
            form, "international_file", lambda: services.create_file(current_user, _data(form))
        )
        if made:
            item = db.session.get(InternationalFile, made.object_id)
            return redirect(url_for("international.detail", slug=item.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("international/form.html", form=form, item=None), status


@international.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_file(slug: str):
    item = load_file(slug)
    ensure(policies.can_edit(current_user))
    form = _file_form(item)
    if form.validate_on_submit():
        with commit_or_refuse(form) as done:
            services.update_file(item, current_user, _data(form))
        if done:
            flash(_("Het dossier is opgeslagen."), "success")
            return redirect(url_for("international.detail", slug=item.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("international/form.html", form=form, item=item), status


@international.route("/<slug>/dates", methods=["POST"])
@login_required
def add_date(slug: str):
    item = load_file(slug)
    ensure(policies.can_edit(current_user))
    form = DateForm()
    if form.validate_on_submit():
        made = create_once(
            form,
            "international_date",
            lambda: services.add_date(
                item,
                current_user,
                title=form.title.data,
                day=form.day.data,
                deadline=bool(form.deadline.data),
            ),
        )
        if made:
            return redirect(url_for("international.detail", slug=item.slug))
    return render_file(item, 422, date_form=form)


LINKS = {
    "submission": (Submission, file_submissions, "submission_id"),
    "decision": (Decision, file_decisions, "decision_id"),
    "action": (ProgrammeAction, file_actions, "action_id"),
}


@international.route("/<slug>/links", methods=["POST"])
@login_required
def add_link(slug: str):
    item = load_file(slug)
    ensure(policies.can_edit(current_user))
    form = LinkForm()
    if form.validate_on_submit() and form.kind.data in LINKS:
        model, table, column = LINKS[form.kind.data]
        if db.session.get(model, form.number.data) is None:
            form.number.errors = [_("Er is niets met dit nummer.")]
        else:
            with commit_or_refuse(form, "number") as done:
                services.link(item, current_user, table, column, form.number.data)
            if done:
                return redirect(url_for("international.detail", slug=item.slug))
    return render_file(item, 422, link_form=form)
