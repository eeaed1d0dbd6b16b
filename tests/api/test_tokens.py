"""Personal API tokens: made on /account/tokens and shown once, stored hashed,
revoked and expired tokens refused; scopes; rate limits."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.accounts.tokens import ApiToken, create_token, revoke_token
from tafel.api.models import RateCounter
from tafel.core.models import AuditEntry
from tafel.db import utcnow
from tests.api.helpers import bearer, token_for
from tests.conftest import login, post
from tests.factories import make_user

TOKEN_RE = re.compile(r'<code id="new-token">(tafel_[A-Za-z0-9_-]+)</code>')


def test_a_token_made_on_the_account_page_is_shown_once_and_stored_hashed(app, client):
    with app.app_context():
        user_id = make_user(email="lid@example.org", roles=("indiener",)).id
    login(client, "lid@example.org")
    form = {"name": "Zaaksysteem", "scope": "read", "days": "30", "form_token": "t" * 24}
    page = post(client, "/account/tokens", form)
    assert page.status_code == 201
    secret = TOKEN_RE.search(page.get_data(as_text=True)).group(1)
    assert post(client, "/account/tokens", form).status_code == 302  # sent twice: one token
    with app.app_context():
        row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)).one()
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        hint = row.hint
        audit = select(func.count()).where(
            AuditEntry.action == "api_token.create", AuditEntry.object_id == row.id
        )
        assert db.session.scalar(audit) == 1
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and hint in again
    assert client.get("/api/v1/submissions", headers=bearer(secret)).status_code == 200


def test_revoking_on_the_account_page_ends_the_token(app, client):
    with app.app_context():
        secret = token_for(make_user(email="rev@example.org"))
        token_id = db.session.scalars(select(ApiToken.id)).one()
    login(client, "rev@example.org")
    for _ in range(2):  # twice is once
        assert post(client, f"/account/tokens/{token_id}/revoke").status_code == 302
    response = client.get("/api/v1/submissions", headers=bearer(secret))
    assert response.status_code == 401
    assert "revoked" in response.get_json()["detail"]


def test_someone_elses_token_cannot_be_revoked(app, client):
    with app.app_context():
        token_for(make_user())
        token_id = db.session.scalars(select(ApiToken.id)).one()
        make_user(email="other@example.org")
    login(client, "other@example.org")
    assert post(client, f"/account/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


@pytest.mark.parametrize("state", ["expired", "revoked", "inactive user"])
def test_unusable_tokens_are_401_problems(client, app_ctx, state):
    user = make_user()
    token, secret = create_token(user, "x", "read", 10)
    if state == "expired":
        token.expires_at = utcnow() - timedelta(seconds=1)
    elif state == "revoked":
        revoke_token(token, user)
    else:
        user.active = False
    db.session.commit()
    response = client.get("/api/v1/reference", headers=bearer(secret))
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


BAD = [(" ", "read", 5), ("x", "admin", 5), ("x", "read", 0), ("x", "read", 9999)]


@pytest.mark.parametrize(("name", "scope", "days"), BAD)
def test_bad_token_requests_are_refused(app_ctx, name, scope, days):
    from tafel.core.errors import ServiceError

    with pytest.raises(ServiceError):
        create_token(make_user(), name, scope, days)


def test_rate_limit_per_address_answers_429_with_retry_after(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_ADDRESS", 3)
    codes = [client.get("/api/v1/reference").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/reference")
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    with app.app_context():
        assert db.session.scalar(select(func.max(RateCounter.count))) == 5


def test_rate_limit_per_token_is_separate_from_the_address(app, client, app_ctx, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_TOKEN", 2)
    secret = token_for(make_user())
    codes = [client.get("/api/v1/reference", headers=bearer(secret)).status_code
             for _ in range(3)]  # fmt: skip
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/reference").status_code == 200  # anonymous, same address


def test_made_up_tokens_count_against_the_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_ADDRESS", 3)
    codes = [client.get("/api/v1/reference", headers=bearer(f"tafel_made_up_{n}")).status_code
             for n in range(5)]  # fmt: skip
    assert codes == [401, 401, 401, 429, 429]
    assert client.get("/api/v1/reference").status_code == 429  # the same address, no token
    with app.app_context():
        keys = db.session.scalars(select(RateCounter.key)).all()
        assert [k for k in keys if k.startswith("token:")] == []


def test_the_worker_forgets_past_minutes(app, client):
    from tafel.api.auth import count_call, purge_counters

    with app.test_request_context():
        count_call("addr:test", None, utcnow() - timedelta(minutes=5))
        count_call("addr:test", None)
        assert purge_counters(db.session) == 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(RateCounter)) == 1
