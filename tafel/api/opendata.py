"""Open data: the public register as documented CSV and JSON files, with a
field dictionary for every column, the CC0 licence, the generation time, a
SHA-256 per file and a DCAT-AP-NL style `catalog.json`.

Every dataset is read through the lists' own queries as an anonymous visitor
(`submission_query`, `register_query`, `list_query`), and reports are also
checked one by one with `can_view`, so nothing the public may not read can
reach a file. The files are written to OPEN_DATA_DIR (default
instance/open-data), each into a temporary name first and then moved into
place, so a reader never sees half a file. The worker regenerates them
nightly; the beheerder can regenerate them at once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tafel import db
from tafel.actions.models import STATUSES as ACTION_STATUSES
from tafel.actions.queries import ActionFilters, list_query
from tafel.actions.scoreboard import compute as compute_scoreboard
from tafel.actions.services import owner_label
from tafel.core.exports import csv_cell
from tafel.db import utcnow
from tafel.decisions.models import IMPLEMENTATION, OUTCOMES
from tafel.decisions.queries import RegisterFilters, implementation_of, register_query
from tafel.decisions.queries import with_details as decision_details
from tafel.responses.models import Response
from tafel.submissions import policies as submission_policies
from tafel.submissions.models import KINDS, STATUSES, Submission
from tafel.submissions.queries import Filters, submission_query

LICENCE = {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
BATCH = 500


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[], Iterator[dict[str, Any]]]


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _slug(row) -> str | None:
    return row.slug if row is not None else None


def public() -> AnonymousUserMixin:
    return AnonymousUserMixin()


def _batches(query) -> Iterator[Any]:
    yield from db.session.scalars(query.execution_options(yield_per=BATCH))


def report_rows() -> Iterator[dict[str, Any]]:
    visitor = public()
    query = (
        submission_query(visitor, Filters(), ordered=False)
        .order_by(Submission.id)
        .options(selectinload(Submission.organisation), selectinload(Submission.market),
                 selectinload(Submission.province), selectinload(Submission.ministry),
                 selectinload(Submission.action_lines), selectinload(Submission.technologies))
    )  # fmt: skip
    for sub in _batches(query):
        if not submission_policies.can_view(visitor, sub):  # never, by the query; twice sure
            continue
        shown = submission_policies.can_see_submitter(visitor, sub)
        yield {
            "id": sub.id, "kind": sub.kind, "status": sub.status, "title": sub.title,
            "summary": sub.summary, "market": _slug(sub.market),
            "action_lines": "|".join(x.slug for x in sub.action_lines),
            "technologies": "|".join(x.slug for x in sub.technologies),
            "province": _slug(sub.province), "ministry": _slug(sub.ministry),
            "organisation": sub.organisation.name if shown else None,
            "cosign_count": sub.cosign_count, "created_at": _iso(sub.created_at),
            "submitted_at": _iso(sub.submitted_at),
            "response_deadline": _iso(sub.response_deadline),
        }  # fmt: skip


def decision_rows() -> Iterator[dict[str, Any]]:
    visitor = public()
    query = decision_details(register_query(visitor, RegisterFilters()))
    for row in _batches(query.order_by(None).order_by(*_decision_order())):
        yield {
            "id": row.id, "number": row.number, "year": row.year, "meeting_id": row.meeting_id,
            "outcome": row.outcome, "text": row.text, "explanation": row.explanation,
            "ministry": _slug(row.ministry), "implementation": implementation_of(row),
            "submission_ids": "|".join(str(link.submission_id) for link in row.links),
            "created_at": _iso(row.created_at),
        }  # fmt: skip


def _decision_order():
    from tafel.decisions.models import Decision

    return (Decision.year, Decision.sequence)


def response_rows() -> Iterator[dict[str, Any]]:
    visible = submission_query(public(), Filters(), columns=[Submission.id], ordered=False)
    query = (
        select(Response)
        .where(Response.status == "gepubliceerd", Response.submission_id.in_(visible))
        .options(selectinload(Response.ministry))
        .order_by(Response.id)
    )
    for row in _batches(query):
        yield {
            "id": row.id, "submission_id": row.submission_id, "ministry": _slug(row.ministry),
            "outcome": row.outcome, "explanation": row.explanation, "measures": row.measures,
            "due_date": _iso(row.due_date), "published_at": _iso(row.published_at),
        }  # fmt: skip


def action_rows() -> Iterator[dict[str, Any]]:
    for row in _batches(list_query(public(), ActionFilters())):
        yield {
            "id": row.id, "description": row.description, "status": row.status,
            "due_date": _iso(row.due_date), "completed_at": _iso(row.completed_at),
            "owner": owner_label(row), "decision_id": row.decision_id,
            "response_id": row.response_id,
        }  # fmt: skip


def scoreboard_rows() -> Iterator[dict[str, Any]]:
    for row in compute_scoreboard():
        yield {
            "ministry": row.ministry.slug, "decisions": row.decisions,
            "responses_due": row.responses_due, "responses_on_time": row.responses_on_time,
            "responses_published": row.published,
            **{f"outcome_{name}": row.outcomes[name] for name in OUTCOMES},
            "actions_due": row.actions_due, "actions_on_time": row.actions_on_time,
            "median_days_to_response": row.median_days,
        }  # fmt: skip


def path(name: str) -> Path:
    folder = Path(current_app.config.get("OPEN_DATA_DIR") or
                  Path(current_app.instance_path) / "open-data")  # fmt: skip
    return folder / name


def _write(target: Path, data: bytes) -> str:
    """Write `data` to `target` atomically; its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    return hashlib.sha256(data).hexdigest()


def _csv(dataset: Dataset, rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    names = [f.name for f in dataset.fields]
    writer.writerow(names)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in names])
    return buffer.getvalue().encode("utf-8")


def generate() -> dict[str, Any]:
    """Write every dataset as CSV and JSON, then the metadata; returns the metadata."""
    from tafel.api.opendata_fields import DATASETS

    moment = utcnow().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    files: dict[str, Any] = {}
    for dataset in DATASETS:
        rows = list(dataset.rows())
        body = json.dumps({"dataset": dataset.name, "generated_at": moment, "rows": rows},
                          ensure_ascii=False, indent=1).encode("utf-8")  # fmt: skip
        files[dataset.name] = {
            "rows": len(rows),
            "csv": {"name": f"{dataset.name}.csv", "sha256": _write(path(f"{dataset.name}.csv"),
                                                                   _csv(dataset, rows))},
            "json": {"name": f"{dataset.name}.json",
                     "sha256": _write(path(f"{dataset.name}.json"), body)},
        }  # fmt: skip
    meta = {"generated_at": moment, "licence": LICENCE, "files": files}
    _write(path("metadata.json"), json.dumps(meta, indent=1).encode("utf-8"))
    return meta


def metadata() -> dict[str, Any] | None:
    try:
        return json.loads(path("metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def due(now: datetime | None = None) -> bool:
    """Whether the nightly generation is due: no files yet, or made before today (UTC)."""
    meta = metadata()
    if meta is None:
        return True
    made = datetime.fromisoformat(meta["generated_at"].replace("Z", "+00:00"))
    return made.date() < (now or utcnow()).date()


REPORT_STATUSES = tuple(s for s in STATUSES if s != "concept")
__all__ = ["ACTION_STATUSES", "IMPLEMENTATION", "KINDS", "REPORT_STATUSES", "Dataset", "Field"]
