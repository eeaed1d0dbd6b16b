"""Helpers for the tests of one-time form tokens: read a form's token from its
page, post the same form twice, count the claims."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tafel import db
from tafel.core.form_tokens import FormToken
from tests.conftest import post

TOKEN = re.compile(r'name="form_token"[^>]*value="([^"]+)"')
ALREADY = "Dit formulier was al verzonden; er is niets dubbel opgeslagen."


def form_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no form_token on the page"
    return match.group(1)


def token_of(client, url: str) -> str:
    return form_token(client.get(url).get_data(as_text=True))


def post_twice(client, url: str, data: dict):
    """The same form (one token) posted twice, as by a double click."""
    first = post(client, url, data)
    second = post(client, url, data)
    return first, second


def claims() -> int:
    return db.session.scalar(select(func.count(FormToken.id)))


def assert_second_shows_first(client, first, second) -> None:
    """Both answers lead to the same page; the second says it was sent already."""
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    assert second.status_code == 302, second.get_data(as_text=True)[:2000]
    assert second.headers["Location"] == first.headers["Location"]
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert ALREADY in page
