"""The outbox delivers every message exactly once, backs off when sending
fails, gives up visibly, and never lets one bad message stop the others."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tafel import db
from tafel.core import mail
from tafel.core.models import MailMessage
from tafel.db import utcnow


class Clock:
    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(mail, "utcnow", clock)
    return clock


def queued(n: int, prefix: str = "lid") -> list[int]:
    messages = [mail.queue(f"{prefix}{i}@example.org", f"Bericht {i}", "Tekst") for i in range(n)]
    db.session.commit()
    return [m.id for m in messages]


REAL_WRITE = mail._write_eml


def fail_for(monkeypatch, *recipients: str) -> list[int]:
    """Writing the .eml fails for `recipients`; returns the ids written."""
    written: list[int] = []
    real = REAL_WRITE

    def write(config, message):
        if message.recipient in recipients:
            raise OSError("disk says no")
        path = real(config, message)
        written.append(message.id)
        return path

    monkeypatch.setattr(mail, "_write_eml", write)
    return written


def test_two_senders_at_once_send_each_message_once(app, app_ctx, monkeypatch):
    ids = queued(40)
    sent_by: dict[str, list[int]] = {"a": [], "b": []}
    real = mail._write_eml

    def slow_write(config, message):
        threading.Event().wait(0.005)  # keep both senders busy at the same time
        sent_by[threading.current_thread().name].append(message.id)
        return real(config, message)

    monkeypatch.setattr(mail, "_write_eml", slow_write)
    start = threading.Barrier(2)
    results: dict[str, tuple[int, int] | BaseException] = {}

    def sender():
        name = threading.current_thread().name
        try:
            with app.app_context():  # its own session and connection
                start.wait()
                results[name] = mail.send_pending()
        except BaseException as exc:  # noqa: BLE001 - reported below
            results[name] = exc

    threads = [threading.Thread(target=sender, name=name) for name in sent_by]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(isinstance(r, BaseException) for r in results.values()), results
    every_send = sent_by["a"] + sent_by["b"]
    assert sorted(every_send) == sorted(ids)  # each message once, none lost
    assert sent_by["a"] and sent_by["b"]  # really two senders at work
    assert sum(r[0] for r in results.values()) == 40
    db.session.expire_all()
    rows = db.session.scalars(select(MailMessage)).all()
    assert all(m.sent_at is not None and m.attempts == 1 for m in rows)


def test_failures_back_off_and_end_on_the_dead_list(app_ctx, clock, monkeypatch, caplog):
    fail_for(monkeypatch, "kapot@example.org")
    message = mail.queue("kapot@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    waits = []
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        assert mail.send_pending() == (0, 1), attempt
        db.session.refresh(message)
        assert message.attempts == attempt and "OSError: disk says no" in message.last_error
        if message.dead_at is not None:
            break
        wait = message.next_attempt_at - clock.now
        waits.append(wait)
        clock.advance(wait - timedelta(seconds=1))
        assert mail.send_pending() == (0, 0)  # not due yet
        clock.advance(timedelta(seconds=1))
    minutes = [w / timedelta(minutes=1) for w in waits]
    assert minutes == [1, 5, 30, 120, 360, 720, 1440, 2880]
    assert message.attempts == mail.MAX_ATTEMPTS and message.dead_at == clock.now
    clock.advance(timedelta(days=30))
    assert mail.send_pending() == (0, 0)  # dead: never tried again by itself
    assert db.session.scalars(mail.dead_messages()).all() == [message]
    assert "given up" in caplog.text and "kapot@example.org" not in caplog.text


def test_failing_messages_do_not_starve_later_ones(app_ctx, clock, monkeypatch):
    written = fail_for(monkeypatch, "kapot1@example.org", "kapot2@example.org")
    mail.queue("kapot1@example.org", "Eerste", "Tekst")
    mail.queue("kapot2@example.org", "Tweede", "Tekst")
    good = mail.queue("goed@example.org", "Derde", "Tekst")
    db.session.commit()
    assert mail.send_pending(limit=2) == (0, 2)
    clock.advance(timedelta(seconds=10))
    assert mail.send_pending(limit=2) == (1, 0)  # the failed two wait their turn
    assert written == [good.id]


def test_a_subject_with_a_line_break_no_longer_blocks_the_outbox(app_ctx, monkeypatch):
    written = fail_for(monkeypatch)
    cleaned = mail.queue("a@example.org", "Hallo\r\nBcc: b@example.org\x00", "Tekst")
    # A row written before subjects were cleaned (or by anything else).
    legacy = MailMessage(recipient="c@example.org", subject="Kapot\nonderwerp", body="Tekst")
    db.session.add(legacy)
    later = mail.queue("d@example.org", "Gewoon", "Tekst")
    db.session.commit()
    assert cleaned.subject == "Hallo Bcc: b@example.org"
    assert mail.send_pending() == (2, 1)
    assert written == [cleaned.id, later.id]
    db.session.refresh(legacy)
    assert legacy.sent_at is None and legacy.last_error.startswith("ValueError")
    eml = (Path(app_ctx.config["MAIL_DIR"]) / f"{cleaned.id:08d}.eml").read_text()
    headers = eml.split("\n\n")[0].splitlines()
    assert "Subject: Hallo Bcc: b@example.org" in headers
    assert not any(line.startswith("Bcc:") for line in headers)


def test_message_ids_are_unique_and_stored(app_ctx):
    first, second = (mail.queue("a@example.org", "X", "Y") for _ in range(2))
    db.session.commit()
    domain = app_ctx.config["MAIL_DOMAIN"]
    assert first.message_id != second.message_id
    assert first.message_id.endswith(f"@{domain}>")
    assert first.message_id != f"<tafel-{first.id}@{domain}>"  # not the row id
    mail.send_pending()
    eml = (Path(app_ctx.config["MAIL_DIR"]) / f"{first.id:08d}.eml").read_text()
    assert f"Message-ID: {first.message_id}" in eml


def test_smtp_uses_the_configured_timeout(app_ctx, monkeypatch):
    seen = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            seen.append(timeout)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def send_message(self, email):
            seen.append(email["Message-ID"])

    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app_ctx.config, "SMTP_HOST", "smtp.example.org")
    monkeypatch.setitem(app_ctx.config, "SMTP_TIMEOUT", 3.5)
    message = mail.queue("a@example.org", "X", "Y")
    db.session.commit()
    assert mail.send_pending() == (1, 0)
    assert seen == [3.5, message.message_id]


def test_a_requeued_message_is_sent_again(app_ctx, clock, monkeypatch):
    fail_for(monkeypatch, "kapot@example.org")
    message = mail.queue("kapot@example.org", "Onderwerp", "Tekst")
    db.session.commit()
    for _attempt in range(mail.MAX_ATTEMPTS):
        mail.send_pending()
        clock.advance(timedelta(days=3))
    db.session.refresh(message)
    assert message.dead_at is not None
    mail.requeue(message, None)
    db.session.commit()
    fail_for(monkeypatch)  # the cause is fixed
    assert mail.send_pending() == (1, 0)
    db.session.refresh(message)
    assert message.sent_at is not None and message.attempts == 1


def test_the_worker_can_stop_sending_between_messages(app_ctx):
    queued(5)
    answers = iter([True, True, False])
    assert mail.send_pending(keep_going=lambda: next(answers)) == (2, 0)
    assert mail.outbox_state()["pending"] == 3  # the rest waits for the next run
