"""The report export for every role when some reports hide their organisation:
opened with the `csv` module, never a 500, and the hidden name never shown to
someone who may not see it."""

from __future__ import annotations

import csv
import io

import pytest

from tafel.accounts.models import ROLES
from tests.conftest import login
from tests.factories import make_org, make_submission, make_user

VIEWERS = ["anonymous", "same-org", *ROLES]


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize("who", VIEWERS)
def test_export_works_for_every_role_with_hidden_organisations(app, client, who):
    with app.app_context():
        hidden_org = make_org(name="Verborgen B.V.")
        shown_org = make_org(name="Zichtbaar B.V.")
        hidden = make_submission(org=hidden_org, visibility="openbaar", show_organisation=False)
        shown = make_submission(org=shown_org, visibility="openbaar")
        if who == "same-org":
            make_user(email="viewer@example.org", org=hidden_org)
        elif who != "anonymous":
            make_user(email="viewer@example.org", roles=(who,))
        ids = {"hidden": hidden.id, "shown": shown.id}
    if who != "anonymous":
        login(client, "viewer@example.org")
    response = client.get("/submissions/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == set(ids.values())
    organisation = rows[0].index("Organisatie")
    assert by_id[ids["shown"]][organisation] == "Zichtbaar B.V."
    sees_hidden = who in ("same-org", "tafellid", "voorzitter", "secretariaat", "departement")
    assert by_id[ids["hidden"]][organisation] == ("Verborgen B.V." if sees_hidden else "")
