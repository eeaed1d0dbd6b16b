"""Who may do what with a meeting: every role × status against the policies,
and over HTTP each route once allowed and once refused, to prove it asks them."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from tafel import db
from tafel.accounts.models import ROLES
from tafel.core.timefmt import AMSTERDAM
from tafel.db import utcnow
from tafel.meetings import policies
from tafel.meetings.models import MEETING_STATUSES, AgendaItem, Attendance, Meeting
from tests.conftest import login, post
from tests.factories import make_user
from tests.meetings.factories import make_meeting

MANAGERS = {"secretariaat", "voorzitter"}
MEMBERS = {"tafellid", "voorzitter"}
TABLE = {"tafellid", "voorzitter", "secretariaat", "departement"}
RUNNING = {"gepubliceerd", "gehouden"}
# action: (method, url under /meetings/<id>); "{item}" is the meeting's first item.
ACTIONS = {
    "view": ("GET", ""),
    "agenda builder": ("GET", "/agenda"),
    "add item": ("POST", "/items"),
    "edit meeting": ("POST", "/edit"),
    "publish": ("POST", "/publish"),
    "rsvp": ("POST", "/rsvp"),
    "record attendance": ("POST", "/attendance"),
    "mark discussed": ("POST", "/items/{item}/discussed"),
    "save minutes": ("POST", "/items/{item}/minutes"),
    "agenda.pdf": ("GET", "/agenda.pdf"),
    ".ics": ("GET", ".ics"),
}
PUBLIC = {"view", "agenda.pdf", ".ics"}


def expected(role: str | None, status: str, action: str) -> int:
    """The status code, from the rules in tafel/meetings/policies.py."""
    manager = role in MANAGERS
    visible = status != "concept" or manager
    if action in PUBLIC:
        return 200 if visible else 404
    if role is None:
        return 302  # to the login page
    if not visible:
        return 404
    if action in ("agenda builder", "add item", "edit meeting"):
        allowed = role == "secretariaat" and status in ("concept", "gepubliceerd")
        success = 200 if action == "agenda builder" else 302
        return success if allowed else 403
    if action == "publish":
        allowed = manager and status == "concept"
    elif action == "rsvp":
        allowed = role in MEMBERS and status == "gepubliceerd"
    elif action in ("record attendance", "mark discussed"):
        allowed = role == "secretariaat" and status in RUNNING
    elif action == "save minutes":
        if role == "secretariaat" and status == "notulen_vastgesteld":
            return 422  # may try, and hears that approved minutes are fixed
        allowed = role == "secretariaat" and status in RUNNING
    else:
        raise AssertionError(action)
    return 302 if allowed else 403


def person(role: str | None):
    """A user as the policies see one: anonymous, or signed in with one role."""
    return SimpleNamespace(is_authenticated=role is not None, roles=[role] if role else [])


@pytest.mark.parametrize("started", [True, False], ids=["started", "to-come"])
@pytest.mark.parametrize("status", MEETING_STATUSES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_meeting_policy_table(role, status, started):
    """Role × status × started against the predicates (no request, no database)."""
    user = person(role)
    starts = utcnow() + (timedelta(minutes=-15) if started else timedelta(days=3))
    meeting = Meeting(status=status, starts_at=starts, ends_at=starts + timedelta(hours=2))
    manager, secretariat = role in MANAGERS, role == "secretariaat"
    assert policies.can_view(user, meeting) is (status != "concept" or manager)
    assert policies.can_create(user) is secretariat
    assert policies.can_edit(user, meeting) is (
        secretariat and status in ("concept", "gepubliceerd")
    )
    assert policies.can_publish(user, meeting) is (manager and status == "concept")
    assert policies.can_rsvp(user, meeting) is (role in MEMBERS and status == "gepubliceerd")
    assert policies.can_record(user, meeting) is (secretariat and status in RUNNING and started)
    held = secretariat and status == "gepubliceerd" and started
    assert policies.can_mark_held(user, meeting) is held
    fixed = status == "notulen_vastgesteld"
    assert policies.can_add_addendum(user, meeting) is (secretariat and fixed)
    minutes = status != "concept" if manager else fixed
    assert policies.can_see_minutes(user, meeting) is minutes
    assert policies.can_see_attendance(user) is (role in TABLE)
    assert policies.can_use_feed(user) is (role in TABLE)


@pytest.mark.parametrize("earlier", MEETING_STATUSES)
@pytest.mark.parametrize("status", MEETING_STATUSES)
@pytest.mark.parametrize("role", [None, *ROLES])
def test_minutes_approval_policy(role, status, earlier):
    """At a later, begun meeting the secretariat or chair approves a held one's minutes."""
    start = utcnow() - timedelta(minutes=15)
    past = Meeting(status=earlier, starts_at=start - timedelta(days=28), ends_at=start)
    meeting = Meeting(status=status, starts_at=start, ends_at=start + timedelta(hours=2))
    item = AgendaItem(meeting=meeting, approves_meeting=past, standard="minutes")
    allowed = role in MANAGERS and earlier == "gehouden" and status in RUNNING
    assert policies.can_approve_minutes(person(role), item) is allowed
    assert policies.can_approve_minutes(person(role), AgendaItem(meeting=meeting)) is False


def form_for(action: str, ids: dict) -> dict:
    if action == "add item":
        return {"title": "Nieuw punt", "kind": "bespreking", "duration_minutes": "10"}
    if action == "edit meeting":
        return {
            "title": "Andere titel",
            "day": ids["day"],
            "start_time": ids["start"],
            "end_time": ids["end"],
            "location": "Den Haag",
        }
    if action == "rsvp":
        return {"answer": "aanwezig"}
    if action == "record attendance":
        return {f"presence-{ids['member']}": "aanwezig"}
    if action == "save minutes":
        return {"text": "Besproken en besloten.", "base_revision": "0"}
    return {}


def state(meeting_id: int, item_id: int) -> dict:
    """What each allowed action changes, read from the database."""
    meeting = db.session.get(Meeting, meeting_id)
    item = db.session.get(AgendaItem, item_id)
    return {
        "add item": db.session.scalar(
            select(func.count(AgendaItem.id)).where(AgendaItem.meeting_id == meeting_id)
        ),
        "edit meeting": meeting.title,
        "publish": meeting.status,
        "rsvp": db.session.scalar(
            select(func.count(Attendance.id)).where(
                Attendance.meeting_id == meeting_id, Attendance.rsvp.is_not(None)
            )
        ),
        "record attendance": db.session.scalar(
            select(func.count(Attendance.id)).where(
                Attendance.meeting_id == meeting_id, Attendance.presence.is_not(None)
            )
        ),
        "mark discussed": item.discussed_at is not None,
        "save minutes": item.minutes,
    }


# role, status, action: each route allowed and refused at least once (the codes
# come from `expected`, the HTTP reading of the policies tested above).
WIRING = [
    ("tafellid", "gepubliceerd", "view"),
    ("secretariaat", "concept", "view"),
    (None, "concept", "view"),
    ("secretariaat", "gepubliceerd", "agenda builder"),
    ("voorzitter", "concept", "agenda builder"),
    ("secretariaat", "gehouden", "agenda builder"),
    ("secretariaat", "concept", "add item"),
    ("tafellid", "gepubliceerd", "add item"),
    ("secretariaat", "gepubliceerd", "edit meeting"),
    ("departement", "gepubliceerd", "edit meeting"),
    (None, "gepubliceerd", "edit meeting"),
    ("voorzitter", "concept", "publish"),
    ("secretariaat", "gepubliceerd", "publish"),
    ("tafellid", "concept", "publish"),
    ("tafellid", "gepubliceerd", "rsvp"),
    ("departement", "gepubliceerd", "rsvp"),
    ("voorzitter", "gehouden", "rsvp"),
    ("secretariaat", "gehouden", "record attendance"),
    ("voorzitter", "gepubliceerd", "record attendance"),
    ("secretariaat", "concept", "record attendance"),
    ("secretariaat", "gepubliceerd", "mark discussed"),
    ("secretariaat", "notulen_vastgesteld", "mark discussed"),
    ("secretariaat", "gehouden", "save minutes"),
    ("secretariaat", "notulen_vastgesteld", "save minutes"),
    ("voorzitter", "gehouden", "save minutes"),
    ("indiener", "notulen_vastgesteld", "save minutes"),
    (None, "gepubliceerd", "agenda.pdf"),
    ("tafellid", "concept", "agenda.pdf"),
    ("indiener", "gehouden", ".ics"),
    (None, "concept", ".ics"),
]


@pytest.mark.parametrize("role, status, action", WIRING)
def test_meeting_routes_ask_their_policy(app, client, role, status, action):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(roles=("tafellid",))
        # Started a quarter of an hour ago: recording is possible while it runs.
        meeting = make_meeting(
            secretariat,
            days=-0.01,
            items=1,
            status="gehouden" if status == "notulen_vastgesteld" else status,
        )
        if status == "notulen_vastgesteld":
            db.session.execute(
                update(Meeting).where(Meeting.id == meeting.id).values(status=status)
            )
            db.session.commit()
        if role:
            make_user(email="actor@example.com", roles=(role,))
        start = meeting.starts_at.astimezone(AMSTERDAM)
        ids = {
            "meeting": meeting.id,
            "item": meeting.items[0].id,
            "member": member.id,
            # The edit form moves the meeting to tomorrow morning: its own
            # times may run past midnight, which one day's form cannot hold.
            "day": (start + timedelta(days=1)).date().isoformat(),
            "start": "10:00",
            "end": "12:00",
        }
        before = state(ids["meeting"], ids["item"])
    if role:
        assert login(client, "actor@example.com").status_code == 302
    method, path = ACTIONS[action]
    url = f"/meetings/{ids['meeting']}" + path.format(item=ids["item"])
    if method == "GET":
        response = client.get(url)
    else:
        response = post(client, url, form_for(action, ids))

    want = expected(role, status, action)
    assert response.status_code == want, response.get_data(as_text=True)[:2000]
    if want == 302 and role is None:
        assert response.headers["Location"].startswith("/auth/login")
    if want == 403:
        assert "Geen toegang" in response.get_data(as_text=True)
    if action == ".ics" and want == 200:
        assert b"BEGIN:VEVENT" in response.data
    if action == "agenda.pdf" and want == 200:
        assert response.data.startswith(b"%PDF")
    if action == "view" and want == 200:
        assert "Vergadering van de tafel" in response.get_data(as_text=True)
    with app.app_context():
        after = state(ids["meeting"], ids["item"])
    changed = {key for key in before if before[key] != after[key]}
    succeeded = want == 302 and role is not None and method == "POST"
    assert changed == ({action} if succeeded else set())
