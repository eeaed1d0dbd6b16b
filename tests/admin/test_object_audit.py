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
        sub = make_submission(visibility="openbaar")
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


# Audit finding 9: the audit log never shows more than the object pages. ------------


def _confidential_trail(app):
    with app.app_context():
        secret = make_submission(visibility="vertrouwelijk", title="Geheime overname Chipfabriek")
        public = make_submission(visibility="openbaar", title="Openbare melding netcongestie")
        actor = make_user(roles=("secretariaat",))
        audit.record("submission.create", secret, actor, after={"title": secret.title})
        audit.record("submission.create", public, actor, after={"title": public.title})
        db.session.commit()
        return secret.id, public.id


@pytest.mark.parametrize("role", ["beheerder", "secretariaat"])
def test_an_object_the_reader_may_not_see_has_no_trail(app, client, role):
    secret_id, public_id = _confidential_trail(app)
    with app.app_context():
        email = make_user(roles=(role,)).email
    login(client, email)
    can_read = client.get(f"/submissions/{secret_id}").status_code == 200
    trail = client.get(f"/admin/audit/Submission/{secret_id}")
    assert trail.status_code == (200 if can_read else 404)
    assert client.get(f"/admin/audit/Submission/{public_id}").status_code == 200


def test_the_audit_log_redacts_what_the_beheerder_may_not_see(app, client):
    secret_id, public_id = _confidential_trail(app)
    with app.app_context():
        email = make_user(roles=("beheerder",)).email
    login(client, email)
    assert client.get(f"/submissions/{secret_id}").status_code == 404
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Geheime overname" not in page
    assert "[vertrouwelijk]" in page
    assert f"Submission #{secret_id}" in page  # who did what, when: still there
    assert "Openbare melding netcongestie" in page


def test_a_draft_response_in_the_audit_log_is_redacted_for_the_beheerder(app, client):
    from tests.responses.factories import due_submission, make_response

    with app.app_context():
        sub = due_submission("EZK", visibility="openbaar")
        response = make_response(sub, status="concept", explanation="Concepttekst van EZK")
        audit.record(
            "response.save",
            response,
            make_user(roles=("departement",)),
            after={"explanation": response.explanation},
        )
        db.session.commit()
        email = make_user(roles=("beheerder",)).email
        sec_email = make_user(roles=("secretariaat",)).email
    login(client, email)
    assert "Concepttekst van EZK" not in client.get("/admin/audit").get_data(as_text=True)
    secretariat = app.test_client()
    login(secretariat, sec_email)
    trail = secretariat.get(f"/admin/audit/Response/{response.id}").get_data(as_text=True)
    assert "Concepttekst van EZK" in trail  # the secretariat reads drafts
