"""The one shape of a refusal that services raise and views show."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal for the user: `message` is shown, next to the form field
    `field` when the form has one (see tafel.core.forms.add_error)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
