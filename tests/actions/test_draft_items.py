"""Audit finding 2: updating an item of a draft response leaks nothing onto
the report's timeline or into notifications."""

from __future__ import annotations

from sqlalchemy import func, select

from tafel import db
from tafel.actions import services as service
from tafel.core.models import MailMessage
from tafel.notifications.models import Notification
from tafel.submissions.models import TimelineEvent
from tests.factories import make_user
from tests.responses.factories import due_submission, make_action, make_response


def _counts(sub_id: int) -> tuple[int, int, int]:
    return (
        db.session.scalar(
            select(func.count(TimelineEvent.id)).where(
                TimelineEvent.submission_id == sub_id, TimelineEvent.kind == "action"
            )
        ),
        db.session.scalar(select(func.count(Notification.id))),
        db.session.scalar(select(func.count(MailMessage.id))),
    )


def test_updating_an_item_of_a_draft_response_stays_off_the_timeline(app, ctx):
    author = make_user(email="indiener@example.com")
    sub = due_submission("EZK", author=author, visibility="openbaar")
    response = make_response(sub, status="concept")
    item = make_action(response=response, description="Geheim voornemen")
    secretariat = make_user(roles=("secretariaat",))
    service.update_action(item, secretariat, status="in_uitvoering", text="Loopt.")
    db.session.flush()
    assert _counts(sub.id) == (0, 0, 0)
    page_events = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.submission_id == sub.id)
    ).all()
    assert all("Geheim voornemen" not in str(event.data) for event in page_events)


def test_updating_an_item_of_a_published_response_is_told(app, ctx):
    author = make_user(email="indiener@example.com")
    sub = due_submission("EZK", author=author, visibility="openbaar")
    item = make_action(response=make_response(sub, status="gepubliceerd"))
    service.update_action(item, make_user(roles=("secretariaat",)), status="in_uitvoering", text="")
    db.session.flush()
    events, notes, _mails = _counts(sub.id)
    assert (events, notes) == (1, 1)
