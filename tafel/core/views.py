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

from flask import abort, flash

from tafel import db
from tafel.core.errors import ServiceError
from tafel.core.forms import add_error


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
    rolls back and propagates."""
    outcome = Outcome()
    try:
        yield outcome
    except ServiceError as error:
        db.session.rollback()
        outcome.error = error
        if form is not None:
            add_error(form, error.field or field, error.message)
        else:
            flash(error.message, "error")
        return
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    outcome.done = True
