"""The worker's scheduled jobs (run before the mail by `flask --app tafel
worker` and `send-mail`, see cli.py): each commits on its own."""

from __future__ import annotations

import click

from tafel import db


def run_round_schedule() -> dict[str, int]:
    from tafel.voting.services import run_schedule

    schedule = run_schedule()
    db.session.commit()
    return schedule


def _send_response_reminders() -> None:
    from tafel.responses.reminders import send_response_reminders

    reminders = send_response_reminders()
    db.session.commit()
    if any(reminders.values()):
        click.echo(f"Response reminders: {reminders['reminded']}, overdue: {reminders['overdue']}")


def _send_digests() -> None:
    from tafel.notifications.services import send_digests

    digests = send_digests()
    db.session.commit()
    if digests:
        click.echo(f"Daily digests queued: {digests}")


def _worker_round_schedule() -> None:
    schedule = run_round_schedule()
    if any(schedule.values()):
        click.echo(
            f"Rounds opened: {schedule['opened']}, closed: {schedule['closed']}, "
            f"reminders: {schedule['reminded']}"
        )


def _api_upkeep() -> None:
    from tafel.api.upkeep import upkeep

    upkeep(echo=click.echo)
    db.session.commit()


def _purge_rate_events() -> None:
    from tafel.core.ratelimit import purge

    purge()  # uses older than every window
    db.session.commit()


# The worker's jobs before the mail, in the order of `send-mail` (each one
# committed on its own).
SCHEDULED_JOBS = (
    ("rounds", _worker_round_schedule),
    ("response reminders", _send_response_reminders),
    ("digests", _send_digests),
    ("api upkeep", _api_upkeep),
    ("rate limits", _purge_rate_events),
)
