"""Demo data: the organisations of demo.json and one account per role.

Idempotent: organisations are matched by name and users by e-mail address,
so running it twice adds nothing the second time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts import passwords
from tafel.accounts.models import Organisation, User
from tafel.reference.models import Ministry, OrganisationType, Province

DEMO_PASSWORD = "demo-tafel-2026"  # noqa: S105 - documented demo password

# (e-mail, name, roles, organisation slug in demo.json)
DEMO_ACCOUNTS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("beheer@example.org", "Bram Beheer", ("beheerder",), "ministerie-ezk"),
    ("secretariaat@example.org", "Sanne Secretariaat", ("secretariaat",), "ministerie-ezk"),
    ("voorzitter@example.org", "Victor Voorzitter", ("voorzitter",), "vhtn"),
    ("lid-bedrijf@example.org", "Lotte de Boer", ("tafellid",), "vhtn"),
    ("lid-kennis@example.org", "Karim El Idrissi", ("tafellid",), "tu-rijn-maas"),
    ("lid-overheid@example.org", "Olga Visser", ("tafellid",), "ministerie-ienw"),
    ("ezk@example.org", "Eva Zandstra", ("departement",), "ministerie-ezk"),
    ("indiener@example.com", "Ingrid Dommel", ("indiener",), "dommeldal-vacuumtechniek"),
    ("indiener@example.net", "Niels Twente", ("indiener",), "fotonica-twente"),
]


def read_demo(reference_dir: Path) -> dict[str, Any] | None:
    path = Path(reference_dir) / "demo.json"
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def load_demo(data: dict[str, Any] | None) -> dict[str, int]:
    from tafel.submissions.demo import load_submissions

    organisations = _load_organisations(data["organisations"] if data else [])
    users = _load_accounts(organisations)
    submissions = load_submissions(data, organisations) if data else 0
    meetings = _load_meetings(data) if data else 0
    decisions = _load_decisions(data, organisations) if data else 0
    programme_actions, observations = _load_programmes()
    return {
        "organisations": len(organisations),
        "users_added": users,
        "submissions_added": submissions,
        "meetings_added": meetings,
        "decisions_added": decisions,
        "programme_actions_added": programme_actions,
        "observations_added": observations,
    }


def _load_programmes() -> tuple[int, int]:
    """Example actions and example figures (labelled demo wherever shown)."""
    from tafel.international.reference import schema_has_programmes
    from tafel.programmes.demo import load_programme_actions
    from tafel.progress.demo import load_observations

    if not schema_has_programmes():
        return 0, 0
    return load_programme_actions(), load_observations()


def _demo_submissions(data: dict[str, Any]) -> list:
    from tafel.submissions.models import Submission

    by_title = {s.title: s for s in db.session.scalars(select(Submission))}
    return [by_title[entry["title"]] for entry in data.get("submissions", [])]


def _load_meetings(data: dict[str, Any]) -> int:
    from tafel.meetings.demo import load_meetings

    return load_meetings(data, _demo_submissions(data))


def _load_decisions(data: dict[str, Any], organisations: dict[str, Organisation]) -> int:
    from tafel.actions.demo import load_decisions

    return load_decisions(data, _demo_submissions(data), organisations)


def _load_organisations(entries: list[dict[str, Any]]) -> dict[str, Organisation]:
    types = {t.slug: t for t in db.session.scalars(select(OrganisationType))}
    provinces = {p.slug: p for p in db.session.scalars(select(Province))}
    ministries = {m.slug: m for m in db.session.scalars(select(Ministry))}
    by_name = {o.name: o for o in db.session.scalars(select(Organisation))}
    result: dict[str, Organisation] = {}
    for entry in entries:
        org = by_name.get(entry["name"])
        if org is None:
            org = Organisation(
                name=entry["name"],
                org_type=types[entry["type"]],
                kvk=entry.get("kvk"),
                province=provinces.get(entry.get("province")),
                city=entry.get("city"),
                ministry=ministries.get(entry.get("abbr") or ""),
                verified=True,
            )
            db.session.add(org)
        result[entry["slug"]] = org
    if not entries:
        # Without demo.json the accounts still need somewhere to belong.
        org = by_name.get("Demo-organisatie") or Organisation(
            name="Demo-organisatie", org_type=types["overig"], verified=True
        )
        db.session.add(org)
        result = {slug: org for *_, slug in DEMO_ACCOUNTS}
    db.session.flush()
    return result


def _load_accounts(organisations: dict[str, Organisation]) -> int:
    existing = set(db.session.scalars(select(User.email)))
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    added = 0
    for email, name, roles, org_slug in DEMO_ACCOUNTS:
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            organisation=organisations[org_slug],
        )
        user.set_roles(set(roles))
        db.session.add(user)
        added += 1
    db.session.flush()
    return added


# Recognising demo rows (for `demo --reset`) ---------------------------------------------

FALLBACK_ORGANISATION = "Demo-organisatie"
CONTACT_EMAIL = re.compile(r"contact-\d+@demo\.example")


def foreign_rows(data: dict[str, Any] | None, limit: int = 5) -> list[str]:
    """Organisations and reports in the database that the demo did not create
    (at most `limit` of each, described for the operator); empty when the
    database holds only demo data or no tables yet.

    Demo organisations are known by their names in demo.json; demo reports by
    their titles in demo.json and an author that is a demo account or a demo
    contact person (`contact-<id>@demo.example`)."""
    from sqlalchemy import inspect

    from tafel.submissions.models import Submission

    if "organisations" not in inspect(db.session.connection()).get_table_names():
        return []
    entries = (data or {}).get("organisations", [])
    names = {entry["name"] for entry in entries} | {FALLBACK_ORGANISATION}
    found = [
        f"organisation {name!r}"
        for name in db.session.scalars(
            select(Organisation.name).where(Organisation.name.not_in(names)).limit(limit)
        )
    ]
    titles = {entry["title"] for entry in (data or {}).get("submissions", [])}
    accounts = {email for email, *_ in DEMO_ACCOUNTS}
    query = select(Submission.id, Submission.title, User.email).join(
        User, User.id == Submission.author_id
    )
    for sub_id, title, email in db.session.execute(query):
        if title not in titles or not (email in accounts or CONTACT_EMAIL.fullmatch(email)):
            found.append(f"report {sub_id} {title!r}")
            if len(found) >= 2 * limit:
                break
    return found
