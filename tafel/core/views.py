"""The one way a view acts: load (404), `ensure` (403), act inside
`commit_or_refuse`, which commits once or rolls back and shows the refusal.

    ensure(policies.can_publish(current_user, meeting))
    with commit_or_refuse(form) as done:
        services.publish(meeting, current_user)
    if done:
        flash(_("Gepubliceerd."), "success")
        return redirect(...)
    return render_page(..., form=form), 422
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, current_app, flash, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError

from tafel import db
from tafel.core.errors import ServiceError
from tafel.core.forms import add_error

BUSY_MESSAGE = _l("De database was even bezet; uw invoer staat er nog, probeer het opnieuw.")


def ensure(allowed: bool) -> None:
    """Something the user may see but not do: 403."""
    if not allowed:
        abort(403)


class Outcome:
    """What `commit_or_refuse` did: true when committed; `error` holds the refusal."""

    def __init__(self) -> None:
        self.done = False
        self.error: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.done


@contextmanager
def commit_or_refuse(form=None, field: str | None = None) -> Iterator[Outcome]:
    """Commit what the block did; on a ServiceError roll back, and put its
    message on the form's field (the error's own, else `field`, else the whole
    form) when a form is given, else in a flash message. Any other exception
    rolls back and propagates.

    A transient database error (busy, conflict, lost connection; see
    `db.is_transient`) is a refusal too: the form comes back with what the user
    typed and BUSY_MESSAGE, with the view's usual refusal status (422). Not 503:
    a proxy that puts its own page over 5xx answers would throw the filled-in
    form away, which is what this is for. On PostgreSQL a conflict is first
    re-raised so the request runs once more (`db.retry_conflicts_once`)."""
    outcome = Outcome()
    try:
        try:
            yield outcome
            db.session.commit()
        except DBAPIError as error:
            _rollback_quietly()
            if not db.is_transient(error) or (db.is_conflict(error) and db.retry_pending()):
                raise
            _log_busy(error)
            db.reads_only()
            raise ServiceError(str(BUSY_MESSAGE)) from error
    except ServiceError as error:
        db.session.rollback()
        outcome.error = error
        if form is not None:
            add_error(form, error.field or field, error.message)
        else:
            flash(error.message, "error")
        return
    except BaseException:
        _rollback_quietly()
        raise
    outcome.done = True


def _rollback_quietly() -> None:
    """Roll back; a connection that is gone cannot, and needs not."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()


def _log_busy(error: DBAPIError) -> None:
    current_app.logger.warning(
        "Database busy on %s [%s]; the form is shown again: %s",
        request.path,
        request.method,
        error.orig,
    )
