"""One object's audit trail for the secretariat (and the administrator)."""

from __future__ import annotations

import pytest

from tafel import db
from tafel.core import audit
from tests.conftest import login
from tests.factories import make_submission, make_user


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (None, 302),
        (("indiener",), 403),
        (("tafellid",), 403),
        (("departement",), 403),
        (("voorzitter",), 403),
        (("secretariaat",), 200),
        (("beheerder",), 200),
    ],
)
def test_who_reads_an_objects_trail(app, client, roles, expected):
    with app.app_context():
        sub = make_submission()
        actor = make_user(roles=("secretariaat",))
        audit.record("submission.take", sub, actor, {"status": "ingediend"}, {"status": "x"})
        other = make_submission()
        audit.record("submission.decline", other, actor, {"status": "ingediend"}, {"status": "y"})
        db.session.commit()
        sub_id = sub.id
        email = make_user(roles=roles).email if roles else None
    if email:
        login(client, email)
    response = client.get(f"/admin/audit/Submission/{sub_id}")
    assert response.status_code == expected
    if expected == 200:
        page = response.get_data(as_text=True)
        assert "submission.take" in page and "submission.decline" not in page
        assert client.get(f"/admin/audit/User/{sub_id}").status_code == 404
