"""Benchmark: seed a large, realistic database and time the main pages.

``flask --app tafel bench`` seeds a *separate* database (default
``instance/bench.db``, recreated every run; or PostgreSQL through
``--database-url``/``TAFEL_BENCH_DATABASE_URL``), then requests each page
through the test client and reports server time (p50/p95) and the number of
SQL statements per request. Pages that do not exist yet are reported as
"not available", so the command keeps working while routes are being built.

``seed()`` writes with bulk Core inserts (executemany in batches) and builds the
search index in bulk; ``measure()`` times one URL.
"""

from __future__ import annotations

import math
import random
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from argon2 import PasswordHasher, Type
from flask import Flask, current_app
from sqlalchemy import Table, event, func, insert, inspect, make_url, select, text
from sqlalchemy.orm import Session
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from tafel.accounts.models import Organisation, User, UserRole
from tafel.core import search
from tafel.reference.models import (
    ActionLine,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    OrganisationType,
    Province,
    Sector,
    Technology,
    Theme,
)
from tafel.submissions.models import (
    IMPACT_TYPES,
    Comment,
    CoSignature,
    Submission,
    submission_action_lines,
    submission_missions,
    submission_technologies,
)

BENCH_DOMAIN = "bench.example.org"
BENCH_PASSWORD = "bench-tafel-wachtwoord-2026"  # noqa: S105 - benchmark accounts only
SECRETARIAT_EMAIL = f"secretariaat@{BENCH_DOMAIN}"
BATCH = 5000
SHOWCASE_COSIGNATURES = 20
SHOWCASE_COMMENTS = 30

# Vocabulary -------------------------------------------------------------------------


def _entries(text: str) -> list[str]:
    """One entry per line, or several separated by ' | '."""
    return [e.strip() for line in text.strip().splitlines() for e in line.split(" | ") if e.strip()]


TOPICS = _entries(
    """
    omgevingsvergunning | netcongestie | stikstofvergunning | netaansluiting
    transportcapaciteit | vergunningverlening | milieuvergunning | exportvergunning
    bestemmingsplan | subsidieregeling | aanbestedingsprocedure | waterstofproductie | warmtenet
    elektrolyser | halfgeleiderfabriek | chipproductie | fotonicachips | kwantumcomputer
    batterijrecycling | grondstoffenstrategie | kunststofrecycling | CO2-opslag
    stikstofdepositie | arbeidsmigratie | kennisveiligheid | exportcontrole | datadeling
    cyberveiligheid | CE-markering | MDR-certificering | laadinfrastructuur | zonnepark
    windpark op zee | biobased materialen | circulaire bouw | precisielandbouw | machinebouw
    ruimtevaarttechnologie | AI-toepassingen | 5G-netwerk | octrooiaanvraag | vestigingsklimaat
    innovatiekrediet | WBSO-aanvraag | financiën | energiebelasting | coöperatie | netbeheerder
    omgevingsdienst | uitvoeringsregels | veiligheidseisen
    """
)
FACILITIES = _entries(
    """
    productiehal | fabriek | cleanroom | testlocatie | proeffabriek | distributiecentrum
    laboratorium | datacenter | opslaglocatie | werkplaats | bedrijventerrein | pilotplant
    assemblagelijn
    """
)
PROBLEMS = _entries(
    """
    vertraging | onduidelijkheid | stapeling van regels | hoge kosten | gebrek aan capaciteit
    tegenstrijdige eisen | administratieve lasten | lange wachttijden | versnipperde loketten
    ontbrekende normen
    """
)
ACTORS = _entries(
    """
    de gemeente | de provincie | de netbeheerder | de omgevingsdienst | RVO | het waterschap
    de inspectie | de Europese Commissie | het ministerie
    """
)
CAUSES = _entries(
    """
    netcongestie | stikstofregels | personeelstekort | ontbrekende normen | bezwaarprocedures
    trage vergunningverlening | dubbele toetsing | onduidelijke uitvoeringsregels
    """
)
SOLUTIONS = _entries(
    """
    een versnelde procedure | één loket | een experimenteerregeling | flexibele contracten
    duidelijke normen | een landelijke aanpak | extra capaciteit bij de omgevingsdienst
    een vaste beslistermijn
    """
)
CITIES = _entries(
    """
    Eindhoven | Delft | Enschede | Groningen | Rotterdam | Nijmegen | Zwolle | Den Bosch
    Veldhoven | Leeuwarden | Maastricht | Terneuzen | Emmen | Helmond | Almere | Arnhem
    Tilburg | Breda | Amersfoort | Venlo | Deventer | Leiden | Wageningen | Geleen | Hengelo
    Middelburg | Assen | Lelystad | Zaandam
    """
)
TITLE_TEMPLATES = [
    "{Topic} blokkeert uitbreiding van {facility} in {city}",
    "Lange doorlooptijd {topic} voor {facility}",
    "{Topic}: {problem} bij {actor}",
    "Knelpunt in {regulation} remt {topic}",
    "Signaal: {topic} vraagt om {solution}",
    "Geen {topic} voor {facility} door {cause}",
    "{Problem} rond {topic} in {city}",
    "{Topic} en {topic2} botsen bij {facility}",
]
SENTENCES = [
    "Wij wachten al {n} maanden op {actor} voor de {topic}.",
    "Door {cause} kan onze {facility} in {city} niet uitbreiden.",
    "De {topic} kost ons naar schatting {k} duizend euro per jaar extra.",
    "Andere bedrijven in de regio melden dezelfde {problem}.",
    "Wij stellen voor om {solution} in te voeren voor de {topic}.",
    "Zonder {topic} verliezen wij orders aan concurrenten in Duitsland en België.",
    "Er zijn {n} vergunningen nodig van verschillende overheden.",
    "De financiën van onze coöperatie staan onder druk door {cause}.",
    "Wij hebben geïnvesteerd in een {facility}, maar de {topic} ontbreekt nog.",
    "Er liggen goede ideeën voor {solution}, maar niemand pakt ze op.",
    "{Actor} verwijst naar {actor2}, en omgekeerd.",
    "Het gaat om {n} arbeidsplaatsen en een investering van {k} miljoen euro.",
    "De regels voor {topic} zijn voor het mkb nauwelijks te volgen.",
    "Wij vragen de tafel om dit knelpunt te agenderen.",
    "In {city} speelt hetzelfde probleem bij de {topic}.",
    "Een efficiënte oplossing is {solution}.",
]
REGULATIONS = [
    ("Omgevingswet", "BWBR0037885"),
    ("Besluit activiteiten leefomgeving", "BWBR0041330"),
    ("Besluit kwaliteit leefomgeving", "BWBR0041313"),
    ("Elektriciteitswet 1998", "BWBR0009755"),
    ("Energiewet", "BWBR0050714"),
    ("Wet natuurbescherming", "BWBR0037552"),
    ("Arbeidsomstandighedenwet", "BWBR0010346"),
    ("Aanbestedingswet 2012", "BWBR0032203"),
    ("Wet arbeid vreemdelingen", "BWBR0007149"),
    ("Algemene verordening gegevensbescherming", "32016R0679"),
    ("Verordening medische hulpmiddelen", "32017R0745"),
    ("Europese chipwet", "32023R1781"),
    ("Verordening kritieke grondstoffen", "32024R1252"),
    ("Richtlijn industriële emissies", "32010L0075"),
    ("Verordening ontbossingsvrije producten", "32023R1115"),
    ("Omgevingsplan gemeente", "CVDR712345"),
    ("Keur waterschap", "CVDR654321"),
]
PREFIXES = _entries(
    """
    Van Dijk | De Vries | Jansen | Bakker | Visser | Smit | Meijer | Mulder | De Boer | Bos
    Vos | Peters | Hendriks | Dekker | Brabantse | Twentse | Limburgse | Zeeuwse | Friese
    Gelderse | Hollandse | Noordelijke | Rijn | Maas | Delta | Kempen | Veluwe | Oost | West
    Nedertech
    """
)
CORES = _entries(
    """
    Precisietechniek | Metaalbewerking | Kunststoffen | Fotonica | Vacuümtechniek | Machinebouw
    Chemie | Biotech | Halfgeleiders | Robotica | Sensoren | Composieten | Waterstof | Energie
    Logistiek | Software | Data | Optica | Coatings | Elektronica | Medical | Foods | Recycling
    Installatietechniek | Staalbouw | Aandrijvingen | Lasertechniek | Microsystemen | Batterijen
    Verpakking
    """
)
LEGAL = _entries(
    """
    B.V. | B.V. | B.V. | N.V. | Groep | Holding B.V. | & Zonen B.V.
    """
)
STARTUP_PARTS = _entries(
    """
    Qubi | Nano | Foton | Hydro | Circu | Agri | Medi | Robo | Chip
    """
)
STARTUP_ENDS = _entries(
    """
    x | lab | tics | ly | ium | go | wise | forge
    """
)
FIRST = _entries(
    """
    Anne | Bram | Daan | Emma | Fleur | Gijs | Hanna | Iris | Jeroen | Karim | Lotte | Mila
    Noah | Olga | Pieter | Roos | Sanne | Thijs | Umar | Vera | Willem | Yara | Zoë | Sem
    Julia | Lucas | Sophie | Finn | Noor | Ahmed
    """
)
LAST = _entries(
    """
    de Jong | Jansen | de Vries | van den Berg | van Dijk | Bakker | Janssen | Visser | Smit
    Meijer | de Boer | Mulder | de Groot | Bos | Vos | Peters | Hendriks | van Leeuwen | Dekker
    Brouwer | El Idrissi | Yılmaz | Öztürk
    """
)
COMMENTS = [
    "Herkenbaar: bij ons speelt precies hetzelfde.",
    "Wij hebben de netbeheerder hierover ook aangeschreven, zonder resultaat.",
    "Goed dat dit op de agenda komt. Kunnen wij aanvullende cijfers leveren?",
    "De omgevingsvergunning duurde bij ons veertien maanden.",
    "Is er al contact geweest met het ministerie?",
    "Wij steunen dit signaal namens de regio.",
]
EVIDENCE = [
    "",
    "",
    "Wij ondervinden hetzelfde knelpunt bij onze vestiging.",
    "Onze aanvraag ligt al een jaar stil.",
    "Extra kosten: circa 40 duizend euro.",
]

STATUS_WEIGHTS = {
    "concept": 5,
    "ingediend": 14,
    "in_behandeling": 10,
    "aanvulling_gevraagd": 3,
    "aanvaard": 25,
    "samengevoegd": 3,
    "niet_ontvankelijk": 5,
    "geagendeerd": 8,
    "besproken": 8,
    "besloten": 8,
    "afgehandeld": 11,
}
VISIBILITY_WEIGHTS = {"openbaar": 55, "tafel": 35, "vertrouwelijk": 10}
ORG_TYPE_WEIGHTS = {
    "mkb": 40,
    "bedrijf": 18,
    "startup": 12,
    "brancheorganisatie": 4,
    "universiteit": 1,
    "hogeschool": 2,
    "to2-instituut": 1,
    "umc": 1,
    "ministerie": 0.3,
    "provincie": 0.7,
    "gemeente": 8,
    "waterschap": 1,
    "uitvoeringsorganisatie": 1,
    "financier": 3,
    "overig": 7,
}
TRIAGED = {s for s in STATUS_WEIGHTS if s not in ("concept", "ingediend")}
ACCEPTED = {"aanvaard", "geagendeerd", "besproken", "besloten", "afgehandeld"}


# Seeding ----------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[str, float], n: int) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def _fill(rng: random.Random, template: str, **extra: str) -> str:
    topic, topic2 = rng.sample(TOPICS, 2)
    actor, actor2 = rng.sample(ACTORS, 2)
    problem = rng.choice(PROBLEMS)
    values = {
        "topic": topic,
        "Topic": topic[0].upper() + topic[1:],
        "topic2": topic2,
        "facility": rng.choice(FACILITIES),
        "city": rng.choice(CITIES),
        "problem": problem,
        "Problem": problem.capitalize(),
        "actor": actor,
        "Actor": actor[0].upper() + actor[1:],
        "actor2": actor2,
        "cause": rng.choice(CAUSES),
        "solution": rng.choice(SOLUTIONS),
        "regulation": rng.choice(REGULATIONS)[0],
        "n": str(rng.randint(2, 30)),
        "k": str(rng.randint(5, 900)),
    }
    values.update(extra)
    return template.format(**values)


def _org_name(rng: random.Random, type_slug: str, ministries: list[str]) -> str:
    city = rng.choice(CITIES)
    if type_slug in ("mkb", "bedrijf", "overig"):
        return f"{rng.choice(PREFIXES)} {rng.choice(CORES)} {city} {rng.choice(LEGAL)}"
    if type_slug == "brancheorganisatie":
        return f"Vereniging {rng.choice(CORES)} {city}"
    if type_slug == "financier":
        return f"{rng.choice(PREFIXES)} Invest {city}"
    if type_slug == "startup":
        return f"{rng.choice(STARTUP_PARTS)}{rng.choice(STARTUP_ENDS)} {city} B.V."
    if type_slug == "ministerie" and ministries:
        return rng.choice(ministries)
    labels = {
        "universiteit": "Universiteit",
        "hogeschool": "Hogeschool",
        "to2-instituut": "Kennisinstituut",
        "umc": "UMC",
        "provincie": "Provincie",
        "gemeente": "Gemeente",
        "waterschap": "Waterschap",
        "uitvoeringsorganisatie": "Uitvoeringsdienst",
    }
    return f"{labels.get(type_slug, 'Organisatie')} {city}"


def _ids(session: Session, model) -> list[int]:
    return list(session.scalars(select(model.id).where(model.active.is_(True)).order_by(model.id)))


def _next_id(session: Session, model) -> int:
    return (session.scalar(select(func.max(model.id))) or 0) + 1


def _insert(session: Session, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        count += len(batch)
    return count


def _password_hash() -> str:
    """One cheap argon2id hash shared by every seeded account."""
    return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1, type=Type.ID).hash(
        BENCH_PASSWORD
    )


def seed(
    session: Session,
    n_submissions: int,
    n_orgs: int,
    n_users: int,
    n_cosignatures: int,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Fill the database with organisations, users, submissions, co-signatures,
    comments and the search index; commits. The reference data must be loaded.

    The first submission (``showcase_id``) is public and accepted, with
    20 co-signatures and 30 comments; ``SECRETARIAT_EMAIL`` (password
    ``BENCH_PASSWORD``) has the role secretariaat.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    now = datetime.now(UTC).replace(microsecond=0)
    timings: dict[str, float] = {}

    @contextmanager
    def phase(name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        session.commit()
        timings[name] = time.perf_counter() - start
        if progress:
            progress(f"  {name}: {timings[name]:.1f} s")

    n_orgs = max(n_orgs, 2)
    n_users = max(n_users, 2)
    n_submissions = max(n_submissions, 1)

    markets = _ids(session, Market)
    provinces = _ids(session, Province)
    sectors = _ids(session, Sector)
    themes = _ids(session, Theme)
    levels = _ids(session, GovernmentLevel)
    action_lines = _ids(session, ActionLine)
    technologies = _ids(session, Technology)
    missions = _ids(session, Mission)
    today = now.date()
    ministry_rows = session.execute(
        select(Ministry.id, Ministry.label_nl, Ministry.valid_from, Ministry.valid_until).where(
            Ministry.active.is_(True)
        )
    ).all()
    ministries = [
        m.id
        for m in ministry_rows
        if (m.valid_from is None or m.valid_from <= today)
        and (m.valid_until is None or today < m.valid_until)
    ] or [m.id for m in ministry_rows]
    ministry_names = [m.label_nl for m in ministry_rows]
    org_types = {
        row.slug: row
        for row in session.execute(
            select(OrganisationType.slug, OrganisationType.id, OrganisationType.kvk_required)
        )
    }
    if not (markets and org_types and provinces):
        raise RuntimeError("load the reference data before seeding")
    market_weights = [1 / (i + 1) for i in range(len(markets))]  # a few markets dominate

    # Organisations --------------------------------------------------------------
    org_base = _next_id(session, Organisation)
    org_ids = list(range(org_base, org_base + n_orgs))
    type_weights = {slug: ORG_TYPE_WEIGHTS.get(slug, 1) for slug in org_types}
    org_type_slugs = _weighted(rng, type_weights, n_orgs)
    if "ministerie" in org_types:
        org_type_slugs[0] = "ministerie"  # home of the secretariat
    org_names = [_org_name(rng, slug, ministry_names) for slug in org_type_slugs]

    def organisation_rows() -> Iterator[dict[str, Any]]:
        for i, org_id in enumerate(org_ids):
            kind = org_types[org_type_slugs[i]]
            verified = rng.random() < 0.9
            created = now - timedelta(days=rng.uniform(30, 900))
            yield {
                "id": org_id,
                "name": org_names[i],
                "org_type_id": kind.id,
                "kvk": f"{60_000_000 + org_id:08d}" if kind.kvk_required else None,
                "province_id": rng.choice(provinces),
                "city": rng.choice(CITIES),
                "ministry_id": rng.choice(ministries)
                if org_type_slugs[i] == "ministerie"
                else None,
                "verified": verified,
                "verified_at": created + timedelta(days=2) if verified else None,
                "created_at": created,
            }

    with phase("organisations"):
        _insert(session, Organisation.__table__, organisation_rows())

    # Users ------------------------------------------------------------------------
    user_base = _next_id(session, User)
    user_ids = list(range(user_base, user_base + n_users))
    user_org = [org_ids[(i - 1) % n_orgs] if i else org_ids[0] for i in range(n_users)]
    users_of: dict[int, list[int]] = {}
    for user_id, org_id in zip(user_ids, user_org, strict=True):
        users_of.setdefault(org_id, []).append(user_id)
    password_hash = _password_hash()

    def user_rows() -> Iterator[dict[str, Any]]:
        for i, user_id in enumerate(user_ids):
            yield {
                "id": user_id,
                "email": SECRETARIAT_EMAIL if i == 0 else f"gebruiker{user_id}@{BENCH_DOMAIN}",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "password_hash": password_hash,
                "organisation_id": user_org[i],
                "active": True,
                "session_version": 1,
                "created_at": now - timedelta(days=rng.uniform(1, 800)),
                "last_login_at": None,
            }

    def role_rows() -> Iterator[dict[str, Any]]:
        for i, user_id in enumerate(user_ids):
            if i == 0:
                yield {"user_id": user_id, "role": "secretariaat"}
                continue
            yield {"user_id": user_id, "role": "indiener"}
            if rng.random() < 0.01:
                yield {"user_id": user_id, "role": "tafellid"}

    with phase("users"):
        _insert(session, User.__table__, user_rows())
        _insert(session, UserRole.__table__, role_rows())

    def user_of(org_id: int) -> int:
        members = users_of.get(org_id)
        return rng.choice(members) if members else user_ids[rng.randrange(1, n_users)]

    # Submission skeletons: who, when, which state ---------------------------------
    sub_base = _next_id(session, Submission)
    sub_ids = list(range(sub_base, sub_base + n_submissions))
    # Some organisations submit a lot, most only a few times.
    sub_org = [org_ids[int(n_orgs * rng.random() ** 2)] for _ in sub_ids]
    statuses = _weighted(rng, STATUS_WEIGHTS, n_submissions)
    visibilities = _weighted(rng, VISIBILITY_WEIGHTS, n_submissions)
    created = sorted(
        now - timedelta(seconds=rng.uniform(3600, 730 * 86400)) for _ in sub_ids
    )  # ids grow with time, as they do in real life
    statuses[0], visibilities[0] = "aanvaard", "openbaar"  # the showcase

    # Co-signatures: skewed towards popular submissions, one per organisation.
    showcase = sub_ids[0]
    counts = [0] * n_submissions
    pairs: list[tuple[int, int]] = []
    showcase_orgs = [o for o in org_ids if o != sub_org[0]][:SHOWCASE_COSIGNATURES]
    for org_id in showcase_orgs[: max(0, n_cosignatures)]:
        pairs.append((0, org_id))
    counts[0] = len(pairs)
    eligible = [i for i in range(1, n_submissions) if statuses[i] != "concept"]
    rng.shuffle(eligible)
    capacity = len(eligible) * (n_orgs - 1)
    wanted = min(max(0, n_cosignatures - len(pairs)), capacity)
    skew = 1.6 if wanted < capacity / 4 else 1.0
    seen: set[int] = set()
    while len(seen) < wanted:
        i = eligible[int(len(eligible) * rng.random() ** skew)]
        org_idx = rng.randrange(n_orgs)
        if org_ids[org_idx] == sub_org[i]:
            continue
        key = i * n_orgs + org_idx
        if key in seen:
            continue
        seen.add(key)
        pairs.append((i, org_ids[org_idx]))
        counts[i] += 1
    del seen

    def submission_rows(start: int, stop: int) -> list[dict[str, Any]]:
        rows = []
        for i in range(start, stop):
            status = statuses[i]
            kind = "knelpunt" if rng.random() < 0.55 else "signaal"
            regulatory = kind == "knelpunt" and rng.random() < 0.7
            regulation = rng.choice(REGULATIONS) if regulatory else (None, None)
            made = created[i]
            submitted = (
                made + timedelta(hours=rng.uniform(0.1, 48)) if status != "concept" else None
            )
            changed = (submitted or made) + timedelta(days=rng.uniform(0, 60))
            merged_into = (
                sub_ids[rng.randrange(0, i)] if status == "samengevoegd" and i > 0 else None
            )
            title = _fill(rng, rng.choice(TITLE_TEMPLATES))[:150]
            org_id = sub_org[i]
            rows.append(
                {
                    "id": sub_ids[i],
                    "kind": kind,
                    "status": status,
                    "title": title,
                    "summary": " ".join(_fill(rng, s) for s in rng.sample(SENTENCES, 2))[:500],
                    "body": " ".join(
                        _fill(rng, s) for s in rng.choices(SENTENCES, k=rng.randint(3, 9))
                    ),
                    "proposed_solution": _fill(rng, "Wij stellen {solution} voor."),
                    "market_id": rng.choices(markets, weights=market_weights)[0]
                    if rng.random() < 0.9
                    else None,
                    "sector_id": rng.choice(sectors) if sectors and rng.random() < 0.8 else None,
                    "theme_id": rng.choice(themes) if themes and rng.random() < 0.6 else None,
                    "province_id": rng.choice(provinces) if rng.random() < 0.85 else None,
                    "government_level_id": rng.choice(levels) if regulatory and levels else None,
                    "regulation_name": regulation[0],
                    "regulation_identifier": regulation[1],
                    "regulation_article": f"artikel {rng.randint(1, 40)}.{rng.randint(1, 9)}"
                    if regulatory
                    else None,
                    "ministry_id": rng.choice(ministries)
                    if (regulatory or status in ACCEPTED) and ministries
                    else None,
                    "impact_type": rng.choice(IMPACT_TYPES) if kind == "knelpunt" else None,
                    "impact_euro": int(math.exp(rng.uniform(8, 16)))
                    if kind == "knelpunt"
                    else None,
                    "impact_delay_months": rng.randint(1, 36) if kind == "knelpunt" else None,
                    "visibility": visibilities[i],
                    "show_organisation": rng.random() < 0.9,
                    "organisation_id": org_id,
                    "author_id": user_of(org_id),
                    "created_at": made,
                    "updated_at": changed,
                    "submitted_at": submitted,
                    "status_changed_at": changed,
                    "first_response_at": changed if status in TRIAGED else None,
                    "response_deadline": (changed + timedelta(days=90)).date()
                    if status in ACCEPTED
                    else None,
                    "merged_into_id": merged_into,
                    "cosign_count": counts[i],
                    "form_token": None,
                }
            )
        return rows

    def links(rows: list[dict[str, Any]], ids: list[int], column: str, most: int, share: float):
        result = []
        if not ids:
            return result
        for row in rows:
            if rng.random() < share:
                for ref in rng.sample(ids, rng.randint(1, min(most, len(ids)))):
                    result.append({"submission_id": row["id"], column: ref})
        return result

    with phase("submissions + search index"):
        for start in range(0, n_submissions, BATCH):
            rows = submission_rows(start, min(start + BATCH, n_submissions))
            session.execute(insert(Submission.__table__), rows)
            for table, ids, column, most, share in (
                (submission_action_lines, action_lines, "action_line_id", 3, 0.7),
                (submission_technologies, technologies, "technology_id", 2, 0.5),
                (submission_missions, missions, "mission_id", 1, 0.4),
            ):
                linked = links(rows, ids, column, most, share)
                if linked:
                    session.execute(insert(table), linked)
            search.bulk_index(
                session,
                (
                    row
                    | {
                        "organisation_name": org_names[row["organisation_id"] - org_base]
                        if row["show_organisation"]
                        else None
                    }
                    for row in rows
                ),
            )

    # Co-signatures and comments -----------------------------------------------------
    cosign_base = _next_id(session, CoSignature)

    def cosignature_rows() -> Iterator[dict[str, Any]]:
        for n, (i, org_id) in enumerate(pairs):
            yield {
                "id": cosign_base + n,
                "submission_id": sub_ids[i],
                "organisation_id": org_id,
                "user_id": user_of(org_id),
                "evidence": rng.choice(EVIDENCE),
                "created_at": created[i] + timedelta(days=rng.uniform(1, 120)),
            }

    comment_base = _next_id(session, Comment)

    def comment_rows() -> Iterator[dict[str, Any]]:
        for n in range(SHOWCASE_COMMENTS):
            author = user_ids[rng.randrange(1, n_users)]
            yield {
                "id": comment_base + n,
                "submission_id": showcase,
                "author_id": author,
                "organisation_id": user_org[author - user_base],
                "body": rng.choice(COMMENTS),
                "created_at": created[0] + timedelta(hours=n + 1),
                "hidden_at": None,
                "hidden_by_id": None,
                "hidden_reason": None,
            }

    with phase("co-signatures + comments"):
        n_cosign = _insert(session, CoSignature.__table__, cosignature_rows())
        n_comments = _insert(session, Comment.__table__, comment_rows())

    with phase("finishing"):
        _after_bulk_load(session)

    market_of_showcase = session.scalar(
        select(Submission.market_id).where(Submission.id == showcase)
    )
    return {
        "organisations": n_orgs,
        "users": n_users,
        "submissions": n_submissions,
        "cosignatures": n_cosign,
        "comments": n_comments,
        "showcase_id": showcase,
        "secretariat_email": SECRETARIAT_EMAIL,
        "market_id": market_of_showcase or markets[0],
        "timings": timings,
    }


def _after_bulk_load(session: Session) -> None:
    """PostgreSQL: move the id sequences past the explicit ids, refresh statistics."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in ("organisations", "users", "submissions", "cosignatures", "comments"):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - fixed names
                f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        )
    session.commit()
    connection = session.connection()
    connection.exec_driver_sql("ANALYZE")


# Measuring --------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def route_exists(app: Flask, url: str) -> bool:
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(url).path, method="GET")
    except RequestRedirect:
        return True
    except (NotFound, MethodNotAllowed):
        return False
    return True


def login(client, email: str, password: str = BENCH_PASSWORD) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    match = _CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on /auth/login")
    response = client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": match.group(1)},
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {email} failed: HTTP {response.status_code}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(app: Flask, url: str, user_email: str | None = None, runs: int = 30) -> dict[str, Any]:
    """Time ``runs`` GET requests of ``url`` (after one warm-up request).

    Returns ``available`` (False when no route matches the URL yet),
    ``status``, ``p50_ms``, ``p95_ms`` and ``queries`` (SQL statements per
    request, median). With ``user_email`` the client logs in first
    (password ``BENCH_PASSWORD``).
    """
    if not route_exists(app, url):
        return {"url": url, "available": False}
    client = app.test_client()
    if user_email:
        login(client, user_email)
    engine = app.extensions["tafel_engine"]
    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    client.get(url).close()  # warm-up: templates, caches
    times: list[float] = []
    queries: list[int] = []
    status = 0
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(max(1, runs)):
            statements[0] = 0
            start = time.perf_counter()
            response = client.get(url)
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            queries.append(statements[0])
            status = response.status_code
            response.close()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {
        "url": url,
        "available": True,
        "status": status,
        "p50_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "queries": int(statistics.median(queries)),
        "runs": len(times),
    }


def measure_search(app: Flask, query: str, runs: int = 30) -> dict[str, Any]:
    """Time the search service alone: the 25 best matches plus the total count."""
    from tafel import db

    times, total = [], 0
    with app.app_context():
        for _ in range(max(1, runs)):
            start = time.perf_counter()
            hits = search.matching_ids(query).subquery()
            db.session.execute(
                select(hits.c.submission_id).order_by(hits.c.rank.desc()).limit(25)
            ).all()
            total = db.session.scalar(select(func.count()).select_from(hits))
            times.append((time.perf_counter() - start) * 1000)
            db.session.rollback()
    return {
        "url": f"search service: {query!r} ({total} hits)",
        "available": True,
        "status": "-",
        "p50_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "queries": 2,
    }


# The command ------------------------------------------------------------------------


def default_bench_url() -> str:
    import config as tafel_config

    return f"sqlite:///{tafel_config.INSTANCE / 'bench.db'}"


def _same_database(a: str, b: str) -> bool:
    try:
        return make_url(a).render_as_string() == make_url(b).render_as_string()
    except Exception:  # noqa: BLE001 - an unparsable URL is simply not the same
        return a == b


def reset_database(url: str) -> None:
    """Start from nothing: delete the SQLite file, or (PostgreSQL) downgrade a
    database that holds only benchmark accounts."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise click.ClickException("the benchmark needs a database file, not :memory:")
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    from alembic import command

    from tafel.cli import alembic_config
    from tafel.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if inspect(conn).has_table("users"):
                foreign = conn.scalar(
                    select(func.count())
                    .select_from(User.__table__)
                    .where(~User.__table__.c.email.like(f"%@{BENCH_DOMAIN}"))
                )
                if foreign:
                    raise click.ClickException(
                        f"{parsed.render_as_string()} has accounts that the benchmark did not "
                        "create; refusing to wipe it. Use an empty database."
                    )
    finally:
        engine.dispose()
    cfg = alembic_config(url)
    cfg.attributes["configure_logger"] = False
    command.downgrade(cfg, "base")


def build_app(url: str) -> Flask:
    import config as tafel_config
    from tafel import create_app

    config = tafel_config.load()
    config.DATABASE_URL = url
    config.SQL_ECHO = False
    return create_app(config)


def run_bench(
    url: str,
    n_submissions: int,
    n_orgs: int,
    n_users: int,
    n_cosignatures: int,
    runs: int,
    random_seed: int = 2026,
    echo: Callable[[str], None] = click.echo,
) -> dict[str, Any]:
    from tafel import db
    from tafel.cli import migrate
    from tafel.reference.services import load_reference_data, read_taxonomy

    reset_database(url)
    app = build_app(url)
    try:
        with app.app_context():
            migrate(url)
            load_reference_data(read_taxonomy(app.config["REFERENCE_DIR"]))
            db.session.commit()
            echo(
                f"Seeding {make_url(url).render_as_string()}: {n_submissions} submissions, "
                f"{n_orgs} organisations, {n_users} users, {n_cosignatures} co-signatures"
            )
            start = time.perf_counter()
            result = seed(
                db.session, n_submissions, n_orgs, n_users, n_cosignatures, random_seed, echo
            )
            seconds = time.perf_counter() - start
        echo(f"Seeding took {seconds:.1f} s")
        if make_url(url).get_backend_name() == "sqlite":
            size = Path(make_url(url).database).stat().st_size / 1e6
            echo(f"Database file: {size:.0f} MB")

        secretariat = result["secretariat_email"]
        pages = [
            ("/", None),
            ("/submissions/", None),
            (f"/submissions/?market={result['market_id']}&status=aanvaard", None),
            ("/submissions/?q=vergunning", None),
            ("/submissions/?q=netcongestie+stikstof", None),
            ("/submissions/?q=vergunning&sort=newest", None),
            ("/submissions/?page=1000", None),
            (f"/submissions/{result['showcase_id']}", None),
            ("/submissions/", secretariat),
            ("/triage/", secretariat),
        ]
        rows = []
        for page, user in pages:
            try:
                row = measure(app, page, user, runs)
            except Exception as error:  # noqa: BLE001 - report and go on with the next page
                row = {"url": page, "available": True, "error": f"{type(error).__name__}: {error}"}
            row["as"] = "secretariaat" if user else "anonymous"
            rows.append(row)
        for query in ("vergunning", "netcongestie stikstof"):
            row = measure_search(app, query, runs)
            row["as"] = "-"
            rows.append(row)
        with app.app_context():
            rounds = seed_rounds(db_session(app), ballots=1000, candidates=50)
        for method, round_id in rounds.items():
            row = measure(app, f"/rounds/{round_id}", secretariat, runs)
            row["url"] = f"/rounds/{round_id} ({method}, 1000 × 50)"
            row["as"] = "secretariaat"
            rows.append(row)
        with app.app_context():
            meetings = seed_meetings(db_session(app))
        for size, meeting_id in meetings.items():
            for user, label in ((secretariat, "secretariaat"), (None, "anonymous")):
                row = measure(app, f"/meetings/{meeting_id}", user, runs)
                row["url"] = f"/meetings/{meeting_id} ({size} items × 3 reports)"
                row["as"] = label
                rows.append(row)
            row = measure(app, f"/meetings/{meeting_id}/agenda.pdf", secretariat, min(runs, 5))
            row["url"] = f"/meetings/{meeting_id}/agenda.pdf ({size} items × 3 reports)"
            row["as"] = "secretariaat"
            rows.append(row)
        echo("")
        echo(format_table(rows, runs))
        echo("")
        echo("Tally alone, 1 000 ballots × 50 candidates (best of 3, ms):")
        from tafel.voting.methods import bench_tally

        best = [bench_tally() for _ in range(3)]
        for method in best[0]:
            echo(f"  {method:<10}{min(run[method] for run in best):8.1f}")
        return {"seconds": seconds, "seed": result, "pages": rows}
    finally:
        app.extensions["tafel_engine"].dispose()


def db_session(app: Flask) -> Session:
    from tafel import db

    return db.session


def seed_rounds(session: Session, ballots: int, candidates: int, seed: int = 7) -> dict[str, int]:
    """One closed round per voting method with `ballots` ballots over
    `candidates` accepted submissions; returns the round ids by method."""
    from tafel.voting.methods import random_ballot
    from tafel.voting.models import Ballot, EligibleVoter, PriorityRound, RoundCandidate

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    subs = session.scalars(
        select(Submission.id)
        .where(Submission.status == "aanvaard", Submission.visibility != "vertrouwelijk")
        .limit(candidates)
    ).all()
    voters = session.execute(
        select(User.id, OrganisationType.constituency_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .join(OrganisationType, OrganisationType.id == Organisation.org_type_id)
        .limit(ballots)
    ).all()
    creator = session.scalar(select(User.id).where(User.email == SECRETARIAT_EMAIL))
    params = {"approval": {"k": 5}, "dot": {"total": 10, "max_per_candidate": 5}}
    now = datetime.now(UTC)
    made: dict[str, int] = {}
    for method in ("approval", "dot", "ranked", "score"):
        rnd = PriorityRound(
            title=f"Benchmark {method}", method=method, params=params.get(method, {}),
            secret=True, quorum_percent=50, status="gesloten", created_by_id=creator,
            opens_at=now - timedelta(days=8), closes_at=now - timedelta(days=1),
            opened_at=now - timedelta(days=8), closed_at=now - timedelta(days=1),
        )  # fmt: skip
        session.add(rnd)
        session.flush()
        session.execute(
            insert(RoundCandidate),
            [
                {"round_id": rnd.id, "submission_id": s, "position": n}
                for n, s in enumerate(subs, 1)
            ],
        )
        session.execute(
            insert(EligibleVoter),
            [{"round_id": rnd.id, "user_id": u, "constituency_id": c, "voted": True}
             for u, c in voters],
        )  # fmt: skip
        session.execute(
            insert(Ballot),
            [
                {"id": f"{rnd.id:04d}{n:028x}", "round_id": rnd.id, "constituency_id": c,
                 "content": random_ballot(method, subs, rng, **params.get(method, {}))}
                for n, (_u, c) in enumerate(voters)
            ],
        )  # fmt: skip
        made[method] = rnd.id
    session.commit()
    return made


def seed_meetings(session: Session, sizes: tuple[int, ...] = (3, 30)) -> dict[int, int]:
    """One published meeting per size: that many agenda items, each with three
    linked accepted reports (with their full text). Returns meeting ids by size."""
    from tafel.meetings.models import AgendaItem, AgendaLink, Meeting

    creator = session.scalar(select(User.id).where(User.email == SECRETARIAT_EMAIL))
    subs = session.scalars(
        select(Submission.id)
        .where(Submission.status == "aanvaard", Submission.visibility != "vertrouwelijk")
        .order_by(Submission.id)
        .limit(3 * max(sizes))
    ).all()
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=30)
    made: dict[int, int] = {}
    for size in sizes:
        meeting = Meeting(
            title=f"Benchmark: vergadering met {size} punten", description="", location="Den Haag",
            online_url="", status="gepubliceerd", sequence=0, created_by_id=creator,
            starts_at=start, ends_at=start + timedelta(minutes=15 * size), published_at=start,
        )  # fmt: skip
        session.add(meeting)
        session.flush()
        for position in range(1, size + 1):
            item = AgendaItem(
                meeting_id=meeting.id, position=position, title=f"Agendapunt {position}",
                kind="bespreking", duration_minutes=15, presenter="", description="",
                minutes="", minutes_revision=0,
            )  # fmt: skip
            session.add(item)
            session.flush()
            chosen = subs[(position - 1) * 3 : position * 3]
            session.execute(
                insert(AgendaLink),
                [{"agenda_item_id": item.id, "submission_id": sub_id} for sub_id in chosen],
            )
        made[size] = meeting.id
    session.commit()
    return made


def format_table(rows: list[dict[str, Any]], runs: int) -> str:
    width = max(len(row["url"]) for row in rows) + 2
    lines = [
        f"{'page':<{width}}{'as':<14}{'status':>7}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}",
        "-" * (width + 48),
    ]
    for row in rows:
        head = f"{row['url']:<{width}}{row['as']:<14}"
        if not row["available"]:
            lines.append(head + "not available")
        elif "error" in row:
            lines.append(head + "error: " + row["error"][:80])
        else:
            lines.append(
                head
                + f"{row['status']!s:>7}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                + f"{row['queries']:>9}"
            )
    lines.append(f"({runs} requests per page after one warm-up; server time via the test client)")
    return "\n".join(lines)


def register_bench_command(app: Flask) -> None:
    @app.cli.command("bench")
    @click.option("--submissions", "n_submissions", default=100_000, show_default=True)
    @click.option("--organisations", "n_orgs", default=10_000, show_default=True)
    @click.option("--users", "n_users", default=30_000, show_default=True)
    @click.option("--cosignatures", "n_cosignatures", default=500_000, show_default=True)
    @click.option("--runs", default=30, show_default=True, help="Requests per page.")
    @click.option("--seed", "random_seed", default=2026, show_default=True)
    @click.option(
        "--database-url",
        envvar="TAFEL_BENCH_DATABASE_URL",
        default=None,
        help="Benchmark database (default: instance/bench.db, recreated every run).",
    )
    def bench(
        n_submissions: int,
        n_orgs: int,
        n_users: int,
        n_cosignatures: int,
        runs: int,
        random_seed: int,
        database_url: str | None,
    ) -> None:
        """Seed a separate benchmark database and time the main pages."""
        if current_app.config["ENV_NAME"] == "production":
            raise click.ClickException("The bench command refuses to run in production.")
        url = database_url or default_bench_url()
        if _same_database(url, current_app.config["DATABASE_URL"]):
            raise click.ClickException(
                "The benchmark database must not be the application's database."
            )
        run_bench(url, n_submissions, n_orgs, n_users, n_cosignatures, runs, random_seed)
