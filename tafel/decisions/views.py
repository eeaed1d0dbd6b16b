"""The decision register: the public list and its exports, a decision's page,
recording a decision on a meeting's decision item, amendments and the motion
vote. The blueprint is declared in `decisions.blueprint`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core.download_limit import expensive
from tafel.core.forms import as_choices
from tafel.core.once import create_once
from tafel.core.pagination import paginate
from tafel.core.timefmt import local_today
from tafel.core.views import commit_or_refuse, ensure
from tafel.decisions import exports, forms, policies, queries, services
from tafel.decisions.blueprint import decisions
from tafel.decisions.models import (
    CHOICE_LABELS,
    IMPLEMENTATION_LABELS,
    MAJORITY_LABELS,
    OUTCOME_LABELS,
    Decision,
    Motion,
    MotionVote,
    Recusal,
)
from tafel.meetings import policies as meeting_policies
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.reference.models import Market, Ministry
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import CoSignature, Submission


@decisions.app_context_processor
def decision_helpers():
    return {
        "policies_decisions": policies,
        "outcome_labels": OUTCOME_LABELS,
        "visible_submission": lambda sub: submission_policies.can_view(current_user, sub),
        "meeting_decisions": meeting_decisions,
    }


def meeting_decisions(meeting) -> dict[int, list]:
    """The decisions recorded at a meeting that the user may read, per agenda
    item: the meeting page (a lower feature) shows them through this helper."""
    if meeting.status not in ("gehouden", "notulen_vastgesteld"):
        return {}
    grouped: dict[int, list] = {}
    for decision in queries.decisions_of_meeting(meeting.id):
        if policies.can_view_decision(current_user, decision):
            grouped.setdefault(decision.agenda_item_id, []).append(decision)
    return grouped


def load_decision(decision_id: int) -> Decision:
    decision = db.session.scalar(
        queries.with_details(select(Decision).where(Decision.id == decision_id)).options(
            selectinload(Decision.amendments),
            selectinload(Decision.motion).selectinload(Motion.votes).selectinload(MotionVote.user),
            selectinload(Decision.motion).selectinload(Motion.recusals).selectinload(Recusal.user),
        )
    )
    if decision is None or not policies.can_view_decision(current_user, decision):
        abort(404)
    return decision


def to_motion(decision_id: int):
    return redirect(url_for("decisions.detail", decision_id=decision_id, _anchor="motion"))


# The register -----------------------------------------------------------------------


def filter_choices() -> dict:
    years = db.session.scalars(select(Decision.year).distinct().order_by(Decision.year.desc()))
    return {
        "markets": db.session.scalars(select(Market).order_by(Market.position, Market.id)).all(),
        "ministries": db.session.scalars(
            select(Ministry).order_by(Ministry.position, Ministry.id)
        ).all(),
        "years": list(years),
        "implementation": IMPLEMENTATION_LABELS,
    }


@decisions.route("/")
def index():
    filters = queries.RegisterFilters.from_args(request.args)
    page = paginate(queries.with_details(queries.register_query(current_user, filters)))
    return render_template(
        "decisions/index.html",
        page=page,
        filters=filters,
        choices=filter_choices(),
        implementation_of=queries.implementation_of,
    )


@decisions.route("/export.csv")
@expensive
def export_csv():
    return exports.register_csv(current_user, queries.RegisterFilters.from_args(request.args))


@decisions.route("/export.xlsx")
@expensive
def export_xlsx():
    return exports.register_xlsx(current_user, queries.RegisterFilters.from_args(request.args))


# One decision -----------------------------------------------------------------------


@decisions.route("/<int:decision_id>")
def detail(decision_id: int):
    return render_decision(load_decision(decision_id))


def _motion_context(decision: Decision) -> dict:
    motion = decision.motion
    own_vote = None
    recused = False
    if motion is not None and current_user.is_authenticated:
        own_vote = next((v for v in motion.votes if v.user_id == current_user.id), None)
        recused = any(r.user_id == current_user.id for r in motion.recusals)
    present = services.present_members(decision) if motion is not None else []
    return {
        "motion": motion,
        "own_vote": own_vote,
        "recused": recused,
        "is_present": current_user.is_authenticated and current_user.id in present,
        "present_count": len(set(present)),
    }


def render_decision(decision: Decision, status: int = 200, **forms_in_error):
    context = _motion_context(decision)
    own_vote = context["own_vote"]
    context |= {
        "decision": decision,
        "choice_labels": CHOICE_LABELS,
        "majority_labels": MAJORITY_LABELS,
        "implementation": queries.implementation_of(decision),
        "implementation_labels": IMPLEMENTATION_LABELS,
        "today": local_today(),
        "vote_error": forms_in_error.get("vote_error"),
        "motion_error": forms_in_error.get("motion_error"),
        "motion_entered": forms_in_error.get("motion_entered")
        or {"majority": "simple", "quorum": "3"},
    }
    if current_user.is_authenticated:
        # No forms for a visitor: their CSRF tokens would start a session.
        context |= {
            "amend_form": forms_in_error.get("amend_form") or forms.AmendmentForm(),
            "vote_form": forms_in_error.get("vote_form")
            or forms.VoteForm(choice=own_vote.choice if own_vote else None),
            "recusal_form": forms_in_error.get("recusal_form") or forms.RecusalForm(),
        }
    return render_template("decisions/detail.html", **context), status


# Recording --------------------------------------------------------------------------


def _item_for_recording(item_id) -> AgendaItem:
    item = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.id == item_id)
        .options(selectinload(AgendaItem.links).selectinload(AgendaLink.submission))
    )
    if item is None or not meeting_policies.can_view(current_user, item.meeting):
        abort(404)
    if not meeting_policies.can_see_item(current_user, item):
        abort(404)
    return item


def _organisations_of(item: AgendaItem) -> list[Organisation]:
    """The submitters (unless anonymous) and co-signers of the item's reports."""
    sub_ids = [link.submission_id for link in item.links]
    submitters = select(Submission.organisation_id).where(
        # A submitter who asked to stay anonymous is not named here.
        Submission.id.in_(sub_ids),
        Submission.show_organisation.is_(True),
    )
    cosigners = select(CoSignature.organisation_id).where(CoSignature.submission_id.in_(sub_ids))
    return db.session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(submitters) | Organisation.id.in_(cosigners))
        .order_by(Organisation.name)
    ).all()


def _choices(form: forms.DecisionForm, item: AgendaItem) -> None:
    today = local_today()
    ministries = db.session.scalars(select(Ministry).where(Ministry.active.is_(True))).all()
    form.ministry.choices = as_choices(
        [("", _("Geen ministerie"))]
        + [
            (m.id, f"{m.label} ({m.slug})")
            for m in sorted(ministries, key=lambda m: m.label)
            if m.is_valid_on(today)
        ]
    )
    form.organisation.choices = as_choices(
        [("", _("Geen organisatie"))] + [(o.id, o.name) for o in _organisations_of(item)]
    )
    form.submissions.choices = as_choices(
        (link.submission_id, f"#{link.submission_id} {link.submission.title}")
        for link in item.links
    )


def _record(form: forms.DecisionForm, item: AgendaItem) -> Decision:
    decision = services.record_decision(
        item,
        current_user,
        text=form.text.data,
        outcome=form.outcome.data,
        explanation=form.explanation.data or "",
        ministry=db.session.get(Ministry, form.ministry.data) if form.ministry.data else None,
        organisation=db.session.get(Organisation, form.organisation.data)
        if form.organisation.data
        else None,
        submission_ids=list(form.submissions.data or []),
    )
    if form.with_motion.data:
        services.open_motion(decision, current_user, form.majority.data, form.quorum.data)
    return decision


@decisions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    item = _item_for_recording(request.args.get("item", type=int))
    ensure(policies.can_record_decision(current_user))
    form = forms.DecisionForm()
    _choices(form, item)
    if request.method == "GET":
        form.submissions.data = [link.submission_id for link in item.links]
    if form.validate_on_submit():
        made = create_once(form, "decision", lambda: _record(form, item))
        if made.first:
            flash(_("Besluit %(number)s is vastgelegd.", number=made.obj.number), "success")
        if made:
            return redirect(url_for("decisions.detail", decision_id=made.object_id))
    status = 422 if request.method == "POST" else 200
    held = services.meeting_is_held(item)
    return render_template("decisions/new.html", form=form, item=item, held=held), status


@decisions.route("/<int:decision_id>/amend", methods=["POST"])
@login_required
def amend(decision_id: int):
    decision = load_decision(decision_id)
    ensure(policies.can_amend(current_user, decision))
    form = forms.AmendmentForm()
    if form.validate_on_submit():
        made = create_once(
            form, "amendment", lambda: services.amend(decision, current_user, form.text.data)
        )
        if made.first:
            flash(_("De wijziging is toegevoegd aan het besluit."), "success")
        if made:
            return redirect(
                url_for("decisions.detail", decision_id=decision_id, _anchor="amendments")
            )
    return render_decision(load_decision(decision_id), 422, amend_form=form)


# The motion vote --------------------------------------------------------------------


@decisions.route("/<int:decision_id>/motion", methods=["POST"])
@login_required
def open_motion(decision_id: int):
    decision = load_decision(decision_id)
    ensure(policies.can_open_motion(current_user, decision))
    entered = {
        "majority": request.form.get("majority", ""),
        "quorum": request.form.get("quorum", ""),
    }
    quorum = request.form.get("quorum", type=int)
    with commit_or_refuse(forms.PageShowsRefusal()) as done:
        services.open_motion(decision, current_user, entered["majority"], quorum)
    if not done:
        # Back to the page with the message at its field and the input kept.
        return render_decision(
            load_decision(decision_id), 422, motion_error=done.error, motion_entered=entered
        )
    flash(_("De stemming is geopend voor de aanwezige leden."), "success")
    return to_motion(decision_id)


def _member_step(decision_id: int, form, form_name: str, step, done_message: str):
    """A member's vote or recusal: the step, or the page again with the refusal."""
    decision = load_decision(decision_id)
    if form.validate_on_submit():
        with commit_or_refuse(forms.PageShowsRefusal()) as done:
            step(decision)
        if not done:
            return render_decision(
                load_decision(decision_id), 422, **{form_name: form}, vote_error=done.error.message
            )
        flash(done_message, "success")
        return to_motion(decision_id)
    return render_decision(load_decision(decision_id), 422, **{form_name: form})


@decisions.route("/<int:decision_id>/vote", methods=["POST"])
@login_required
def vote(decision_id: int):
    form = forms.VoteForm()
    return _member_step(
        decision_id,
        form,
        "vote_form",
        lambda decision: services.cast_vote(decision, current_user, form.choice.data),
        _("Uw stem is vastgelegd. U kunt haar wijzigen tot de stemming sluit."),
    )


@decisions.route("/<int:decision_id>/recuse", methods=["POST"])
@login_required
def recuse(decision_id: int):
    form = forms.RecusalForm()
    return _member_step(
        decision_id,
        form,
        "recusal_form",
        lambda decision: services.recuse(decision, current_user, form.reason.data),
        _("U doet niet mee aan deze stemming; uw reden is vastgelegd."),
    )


@decisions.route("/<int:decision_id>/motion/close", methods=["POST"])
@login_required
def close_motion(decision_id: int):
    decision = load_decision(decision_id)
    ensure(policies.can_close_motion(current_user, decision))
    with commit_or_refuse() as done:
        services.close_motion(decision, current_user)
    if done:
        flash(_("De stemming is gesloten; de uitslag staat bij het besluit."), "success")
    return to_motion(decision_id)
