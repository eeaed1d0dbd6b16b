"""Audit finding 12: a plain form field sent under a file field's name is
refused with the form again (422), never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from tafel import db
from tafel.submissions.models import Submission
from tests.conftest import login
from tests.factories import make_user
from tests.submissions.helpers import form_data


def test_a_text_field_named_attachments_is_refused(app, client):
    with app.app_context():
        make_user(email="ina@example.com")
    login(client, "ina@example.com")
    data = form_data(client)
    data["attachments"] = "geen-bestand"
    response = client.post("/submissions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Kies een bestand om te uploaden." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Submission.id))) == 0
