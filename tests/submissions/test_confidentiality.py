"""Nothing moves to a wider audience: merges, search, comments, triage messages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tafel import db
from tafel.submissions import intake, workflow
from tafel.submissions.models import Attachment, CoSignature, Submission
from tests.conftest import login, post
from tests.factories import make_attachment, make_org, make_submission, make_user


def test_confidential_report_cannot_be_merged_into_a_public_one(app):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        secret = make_submission(visibility="vertrouwelijk", status="in_behandeling")
        public = make_submission(visibility="openbaar", status="in_behandeling")
        with pytest.raises(intake.SubmissionError) as refused:
            workflow.merge_submission(secret, public, secretariat, None)
        assert refused.value.field == "target"
        db.session.rollback()
        assert db.session.get(Submission, secret.id).status == "in_behandeling"


def test_merge_into_a_more_restricted_report_keeps_attachments_with_the_original(app):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        source = make_submission(visibility="openbaar", status="ingediend")
        target = make_submission(visibility="tafel", status="in_behandeling")
        attachment = make_attachment(source)
        workflow.merge_submission(source, target, secretariat, None)
        db.session.commit()
        assert db.session.get(Attachment, attachment.id).submission_id == source.id
        cosign = db.session.scalars(select(CoSignature)).one()
        assert cosign.organisation_id == source.organisation_id and cosign.evidence == ""


def test_anonymous_submitter_is_not_named_on_a_public_target(app):
    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        source = make_submission(visibility="openbaar", status="ingediend", show_organisation=False)
        target = make_submission(visibility="openbaar", status="in_behandeling")
        attachment = make_attachment(source)
        workflow.merge_submission(source, target, secretariat, None)
        db.session.commit()
        assert db.session.scalars(select(CoSignature)).all() == []
        # Same audience: the attachment moves along.
        assert db.session.get(Attachment, attachment.id).submission_id == target.id


def test_anonymous_submitter_cannot_be_found_by_name(app, client):
    with app.app_context():
        org = make_org(name="Geheimbedrijf Zwaluw B.V.")
        hidden = make_submission(org=org, visibility="openbaar", show_organisation=False,
                                 title="Stikstof remt uitbreiding")  # fmt: skip
        make_submission(visibility="openbaar", title="Zwaluw in de titel")
        hidden_id = hidden.id
    html = client.get("/submissions/?q=Zwaluw").get_data(as_text=True)
    assert "1 melding gevonden" in html and "Zwaluw in de titel" in html
    similar = client.get("/submissions/similar?title=Geheimbedrijf+Zwaluw").get_json()
    assert hidden_id not in [row["id"] for row in similar]


def test_renamed_organisation_is_found_by_its_new_name(app, client):
    from tafel.accounts.services import update_organisation

    with app.test_request_context():
        org = make_org(name="Oude Naam B.V.")
        make_submission(org=org, visibility="openbaar", title="Netcongestie")
        admin = make_user(roles=("beheerder",))
        update_organisation(org, admin, name="Nieuwe Naam B.V.", org_type=org.org_type,
                            kvk=org.kvk, province=org.province, city=None)  # fmt: skip
        db.session.commit()
    assert "1 melding gevonden" in client.get("/submissions/?q=nieuwe+naam").get_data(as_text=True)
    assert "0 meldingen gevonden" in client.get("/submissions/?q=oude+naam").get_data(as_text=True)


def test_anonymous_submitters_comment_does_not_name_it(app, client):
    with app.app_context():
        org = make_org(name="Stille Vennoot B.V.")
        sub = make_submission(org=org, visibility="openbaar", show_organisation=False)
        make_user(email="own@example.com", org=org)
        sub_id = sub.id
    own = app.test_client()
    login(own, "own@example.com")
    post(own, f"/submissions/{sub_id}/comments", {"body": "Aanvulling van ons."})
    public = client.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "Stille Vennoot" not in public and "De indiener" in public
    assert "Stille Vennoot" in own.get(f"/submissions/{sub_id}").get_data(as_text=True)


def test_question_and_answer_are_for_the_submitter_and_the_secretariat(app, client):
    with app.app_context():
        make_user(email="sec@example.org", roles=("secretariaat",))
        make_user(email="lid@example.org", roles=("tafellid",))
        sub = make_submission(visibility="openbaar", status="in_behandeling")
        sub_id, author = sub.id, sub.author.email
    secretariat = app.test_client()
    login(secretariat, "sec@example.org")
    post(secretariat, f"/triage/{sub_id}/request-info", {"info-reason": "Wat is het omzetverlies?"})
    submitter = app.test_client()
    login(submitter, author)
    assert "Wat is het omzetverlies?" in submitter.get(f"/submissions/{sub_id}").get_data(
        as_text=True
    )
    member = app.test_client()
    login(member, "lid@example.org")
    for viewer in (client, member):
        page = viewer.get(f"/submissions/{sub_id}").get_data(as_text=True)
        assert "vroeg om aanvulling" in page and "omzetverlies" not in page


def test_status_mail_goes_to_colleagues_when_the_author_has_left(app):
    from tafel.notifications.models import Notification

    with app.test_request_context():
        secretariat = make_user(roles=("secretariaat",))
        sub = make_submission(status="ingediend")
        colleague = make_user(org=sub.organisation)
        sub.author.active = False
        db.session.commit()
        workflow.take_submission(sub, secretariat)
        db.session.commit()
        recipients = set(db.session.scalars(select(Notification.user_id)))
        assert recipients == {colleague.id}
