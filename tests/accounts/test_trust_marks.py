"""Trust marks (audit finding 5): a new organisation cannot pass itself off
as a ministry — government kinds are the beheerder's to create, an unverified
organisation drafts but does not publish, and its name carries
"niet geverifieerd" wherever it is shown."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.models import Organisation
from tafel.submissions.models import Comment, Submission
from tests.accounts.test_registration import form_data as registration_data
from tests.conftest import login, post
from tests.factories import make_org, make_submission, make_user, org_type
from tests.submissions.helpers import form_data as report_data

EZK = "Ministerie van Economische Zaken en Klimaat"


@pytest.mark.parametrize(
    "kind", ["ministerie", "provincie", "gemeente", "waterschap", "uitvoeringsorganisatie"]
)
def test_government_kinds_cannot_be_self_registered(app, client, kind):
    with app.app_context():
        type_id = str(org_type(kind).id)
    page = client.get("/auth/register").get_data(as_text=True)
    offered = re.search(r'<select[^>]*id="org_type".*?</select>', page, re.S).group(0)
    assert f'value="{type_id}"' not in offered and 'value="' in offered  # not offered
    data = registration_data(client, org_name=EZK, org_type=type_id, kvk="")
    assert client.post("/auth/register", data=data).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_the_service_refuses_a_government_kind_too(app, ctx):
    from tafel.accounts import services
    from tafel.accounts.services.common import AccountError

    with pytest.raises(AccountError, match="beheerder"):
        services.register_organisation(
            org_name=EZK,
            org_type=org_type("ministerie"),
            kvk=None,
            province=None,
            user_name="Ina",
            email="ina@example.com",
            password="een-lang-en-uniek-wachtwoord",
        )


@pytest.fixture
def impostor(app):
    """An unverified business that calls itself the ministry, with a public report to
    comment on."""
    with app.app_context():
        org = make_org("mkb", verified=False, name=EZK)
        make_user(email="nep@example.com", org=org)
        make_user(email="sec@example.org", roles=("secretariaat",))
        target = make_submission(visibility="openbaar", status="aanvaard")
        return target.id, org.id


def test_an_unverified_organisation_cannot_comment_or_submit(app, client, impostor):
    target_id, _org_id = impostor
    login(client, "nep@example.com")
    page = client.get(f"/submissions/{target_id}").get_data(as_text=True)
    assert f'action="/submissions/{target_id}/comments"' not in page
    response = post(client, f"/submissions/{target_id}/comments", {"body": "Namens EZK: ja."})
    assert response.status_code == 403
    response = client.post("/submissions/new", data=report_data(client, action="submit"))
    assert response.status_code == 422
    assert "nog niet geverifieerd" in response.get_data(as_text=True)
    saved = client.post("/submissions/new", data=report_data(client, action="save"))
    assert saved.status_code == 302  # a draft is fine
    with app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 0
        statuses = db.session.scalars(
            select(Submission.status).where(Submission.id != target_id)
        ).all()
        assert statuses == ["concept"]


def test_an_unverified_name_is_marked_where_it_is_shown(app, client, impostor):
    _target_id, org_id = impostor
    with app.app_context():
        own = make_submission(
            org=db.session.get(Organisation, org_id), visibility="openbaar", status="aanvaard"
        )
        own_id = own.id
    page = client.get(f"/submissions/{own_id}").get_data(as_text=True)
    assert f'{EZK} <span class="badge badge--warn">niet geverifieerd</span>' in page
    listing = client.get("/submissions/").get_data(as_text=True)
    assert "niet geverifieerd" in listing
    with app.app_context():
        db.session.get(Organisation, org_id).verified = True
        db.session.commit()
    assert "niet geverifieerd" not in client.get(f"/submissions/{own_id}").get_data(as_text=True)
