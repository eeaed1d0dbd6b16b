"""programmes.json in one go: the programme lists and programmes, the
indicators and targets, and the international files (this package is the
highest of the three, so the loader that uses all of them lives here)."""

from __future__ import annotations

from sqlalchemy import inspect

from tafel import db
from tafel.international.services import load_files
from tafel.programmes.reference import load_programme_reference, read_programmes
from tafel.progress.reference import load_progress_reference


def schema_has_programmes() -> bool:
    """False on a database migrated only to an older revision (tests of old migrations)."""
    return inspect(db.session.connection()).has_table("international_files")


def load_programmes_file(reference_dir) -> dict[str, int]:
    data = read_programmes(reference_dir)
    if data is None or not schema_has_programmes():
        return {}
    added = load_programme_reference(data)
    added.update(load_progress_reference(data))
    added["international_files"] = load_files(data.get("international_files", []))
    return added
