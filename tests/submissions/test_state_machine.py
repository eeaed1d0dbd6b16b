"""Every (state, action) pair of the triage state machine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tafel import db
from tafel.core.models import AuditEntry
from tafel.reference.models import Market, Ministry
from tafel.submissions import intake, workflow
from tafel.submissions.models import STATUSES, Submission, TimelineEvent
from tests.factories import make_submission, make_user

ACTIONS = ["submit", "take", "request_info", "reply", "accept", "merge", "decline"]
ALLOWED = {
    "submit": {"concept"},
    "take": {"ingediend"},
    "request_info": {"ingediend", "in_behandeling"},
    "reply": {"aanvulling_gevraagd"},
    "accept": {"in_behandeling"},
    "merge": {"ingediend", "in_behandeling", "aanvulling_gevraagd"},
    "decline": {"ingediend", "in_behandeling", "aanvulling_gevraagd"},
}
TARGET = {
    "submit": "ingediend",
    "take": "in_behandeling",
    "request_info": "aanvulling_gevraagd",
    "reply": "in_behandeling",
    "accept": "aanvaard",
    "merge": "samengevoegd",
    "decline": "niet_ontvankelijk",
}


def perform(action, sub, secretariat, submitter):
    if action == "submit":
        workflow.submit_submission(sub, submitter)
    elif action == "take":
        workflow.take_submission(sub, secretariat)
    elif action == "request_info":
        workflow.request_information(sub, secretariat, "Welke vergunning precies?")
    elif action == "reply":
        workflow.reply_to_request(sub, submitter, "De omgevingsvergunning voor de cleanroom.")
    elif action == "accept":
        workflow.accept_submission(
            sub,
            secretariat,
            market=db.session.scalars(select(Market)).first(),
            action_lines=[],
            ministry=db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one(),
            deadline=date.today() + timedelta(weeks=8),
        )
    elif action == "merge":
        target = make_submission(status="in_behandeling")
        workflow.merge_submission(sub, target, secretariat, None)
    elif action == "decline":
        workflow.decline_submission(sub, secretariat, "Valt buiten de opdracht van de tafel.")


@pytest.mark.parametrize("state", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(app, state, action):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status=state)
        submitter = sub.author
        allowed = state in ALLOWED[action]
        if allowed:
            perform(action, sub, secretariat, submitter)
            db.session.commit()
            assert sub.status == TARGET[action]
            event = db.session.scalars(
                select(TimelineEvent).where(
                    TimelineEvent.submission_id == sub.id, TimelineEvent.kind == "status"
                )
            ).one()
            assert event.data["previous"] == state and event.data["status"] == TARGET[action]
            entry = db.session.scalars(
                select(AuditEntry).where(AuditEntry.action == f"submission.{action}")
            ).one()
            assert entry.before == {"status": state}
        else:
            with pytest.raises(intake.SubmissionError):
                perform(action, sub, secretariat, submitter)
            db.session.rollback()
            assert db.session.get(Submission, sub.id).status == state


@pytest.mark.parametrize("action", ["take", "request_info", "accept", "merge", "decline"])
def test_triage_actions_need_the_secretariat(app, action):
    with app.test_request_context():
        member = make_user(roles=("tafellid", "voorzitter", "beheerder"))
        state = next(iter(ALLOWED[action]))
        sub = make_submission(status=state)
        with pytest.raises(PermissionError):
            perform(action, sub, member, sub.author)
        db.session.rollback()
        assert db.session.get(Submission, sub.id).status == state


@pytest.mark.parametrize("action", ["request_info", "decline"])
def test_closing_a_door_needs_a_reason(app, action):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status="in_behandeling")
        call = (
            workflow.request_information if action == "request_info"
            else workflow.decline_submission
        )  # fmt: skip
        with pytest.raises(intake.SubmissionError):
            call(sub, secretariat, "   ")
        db.session.rollback()
        assert db.session.get(Submission, sub.id).status == "in_behandeling"


def test_accept_refuses_a_ministry_that_no_longer_exists(app):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status="in_behandeling")
        old = db.session.scalars(select(Ministry).where(Ministry.slug == "EZ")).one()
        with pytest.raises(intake.SubmissionError) as refused:
            workflow.accept_submission(
                sub, secretariat, market=None, action_lines=[], ministry=old,
                deadline=date.today() + timedelta(days=10),
            )  # fmt: skip
        assert refused.value.field == "ministry"
        db.session.rollback()
        assert db.session.get(Submission, sub.id).status == "in_behandeling"


def test_a_stale_page_cannot_move_a_submission_twice(app):
    """Two secretaries act on the same submission at once: the second is refused."""
    from sqlalchemy import update

    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status="ingediend")
        # Someone else declines it meanwhile, behind this session's back.
        db.session.execute(
            update(Submission)
            .where(Submission.id == sub.id)
            .values(status="niet_ontvankelijk")
            .execution_options(synchronize_session=False)
        )
        assert sub.status == "ingediend"  # what this request still believes
        with pytest.raises(intake.SubmissionError):
            workflow.take_submission(sub, secretariat)
        db.session.rollback()
        assert db.session.get(Submission, sub.id).status == "ingediend"
