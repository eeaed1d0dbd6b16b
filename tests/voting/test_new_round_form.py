"""The new-round form proposes times and keeps input on errors."""

from __future__ import annotations

import re

from tests.conftest import login, post
from tests.factories import make_submission, make_user


def test_new_round_form_proposes_times_and_keeps_input(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        make_submission(status="aanvaard", visibility="tafel", title="Eerste kandidaat")
    login(client, "sec@example.org")
    html = client.get("/rounds/new").get_data(as_text=True)
    assert re.search(r'id="opens_at"[^>]*value="\d{4}-\d\d-\d\dT\d\d:00"', html)
    response = post(client, "/rounds/new", {"title": "Mijn ronde", "method": "ranked",
                                            "opens_at": "2030-01-01T10:00",
                                            "closes_at": "2030-01-08T10:00",
                                            "quorum_percent": "50"})  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "ten minste twee kandidaten" in html and 'value="Mijn ronde"' in html
