"""Co-signing and comments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import User
from tafel.submissions.models import Comment, CoSignature, Submission
from tafel.submissions.support import cosign_counts
from tests.conftest import login, post
from tests.factories import make_org, make_submission, make_user


@pytest.fixture
def setup(app):
    with app.app_context():
        sub = make_submission(visibility="openbaar", status="aanvaard")
        uni = make_org("universiteit", name="TU Rijn-Maas")
        make_user(email="a@uni.example", org=uni)
        make_user(email="b@uni.example", org=uni)
        make_user(email="c@bedrijf.example", org=make_org("mkb"))
        make_user(email="own@example.com", org=sub.organisation)
        make_user(email="new@example.com", org=make_org("mkb", verified=False))
        make_user(email="sec@example.org", roles=("secretariaat",))
        return sub.id


def cosigns(sub_id):
    return db.session.scalar(
        select(func.count(CoSignature.id)).where(CoSignature.submission_id == sub_id)
    )


def test_one_cosignature_per_organisation(app, setup):
    first, colleague = app.test_client(), app.test_client()
    login(first, "a@uni.example")
    login(colleague, "b@uni.example")
    assert post(first, f"/submissions/{setup}/cosign", {"evidence": "Wij ook."}).status_code == 302
    response = post(colleague, f"/submissions/{setup}/cosign", {"evidence": "Nogmaals."})
    assert response.status_code == 302
    with app.app_context():
        assert cosigns(setup) == 1
        assert db.session.get(Submission, setup).cosign_count == 1
    assert "steunt deze melding al" in colleague.get(f"/submissions/{setup}").get_data(as_text=True)


def test_counts_per_constituency_and_withdrawal(app, setup):
    for email in ("a@uni.example", "c@bedrijf.example"):
        client = app.test_client()
        login(client, email)
        post(client, f"/submissions/{setup}/cosign", {"evidence": "Herkenbaar."})
    with app.app_context():
        assert cosign_counts([setup])[setup] == {"kennisinstellingen": 1, "bedrijfsleven": 1}
    page = app.test_client().get(f"/submissions/{setup}").get_data(as_text=True)
    assert "2 steunbetuigingen (1 bedrijfsleven, 1 kennisinstellingen)" in page
    client = app.test_client()
    login(client, "c@bedrijf.example")
    assert post(client, f"/submissions/{setup}/cosign/withdraw").status_code == 302
    with app.app_context():
        assert cosigns(setup) == 1 and db.session.get(Submission, setup).cosign_count == 1


def test_database_refuses_a_second_row_for_one_organisation(setup, app_ctx):
    from sqlalchemy.exc import IntegrityError

    user = db.session.scalars(select(User).where(User.email == "a@uni.example")).one()
    for _ in range(2):
        db.session.add(
            CoSignature(submission_id=setup, organisation_id=user.organisation_id, user_id=user.id)
        )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize(
    "email, allowed",
    [("own@example.com", False), ("new@example.com", False), ("c@bedrijf.example", True)],
    ids=["own-organisation", "unverified-organisation", "other-organisation"],
)
def test_who_may_cosign(app, setup, email, allowed):
    client = app.test_client()
    login(client, email)
    post(client, f"/submissions/{setup}/cosign", {"evidence": "Steun."})
    with app.app_context():
        assert cosigns(setup) == (1 if allowed else 0)


def test_cosign_without_evidence_keeps_the_page_with_an_error(app, setup):
    client = app.test_client()
    login(client, "c@bedrijf.example")
    response = post(client, f"/submissions/{setup}/cosign", {"evidence": ""})
    assert response.status_code == 422
    assert 'id="evidence-error"' in response.get_data(as_text=True)


def test_comment_and_hide_by_secretariat(app, setup):
    client = app.test_client()
    login(client, "c@bedrijf.example")
    response = post(client, f"/submissions/{setup}/comments", {"body": "Dit *speelt* ook bij ons."})
    assert response.status_code == 302
    with app.app_context():
        comment_id = db.session.scalars(select(Comment.id)).one()
    assert "<em>speelt</em>" in client.get(f"/submissions/{setup}").get_data(as_text=True)
    # Only the secretariat hides, and only with a reason.
    assert post(client, f"/submissions/{setup}/comments/{comment_id}/hide",
                {"reason": "x"}).status_code == 403  # fmt: skip
    secretariat = app.test_client()
    login(secretariat, "sec@example.org")
    post(secretariat, f"/submissions/{setup}/comments/{comment_id}/hide", {"reason": ""})
    with app.app_context():
        assert db.session.get(Comment, comment_id).hidden_at is None
    post(secretariat, f"/submissions/{setup}/comments/{comment_id}/hide",
         {"reason": "Bevat persoonsgegevens"})  # fmt: skip
    page = app.test_client().get(f"/submissions/{setup}").get_data(as_text=True)
    assert "Verborgen door het secretariaat: Bevat persoonsgegevens" in page
    assert "speelt</em> ook bij ons" not in page


def test_hidden_submission_cannot_be_cosigned_or_commented_by_outsiders(app):
    with app.app_context():
        sub = make_submission(visibility="vertrouwelijk", status="aanvaard")
        make_user(email="outsider@example.com", org=make_org())
        sub_id = sub.id
    client = app.test_client()
    login(client, "outsider@example.com")
    assert post(client, f"/submissions/{sub_id}/cosign", {"evidence": "x"}).status_code == 404
    assert post(client, f"/submissions/{sub_id}/comments", {"body": "x"}).status_code == 404
    with app.app_context():
        assert cosigns(sub_id) == 0
        assert db.session.scalar(select(func.count(Comment.id))) == 0
