"""Mail outbox: services queue messages, the worker (or `flask --app tafel
send-mail`) delivers them.

Delivery is exactly-once between concurrent senders: a sender first claims a
message (PostgreSQL `FOR UPDATE SKIP LOCKED`, then on both databases a
compare-and-set on `claimed_until`), sends it outside any transaction, then
marks it sent. A failure of one message — a refused SMTP connection, or
headers that cannot be built — only moves that message's next attempt back
(BACKOFF); after MAX_ATTEMPTS it is dead, logged, and listed at /admin/mail.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import CursorResult, func, or_, select, update

from tafel import db
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.core.models import MailMessage
from tafel.db import utcnow

log = logging.getLogger(__name__)

# Wait after the 1st, 2nd, … failed attempt; the attempt after the last wait is the last.
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 30, 2 * 60, 6 * 60, 12 * 60, 24 * 60, 48 * 60))
MAX_ATTEMPTS = len(BACKOFF) + 1
# How long a claimed message is kept from other senders: well over one SMTP
# exchange; a sender that died while sending frees it after this.
CLAIM = timedelta(minutes=10)
SUBJECT_LENGTH = 200
SENT_SECRET = "[verwijderd na verzending: dit bericht bevatte een eenmalige link]"  # noqa: S105
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def clean_subject(subject: str) -> str:
    """A subject that fits in one header line: CR, LF and other control
    characters become a space; at most SUBJECT_LENGTH characters."""
    return _CONTROL.sub(" ", subject or "").strip()[:SUBJECT_LENGTH]


def queue(
    recipient: str,
    subject: str,
    body: str,
    attachment: tuple[str, str, str] | None = None,
    *,
    secret: bool = False,
    unsubscribe_url: str | None = None,
) -> MailMessage:
    """Queue a message; `attachment` is (file name, media type with its
    parameters, text). `secret`: the body holds a one-time secret and is
    blanked once sent. `unsubscribe_url` (the mail preferences) for messages
    the recipient may choose not to get."""
    message = MailMessage(
        recipient=recipient,
        subject=clean_subject(subject),
        body=body,
        secret=secret,
        next_attempt_at=utcnow(),
        message_id=new_message_id(),
        unsubscribe_url=unsubscribe_url,
    )
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_text = attachment
    db.session.add(message)
    return message


def new_message_id() -> str:
    """A globally unique Message-ID in the configured mail domain."""
    return make_msgid(idstring="tafel", domain=current_app.config["MAIL_DOMAIN"])


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1-based)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def send_pending(limit: int = 100, echo=None, keep_going=None) -> tuple[int, int]:
    """Send the messages that are due over SMTP. Without TAFEL_SMTP_HOST each
    message is written as an .eml file to instance/mail/ (and shown through `echo`).

    Returns (sent, failed). Each message is claimed and settled in its own
    commit, so a failure halfway leaves the rest of the outbox intact, and a
    message another sender has claimed is left to that sender. `keep_going()`,
    when given, is asked before each message (the worker stops when told to).
    """
    config = current_app.config
    sent = failed = 0
    for _attempt in range(limit):
        if keep_going is not None and not keep_going():
            break
        message = claim_next()
        if message is None:
            break
        if _deliver(config, message, echo):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed


def _due(now: datetime):
    return (
        MailMessage.sent_at.is_(None),
        MailMessage.dead_at.is_(None),
        or_(MailMessage.next_attempt_at.is_(None), MailMessage.next_attempt_at <= now),
        or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now),
    )


def claim_next() -> MailMessage | None:
    """Claim the message that has been due longest, or None when none is.
    The claim is committed before anything is sent."""
    now = utcnow()
    order = (func.coalesce(MailMessage.next_attempt_at, MailMessage.created_at), MailMessage.id)
    candidates = select(MailMessage.id).where(*_due(now)).order_by(*order)
    if db.session.get_bind().dialect.name == "postgresql":
        # Concurrent senders skip each other's rows instead of waiting on them.
        ids = db.session.scalars(candidates.limit(1).with_for_update(skip_locked=True)).all()
    else:
        ids = db.session.scalars(candidates.limit(20)).all()
        # End the read: each claim below starts its transaction with its write,
        # so SQLite waits for the lock (busy timeout) instead of failing.
        db.session.rollback()
    for message_id in ids:
        claimed: CursorResult = db.session.execute(  # type: ignore[assignment]
            update(MailMessage)
            .where(MailMessage.id == message_id, *_due(now))
            .values(claimed_until=now + CLAIM, attempts=MailMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        message = None
        if claimed.rowcount == 1:
            message = db.session.get(MailMessage, message_id, populate_existing=True)
        # Committed before sending, and no read left open: settling the message
        # afterwards starts a fresh transaction with its write.
        db.session.commit()
        if message is not None:
            return message
    return None


def _deliver(config, message: MailMessage, echo) -> bool:
    """Send one claimed message and record the outcome on it (the caller commits)."""
    if not message.message_id:
        message.message_id = new_message_id()  # queued before Message-IDs were stored
    try:
        if config["SMTP_HOST"]:
            _smtp_send(config, message)
        else:
            path = _write_eml(config, message)
            if echo is not None:
                echo(f"{path}\nTo: {message.recipient}\nSubject: {message.subject}\n")
    except Exception as exc:  # noqa: BLE001 - any error is this message's failure only
        _failed(message, exc)
        return False
    message.sent_at = utcnow()
    message.claimed_until = None
    message.last_error = None
    if message.secret:
        # A reset link does not stay readable in the database once delivered.
        message.body = SENT_SECRET
    return True


def _failed(message: MailMessage, exc: Exception) -> None:
    now = utcnow()
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.claimed_until = None
    dead = message.attempts >= MAX_ATTEMPTS
    if dead:
        message.dead_at = now
    else:
        message.next_attempt_at = now + backoff(message.attempts)
    # The error's class and SMTP code only: its text may name the recipient.
    log.log(
        logging.ERROR if dead else logging.WARNING,
        "mail %s not sent (attempt %d): %s %s; %s",
        message.id,
        message.attempts,
        type(exc).__name__,
        getattr(exc, "smtp_code", ""),
        f"given up after {MAX_ATTEMPTS} attempts, listed at /admin/mail"
        if dead
        else f"next attempt after {message.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC",
    )


def requeue(message: MailMessage, actor, ip: str | None = None) -> None:
    """Give a dead message a fresh set of attempts, due now (the caller commits)."""
    if message.sent_at is not None or message.dead_at is None:
        raise ServiceError(_("Dit bericht wacht niet (meer) op een nieuwe poging."))
    audit.record(
        "mail.requeue",
        message,
        actor,
        before={"attempts": message.attempts, "last_error": message.last_error},
        ip=ip,
    )
    message.dead_at = None
    message.attempts = 0
    message.claimed_until = None
    message.next_attempt_at = utcnow()


def dead_messages():
    """The query of the messages that ran out of attempts, newest first."""
    return (
        select(MailMessage)
        .where(MailMessage.sent_at.is_(None), MailMessage.dead_at.is_not(None))
        .order_by(MailMessage.dead_at.desc(), MailMessage.id.desc())
    )


def outbox_state(session=None) -> dict:
    """Pending and dead counts and the creation time of the oldest pending message."""
    session = session or db.session
    pending = (MailMessage.sent_at.is_(None), MailMessage.dead_at.is_(None))
    count, oldest = session.execute(
        select(func.count(MailMessage.id), func.min(MailMessage.created_at)).where(*pending)
    ).one()
    dead = session.scalar(
        select(func.count(MailMessage.id)).where(
            MailMessage.sent_at.is_(None), MailMessage.dead_at.is_not(None)
        )
    )
    return {"pending": count, "oldest_pending": oldest, "dead": dead}


def _email(config, message: MailMessage) -> EmailMessage:
    """A multipart message: the text, the same text as accessible HTML, and
    the attachment. A calendar attachment is also the message's calendar
    alternative, with its `method` parameter, so a mail client shows it as an
    invitation (accept / decline) rather than a file."""
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email["Auto-Submitted"] = "auto-generated"
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    email.set_content(message.body)
    email.add_alternative(html_body(message.subject, message.body), subtype="html")
    if message.attachment_text is not None:
        maintype, subtype, params = _media_type(message.attachment_type)
        if (maintype, subtype) == ("text", "calendar"):
            email.add_alternative(message.attachment_text, subtype="calendar", params=params)
            maintype, subtype = "application", "ics"
        email.add_attachment(
            message.attachment_text.encode(),
            maintype=maintype,
            subtype=subtype,
            filename=message.attachment_name,
        )
    return email


def _media_type(value: str | None) -> tuple[str, str, dict[str, str]]:
    """'text/calendar; method=REQUEST' → ('text', 'calendar', {'method': 'REQUEST'})."""
    kind, *parts = [part.strip() for part in (value or "text/plain").split(";")]
    maintype, _sep, subtype = kind.partition("/")
    params = {}
    for part in parts:
        key, _eq, val = part.partition("=")
        if key.strip().lower() != "charset" and val:
            params[key.strip().lower()] = val.strip().strip('"')
    return maintype or "text", subtype or "plain", params


_URL = re.compile(r"https?://[^\s<>\"]+")


def html_body(subject: str, body: str) -> str:
    """The text as a small accessible HTML document: language, title,
    paragraphs, real links; nothing that a screen reader would stumble on."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [_linked(line) for line in block.splitlines()]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    lang = current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(subject)}</title>\n</head>\n<body>\n"
        + "\n".join(paragraphs)
        + "\n</body>\n</html>\n"
    )


def _linked(line: str) -> str:
    out, last = [], 0
    for match in _URL.finditer(line):
        url = match.group(0)
        out += [
            str(escape(line[last : match.start()])),
            f'<a href="{escape(url)}">{escape(url)}</a>',
        ]
        last = match.end()
    out.append(str(escape(line[last:])))
    return "".join(out)


def _write_eml(config, message: MailMessage) -> Path:
    directory = Path(config["MAIL_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{message.id:08d}.eml"
    path.write_bytes(bytes(_email(config, message)))
    return path


def _smtp_send(config, message: MailMessage) -> None:
    email = _email(config, message)
    timeout = float(config.get("SMTP_TIMEOUT", 10))
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(email)
