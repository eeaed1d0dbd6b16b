"""Webhooks: the beheerder registers a receiver (URL, secret, event kinds);
the worker reads new entries of the audit log, queues one delivery per
receiver and event, and posts them, signed, retrying with backoff.

Events are read from the audit log, which every service already writes, so
no feature has to know about webhooks. Only events about objects an
anonymous visitor may see are sent; the payload names the event and the
object (the receiver reads the rest through the API with its own token).

Signature: `X-Tafel-Signature: sha256=<hex>` is HMAC-SHA256 with the
receiver's secret over `<X-Tafel-Timestamp>.<body>`, so a receiver can
refuse old or replayed deliveries.

SSRF: only http(s) URLs whose host resolves to public addresses are
registered and posted to; a private, loopback or link-local address only
when its host is listed in WEBHOOK_ALLOWED_HOSTS. Redirects are never
followed (a 3xx is a failed attempt), so a receiver cannot send the worker
to an address that was not checked. Each post has a short
timeout (WEBHOOK_TIMEOUT); a request never waits for a receiver: only the
worker posts.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from tafel import db
from tafel.actions.models import ActionItem
from tafel.actions.policies import can_view_action
from tafel.api.models import Webhook, WebhookDelivery
from tafel.core.audit import record
from tafel.core.errors import ServiceError
from tafel.core.models import AuditEntry
from tafel.db import utcnow
from tafel.decisions.models import Decision
from tafel.decisions.policies import can_view_decision
from tafel.responses.models import Response
from tafel.responses.policies import can_view_response
from tafel.submissions.models import Submission
from tafel.submissions.policies import can_view

# event kind → (audit action, model, public check, path)
EVENTS: dict[str, tuple[str, Any, Any, str]] = {
    "report.accepted": ("submission.accept", Submission, can_view, "/api/v1/submissions/{}"),
    "decision.recorded": ("decision.record", Decision, can_view_decision, "/api/v1/decisions/{}"),
    "response.published": ("response.publish", Response, can_view_response, "/api/v1/responses/{}"),
    "action.updated": ("action.update", ActionItem, can_view_action, "/api/v1/actions/{}"),
}
MAX_ATTEMPTS = 8
BATCH = 10


class WebhookError(ServiceError):
    pass


def check_url(url: str) -> None:
    """Refuse what is not http(s) or points inside (SSRF), unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(_("Alleen een http(s)-adres met een host."), field="url")
    allowed = set(current_app.config.get("WEBHOOK_ALLOWED_HOSTS", ()))
    if parts.hostname in allowed:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise WebhookError(_("Deze host is niet te vinden."), field="url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise WebhookError(_("Dit adres wijst naar een privé- of lokaal netwerk."), field="url")


def register(url: str, events: list[str], actor) -> tuple[Webhook, str]:
    """A new receiver; returns it and its secret (shown once)."""
    url = url.strip()
    check_url(url)
    chosen = [e for e in events if e in EVENTS]
    if not chosen:
        raise WebhookError(_("Kies minstens één gebeurtenis."), field="events")
    start = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    secret = secrets.token_urlsafe(32)
    hook = Webhook(url=url, secret=secret, events=",".join(chosen), last_audit_id=start,
                   created_by_id=actor.id)  # fmt: skip
    db.session.add(hook)
    db.session.flush()
    record("webhook.create", hook, actor, after={"url": url, "events": chosen})
    return hook, secret


def _payload(kind: str, entry: AuditEntry, path: str) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    body = {"event": kind, "object_id": entry.object_id, "url": base + path.format(entry.object_id),
            "occurred_at": entry.created_at.isoformat().replace("+00:00", "Z")}  # fmt: skip
    return json.dumps(body, separators=(",", ":"))


def enqueue(hook: Webhook, now: datetime, limit: int = 500) -> int:
    """Queue the new events of `hook` (twice is once: one per audit entry)."""
    actions = {EVENTS[e][0]: e for e in hook.event_list}
    entries = list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.id > hook.last_audit_id,
                                 AuditEntry.action.in_(list(actions)))
        .order_by(AuditEntry.id).limit(limit)))  # fmt: skip
    visitor, queued = AnonymousUserMixin(), 0
    for entry in entries:
        kind = actions[entry.action]
        _action, model, visible, path = EVENTS[kind]
        obj = db.session.get(model, entry.object_id)
        if obj is not None and visible(visitor, obj):
            db.session.add(WebhookDelivery(webhook_id=hook.id, audit_id=entry.id, event=kind,
                                           payload=_payload(kind, entry, path),
                                           next_attempt_at=now))  # fmt: skip
            queued += 1
    if entries:
        hook.last_audit_id = entries[-1].id
    return queued


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: the checked URL is the only one posted to (a
    receiver could otherwise send the worker to an internal address). The 3xx
    is then raised as an HTTPError, a failed attempt."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def sign(secret: str, timestamp: str, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _post(hook: Webhook, delivery: WebhookDelivery, now: datetime) -> int:
    check_url(hook.url)  # again: the name may point elsewhere by now
    stamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json",
        "X-Tafel-Event": delivery.event,
        "X-Tafel-Delivery": str(delivery.id),
        "X-Tafel-Timestamp": stamp,
        "X-Tafel-Signature": sign(hook.secret, stamp, delivery.payload),
    }
    data = delivery.payload.encode()
    request = urllib.request.Request(hook.url, data=data, method="POST", headers=headers)  # noqa: S310 - URL checked above
    timeout = current_app.config.get("WEBHOOK_TIMEOUT", 5)
    with _OPENER.open(request, timeout=timeout) as answer:
        return answer.status


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def attempt(delivery: WebhookDelivery, now: datetime | None = None) -> None:
    now = now or utcnow()
    hook = db.session.get_one(Webhook, delivery.webhook_id)
    delivery.attempts += 1
    try:
        status = _post(hook, delivery, now)
        delivery.last_status, delivery.last_error = status, ""
    except urllib.error.HTTPError as error:
        reason = str(error.reason)
        if 300 <= error.code < 400:
            reason = f"redirect refused: {reason}"
        delivery.last_status, delivery.last_error = error.code, reason[:300]
    except (OSError, ServiceError, ValueError) as error:
        delivery.last_status, delivery.last_error = None, str(error)[:300] or type(error).__name__
    if delivery.last_status is not None and 200 <= delivery.last_status < 300:
        delivery.status, delivery.delivered_at = "delivered", now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)


def run(now: datetime | None = None, keep_going=lambda: True) -> dict[str, int]:
    """The worker's webhook step: queue new events, then post what is due."""
    now = now or utcnow()
    hooks = list(db.session.scalars(select(Webhook).where(Webhook.active.is_(True))))
    queued = sum(enqueue(hook, now) for hook in hooks)
    due = list(db.session.scalars(
        select(WebhookDelivery).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now,
               Webhook.active.is_(True))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(BATCH)))  # fmt: skip
    for delivery in due:
        if not keep_going():
            break
        attempt(delivery, now)
    db.session.flush()
    return {"queued": queued, "attempted": len(due)}


def last_deliveries(limit: int = 50) -> list[WebhookDelivery]:
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    return list(db.session.scalars(query))
