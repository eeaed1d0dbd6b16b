"""Files and rows stay together: a file is in place only once its row is
committed and goes only after the commit that removed its row; a full or
read-only upload folder gives the form back with the input kept; and
`check-files` finds (and with --fix clears) what is left over either way."""

from __future__ import annotations

import errno
import hashlib
import io
import os

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.core import filetx
from tafel.core import uploads as files
from tafel.meetings.models import MeetingDocument
from tafel.submissions import intake
from tafel.submissions.models import Attachment, Submission
from tests.conftest import login, post
from tests.factories import make_attachment, make_submission, make_user
from tests.meetings.factories import make_meeting
from tests.submissions.helpers import PDF, form_data

STORAGE_MESSAGE = "Het bestand kon niet worden opgeslagen: de opslag is vol of niet beschrijfbaar."


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    """An upload folder of this test alone."""
    monkeypatch.setitem(app.config, "UPLOAD_DIR", tmp_path / "uploads")
    return tmp_path / "uploads"


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def read_only(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.os, "open", refuse)


def full(monkeypatch):
    """The disk fills up halfway through the copy."""

    def half_then_full(source, target):
        target.write(source.read(10))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.shutil, "copyfileobj", half_then_full)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def submitter(app, client):
    with app.app_context():
        make_user(email="ina@example.com", roles=("indiener",))
    login(client, "ina@example.com")
    return client


@pytest.mark.parametrize("trouble", [read_only, full])
def test_a_new_report_with_a_file_in_a_broken_folder_comes_back_with_its_input(
    app, submitter, folder, monkeypatch, trouble
):
    folder.mkdir()
    trouble(monkeypatch)
    data = form_data(submitter)
    data["attachments"] = [(io.BytesIO(PDF), "rapport.pdf")]
    response = submitter.post("/submissions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert STORAGE_MESSAGE in page and "uw invoer staat er nog" in page
    assert 'value="Omgevingsvergunning cleanroom duurt te lang"' in page  # the title is kept
    with app.app_context():
        assert count(Submission) == 0 and count(Attachment) == 0  # no row without a file
    assert names(folder) == []  # no file without a row, not even half a one


def test_an_edit_with_a_file_in_a_full_folder_changes_nothing(app, submitter, folder, monkeypatch):
    data = form_data(submitter, action="save")
    location = submitter.post("/submissions/new", data=data).headers["Location"]
    full(monkeypatch)
    data = form_data(submitter, action="save", title="Een nieuwe titel die niet blijft")
    data["attachments"] = [(io.BytesIO(PDF), "rapport.pdf")]
    response = submitter.post(f"{location}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and STORAGE_MESSAGE in response.get_data(as_text=True)
    assert "Een nieuwe titel die niet blijft" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalars(select(Submission.title)).one() != "Een nieuwe titel die niet blijft"
        )
        assert count(Attachment) == 0
    assert names(folder) == []


def test_a_meeting_document_in_a_read_only_folder_is_refused_at_the_file_field(
    app, client, folder, monkeypatch
):
    with app.app_context():
        secretariat = make_user(roles=("secretariaat",))
        meeting_id = make_meeting(secretariat).id
    login(client, secretariat.email)
    read_only(monkeypatch)
    response = post(
        client,
        f"/meetings/{meeting_id}/documents",
        {"file": (io.BytesIO(PDF), "notitie.pdf"), "visibility": "tafel", "item": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and STORAGE_MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert count(MeetingDocument) == 0
    assert names(folder) == []


def validated():
    from werkzeug.datastructures import FileStorage

    return files.validate_upload(FileStorage(io.BytesIO(PDF), "a.pdf"), 0)


def test_the_file_appears_with_the_commit_and_a_rollback_leaves_none(app, folder):
    with app.app_context():
        sub = make_submission()
        user = sub.author
        row = intake.add_attachment(sub, user, validated())
        stored = row.stored_name
        assert not (folder / stored).exists()  # not before the commit
        assert names(folder) == [filetx.temp_path(folder / stored).name]
        db.session.rollback()
        assert names(folder) == []

        row = intake.add_attachment(sub, user, validated())
        db.session.commit()
        assert (folder / row.stored_name).read_bytes() == PDF
        assert names(folder) == [row.stored_name]


def test_a_removal_waits_for_its_commit(app, folder):
    with app.app_context():
        sub = make_submission()
        row = make_attachment(sub)
        path = folder / row.stored_name
        intake.remove_attachment(sub, sub.author, row)
        db.session.flush()
        assert path.exists()
        db.session.rollback()  # the removal failed: row and file stay
        assert path.exists() and count(Attachment) == 1
        row = db.session.scalars(select(Attachment)).one()
        intake.remove_attachment(sub, sub.author, row)
        db.session.commit()
        assert not path.exists() and count(Attachment) == 0


def test_check_files_lists_orphans_both_ways_and_fix_removes_orphan_files(app, folder):
    with app.app_context():
        sub = make_submission()
        kept = make_attachment(sub).stored_name
        lost = make_attachment(sub).stored_name
        unfinished = make_attachment(sub, content=b"%PDF-1.4\nhalf\n%%EOF\n").stored_name
    (folder / lost).unlink()  # a row without a file
    orphan = "f" * 32 + ".pdf"
    (folder / orphan).write_bytes(PDF)  # a file without a row
    os.replace(folder / unfinished, filetx.temp_path(folder / unfinished))  # crash before the move
    stale = filetx.temp_path(folder / ("e" * 32 + ".pdf"))
    stale.write_bytes(PDF)
    os.utime(stale, (1, 1))  # a request that never committed, long ago
    runner = app.test_cli_runner()

    result = runner.invoke(args=["check-files"])
    assert result.exit_code == 1
    assert f"file without a row: {orphan}" in result.output
    assert "row without a file: attachments" in result.output and lost in result.output
    assert unfinished in result.output and stale.name in result.output
    assert sorted(names(folder)) == sorted(
        [kept, orphan, stale.name, filetx.temp_path(folder / unfinished).name]
    )

    fixed = runner.invoke(args=["check-files", "--fix"])
    assert fixed.exit_code == 1  # the row without a file is reported, never deleted
    assert names(folder) == sorted([kept, unfinished])
    assert hashlib.sha256((folder / unfinished).read_bytes()).hexdigest()
    with app.app_context():
        assert count(Attachment) == 3
    again = runner.invoke(args=["check-files"])
    assert "row without a file" in again.output and "file without a row" not in again.output


def test_check_files_is_quiet_when_all_agree(app, folder):
    with app.app_context():
        make_attachment(make_submission())
    result = app.test_cli_runner().invoke(args=["check-files"])
    assert result.exit_code == 0 and "Files and rows agree." in result.output


def test_a_savepoint_inside_the_transaction_does_not_place_the_file(app, folder):
    with app.app_context():
        sub = make_submission()
        row = intake.add_attachment(sub, sub.author, validated())
        with db.session.begin_nested():
            db.session.flush()
        assert not (folder / row.stored_name).exists()
        db.session.rollback()
        assert names(folder) == []
