"""Markdown to safe HTML: markdown-it with raw HTML off, then nh3 sanitising."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable("image")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip


def render(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _md.render(text)
    # Headings of user text start below the page's own h1/h2.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 above


# Characters HTML does not allow in text (C0 controls but tab, LF, FF and CR;
# DEL and C1 controls): user text holding one (a U+000B pasted from Word) is
# printed without it.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def printable(value):
    """Jinja's `finalize`: every printed value without control characters."""
    if isinstance(value, str) and CONTROL.search(value):
        cleaned = CONTROL.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned  # noqa: S704 - was Markup
    return value
