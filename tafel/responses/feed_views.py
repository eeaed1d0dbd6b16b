"""The public Atom feed of decisions and published responses (/decisions/feed.atom).

It reads both decisions and responses, so it lives here, in the higher of the
two, and keeps its place on the decisions blueprint (`decisions.feed`, declared
in `decisions.blueprint`). The feed is public: whoever asks, it lists only
decisions and published responses whose submissions anyone may read.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Response as HttpResponse
from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.core.i18n import in_platform_language
from tafel.core.timefmt import local_day
from tafel.decisions import policies as decision_policies
from tafel.decisions.blueprint import decisions
from tafel.decisions.models import OUTCOME_LABELS, Decision, DecisionAmendment
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import Submission

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
MAX_PAGES = 40  # older entries are in the register and its exports
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
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
    published: datetime | None = None


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decision_updated():
    """A decision changes when it is taken and with every correction."""
    latest = (
        select(func.max(DecisionAmendment.created_at))
        .where(DecisionAmendment.decision_id == Decision.id)
        .scalar_subquery()
    )
    return func.coalesce(latest, Decision.created_at)


def public_decisions(limit: int = FEED_SIZE) -> list[Decision]:
    public = AnonymousUserMixin()
    query = (
        select(Decision)
        .where(decision_policies.visible_clause(public), Decision.public.is_(True))
        .options(selectinload(Decision.amendments))
        .order_by(_decision_updated().desc(), Decision.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def public_responses(limit: int = FEED_SIZE) -> list[Response]:
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
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _outcome(outcome: str | None) -> str:
    return str(OUTCOME_LABELS[outcome]) if outcome in OUTCOME_LABELS else ""


def _decision_summary(decision: Decision) -> str:
    parts = [decision.text, decision.explanation]
    parts += [
        _("Correctie van %(day)s: %(text)s", day=local_day(a.created_at), text=a.text)
        for a in decision.amendments
    ]
    return "\n\n".join(part for part in parts if part)


def feed_entries(base: str, page: int = 1) -> list[Entry]:
    """The entries of one page (newest first): enough of both kinds are read
    to fill pages 1 … `page`, then that page is cut out of their merge."""
    wanted = page * FEED_SIZE
    entries = [
        Entry(
            tag=f"decision/{d.id}",
            title=_(
                "Besluit %(number)s: %(outcome)s", number=d.number, outcome=_outcome(d.outcome)
            ),
            updated=max([d.created_at] + [a.created_at for a in d.amendments]),
            link=f"{base}/decisions/{d.id}",
            summary=_decision_summary(d),
            published=d.created_at,
        )
        for d in public_decisions(wanted + 1)
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
        for r in public_responses(wanted + 1)
    ]
    entries.sort(key=lambda e: (e.updated, e.tag), reverse=True)
    return entries[(page - 1) * FEED_SIZE : wanted + 1]


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def atom_feed(base: str, host: str, page: int = 1) -> bytes:
    """One page of the feed (RFC 5005 paging: first, previous, next), in the
    platform's language (xml:lang)."""
    found = feed_entries(base, page)
    entries, more = found[:FEED_SIZE], len(found) > FEED_SIZE
    address = f"{base}/decisions/feed.atom"
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: current_app.config["BABEL_DEFAULT_LOCALE"]})
    _add(feed, "id", f"tag:{host},{TAG_DATE}:decisions")
    _add(feed, "title", _("Besluiten en reacties van de industrie- en technologietafel"))
    updated = entries[0].updated if entries else datetime.now(UTC)
    _add(feed, "updated", rfc3339(updated))
    here = address if page == 1 else f"{address}?page={page}"
    _add(feed, "link", rel="self", type="application/atom+xml", href=here)
    _add(feed, "link", rel="first", type="application/atom+xml", href=address)
    if page > 1:
        previous = address if page == 2 else f"{address}?page={page - 1}"
        _add(feed, "link", rel="previous", type="application/atom+xml", href=previous)
    if more:
        _add(
            feed, "link", rel="next", type="application/atom+xml", href=f"{address}?page={page + 1}"
        )
    _add(feed, "link", rel="alternate", type="text/html", href=f"{base}/decisions/")
    author = _add(feed, "author")
    _add(author, "name", _("Industrie- en technologietafel"))
    for entry in entries:
        element = _add(feed, "entry")
        _add(element, "id", f"tag:{host},{TAG_DATE}:{entry.tag}")
        _add(element, "title", entry.title)
        _add(element, "updated", rfc3339(entry.updated))
        _add(element, "published", rfc3339(entry.published or entry.updated))
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.author:
            _add(_add(element, "author"), "name", entry.author)
        _add(element, "summary", entry.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@decisions.route("/feed.atom")
def feed():
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGES:
        abort(404)
    base = current_app.config["BASE_URL"].rstrip("/")
    host = urlsplit(base).hostname or request.host.split(":")[0]
    with in_platform_language():
        body = atom_feed(base, host, page)
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response.set_etag(hashlib.sha256(body).hexdigest())
    return response.make_conditional(request)
