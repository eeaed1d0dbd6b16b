"""Priority rounds: list, create, the round page with its ballot and results,
steering (open, close, extend) and exports.

Looking at a round changes nothing: the status shown follows the round's
times (`PriorityRound.shown_status`), and the scheduled job
(`services.run_schedule`, run by `flask --app tafel send-mail`) makes the
steps themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tafel import db
from tafel.accounts.models import User
from tafel.core.download_limit import expensive
from tafel.core.exports import csv_response, pdf_response
from tafel.core.forms import as_choices
from tafel.core.once import create_once
from tafel.core.permissions import requires
from tafel.core.timefmt import AMSTERDAM, local_datetime
from tafel.core.views import commit_or_refuse, ensure
from tafel.db import utcnow
from tafel.voting import ballots, forms, policies, results, services
from tafel.voting.blueprint import rounds
from tafel.voting.models import METHOD_LABELS, Ballot, EligibleVoter, PriorityRound


@rounds.app_context_processor
def voting_helpers():
    return {"policies_voting": policies, "results_voting": results}


def load_round(round_id: int) -> PriorityRound:
    rnd = db.session.get(PriorityRound, round_id)
    if rnd is None or not policies.can_view_round(current_user, rnd):
        abort(404)
    return rnd


@rounds.route("/")
@requires(policies.can_list_rounds)
def index():
    query = select(PriorityRound).order_by(PriorityRound.opens_at.desc())
    if not policies.can_manage_round(current_user):
        query = query.where(
            or_(PriorityRound.status != "concept", PriorityRound.opens_at <= utcnow())
        )
    return render_template(
        "voting/index.html", rounds=db.session.scalars(query).all(), labels=METHOD_LABELS
    )


# Creating a round -----------------------------------------------------------------


def _round_form() -> tuple[forms.RoundForm, list]:
    """The form with the candidates to choose from; a new round proposes to
    open at the next whole hour and close a week later (Dutch time)."""
    form = forms.RoundForm()
    candidates = services.eligible_candidates()
    form.candidates.choices = as_choices([(sub.id, sub.title) for sub in candidates])
    if request.method == "GET":
        start = datetime.now(AMSTERDAM).replace(minute=0, second=0, microsecond=0)
        form.opens_at.data = (start + timedelta(hours=1)).replace(tzinfo=None)
        form.closes_at.data = (start + timedelta(days=7, hours=1)).replace(tzinfo=None)
    return form, candidates


def _create(form: forms.RoundForm) -> PriorityRound:
    return services.create_round(
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


@rounds.route("/new", methods=["GET", "POST"])
@requires(policies.can_create_round)
def new():
    form, candidates = _round_form()
    if form.validate_on_submit():
        made = create_once(form, "round", lambda: _create(form))
        if made.first:
            flash(_("De ronde is aangemaakt en opent op het gekozen moment."), "success")
        if made:
            return redirect(url_for("rounds.detail", round_id=made.object_id))
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


def _result_context(rnd: PriorityRound) -> dict:
    """The result, who took part and (named rounds) who voted what."""
    if not policies.can_see_results(current_user, rnd):
        return {"outcome": None, "participants": [], "named_ballots": []}
    participants = db.session.scalars(
        select(User.name)
        .join(EligibleVoter, EligibleVoter.user_id == User.id)
        .where(EligibleVoter.round_id == rnd.id, EligibleVoter.voted.is_(True))
        .order_by(User.name)
    ).all()
    named = []
    if not rnd.secret:
        named = db.session.scalars(
            select(Ballot).where(Ballot.round_id == rnd.id).options(joinedload(Ballot.voter))
        ).all()
    return {"outcome": results.results(rnd), "participants": participants, "named_ballots": named}


def render_round(rnd: PriorityRound, status: int = 200, entered: dict | None = None, error=None):
    voter = ballots.voter_for(rnd, current_user)
    ballot = ballots.own_ballot(rnd, current_user)
    voted, eligible = results.turnout(rnd)
    context = {
        "rnd": rnd,
        "labels": METHOD_LABELS,
        "voter": voter,
        "ballot": ballot,
        "entered": entered if entered is not None else (ballot.content if ballot else {}),
        "error": error,
        "voted": voted,
        "eligible": eligible,
        "quorum_met": results.quorum_met(rnd, voted, eligible),
        "can_vote": voter is not None
        and ballots.is_voting_window(rnd)
        and not (rnd.secret and voter.voted),  # a secret ballot is final
        "can_manage": policies.can_manage_round(current_user, rnd),
        "extend_form": forms.ExtendForm(),
        **_result_context(rnd),
    }
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
    with commit_or_refuse(forms.BallotForm(meta={"csrf": False})) as done:
        ballots.cast_ballot(rnd, current_user, content)
    if not done:
        error = done.error.message
        if rnd.shown_status() == "gesloten":
            # The ballot form is gone from a closed round's page: say it above.
            error = _("De ronde is gesloten; uw stem is niet vastgelegd.")
        return render_round(rnd, 422, entered=ballots.normalise(content), error=error)
    flash(
        _("Uw stem is vastgelegd. In een geheime ronde is zij definitief.")
        if rnd.secret
        else _("Uw stem is vastgelegd. U kunt haar wijzigen tot de ronde sluit."),
        "success",
    )
    return redirect(url_for("rounds.detail", round_id=rnd.id, _anchor="ballot"))


# Steering ---------------------------------------------------------------------------


def _steer(round_id: int, action):
    rnd = load_round(round_id)
    ensure(policies.can_manage_round(current_user, rnd))
    with commit_or_refuse() as done:
        message = action(rnd)
    if done:
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


def _exportable(round_id: int) -> tuple[PriorityRound, results.Outcome]:
    rnd = load_round(round_id)
    if not policies.can_export(current_user, rnd):
        abort(404 if rnd.status != "gesloten" else 403)
    return rnd, results.results(rnd)


@rounds.route("/<int:round_id>/results.csv")
@login_required
@expensive
def results_csv(round_id: int):
    rnd, outcome = _exportable(round_id)
    header, rows = results.table(rnd, outcome)
    return csv_response(header, rows, f"ronde-{rnd.id}-uitslag.csv")


@rounds.route("/<int:round_id>/results.pdf")
@login_required
@expensive
def results_pdf(round_id: int):
    rnd, _outcome = _exportable(round_id)
    voted, eligible = results.turnout(rnd)
    html = render_template(
        "voting/results_pdf.html",
        rnd=rnd,
        voted=voted,
        eligible=eligible,
        quorum_met=results.quorum_met(rnd, voted, eligible),
        labels=METHOD_LABELS,
        method_params=results.method_params(rnd),
        **_result_context(rnd),
    )
    return pdf_response(html, f"ronde-{rnd.id}-uitslag.pdf")
