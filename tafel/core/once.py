"""Forms that create something, posted once: the hidden token and the view helper.

    class DecisionForm(OnceForm, FlaskForm): ...          # the hidden `form_token`
    {{ form.form_token }}                                 # in the template

    made = create_once(form, "decision", lambda: services.record_decision(...))
    if made.first:
        flash(_("Besluit %(number)s is vastgelegd.", number=made.obj.number), "success")
    if made:
        return redirect(url_for("decisions.detail", decision_id=made.object_id))
    return render_template(..., form=form), 422

The token is made when the form is built without one (a page showing the
form) and kept when the form comes back with its input after a refusal, so
the corrected form is still the same form. A post that repeats an earlier one
commits nothing new: `made` is true, `made.first` false, `made.object_id` names
what the first post made, and the user reads that the form had already been
sent. The claim itself is `tafel.core.form_tokens.claim`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import HiddenField

from tafel import db
from tafel.core import form_tokens
from tafel.core.errors import ServiceError
from tafel.core.views import commit_or_refuse

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _already_sent() -> str:
    return _("Dit formulier was al verzonden; er is niets dubbel opgeslagen.")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceForm:
    """Mixin (before FlaskForm) for a form that creates something."""

    form_token = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A form without a (well-formed) token gets a new one: a page showing
        # the form, or a post from a client that sent none (it then simply
        # creates, as before the tokens).
        if not TOKEN.fullmatch(self.form_token.data or ""):
            self.form_token.data = new_token()


class ForeignToken(ServiceError):
    """The form's token was used by someone else or on another form."""


class Made:
    """What `create_once` did. True when committed: first, or an earlier post
    of the same form (`first` false). `obj` is the new object (first only),
    `object_id` the object the form made; `error` the refusal, if any."""

    def __init__(self) -> None:
        self.done = False
        self.first = False
        self.obj: Any = None
        self.object_id: int | None = None
        self.error: ServiceError | None = None

    def __bool__(self) -> bool:
        return self.done


def create_once(form, kind: str, create: Callable[[], Any]) -> Made:
    """Claim the form's token, then `create()` (which returns the new object)
    and commit, in one transaction; refusals as with `commit_or_refuse`. A
    token used before skips `create` and tells the user so."""
    made = Made()
    with commit_or_refuse(form) as done:
        ticket = form_tokens.claim(db.session, form.form_token.data, current_user.id, kind)
        if ticket.earlier is not None:
            made.object_id = _earlier_result(ticket.earlier, kind)
        else:
            made.obj = create()
            ticket.record(db.session, made.obj)
            made.first, made.object_id = True, made.obj.id
    made.done, made.error = done.done, done.error
    if made.done and not made.first:
        flash(_already_sent(), "info")
    elif isinstance(made.error, ForeignToken):
        form.form_token.data = new_token()
    return made


def sent_before(form, kind: str) -> Made | None:
    """An earlier post of this very form by this user, looked up without
    writing: for a view whose checks the first post's change would now refuse
    (a response already offered for review, an action item just finished), so
    the second post is answered with the first result, not a refusal."""
    earlier = form_tokens.find(db.session, form.form_token.data)
    if earlier is None or earlier.user_id != current_user.id or earlier.kind != kind:
        return None
    made = Made()
    made.done, made.object_id = True, earlier.object_id
    flash(_already_sent(), "info")
    return made


def _earlier_result(earlier: form_tokens.FormToken, kind: str) -> int | None:
    """The object an earlier post of this form made; a token of another user
    or another form is refused (a new token comes with the form again)."""
    if earlier.user_id != current_user.id or earlier.kind != kind:
        raise ForeignToken(
            _("Dit formulier is verlopen. Controleer uw invoer en verstuur het opnieuw.")
        )
    return earlier.object_id
