"""Builders for meetings in tests."""

from __future__ import annotations

import io
from datetime import timedelta

from tafel import db
from tafel.db import utcnow
from tafel.meetings import agenda, lifecycle
from tests.factories import make_submission, make_user


def make_meeting(
    secretariat=None,
    *,
    days: float = 14,
    hours: float = 3,
    items: int = 0,
    status: str = "concept",
    standard: bool = False,
    starts_at=None,
    **fields,
):
    """A meeting `days` from now (negative: in the past), or at `starts_at`
    (UTC), lasting `hours`, with `items` plain agenda items; published or held
    when asked."""
    secretariat = secretariat or make_user(roles=("secretariaat",))
    start = starts_at or (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    meeting = lifecycle.create_meeting(
        secretariat,
        with_standard_items=standard,
        title=fields.pop("title", "Vergadering van de tafel"),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        location=fields.pop("location", "Bezuidenhoutseweg 73, Den Haag"),
        online_url=fields.pop("online_url", ""),
        description=fields.pop("description", ""),
    )
    for n in range(items):
        agenda.add_item(
            meeting,
            secretariat,
            title=f"Agendapunt {n + 1}",
            kind="bespreking",
            duration_minutes=15,
            presenter="",
            description="",
        )
    if status != "concept":
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
    if status in ("gehouden", "notulen_vastgesteld"):
        lifecycle.mark_held(meeting, secretariat)
    db.session.commit()
    return meeting


def accepted(**fields):
    return make_submission(status="aanvaard", **fields)


def pdf_text(data: bytes) -> str:
    """The text of a PDF download, page after page."""
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
