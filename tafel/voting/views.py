"""Priority rounds: list, create, the round page with its ballot and results,
steering (open, close, extend) and exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.accounts.models import User
from tafel.core.exports import csv_cell
from tafel.core.forms import add_error
from tafel.core.permissions import requires
from tafel.core.timefmt import AMSTERDAM, local_datetime
from tafel.voting import forms, policies, services
from tafel.voting.models import Ballot, EligibleVoter, PriorityRound

rounds = Blueprint("rounds", __name__, url_prefix="/rounds")


@rounds.app_context_processor
def voting_helpers():
    return {"policies_voting": policies, "services_voting": services}


def load_round(round_id: int) -> PriorityRound:
    rnd = db.session.get(PriorityRound, round_id)
    if rnd is None or not policies.can_view_round(current_user, rnd):
        abort(404)
    # A round whose time has come opens or closes first (the timer may be late).
    services.run_schedule()
    db.session.commit()
    db.session.refresh(rnd)
    if not policies.can_view_round(current_user, rnd):
        abort(404)
    return rnd


@rounds.route("/")
@requires(policies.can_list_rounds)
def index():
    services.run_schedule()
    db.session.commit()
    query = select(PriorityRound).order_by(PriorityRound.opens_at.desc())
    if not policies.can_manage_round(current_user):
        query = query.where(PriorityRound.status != "concept")
    return render_template(
        "voting/index.html", rounds=db.session.scalars(query).all(), labels=services.METHOD_LABELS
    )


# Creating a round -----------------------------------------------------------------


@rounds.route("/new", methods=["GET", "POST"])
@requires(policies.can_create_round)
def new():
    form = forms.RoundForm()
    candidates = services.eligible_candidates()
    form.candidates.choices = [(sub.id, sub.title) for sub in candidates]
    if request.method == "GET":
        # Proposed: open at the next whole hour, close a week later (Dutch time).
        start = datetime.now(AMSTERDAM).replace(minute=0, second=0, microsecond=0)
        form.opens_at.data = (start + timedelta(hours=1)).replace(tzinfo=None)
        form.closes_at.data = (start + timedelta(days=7, hours=1)).replace(tzinfo=None)
    if form.validate_on_submit():
        try:
            rnd = services.create_round(
                current_user,
                title=form.title.data,
                explanation=form.explanation.data or "",
                method=form.method.data,
                params=form.params(),
                opens_at=forms.to_utc(form.opens_at.data),
                closes_at=forms.to_utc(form.closes_at.data),
                secret=bool(form.secret.data),
                quorum_percent=form.quorum_percent.data,
                candidate_ids=list(form.candidates.data or []),
            )
        except services.VotingError as error:
            add_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("De ronde is aangemaakt en opent op het gekozen moment."), "success")
            return redirect(url_for("rounds.detail", round_id=rnd.id))
    status = 422 if request.method == "POST" else 200
    return render_template("voting/new.html", form=form, candidates=candidates), status


# The round page ---------------------------------------------------------------------


def _ballot_from_request(rnd: PriorityRound) -> dict:
    """Read the ballot fields for the round's method from the form."""
    form = request.form
    if rnd.method == "approval":
        return {"approve": [int(v) for v in form.getlist("approve") if v.isascii() and v.isdigit()]}
    prefix = {"dot": "points", "score": "score", "ranked": "rank"}[rnd.method]
    values = {}
    for key, raw in form.items():
        if key.startswith(prefix + "-") and raw.strip():
            candidate = key.removeprefix(prefix + "-")
            known = int(candidate) if candidate.isascii() and candidate.isdigit() else candidate
            try:
                values[known] = int(raw)
            except ValueError:
                values[known] = -1
    key = {"dot": "points", "score": "scores", "ranked": "ranking"}[rnd.method]
    return {key: values}


def render_round(rnd: PriorityRound, status: int = 200, entered: dict | None = None, error=None):
    voter = services.voter_for(rnd, current_user)
    ballot = services.own_ballot(rnd, current_user)
    voted, eligible = services.turnout(rnd)
    context = {
        "rnd": rnd,
        "labels": services.METHOD_LABELS,
        "voter": voter,
        "ballot": ballot,
        "entered": entered if entered is not None else (ballot.content if ballot else {}),
        "error": error,
        "voted": voted,
        "eligible": eligible,
        "quorum_met": services.quorum_met(rnd, voted, eligible),
        "can_vote": voter is not None and services.is_voting_window(rnd),
        "can_manage": policies.can_manage_round(current_user, rnd),
        "extend_form": forms.ExtendForm(),
        "outcome": None,
        "participants": [],
        "named_ballots": [],
    }
    if policies.can_see_results(current_user, rnd):
        context["outcome"] = services.results(rnd)
        context["participants"] = db.session.scalars(
            select(User.name)
            .join(EligibleVoter, EligibleVoter.user_id == User.id)
            .where(EligibleVoter.round_id == rnd.id, EligibleVoter.voted.is_(True))
            .order_by(User.name)
        ).all()
        if not rnd.secret:
            context["named_ballots"] = db.session.scalars(
                select(Ballot).where(Ballot.round_id == rnd.id).options(joinedload(Ballot.voter))
            ).all()
    return render_template("voting/detail.html", **context), status


@rounds.route("/<int:round_id>")
@login_required
def detail(round_id: int):
    return render_round(load_round(round_id))


@rounds.route("/<int:round_id>/vote", methods=["POST"])
@login_required
def vote(round_id: int):
    rnd = load_round(round_id)
    content = _ballot_from_request(rnd)
    try:
        services.cast_ballot(rnd, current_user, content)
    except services.VotingError as error:
        db.session.rollback()
        return render_round(rnd, 422, entered=services.normalise(content), error=error.message)
    db.session.commit()
    flash(_("Uw stem is vastgelegd. U kunt haar wijzigen tot de ronde sluit."), "success")
    return redirect(url_for("rounds.detail", round_id=rnd.id, _anchor="ballot"))


# Steering ---------------------------------------------------------------------------


def _steer(round_id: int, action):
    rnd = load_round(round_id)
    if not policies.can_manage_round(current_user, rnd):
        abort(403)
    try:
        message = action(rnd)
    except services.VotingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("rounds.detail", round_id=rnd.id))


@rounds.route("/<int:round_id>/open", methods=["POST"])
@login_required
def open_now(round_id: int):
    def act(rnd):
        services.open_round(rnd, current_user)
        return _("De ronde is geopend; de tafelleden zijn op de hoogte gebracht.")

    return _steer(round_id, act)


@rounds.route("/<int:round_id>/close", methods=["POST"])
@login_required
def close_now(round_id: int):
    def act(rnd):
        services.close_round(rnd, current_user)
        return _("De ronde is gesloten. De uitslag staat hieronder.")

    return _steer(round_id, act)


@rounds.route("/<int:round_id>/extend", methods=["POST"])
@login_required
def extend(round_id: int):
    form = forms.ExtendForm()

    def act(rnd):
        if not form.validate_on_submit():
            raise services.VotingError(_("Vul een geldige nieuwe sluitingstijd in."))
        services.extend_round(rnd, current_user, forms.to_utc(form.closes_at.data))
        return _("De ronde is verlengd tot %(when)s.", when=local_datetime(rnd.closes_at))

    return _steer(round_id, act)


# Exports ----------------------------------------------------------------------------


def _exportable(round_id: int) -> tuple[PriorityRound, services.Outcome]:
    rnd = load_round(round_id)
    if not policies.can_export(current_user, rnd):
        abort(404 if rnd.status != "gesloten" else 403)
    return rnd, services.results(rnd)


@rounds.route("/<int:round_id>/results.csv")
@login_required
def results_csv(round_id: int):
    rnd, outcome = _exportable(round_id)
    titles = {c.submission_id: c.submission.title for c in rnd.candidates}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    slugs = [c.slug for c in outcome.constituencies]
    writer.writerow(
        [_("Positie"), _("Gelijk"), _("Melding"), _("Titel"), _("Score")]
        + [_("Positie %(c)s", c=c.label) for c in outcome.constituencies]
    )
    per = {
        slug: {row.candidate: row.position for row in outcome.by_constituency[slug].rows}
        for slug in slugs
    }
    for row in outcome.overall.rows:
        writer.writerow(
            [
                csv_cell(value)
                for value in [
                    row.position,
                    "=" if row.tied else "",
                    row.candidate,
                    titles.get(row.candidate, ""),
                    services.row_figure(rnd, row),
                ]
                + [
                    per[slug].get(row.candidate, "")
                    if outcome.by_constituency[slug].ballots
                    else ""
                    for slug in slugs
                ]
            ]
        )
    return Response(
        buffer.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ronde-{rnd.id}-uitslag.csv"'},
    )


@rounds.route("/<int:round_id>/results.pdf")
@login_required
def results_pdf(round_id: int):
    from weasyprint import HTML

    rnd, outcome = _exportable(round_id)
    voted, eligible = services.turnout(rnd)
    html = render_template(
        "voting/results_pdf.html",
        rnd=rnd,
        outcome=outcome,
        voted=voted,
        eligible=eligible,
        quorum_met=services.quorum_met(rnd, voted, eligible),
        labels=services.METHOD_LABELS,
    )
    pdf = HTML(string=html, base_url=request.host_url).write_pdf()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ronde-{rnd.id}-uitslag.pdf"'},
    )
