"""Demo submissions from demo.json, with co-signatures, merges and a plausible
triage history. Idempotent: submissions are matched by title."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from tafel import db
from tafel.accounts.models import Organisation, User
from tafel.reference.models import (
    ActionLine,
    GovernmentLevel,
    Market,
    Ministry,
    Mission,
    Province,
    Technology,
)
from tafel.submissions import search
from tafel.submissions.models import CoSignature, Submission, TimelineEvent

IMPACT_TYPES = {
    "vertraging": "vertraging",
    "investering-uitgesteld": "vertraging",
    "kosten": "kosten",
    "administratieve-last": "kosten",
    "omzetverlies": "kosten",
    "investering-verplaatst": "belemmering",
    "arbeidstekort": "belemmering",
    "dreiging": "risico",
}


def _by_slug(model) -> dict[str, Any]:
    return {row.slug: row for row in db.session.scalars(select(model))}


def _at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), UTC)


def load_submissions(data: dict[str, Any], organisations: dict[str, Organisation]) -> int:
    entries = data.get("submissions", [])
    existing = {s.title: s for s in db.session.scalars(select(Submission))}
    refs = {
        "market": _by_slug(Market),
        "action_line": _by_slug(ActionLine),
        "technology": _by_slug(Technology),
        "mission": _by_slug(Mission),
        "province": _by_slug(Province),
        "level": _by_slug(GovernmentLevel),
        "ministry": _by_slug(Ministry),
    }
    scheduled = _scheduled_indices(data)
    secretariat = db.session.scalar(select(User).where(User.email == "secretariaat@example.org"))
    created: list[Submission] = []
    newest = sorted(range(len(entries)), key=lambda i: entries[i]["submitted_at"])[-5:]
    added = 0
    for index, entry in enumerate(entries):
        sub = existing.get(entry["title"])
        if sub is None:
            sub = _submission(entry, organisations, refs)
            db.session.add(sub)
            db.session.flush()
            status = _status(index, entry, scheduled, newest)
            _history(sub, entry, status, secretariat, refs)
            added += 1
        created.append(sub)
    for index, entry in enumerate(entries):
        target = entry.get("duplicate_of_index")
        if target is not None and created[index].status != "samengevoegd" and added:
            _merge(created[index], created[target], secretariat)
    if added:
        for index, entry in enumerate(entries):
            _cosign(created[index], entry.get("cosigners", []), organisations)
        db.session.flush()
        for sub in created:
            search.index_submission(db.session, sub)
    return added


def _scheduled_indices(data: dict[str, Any]) -> set[int]:
    indices = set(data.get("priority_round", {}).get("candidates", []))
    for meeting in data.get("meetings", []):
        for item in meeting.get("agenda", []):
            indices.update(item.get("submission_indices", []))
    return indices


def _status(index: int, entry, scheduled: set[int], newest: list[int]) -> str:
    if entry.get("duplicate_of_index") is not None:
        return "in_behandeling"  # merged below
    if index in newest:
        return "ingediend"
    if index in scheduled or (entry.get("responsible_ministry") and index % 3):
        return "aanvaard"
    return "in_behandeling"


def _author(org: Organisation) -> User:
    user = db.session.scalar(
        select(User).where(User.organisation_id == org.id).order_by(User.active.desc(), User.id)
    )
    if user is not None:
        return user
    # Demo organisations without an account get an inactive contact person.
    user = User(
        email=f"contact-{org.id}@demo.example",
        name=f"Contactpersoon {org.name}",
        password_hash="!",  # noqa: S106 - no valid hash: the contact cannot log in
        organisation=org,
        active=False,
    )
    user.set_roles({"indiener"})
    db.session.add(user)
    db.session.flush()
    return user


def _submission(entry, organisations, refs) -> Submission:
    org = organisations[entry["organisation"]]
    impact = entry.get("impact") or {}
    regulation = entry.get("regulation") or {}
    body = entry.get("body") or ""
    if impact.get("description"):
        body += f"\n\n**Gevolgen:** {impact['description']}"
    submitted = _at(entry["submitted_at"])
    ministry = refs["ministry"].get(entry.get("responsible_ministry") or "")
    return Submission(
        kind=entry["kind"],
        status="ingediend",
        title=entry["title"][:150],
        summary=entry["summary"][:500],
        body=body,
        proposed_solution=entry.get("proposed_solution") or "",
        market=refs["market"].get(entry.get("market") or ""),
        province=refs["province"].get(entry.get("province") or ""),
        government_level=refs["level"].get(entry.get("government_level") or "")
        if entry["kind"] == "knelpunt"
        else None,
        regulation_name=regulation.get("name") if entry["kind"] == "knelpunt" else None,
        regulation_identifier=regulation.get("identifier") if entry["kind"] == "knelpunt" else None,
        regulation_article=regulation.get("article") if entry["kind"] == "knelpunt" else None,
        ministry=ministry,
        impact_type=IMPACT_TYPES.get(impact.get("type")),
        impact_euro=impact.get("estimate_eur"),
        impact_delay_months=impact.get("delay_months"),
        visibility=entry["visibility"],
        show_organisation=True,
        organisation=org,
        author=_author(org),
        created_at=submitted - timedelta(days=1),
        updated_at=submitted,
        submitted_at=submitted,
        status_changed_at=submitted,
        action_lines=[refs["action_line"][s] for s in entry.get("action_lines", [])],
        technologies=[refs["technology"][s] for s in entry.get("technologies", [])],
        missions=[refs["mission"][s] for s in entry.get("missions", [])],
    )


def past_event(sub, kind, when, actor=None, by_secretariat=False, reason=None, **data):
    """A timeline entry dated in the past, as if the step happened then."""
    if by_secretariat:
        data["by"] = "secretariaat"
    db.session.add(
        TimelineEvent(
            submission_id=sub.id,
            kind=kind,
            created_at=when,
            actor_id=getattr(actor, "id", None),
            organisation_id=getattr(actor, "organisation_id", None),
            reason=reason,
            data=data,
        )
    )


def _history(sub, entry, status, secretariat, refs) -> None:
    submitted = sub.submitted_at
    past_event(sub, "created", sub.created_at, sub.author)
    past_event(sub, "status", submitted, sub.author, previous="concept", status="ingediend",
           action="submit")  # fmt: skip
    if status == "ingediend":
        return
    taken = submitted + timedelta(days=3)
    past_event(sub, "status", taken, secretariat, True, previous="ingediend",
           status="in_behandeling", action="take")  # fmt: skip
    sub.status, sub.status_changed_at, sub.first_response_at = "in_behandeling", taken, taken
    if status == "aanvaard":
        accepted = submitted + timedelta(days=12)
        sub.ministry = sub.ministry or refs["ministry"]["EZK"]
        sub.response_deadline = (accepted + timedelta(weeks=8)).date()
        past_event(sub, "status", accepted, secretariat, True, previous="in_behandeling",
               status="aanvaard", action="accept")  # fmt: skip
        sub.status, sub.status_changed_at = "aanvaard", accepted


def _merge(source: Submission, target: Submission, secretariat) -> None:
    when = source.submitted_at + timedelta(days=5)
    past_event(source, "status", when, secretariat, True, previous=source.status,
           status="samengevoegd", action="merge")  # fmt: skip
    past_event(
        target, "merged_in", when, secretariat, True, source_id=source.id, title=source.title
    )
    source.status, source.status_changed_at, source.merged_into_id = "samengevoegd", when, target.id


def _cosign(sub: Submission, slugs: list[str], organisations) -> None:
    if sub.status == "samengevoegd":
        target_id = sub.merged_into_id
    else:
        target_id = sub.id
    present = set(
        db.session.scalars(
            select(CoSignature.organisation_id).where(CoSignature.submission_id == target_id)
        )
    )
    owner = db.session.get(Submission, target_id).organisation_id
    extra = [] if sub.id == target_id else [sub.organisation]
    for org in [organisations[s] for s in slugs] + extra:
        if org.id in present or org.id == owner:
            continue
        present.add(org.id)
        db.session.add(
            CoSignature(
                submission_id=target_id,
                organisation_id=org.id,
                evidence="",
                created_at=sub.submitted_at + timedelta(days=2),
            )
        )
        db.session.flush()
    target = db.session.get(Submission, target_id)
    target.cosign_count = len(present)
