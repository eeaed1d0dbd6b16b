"""Reporting a knelpunt: the form, bad input, double submits, attachments, safe rendering."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.notifications.models import Notification
from tafel.submissions.models import Attachment, Submission, SubmissionVersion, TimelineEvent
from tests.conftest import login, post
from tests.factories import make_user
from tests.submissions.helpers import PDF, form_data


@pytest.fixture
def submitter(app, client):
    with app.app_context():
        make_user(email="ina@example.com", roles=("indiener",))
        make_user(email="sec@example.org", roles=("secretariaat",))
    login(client, "ina@example.com")
    return client


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_submit_a_knelpunt_with_attachment(app, submitter):
    data = form_data(submitter)
    data["attachments"] = [(io.BytesIO(PDF), "rapport netcongestie.pdf")]
    response = submitter.post("/submissions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        sub = db.session.scalars(select(Submission)).one()
        assert sub.status == "ingediend" and sub.submitted_at is not None
        assert sub.regulation_identifier == "BWBR0037885" and sub.impact_euro == 2_400_000
        attachment = db.session.scalars(select(Attachment)).one()
        assert attachment.original_name == "rapport netcongestie.pdf"
        assert attachment.mime_type == "application/pdf"
        assert (app.config["UPLOAD_DIR"] / attachment.stored_name).read_bytes() == PDF
        # The secretariat hears about it, the submitter gets a receipt.
        notes = {n.user_id: n.title for n in db.session.scalars(select(Notification))}
        assert len(notes) == 2 and sub.author_id in notes
        assert "Nieuwe melding: Omgevingsvergunning" in " ".join(notes.values())
        assert "heeft de status ‘Ingediend’" in notes[sub.author_id]
        sub_id, attachment_id = sub.id, attachment.id
    page = submitter.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "diende de melding in" in page
    download = submitter.get(f"/submissions/{sub_id}/attachments/{attachment_id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''rapport%20netcongestie.pdf" in download.headers["Content-Disposition"]


def test_save_as_concept_then_submit(app, submitter):
    response = post(submitter, "/submissions/new", form_data(submitter, action="save"))
    assert response.status_code == 302
    with app.app_context():
        sub = db.session.scalars(select(Submission)).one()
        assert sub.status == "concept" and sub.submitted_at is None
        sub_id = sub.id
    assert post(submitter, f"/submissions/{sub_id}/submit").status_code == 302
    with app.app_context():
        assert db.session.get(Submission, sub_id).status == "ingediend"


def test_double_click_creates_one_submission(app, submitter):
    data = form_data(submitter)
    first = submitter.post("/submissions/new", data=data)
    second = submitter.post("/submissions/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert count(Submission) == 1


BAD = [
    pytest.param({"title": "x" * 10_000}, "title", "150", id="long-title"),
    pytest.param({"title": ""}, "title", "verplicht", id="no-title"),
    pytest.param({"summary": "y" * 501}, "summary", "500", id="long-summary"),
    pytest.param(
        {"regulation_identifier": "3201R679"},
        "regulation_identifier",
        "CELEX",
        id="celex-wrong-shape",
    ),
    pytest.param(
        {"regulation_identifier": "BWBR12"},
        "regulation_identifier",
        "BWBR0005416",
        id="bwb-wrong-shape",
    ),
    pytest.param({"impact_euro": "-5"}, "impact_euro", "0 of meer", id="negative-euro"),
    pytest.param({"visibility": "iedereen"}, "visibility", "", id="unknown-visibility"),
]


@pytest.mark.parametrize("overrides, field, message", BAD)
def test_bad_input_keeps_the_form(app, submitter, overrides, field, message):
    data = form_data(submitter, **overrides)
    response = submitter.post("/submissions/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1)
    for other in ("summary", "regulation_name"):
        if other not in overrides:
            assert data[other] in html
    with app.app_context():
        assert count(Submission) == 0


def test_ministry_that_no_longer_exists_is_refused(app, submitter):
    from tafel.reference.models import Ministry

    with app.app_context():
        old = db.session.scalars(select(Ministry).where(Ministry.slug == "EZ")).one().id
    response = submitter.post("/submissions/new", data=form_data(submitter, ministry=str(old)))
    assert response.status_code == 422
    assert re.search(r'id="ministry-error"', response.get_data(as_text=True))
    with app.app_context():
        assert count(Submission) == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("groot.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "groter dan 10 MB"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "niet is toegestaan"),
    ],
    ids=["over-10-mb", "exe-renamed-pdf"],
)
def test_refused_upload_keeps_the_rest_of_the_form(app, submitter, name, content, message):
    data = form_data(submitter)
    data["attachments"] = [(io.BytesIO(content), name)]
    response = submitter.post("/submissions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in re.search(r'id="attachments-error">(.*?)</p>', html, re.S).group(1)
    assert "Omgevingsvergunning cleanroom duurt te lang" in html
    with app.app_context():
        assert count(Submission) == 0 and count(Attachment) == 0


def test_a_sixth_attachment_is_refused(app, submitter):
    data = form_data(submitter, action="save")
    data["attachments"] = [(io.BytesIO(PDF), f"bijlage{i}.pdf") for i in range(5)]
    assert submitter.post("/submissions/new", data=data).status_code == 302
    with app.app_context():
        sub_id = db.session.scalars(select(Submission.id)).one()
    edit = form_data(submitter, action="save")
    edit["attachments"] = [(io.BytesIO(PDF), "zesde.pdf")]
    response = submitter.post(f"/submissions/{sub_id}/edit", data=edit)
    assert response.status_code == 422
    assert "hoogstens 5 bijlagen" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Attachment) == 5


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [klik](javascript:alert(3))'


def test_script_and_javascript_links_render_inert(app, submitter):
    data = form_data(
        submitter,
        title="<script>alert(0)</script> titel",
        body=HOSTILE,
        proposed_solution=HOSTILE,
    )
    response = submitter.post("/submissions/new", data=data)
    sub_url = response.headers["Location"]
    html = submitter.get(sub_url).get_data(as_text=True)
    post(submitter, sub_url + "/comments", {"body": HOSTILE})
    html = submitter.get(sub_url).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace('onerror="alert(2)"&gt;', "")
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(0)&lt;/script&gt; titel" in html


def test_edit_after_submitting_is_kept_in_history(app, submitter):
    response = submitter.post("/submissions/new", data=form_data(submitter))
    sub_url = response.headers["Location"]
    sub_id = int(sub_url.rsplit("/", 1)[1])
    edit = form_data(submitter, summary="Na veertien maanden nog steeds geen besluit.")
    assert submitter.post(sub_url + "/edit", data=edit).status_code == 302
    with app.app_context():
        versions = db.session.scalars(
            select(SubmissionVersion).where(SubmissionVersion.submission_id == sub_id)
            .order_by(SubmissionVersion.number)
        ).all()  # fmt: skip
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].content["summary"].startswith("De vergunning")
        assert versions[1].content["summary"].startswith("Na veertien")
        kinds = db.session.scalars(
            select(TimelineEvent.kind).where(TimelineEvent.submission_id == sub_id)
        ).all()
        assert "edit" in kinds
    assert "wijzigde de melding" in submitter.get(sub_url).get_data(as_text=True)


def test_cannot_edit_after_acceptance_or_someone_elses(app, client, submitter):
    from tests.factories import make_submission

    with app.app_context():
        accepted = make_submission(status="aanvaard", visibility="openbaar").id
    assert submitter.get(f"/submissions/{accepted}/edit").status_code == 403


def test_a_failed_request_leaves_no_file_behind(app, submitter, monkeypatch):
    from tafel.submissions import workflow

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(workflow, "submit_submission", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        before = (
            set(app.config["UPLOAD_DIR"].glob("*")) if app.config["UPLOAD_DIR"].exists() else set()
        )
        data = form_data(submitter)
        data["attachments"] = [(io.BytesIO(PDF), "rapport.pdf")]
        response = submitter.post("/submissions/new", data=data)
        assert response.status_code == 500
        after = (
            set(app.config["UPLOAD_DIR"].glob("*")) if app.config["UPLOAD_DIR"].exists() else set()
        )
        assert after == before
        with app.app_context():
            assert count(Submission) == 0 and count(Attachment) == 0
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None


def test_attachment_can_be_removed_while_editable(app, submitter):
    data = form_data(submitter, action="save")
    data["attachments"] = [(io.BytesIO(PDF), "weg.pdf")]
    location = submitter.post("/submissions/new", data=data).headers["Location"]
    with app.app_context():
        row = db.session.scalars(select(Attachment)).one()
        attachment_id, stored = row.id, row.stored_name
    assert "weg.pdf" in submitter.get(location + "/edit").get_data(as_text=True)
    response = post(submitter, f"{location}/attachments/{attachment_id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert count(Attachment) == 0
    assert not (app.config["UPLOAD_DIR"] / stored).exists()


def test_english_pages_show_british_formats(app, submitter):
    from tests.factories import make_submission

    with app.app_context():
        sub = make_submission(visibility="openbaar", impact_euro=125000)
        sub_id = sub.id
    dutch = submitter.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "€ 125.000" in dutch
    post(submitter, "/language", {"language": "en", "next": "/"})
    english = submitter.get(f"/submissions/{sub_id}").get_data(as_text=True)
    assert "€ 125,000" in english and '<html lang="en">' in english


def test_removing_an_attachment_after_submitting_is_on_the_timeline(app, submitter):
    data = form_data(submitter)
    data["attachments"] = [(io.BytesIO(PDF), "oud.pdf")]
    location = submitter.post("/submissions/new", data=data).headers["Location"]
    with app.app_context():
        attachment_id = db.session.scalars(select(Attachment.id)).one()
    post(submitter, f"{location}/attachments/{attachment_id}/delete")
    assert "verwijderde een bijlage" in submitter.get(location).get_data(as_text=True)
