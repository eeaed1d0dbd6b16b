"""Builders for decisions in tests: a held meeting with a decision item."""

from __future__ import annotations

from sqlalchemy import select

from tafel import db
from tafel.meetings import agenda as meeting_agenda
from tafel.meetings import lifecycle as meeting_lifecycle
from tafel.meetings import minutes as meeting_minutes
from tafel.meetings.models import Attendance
from tafel.reference.models import Ministry
from tests.factories import make_submission, make_user
from tests.meetings.factories import make_meeting


def ministry(slug: str = "EZK") -> Ministry:
    return db.session.scalars(select(Ministry).where(Ministry.slug == slug)).one()


def held_decision_item(secretariat=None, *, visibility: str = "openbaar", subs: int = 1,
                       status: str = "gehouden"):  # fmt: skip
    """A held meeting with one besluitvorming item linking `subs` accepted reports."""
    secretariat = secretariat or make_user(roles=("secretariaat",))
    meeting = make_meeting(secretariat, days=-1, items=0)
    item = meeting_agenda.add_item(
        meeting, secretariat, title="Besluitvorming netcongestie", kind="besluitvorming",
        duration_minutes=30, presenter="", description="",
    )  # fmt: skip
    reports = [
        make_submission(status="aanvaard", visibility=visibility, ministry_id=ministry().id)
        for _ in range(subs)
    ]
    for sub in reports:
        meeting_agenda.link_submission(item, sub, secretariat)
    meeting_lifecycle.publish(meeting, secretariat, accept_overlap=True)
    if status != "gepubliceerd":
        meeting_minutes.mark_discussed(item, secretariat)
        meeting_lifecycle.mark_held(meeting, secretariat)
    db.session.commit()
    return secretariat, meeting, item, reports


def present(meeting, *users) -> None:
    for user in users:
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, presence="aanwezig"))
    db.session.commit()
