"""Mail outbox: services queue messages, `flask --app tafel send-mail` delivers them."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from tafel import db
from tafel.core.models import MailMessage
from tafel.db import utcnow

log = logging.getLogger(__name__)


def queue(
    recipient: str, subject: str, body: str, attachment: tuple[str, str, str] | None = None
) -> MailMessage:
    """Queue a message; `attachment` is (file name, media type, text)."""
    message = MailMessage(recipient=recipient, subject=subject, body=body)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_text = attachment
    db.session.add(message)
    return message


def send_pending(limit: int = 100, echo=None) -> tuple[int, int]:
    """Send queued messages over SMTP. Without TAFEL_SMTP_HOST each message is
    written as an .eml file to instance/mail/ (and shown through `echo`).

    Returns (sent, failed). Each message is committed on its own, so a failure
    halfway leaves the rest of the outbox intact.
    """
    config = current_app.config
    pending = db.session.scalars(
        select(MailMessage)
        .where(MailMessage.sent_at.is_(None), MailMessage.attempts < 5)
        .order_by(MailMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in pending:
        message.attempts += 1
        try:
            if config["SMTP_HOST"]:
                _smtp_send(config, message)
            else:
                path = _write_eml(config, message)
                if echo is not None:
                    echo(f"{path}\nTo: {message.recipient}\nSubject: {message.subject}\n")
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = str(exc)
            failed += 1
            # The error's class and SMTP code only: its text may name the recipient.
            log.warning(
                "mail %s not sent (attempt %d): %s %s",
                message.id,
                message.attempts,
                type(exc).__name__,
                getattr(exc, "smtp_code", ""),
            )
        db.session.commit()
    return sent, failed


def _email(config, message: MailMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = f"<tafel-{message.id}@{config['MAIL_DOMAIN']}>"
    email.set_content(message.body)
    if message.attachment_text is not None:
        maintype, _, subtype = (message.attachment_type or "text/plain").partition("/")
        email.add_attachment(
            message.attachment_text.encode(),
            maintype=maintype,
            subtype=subtype.split(";")[0] or "plain",
            filename=message.attachment_name,
        )
    return email


def _write_eml(config, message: MailMessage) -> Path:
    directory = Path(config["MAIL_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{message.id:08d}.eml"
    path.write_bytes(bytes(_email(config, message)))
    return path


def _smtp_send(config, message: MailMessage) -> None:
    email = _email(config, message)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(email)
