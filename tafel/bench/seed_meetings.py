"""Seeding published meetings with many agenda items, to time the meeting page
and its agenda PDF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tafel.accounts.models import User
from tafel.bench.words import SECRETARIAT_EMAIL
from tafel.submissions.models import Submission


def seed_meetings(session: Session, sizes: tuple[int, ...] = (3, 30)) -> dict[int, int]:
    """One published meeting per size: that many agenda items, each with three
    linked accepted reports (with their full text). Returns meeting ids by size."""
    from tafel.meetings.models import AgendaItem, AgendaLink, Meeting

    creator = session.scalar(select(User.id).where(User.email == SECRETARIAT_EMAIL))
    subs = session.scalars(
        select(Submission.id)
        .where(Submission.status == "aanvaard", Submission.visibility != "vertrouwelijk")
        .order_by(Submission.id)
        .limit(3 * max(sizes))
    ).all()
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=30)
    made: dict[int, int] = {}
    for size in sizes:
        meeting = Meeting(
            title=f"Benchmark: vergadering met {size} punten", description="", location="Den Haag",
            online_url="", status="gepubliceerd", sequence=0, created_by_id=creator,
            starts_at=start, ends_at=start + timedelta(minutes=15 * size), published_at=start,
        )  # fmt: skip
        session.add(meeting)
        session.flush()
        for position in range(1, size + 1):
            item = AgendaItem(
                meeting_id=meeting.id, position=position, title=f"Agendapunt {position}",
                kind="bespreking", duration_minutes=15, presenter="", description="",
                minutes="", minutes_revision=0,
            )  # fmt: skip
            session.add(item)
            session.flush()
            chosen = subs[(position - 1) * 3 : position * 3]
            if not chosen:  # a small seed has fewer accepted reports than links
                continue
            session.execute(
                insert(AgendaLink),
                [{"agenda_item_id": item.id, "submission_id": sub_id} for sub_id in chosen],
            )
        made[size] = meeting.id
    session.commit()
    return made
