"""Webhooks: registered by the beheerder with an SSRF guard, queued from the
audit log, signed, retried with backoff, posted to a local receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from tafel import db
from tafel.api import webhooks
from tafel.api.models import WebhookDelivery
from tafel.core.timefmt import local_today
from tafel.db import utcnow
from tafel.submissions import workflow
from tests.conftest import login, post
from tests.factories import make_submission, make_user
from tests.responses.factories import ministry


class Receiver:
    """A receiver on 127.0.0.1 that answers `status` (after `delay` seconds),
    with a `Location` header when given one."""

    def __init__(self, status: int = 200, delay: float = 0, location: str | None = None):
        self.calls: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.calls.append((dict(self.headers), body))
                time.sleep(delay)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST  # noqa: N815 - a followed redirect may arrive as a GET

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", ["127.0.0.1"])
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", 0.5)


def accept(sub, secretariat):
    sub.status = "in_behandeling"
    workflow.accept_submission(sub, secretariat, market=None, action_lines=[],
                               ministry=ministry("EZK"),
                               deadline=local_today() + timedelta(days=30))  # fmt: skip
    db.session.commit()


def test_an_accepted_public_report_is_delivered_signed(app, local):
    receiver = Receiver()
    try:
        with app.test_request_context():
            admin = make_user(roles=("beheerder",))
            secretariat = make_user(roles=("secretariaat",))
            hook, secret = webhooks.register(receiver.url, ["report.accepted"], admin)
            db.session.commit()
            public = make_submission(visibility="openbaar")
            hidden = make_submission(visibility="vertrouwelijk")
            accept(public, secretariat)
            accept(hidden, secretariat)
            public_id = public.id
            assert webhooks.run() == {"queued": 1, "attempted": 1}
            webhooks.run()  # twice is once
            db.session.commit()
            delivery = db.session.scalars(select(WebhookDelivery)).one()
            assert delivery.status == "delivered" and delivery.last_status == 200
        assert len(receiver.calls) == 1
        headers, body = receiver.calls[0]
        assert json.loads(body)["object_id"] == public_id
        signed = f"{headers['X-Tafel-Timestamp']}.{body.decode()}".encode()
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        assert headers["X-Tafel-Signature"] == f"sha256={expected}"
    finally:
        receiver.close()


@pytest.mark.parametrize("answer", [{"status": 500}, {"delay": 2}])
def test_a_failing_or_slow_receiver_is_retried_with_backoff(app, local, answer):
    receiver = Receiver(**answer)
    try:
        with app.test_request_context():
            admin = make_user(roles=("beheerder",))
            webhooks.register(receiver.url, ["report.accepted"], admin)
            db.session.commit()
            accept(make_submission(visibility="openbaar"), make_user(roles=("secretariaat",)))
            started = time.monotonic()
            webhooks.run()
            assert time.monotonic() - started < 1.9  # the timeout, not the receiver, decides
            db.session.commit()
            delivery = db.session.scalars(select(WebhookDelivery)).one()
            assert (delivery.status, delivery.attempts) == ("pending", 1)
            assert delivery.next_attempt_at > utcnow()
            later = utcnow() + timedelta(hours=12)
            for _ in range(webhooks.MAX_ATTEMPTS - 1):
                webhooks.run(now=later)
                later += timedelta(hours=12)
            assert delivery.status == "failed"
    finally:
        receiver.close()


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_but_a_failed_attempt(app, local, code):
    inside = Receiver()  # stands for an internal address the hook was never checked for
    receiver = Receiver(status=code, location=inside.url)
    try:
        with app.test_request_context():
            admin = make_user(roles=("beheerder",))
            webhooks.register(receiver.url, ["report.accepted"], admin)
            db.session.commit()
            accept(make_submission(visibility="openbaar"), make_user(roles=("secretariaat",)))
            webhooks.run()
            db.session.commit()
            delivery = db.session.scalars(select(WebhookDelivery)).one()
            assert (delivery.status, delivery.last_status) == ("pending", code)
            assert "redirect" in delivery.last_error
            assert delivery.next_attempt_at > utcnow()
        assert len(receiver.calls) == 1
        assert inside.calls == []
    finally:
        receiver.close()
        inside.close()


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "http://10.0.0.1/x",
                                 "http://127.0.0.1:9/x", "http://[::1]/x", "http://169.254.169.254/",
                                 "http://localhost/x", "javascript:alert(1)"])  # fmt: skip
def test_urls_inside_or_not_http_are_refused(app, url):
    with app.test_request_context():
        with pytest.raises(webhooks.WebhookError):
            webhooks.register(url, ["report.accepted"], make_user(roles=("beheerder",)))


def test_only_the_beheerder_registers_and_the_secret_is_shown_once(app, client, local):
    with app.app_context():
        make_user(email="beheer@example.org", roles=("beheerder",))
        make_user(email="lid@example.org", roles=("indiener",))
    other = app.test_client()
    login(other, "lid@example.org")
    refused = other.get("/api/webhooks")
    assert refused.status_code == 403 and "<main" in refused.get_data(as_text=True)
    login(client, "beheer@example.org")
    form = {"url": "http://127.0.0.1:9/hook", "events": ["decision.recorded"],
            "form_token": "w" * 24}  # fmt: skip
    page = post(client, "/api/webhooks", form)
    assert page.status_code == 201
    assert 'id="webhook-secret"' in page.get_data(as_text=True)
    assert post(client, "/api/webhooks", form).status_code == 302  # sent twice: one receiver
    listing = client.get("/api/webhooks").get_data(as_text=True)
    assert 'id="webhook-secret"' not in listing and "127.0.0.1:9/hook" in listing
    with app.app_context():
        from tafel.api.models import Webhook

        assert db.session.scalar(select(func.count(Webhook.id))) == 1


def test_switching_a_webhook_off_needs_the_session_csrf_token(app, client, local):
    with app.test_request_context():
        admin = make_user(email="beheer@example.org", roles=("beheerder",))
        hook, _secret = webhooks.register("http://127.0.0.1:9/hook", ["report.accepted"], admin)
        db.session.commit()
        hook_id = hook.id
    login(client, "beheer@example.org")
    url = f"/api/webhooks/{hook_id}/off"
    forged = client.post(url, data={})  # what a cross-site form would send
    assert forged.status_code == 400
    with app.app_context():
        from tafel.api.models import Webhook

        assert db.session.get_one(Webhook, hook_id).active is True
    done = post(client, url)
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get_one(Webhook, hook_id).active is False
