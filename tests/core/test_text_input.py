"""Audit finding 15: user text is normalised on input — NUL, C0/C1 controls
and bidi overrides never reach the database, a mail subject or a page."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.core.models import MailMessage
from tafel.core.text import clean, single_line
from tafel.submissions.models import Submission
from tests.accounts.test_registration import form_data as registration_data
from tests.conftest import login
from tests.factories import make_user
from tests.submissions.helpers import form_data

FORBIDDEN = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(127, 160)]} | {
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
}


@given(st.text())
def test_clean_leaves_no_control_or_bidi_character(text):
    cleaned = clean(text)
    assert not FORBIDDEN & set(cleaned)
    assert "\r" not in cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean(cleaned) == cleaned  # idempotent


@given(st.text())
def test_single_line_is_one_line(text):
    line = single_line(text)
    assert not {"\n", "\t", "\u2028", "\u2029"} & set(line)
    assert line == line.strip()


def test_ordinary_text_is_kept():
    text = "Cleanroom-vergunning: 14 maanden\n\n– ‘wachten’ op € 2,4 mln.\tKlaar. 🙂 עברית"
    assert clean(text) == text


def test_a_title_with_nul_bidi_and_line_breaks_is_stored_clean(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
        make_user(email="sec@example.org", roles=("secretariaat",))
    login(client, "ina@example.com")
    data = form_data(client)
    data["title"] = "Vergunning\x00 \u202egnuninni\u202c\r\nBcc: x@example.org\x85"
    data["body"] = "Regel een\r\nRegel twee\x07\x00"
    response = client.post("/submissions/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        sub = db.session.scalars(select(Submission)).one()
        assert sub.title == "Vergunning gnuninni Bcc: x@example.org"
        assert sub.body == "Regel een\nRegel twee"
        subjects = db.session.scalars(select(MailMessage.subject)).all()
        for subject in subjects:
            assert not FORBIDDEN & set(subject) and "\n" not in subject


def test_names_at_registration_are_one_clean_line(app, client):
    data = registration_data(
        client,
        org_name="Ministerie\u202e van\nEZK\x00",
        name="Zara\u2066 de\tZeeuw",
    )
    assert client.post("/auth/register", data=data).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Organisation.name)).one() == "Ministerie van EZK"
        assert db.session.scalars(select(User.name)).one() == "Zara de Zeeuw"
