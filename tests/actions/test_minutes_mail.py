"""Approved minutes reach every member and the submitters of the reports on
the agenda, with the decisions and the action items (parsed with `email`)."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

from flask import current_app
from sqlalchemy import select

from tafel import db
from tafel.core.mail import _email
from tafel.core.models import MailMessage
from tafel.db import utcnow
from tafel.meetings import lifecycle, minutes
from tests.decisions.factories import held_decision_item
from tests.decisions.test_exports import record
from tests.factories import make_user
from tests.responses.factories import make_action, ministry


def test_approved_minutes_are_mailed_with_decisions_and_actions(app):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        member = make_user(email="lid@example.org", roles=("tafellid",))
        bystander = make_user(email="ander@example.org")
        _s, earlier, item, (sub,) = held_decision_item(secretariat)
        decision = record(item, secretariat, text="Netbeheerders krijgen voorrang.")
        make_action(decision=decision, owner=ministry("EZK"), description="Wetsvoorstel opstellen")
        start = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
        later = lifecycle.create_meeting(
            secretariat, title="Volgend overleg", starts_at=start,
            ends_at=start + timedelta(hours=3), location="Den Haag", online_url="", description="",
        )  # fmt: skip
        approval = next(i for i in later.items if i.approves_meeting_id == earlier.id)
        db.session.query(MailMessage).delete()
        minutes.approve_minutes(approval, secretariat)
        db.session.commit()
        mails = {m.recipient: m for m in db.session.scalars(select(MailMessage))}
        submitter = sub.author.email
        assert member.email in mails and submitter in mails
        assert bystander.email not in mails
        for address in (member.email, submitter):
            mail = email.message_from_bytes(
                bytes(_email(current_app.config, mails[address])), policy=policy.default
            )
            assert mail["Subject"].startswith("Notulen vastgesteld:")
            text = mail.get_body(("plain",)).get_content()
            assert f"{decision.number} (Overnemen): Netbeheerders krijgen voorrang." in text
            assert "Wetsvoorstel opstellen" in text
            assert f"/meetings/{earlier.id}" in text
