"""The one way a view acts (tafel/core/views.py) and the one way a download is
named (tafel/core/exports.py)."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden
from wtforms import StringField

from tafel import db
from tafel.core import signals
from tafel.core.errors import ServiceError
from tafel.core.exports import download
from tafel.core.models import MailMessage
from tafel.core.views import commit_or_refuse, ensure


class NoteForm(FlaskForm):
    class Meta:
        csrf = False

    note = StringField()


def queued() -> int:
    return db.session.scalar(select(func.count()).select_from(MailMessage))


def queue_one(slug: str) -> None:
    db.session.add(MailMessage(recipient=f"{slug}@example.org", subject=slug, body=slug))
    db.session.flush()


def test_ensure_refuses_with_403(ctx):
    ensure(True)
    with pytest.raises(Forbidden):
        ensure(False)


def test_success_commits_once(ctx):
    before = queued()
    with commit_or_refuse() as done:
        queue_one("x-success")
    assert done and done.error is None
    db.session.rollback()  # nothing left to roll back: it was committed
    assert queued() == before + 1


@pytest.mark.parametrize(
    ("field", "default", "where"),
    [("note", None, "note"), (None, "note", "note"), (None, None, "form")],
)
def test_a_refusal_rolls_back_and_lands_on_its_field(ctx, field, default, where):
    before = queued()
    form = NoteForm()
    with commit_or_refuse(form, field=default) as done:
        queue_one("x-refused")
        raise ServiceError("Niet zo.", field)
    assert not done and done.error.message == "Niet zo."
    assert queued() == before
    errors = form.note.errors if where == "note" else form.form_errors
    assert list(errors) == ["Niet zo."]


def test_a_refusal_without_form_is_flashed(ctx):
    with commit_or_refuse() as done:
        raise ServiceError("Even niet.")
    assert not done
    assert get_flashed_messages(with_categories=True) == [("error", "Even niet.")]


def test_other_errors_roll_back_and_propagate(ctx):
    before = queued()
    with pytest.raises(ZeroDivisionError), commit_or_refuse():
        queue_one("x-crash")
        _ = 1 / 0
    assert queued() == before


def test_a_download_names_its_file_and_keeps_one_charset(ctx):
    response = download(b"BEGIN:VCALENDAR", "text/calendar; charset=utf-8", "vergadering-1.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="vergadering-1.ics"'
    )


def test_the_receivers_of_every_signal_are_connected(app):
    for signal in (
        signals.organisation_renamed,
        signals.mail_preference_changed,
        signals.response_published,
    ):
        assert signal.receivers, signal.name
