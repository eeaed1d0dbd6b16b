"""International files: saving one (kind rules, CELEX and COM numbers,
ISO 3166-1 countries), key dates, links; loading the files of programmes.json."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel import Locale
from flask_babel import gettext as _
from sqlalchemy import select

from tafel import db
from tafel.core import audit
from tafel.core.errors import ServiceError
from tafel.international.models import (
    ALWAYS_CONFIDENTIAL,
    KINDS,
    STATUSES,
    VISIBILITIES,
    InternationalFile,
    KeyDate,
)
from tafel.reference.models import Market

CELEX = re.compile(r"^[0-9CE]\d{4}[A-Z]{1,2}\d{4}(\(\d{1,2}\)|[A-Z0-9_-]{0,8})$")
COM = re.compile(r"^(COM|SWD|JOIN)\(\d{4}\) ?\d{1,4}( final)?$")
# Babel's two-letter territories are ISO 3166-1 plus a few codes that are not.
NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
COUNTRIES = sorted(
    str(k)
    for k in Locale("nl").territories
    if len(str(k)) == 2 and str(k).isalpha() and k not in NOT_ISO
)


class FileError(ServiceError):
    """A refused change to an international file."""


@dataclass
class FileData:
    title: str
    kind: str
    celex: str | None = None
    com_number: str | None = None
    # ISO codes, or the form's text ("DE, FR"), checked by the service
    countries: list[str] | str = field(default_factory=list)
    market_ids: list[int] = field(default_factory=list)
    lead_ministry_id: int | None = None
    position: str = ""
    note: str = ""
    status: str = "lopend"
    visibility: str = "openbaar"


def country_name(code: str, language: str = "nl") -> str:
    return Locale(language).territories.get(code, code)


def parse_countries(text: str | None) -> list[str]:
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", text or "") if c.strip()]
    unknown = [c for c in codes if c not in COUNTRIES]
    if unknown:
        raise FileError(
            _(
                "Onbekende landcode: %(codes)s (gebruik ISO 3166-1, zoals DE of FR).",
                codes=", ".join(unknown),
            ),
            "countries",
        )
    return list(dict.fromkeys(codes))


def _check(data: FileData) -> FileData:
    if not data.title.strip():
        raise FileError(_("Geef het dossier een titel."), "title")
    if data.kind not in KINDS:
        raise FileError(_("Kies een bekende soort."), "kind")
    if data.status not in STATUSES:
        raise FileError(_("Kies een bekende stand."), "status")
    if data.kind == ALWAYS_CONFIDENTIAL:
        data.visibility = "vertrouwelijk"  # the letter: these analyses are confidential
    if data.visibility not in VISIBILITIES:
        raise FileError(_("Kies wie het dossier mag zien."), "visibility")
    text = data.countries if isinstance(data.countries, str) else ",".join(data.countries)
    data.countries = parse_countries(text)
    if data.celex and not CELEX.fullmatch(data.celex):
        raise FileError(_("Dit is geen CELEX-nummer (zoals 32023R1781)."), "celex")
    if data.com_number and not COM.fullmatch(data.com_number):
        raise FileError(_("Dit is geen COM-nummer (zoals COM(2025) 123)."), "com_number")
    return data


def _snapshot(item: InternationalFile) -> dict[str, Any]:
    return {
        "title": item.title,
        "kind": item.kind,
        "celex": item.celex,
        "com": item.com_number,
        "countries": list(item.countries or []),
        "markets": sorted(m.id for m in item.markets),
        "lead_ministry": item.lead_ministry_id,
        "position": item.position,
        "note": item.note,
        "status": item.status,
        "visibility": item.visibility,
    }


def _apply(item: InternationalFile, data: FileData) -> None:
    item.title = data.title.strip()
    item.kind, item.status, item.visibility = data.kind, data.status, data.visibility
    item.celex, item.com_number = data.celex or None, data.com_number or None
    item.countries = list(data.countries)
    item.lead_ministry_id = data.lead_ministry_id
    item.position, item.note = data.position.strip(), data.note.strip()
    ids = data.market_ids
    item.markets = list(db.session.scalars(select(Market).where(Market.id.in_(ids)))) if ids else []


def _slug(title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:50] or "dossier"
    taken = set(
        db.session.scalars(
            select(InternationalFile.slug).where(InternationalFile.slug.startswith(base))
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_file(actor, data: FileData) -> InternationalFile:
    _check(data)
    item = InternationalFile(slug=_slug(data.title))
    _apply(item, data)
    db.session.add(item)
    db.session.flush()
    audit.record("international.create", item, actor, after=_snapshot(item))
    return item


def update_file(item: InternationalFile, actor, data: FileData) -> None:
    _check(data)
    before = _snapshot(item)
    _apply(item, data)
    old, new = audit.changes(before, _snapshot(item))
    if new:
        db.session.flush()
        audit.record("international.update", item, actor, before=old, after=new)


def add_date(item: InternationalFile, actor, *, title: str, day: date | None, deadline: bool):
    title = (title or "").strip()
    if not title:
        raise FileError(_("Beschrijf de datum."), "title")
    if day is None:
        raise FileError(_("Vul een geldige datum in."), "day")
    row = KeyDate(title=title, day=day, deadline=deadline)
    item.dates.append(row)
    db.session.flush()
    audit.record(
        "international.date",
        item,
        actor,
        after={"title": title, "day": day.isoformat(), "deadline": deadline},
    )
    return row


def load_files(entries: list[dict[str, Any]]) -> int:
    """The files of programmes.json, matched by slug (idempotent)."""
    existing = set(db.session.scalars(select(InternationalFile.slug)))
    markets = {m.slug: m for m in db.session.scalars(select(Market))}
    added = 0
    for entry in entries:
        if entry["slug"] in existing or entry.get("kind") not in KINDS:
            continue
        item = InternationalFile(
            slug=entry["slug"],
            title=entry["nl"],
            kind=entry["kind"],
            note=entry.get("note", ""),
            countries=[],
            status="lopend",
            visibility="vertrouwelijk" if entry["kind"] == ALWAYS_CONFIDENTIAL else "openbaar",
        )
        item.markets = [markets[m] for m in entry.get("markets", []) if m in markets]
        db.session.add(item)
        added += 1
    db.session.flush()
    return added


def link(item: InternationalFile, actor, table, column: str, target_id: int) -> None:
    """Link a report, decision or programme action to the file; twice is once."""
    present = db.session.execute(
        select(table.c.file_id).where(table.c.file_id == item.id, table.c[column] == target_id)
    ).first()
    if present is None:
        db.session.execute(table.insert().values(file_id=item.id, **{column: target_id}))
        audit.record("international.link", item, actor, after={column: target_id})
