"""The decision register: the public list, a decision's page, recording a
decision on a meeting's decision item, amendments and the motion vote."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.accounts.models import Organisation
from tafel.core.forms import add_error
from tafel.core.pagination import paginate
from tafel.core.timefmt import local_today
from tafel.decisions import forms, policies, queries, services
from tafel.decisions.models import Decision, Motion, MotionVote, Recusal
from tafel.meetings import policies as meeting_policies
from tafel.meetings.models import AgendaItem, AgendaLink
from tafel.reference.models import Market, Ministry
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import CoSignature, Submission

decisions = Blueprint("decisions", __name__, url_prefix="/decisions")


@decisions.app_context_processor
def decision_helpers():
    return {
        "policies_decisions": policies,
        "outcome_labels": services.OUTCOME_LABELS,
        "visible_submission": lambda sub: submission_policies.can_view(current_user, sub),
        "meeting_decisions": meeting_decisions,
    }


def meeting_decisions(meeting) -> dict[int, list]:
    """The decisions recorded at a meeting that the user may read, per agenda
    item: the meeting page (a lower feature) shows them through this helper."""
    if meeting.status not in ("gehouden", "notulen_vastgesteld"):
        return {}
    grouped: dict[int, list] = {}
    for decision in services.decisions_of_meeting(meeting.id):
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


# The register -----------------------------------------------------------------------


def filter_choices() -> dict:
    years = db.session.scalars(select(Decision.year).distinct().order_by(Decision.year.desc()))
    return {
        "markets": db.session.scalars(select(Market).order_by(Market.position, Market.id)).all(),
        "ministries": db.session.scalars(
            select(Ministry).order_by(Ministry.position, Ministry.id)
        ).all(),
        "years": list(years),
        "implementation": queries.IMPLEMENTATION_LABELS,
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


@decisions.route("/<int:decision_id>")
def detail(decision_id: int):
    return render_decision(load_decision(decision_id))


def render_decision(decision: Decision, status: int = 200, **forms_in_error):
    motion = decision.motion
    own_vote = None
    recused = False
    if motion is not None and current_user.is_authenticated:
        own_vote = next((v for v in motion.votes if v.user_id == current_user.id), None)
        recused = any(r.user_id == current_user.id for r in motion.recusals)
    present = services.present_members(decision) if motion is not None else []
    context = {
        "decision": decision,
        "motion": motion,
        "own_vote": own_vote,
        "recused": recused,
        "is_present": current_user.is_authenticated and current_user.id in present,
        "present_count": len(set(present)),
        "choice_labels": services.CHOICE_LABELS,
        "majority_labels": services.MAJORITY_LABELS,
        "implementation": queries.implementation_of(decision),
        "implementation_labels": queries.IMPLEMENTATION_LABELS,
        "today": local_today(),
        "amend_form": forms_in_error.get("amend_form") or forms.AmendmentForm(),
        "vote_form": forms_in_error.get("vote_form")
        or forms.VoteForm(choice=own_vote.choice if own_vote else None),
        "recusal_form": forms_in_error.get("recusal_form") or forms.RecusalForm(),
        "vote_error": forms_in_error.get("vote_error"),
        "motion_error": forms_in_error.get("motion_error"),
        "motion_entered": forms_in_error.get("motion_entered")
        or {"majority": "simple", "quorum": "3"},
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


def _choices(form: forms.DecisionForm, item: AgendaItem) -> None:
    today = local_today()
    ministries = db.session.scalars(select(Ministry).where(Ministry.active.is_(True))).all()
    form.ministry.choices = [("", _("Geen ministerie"))] + [
        (m.id, f"{m.label} ({m.slug})")
        for m in sorted(ministries, key=lambda m: m.label)
        if m.is_valid_on(today)
    ]
    sub_ids = [link.submission_id for link in item.links]
    orgs = db.session.scalars(
        select(Organisation)
        .where(
            (
                Organisation.id.in_(
                    select(Submission.organisation_id).where(
                        # A submitter who asked to stay anonymous is not named here.
                        Submission.id.in_(sub_ids),
                        Submission.show_organisation.is_(True),
                    )
                )
            )
            | (
                Organisation.id.in_(
                    select(CoSignature.organisation_id).where(
                        CoSignature.submission_id.in_(sub_ids)
                    )
                )
            )
        )
        .order_by(Organisation.name)
    ).all()
    form.organisation.choices = [("", _("Geen organisatie"))] + [(o.id, o.name) for o in orgs]
    form.submissions.choices = [
        (link.submission_id, f"#{link.submission_id} {link.submission.title}")
        for link in item.links
    ]


@decisions.route("/new", methods=["GET", "POST"])
@login_required
def new():
    item_id = request.args.get("item", type=int)
    item = _item_for_recording(item_id)
    if not policies.can_record_decision(current_user):
        abort(403)
    form = forms.DecisionForm()
    _choices(form, item)
    if request.method == "GET":
        form.submissions.data = [link.submission_id for link in item.links]
    if form.validate_on_submit():
        try:
            decision = services.record_decision(
                item,
                current_user,
                text=form.text.data,
                outcome=form.outcome.data,
                explanation=form.explanation.data or "",
                ministry=db.session.get(Ministry, form.ministry.data)
                if form.ministry.data
                else None,
                organisation=db.session.get(Organisation, form.organisation.data)
                if form.organisation.data
                else None,
                submission_ids=list(form.submissions.data or []),
            )
            if form.with_motion.data:
                services.open_motion(decision, current_user, form.majority.data, form.quorum.data)
        except services.DecisionError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("Besluit %(number)s is vastgelegd.", number=decision.number), "success")
            return redirect(url_for("decisions.detail", decision_id=decision.id))
    status = 422 if request.method == "POST" else 200
    held = services.meeting_is_held(item)
    return render_template("decisions/new.html", form=form, item=item, held=held), status


@decisions.route("/<int:decision_id>/amend", methods=["POST"])
@login_required
def amend(decision_id: int):
    decision = load_decision(decision_id)
    if not policies.can_amend(current_user, decision):
        abort(403)
    form = forms.AmendmentForm()
    if form.validate_on_submit():
        try:
            services.amend(decision, current_user, form.text.data)
        except services.DecisionError as error:
            db.session.rollback()
            add_error(form, "text", error.message)
        else:
            db.session.commit()
            flash(_("De wijziging is toegevoegd aan het besluit."), "success")
            return redirect(
                url_for("decisions.detail", decision_id=decision_id, _anchor="amendments")
            )
    return render_decision(load_decision(decision_id), 422, amend_form=form)


# The motion vote --------------------------------------------------------------------


@decisions.route("/<int:decision_id>/motion", methods=["POST"])
@login_required
def open_motion(decision_id: int):
    decision = load_decision(decision_id)
    if not policies.can_open_motion(current_user, decision):
        abort(403)
    entered = {
        "majority": request.form.get("majority", ""),
        "quorum": request.form.get("quorum", ""),
    }
    try:
        services.open_motion(
            decision, current_user, entered["majority"], request.form.get("quorum", type=int)
        )
    except services.DecisionError as error:
        db.session.rollback()
        # Back to the page with the message at its field and the input kept.
        return render_decision(
            load_decision(decision_id), 422, motion_error=error, motion_entered=entered
        )
    else:
        db.session.commit()
        flash(_("De stemming is geopend voor de aanwezige leden."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision_id, _anchor="motion"))


def _member_step(decision_id: int, form, form_name: str, step, done: str):
    """A member's vote or recusal: the step, or the page again with the refusal."""
    decision = load_decision(decision_id)
    if form.validate_on_submit():
        try:
            step(decision)
        except services.DecisionError as error:
            db.session.rollback()
            return render_decision(
                load_decision(decision_id), 422, **{form_name: form}, vote_error=error.message
            )
        db.session.commit()
        flash(done, "success")
        return redirect(url_for("decisions.detail", decision_id=decision_id, _anchor="motion"))
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
    if not policies.can_close_motion(current_user, decision):
        abort(403)
    try:
        services.close_motion(decision, current_user)
    except services.DecisionError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("De stemming is gesloten; de uitslag staat bij het besluit."), "success")
    return redirect(url_for("decisions.detail", decision_id=decision_id, _anchor="motion"))


from tafel.decisions import exports, scoreboard  # noqa: E402, F401
