"""The public Atom feed of decisions and published responses (/decisions/feed.atom).

It reads both decisions and responses, so it lives here, in the higher of the
two, and keeps its place on the decisions blueprint (`decisions.feed`, declared
in `decisions.blueprint`). The feed is public: whoever asks, it lists only
decisions and published responses whose submissions anyone may read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Response as HttpResponse
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.decisions import policies as decision_policies
from tafel.decisions.blueprint import decisions
from tafel.decisions.models import OUTCOME_LABELS, Decision
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
TAG_DATE = "2026"  # the year the tag: URIs of this platform were minted
# Characters XML 1.0 does not allow; a stray one would make the feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The Atom feed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    tag: str
    title: str
    updated: datetime
    link: str
    summary: str
    author: str | None = None


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def public_decisions() -> list[Decision]:
    public = AnonymousUserMixin()
    query = (
        select(Decision)
        .where(decision_policies.visible_clause(public), Decision.public.is_(True))
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(FEED_SIZE)
    )
    return list(db.session.scalars(query))


def public_responses() -> list[Response]:
    public = AnonymousUserMixin()
    query = (
        select(Response)
        .join(Submission, Submission.id == Response.submission_id)
        .where(
            Response.status == "gepubliceerd",
            Response.published_at.is_not(None),
            submission_policies.visible_clause(public),
        )
        .options(selectinload(Response.submission), selectinload(Response.ministry))
        .order_by(Response.published_at.desc(), Response.id.desc())
        .limit(FEED_SIZE)
    )
    return list(db.session.scalars(query))


def _outcome(outcome: str | None) -> str:
    return str(OUTCOME_LABELS[outcome]) if outcome in OUTCOME_LABELS else ""


def feed_entries(base: str) -> list[Entry]:
    entries = [
        Entry(
            tag=f"decision/{d.id}",
            title=_(
                "Besluit %(number)s: %(outcome)s", number=d.number, outcome=_outcome(d.outcome)
            ),
            updated=d.created_at,
            link=f"{base}/decisions/{d.id}",
            summary="\n\n".join(part for part in (d.text, d.explanation) if part),
        )
        for d in public_decisions()
    ]
    entries += [
        Entry(
            tag=f"response/{r.id}",
            title=_(
                "Reactie van %(ministry)s op melding %(id)s (%(title)s): %(outcome)s",
                ministry=r.ministry.slug,
                id=r.submission_id,
                title=r.submission.title,
                outcome=_outcome(r.outcome),
            ),
            updated=r.published_at,
            link=f"{base}/submissions/{r.submission_id}",
            summary="\n\n".join(part for part in (r.explanation, r.measures) if part),
            author=r.ministry.label,
        )
        for r in public_responses()
    ]
    entries.sort(key=lambda e: (e.updated, e.tag), reverse=True)
    return entries[:FEED_SIZE]


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def atom_feed(base: str, host: str) -> bytes:
    entries = feed_entries(base)
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "id", f"tag:{host},{TAG_DATE}:decisions")
    _add(feed, "title", _("Besluiten en reacties van de industrie- en technologietafel"))
    updated = entries[0].updated if entries else datetime.now(UTC)
    _add(feed, "updated", rfc3339(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{base}/decisions/feed.atom")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/decisions/")
    author = _add(feed, "author")
    _add(author, "name", _("Industrie- en technologietafel"))
    for entry in entries:
        element = _add(feed, "entry")
        _add(element, "id", f"tag:{host},{TAG_DATE}:{entry.tag}")
        _add(element, "title", entry.title)
        _add(element, "updated", rfc3339(entry.updated))
        _add(element, "published", rfc3339(entry.updated))
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.author:
            _add(_add(element, "author"), "name", entry.author)
        _add(element, "summary", entry.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@decisions.route("/feed.atom")
def feed():
    base = current_app.config["BASE_URL"].rstrip("/")
    host = urlsplit(base).hostname or request.host.split(":")[0]
    return HttpResponse(atom_feed(base, host), content_type="application/atom+xml; charset=utf-8")
