"""The platform's language for what is stored or mailed (used by every feature)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale


@contextmanager
def in_platform_language() -> Iterator[None]:
    """Compose stored messages and mail in the platform's language (Dutch),
    not in the language of whoever happens to trigger them."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield
