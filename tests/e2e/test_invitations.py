"""Invitations in the browser: the secretariat moves a published meeting and
the chair cancels another with a reason; every mail this produced is parsed
with Python's e-mail parser and every calendar part with icalendar, and the
pages pass axe-core and the HTML checker."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import icalendar
from flask import current_app
from playwright.sync_api import expect
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import User
from tafel.core.mail import _email
from tafel.core.models import MailMessage
from tafel.db import utcnow
from tafel.meetings import agenda, lifecycle
from tafel.meetings.models import Meeting
from tafel.submissions.models import Submission
from tests.e2e.conftest import login
from tests.htmlcheck import structural_errors, validate, vnu_jar


def make_published(app, title: str, days: int, with_report: bool) -> int:
    with app.test_request_context():
        secretariat = db.session.scalars(
            select(User).where(User.email == "secretariaat@example.org")
        ).one()
        start = (utcnow() + timedelta(days=days)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        meeting = lifecycle.create_meeting(
            secretariat, with_standard_items=False, title=title, starts_at=start,
            ends_at=start + timedelta(hours=2), location="Den Haag", online_url="", description="",
        )  # fmt: skip
        item = agenda.add_item(meeting, secretariat, title="Netcongestie", kind="bespreking",
                               duration_minutes=30, presenter="", description="")  # fmt: skip
        if with_report:
            sub = db.session.scalars(
                select(Submission).where(
                    Submission.status == "aanvaard", Submission.visibility == "openbaar"
                )  # fmt: skip
            ).first()
            agenda.link_submission(item, sub, secretariat)
        lifecycle.publish(meeting, secretariat, accept_overlap=True)
        db.session.commit()
        return meeting.id


def test_move_and_cancel_send_calendars_that_parse(app, page, live_server, demo_data, axe_check):
    with app.app_context():
        db.session.query(MailMessage).delete()
        db.session.commit()
    moved = make_published(app, "Tafel juni", 40, with_report=False)
    cancelled = make_published(app, "Tafel juli", 70, with_report=True)

    login(page, "secretariaat@example.org")
    page.goto(f"/meetings/{moved}/edit")
    page.get_by_label("Locatie").fill("Utrecht, Jaarbeurs")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".flash--success")).to_contain_text("bijgewerkte uitnodiging")

    page.goto(f"/meetings/{cancelled}")
    html = {"meeting": page.content()}
    with page.expect_navigation():
        page.get_by_role("button", name="Vergadering annuleren").click()
    expect(page.get_by_text("Geef de reden van de annulering.").first).to_be_visible()
    page.get_by_label("Reden van de annulering").fill("De minister is verhinderd.")
    with page.expect_navigation():
        page.get_by_role("button", name="Vergadering annuleren").click()
    expect(page.locator(".flash--success")).to_contain_text("geannuleerd")
    expect(page.locator("main")).to_contain_text("Deze vergadering is geannuleerd.")
    axe_check(page)
    html["cancelled"] = page.content()
    for name, text in html.items():
        assert structural_errors(text) == [], name
    if vnu_jar() is not None:
        assert validate(html) == []

    with app.app_context():
        assert db.session.get(Meeting, cancelled).status == "geannuleerd"
        methods: dict[str, set[str]] = {}
        for message in db.session.scalars(select(MailMessage).order_by(MailMessage.id)):
            mail = email.message_from_bytes(
                bytes(_email(current_app.config, message)), policy=policy.default
            )
            assert mail["Auto-Submitted"] == "auto-generated"
            assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
            for part in mail.walk():
                if part.get_content_type() != "text/calendar":
                    continue
                cal = icalendar.Calendar.from_ical(part.get_content())
                (event,) = cal.walk("VEVENT")
                assert part.get_param("method") == cal["METHOD"]
                methods.setdefault(str(event["SUMMARY"]), set()).add(
                    f"{cal['METHOD']}:{event['SEQUENCE']}"
                )
        assert methods["Tafel juni"] == {"REQUEST:0", "REQUEST:1"}
        assert methods["Tafel juli"] == {"REQUEST:0", "CANCEL:1"}
