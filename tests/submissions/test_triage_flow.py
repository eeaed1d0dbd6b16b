"""Triage over HTTP: the inbox, the permission table, merging, notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tafel import db
from tafel.accounts.models import ROLES
from tafel.db import utcnow
from tafel.notifications.models import Notification
from tafel.reference.models import Market, Ministry
from tafel.submissions.models import Attachment, CoSignature, Submission, TimelineEvent
from tests.conftest import csrf_token, login, post
from tests.factories import make_attachment, make_org, make_submission, make_user

TRIAGE_POSTS = {
    "take": ("ingediend", {}),
    "request-info": ("ingediend", {"info-reason": "Welke vergunning?"}),
    "decline": ("ingediend", {"decline-reason": "Buiten de opdracht."}),
    "merge": ("ingediend", {}),
    "accept": ("in_behandeling", {}),
}


def accept_data(app) -> dict:
    with app.app_context():
        market = db.session.scalars(select(Market)).first().id
        ezk = db.session.scalars(select(Ministry).where(Ministry.slug == "EZK")).one().id
    deadline = (utcnow() + timedelta(weeks=8)).date().isoformat()
    return {
        "accept-market": market,
        "accept-ministry": ezk,
        "accept-deadline": deadline,
        "accept-note": "Aanvaard.",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TRIAGE_POSTS))
def test_triage_permission_table(app, client, role, action):
    state, data = TRIAGE_POSTS[action]
    with app.app_context():
        sub = make_submission(status=state, visibility="openbaar")
        target = make_submission(status="in_behandeling", visibility="openbaar")
        make_user(email="actor@example.com", roles=(role,))
        sub_id, target_id = sub.id, target.id
    login(client, "actor@example.com")
    if action == "merge":
        data = {"merge-target": target_id}
    if action == "accept":
        data = accept_data(app)
    response = client.post(
        f"/triage/{sub_id}/{action}", data=data | {"csrf_token": csrf_token(client)}
    )
    with app.app_context():
        status = db.session.get(Submission, sub_id).status
    if role == "secretariaat":
        assert response.status_code == 302
        assert status != state
    else:
        assert response.status_code == 403
        assert status == state


@pytest.mark.parametrize("role", [None, *ROLES])
def test_inbox_only_for_the_secretariat(app, client, role):
    if role:
        with app.app_context():
            make_user(email="actor@example.com", roles=(role,))
        login(client, "actor@example.com")
    response = client.get("/triage/")
    if role is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role == "secretariaat" else 403)


def test_inbox_lists_oldest_first_with_marker_past_target(app, client, count_queries):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        old = make_submission(title="Oude melding", submitted_at=utcnow() - timedelta(days=30))
        make_submission(title="Nieuwe melding")
        make_submission(title="Al aanvaard", status="aanvaard")
        old_id = old.id
    login(client, "sec@example.org")
    html = client.get("/triage/").get_data(as_text=True)
    assert html.index("Oude melding") < html.index("Nieuwe melding<")
    assert "Al aanvaard" not in html
    assert "termijn verstreken" in html and f"#{old_id} Oude melding" in html
    with count_queries() as few:
        client.get("/triage/")
    with app.app_context():
        for _ in range(15):
            make_submission()
    with count_queries() as many:
        client.get("/triage/")
    assert len(few) == len(many)


def test_illegal_transition_over_http_changes_nothing(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        sub_id = make_submission(status="concept").id
        other = make_submission(status="aanvaard", visibility="openbaar").id
    login(client, "sec@example.org")
    # A concept is not visible to the secretariat at all.
    assert post(client, f"/triage/{sub_id}/accept", accept_data(app)).status_code == 404
    response = post(client, f"/triage/{other}/take")
    assert response.status_code == 302
    assert "Dit kan niet bij een melding met de status" in client.get(
        f"/submissions/{other}"
    ).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Submission, other).status == "aanvaard"


def test_request_info_reply_accept_with_notifications(app):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        sub = make_submission(status="ingediend", visibility="tafel")
        submitter_email, sub_id = sub.author.email, sub.id
    secretariat, submitter = app.test_client(), app.test_client()
    login(secretariat, "sec@example.org")
    login(submitter, submitter_email)
    post(secretariat, f"/triage/{sub_id}/take")
    post(secretariat, f"/triage/{sub_id}/request-info", {"info-reason": "Welk artikel?"})
    page = submitter.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Welk artikel?" in page and "Aanvulling versturen" in page
    assert (
        post(submitter, f"/submissions/{sub_id}/reply", {"reason": "Artikel 5.1"}).status_code
        == 302
    )
    response = post(secretariat, f"/triage/{sub_id}/accept", accept_data(app))
    assert response.status_code == 302
    with app.app_context():
        sub = db.session.get(Submission, sub_id)
        assert sub.status == "aanvaard" and sub.ministry.slug == "EZK"
        assert sub.response_deadline is not None and sub.first_response_at is not None
        titles = db.session.scalars(
            select(Notification.title).where(Notification.user_id == sub.author_id)
        ).all()
    assert len(titles) == 3  # in behandeling, aanvulling gevraagd, aanvaard
    page = submitter.get(f"/submissions/{sub_id}").get_data(as_text=True)
    for step in ("nam de melding in behandeling", "vroeg om aanvulling", "stuurde een aanvulling",
                 "aanvaardde de melding"):  # fmt: skip
        assert step in page
    header = submitter.get("/").get_data(as_text=True)
    assert '<span class="count">3<span class="visually-hidden"> ongelezen' in header


def test_accept_form_errors_keep_input(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        sub_id = make_submission(status="in_behandeling").id
    login(client, "sec@example.org")
    data = accept_data(app) | {"accept-deadline": "2020-01-01", "accept-note": "Mijn toelichting"}
    response = post(client, f"/triage/{sub_id}/accept", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "in de toekomst" in html and "Mijn toelichting" in html
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "in_behandeling"


def test_merge_carries_support_and_attachments_and_redirects(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        target = make_submission(status="in_behandeling", visibility="openbaar")
        source = make_submission(status="ingediend", visibility="openbaar")
        supporter = make_org("universiteit")
        supporter_user = make_user(org=supporter)
        db.session.add(CoSignature(submission_id=source.id, organisation_id=supporter.id,
                                   user_id=supporter_user.id, evidence="Ook bij ons."))  # fmt: skip
        make_attachment(source)
        source.cosign_count = 1
        db.session.commit()
        source_id, target_id, source_org = source.id, target.id, source.organisation_id
    login(client, "sec@example.org")
    response = post(
        client, f"/triage/{source_id}/merge", {"merge-target": target_id, "merge-note": "Dubbel"}
    )
    assert response.status_code == 302
    with app.app_context():
        source = db.session.get(Submission, source_id)
        target = db.session.get(Submission, target_id)
        assert source.status == "samengevoegd" and source.merged_into_id == target_id
        orgs = set(db.session.scalars(
            select(CoSignature.organisation_id).where(CoSignature.submission_id == target_id)
        ))  # fmt: skip
        assert orgs == {supporter.id, source_org}  # the merged submitter co-signs the target
        assert target.cosign_count == 2 and source.cosign_count == 0
        assert db.session.scalars(select(Attachment.submission_id)).one() == target_id
        assert db.session.scalars(select(TimelineEvent.kind).where(
            TimelineEvent.submission_id == target_id)).all() == ["merged_in"]  # fmt: skip
    old = client.get(f"/submissions/{source_id}")
    assert old.status_code == 302 and old.headers["Location"].endswith(f"/submissions/{target_id}")
    original = client.get(f"/submissions/{source_id}?original=1").get_data(as_text=True)
    assert "voegde de melding samen met een andere" in original
