"""Files that follow the database transaction.

A new file is written under a temporary name (`.<stored name>.part`) and moved
into place with os.replace only when the session's transaction commits; a
rollback (or a session closed without commit) removes the temporary file. A
file to remove is removed only after the commit that removed its row. So a
stored file name never exists without its committed row, and a committed row
loses its file only when its removal was committed too.

The work waits in `session.info` and is done by session events, for every
session (requests, commands, tests); services only call `place_on_commit()` and
`remove_on_commit()`, they never commit.

Left behind only by a crash between the commit and the rename: a `.part` file
whose row exists. `flask --app tafel check-files --fix` finishes such moves.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
_KEY = "tafel_file_work"


def temp_path(final: Path) -> Path:
    """Where a file waits for its commit."""
    return final.with_name(f"{TEMP_PREFIX}{final.name}{TEMP_SUFFIX}")


def final_name(temp_name: str) -> str | None:
    """The stored name a temporary file stands for, or None if it is none."""
    if temp_name.startswith(TEMP_PREFIX) and temp_name.endswith(TEMP_SUFFIX):
        return temp_name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)]
    return None


def _work(session: Session) -> list[tuple[str, Path, Path | None]]:
    return session.info.setdefault(_KEY, [])


def place_on_commit(session: Session, temp: Path, final: Path) -> None:
    """Move `temp` to `final` when the transaction commits; remove it otherwise."""
    _work(session).append(("place", temp, final))


def remove_on_commit(session: Session, path: Path) -> None:
    """Remove `path` once the transaction (that removed its row) commits."""
    _work(session).append(("remove", path, None))


def _place(temp: Path, final: Path) -> None:
    try:
        os.replace(temp, final)
    except OSError:
        log.exception("could not move %s into place after commit", temp)


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.exception("could not remove %s after commit", path)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    for action, path, final in session.info.pop(_KEY, []):
        if action == "place" and final is not None:
            _place(path, final)
        else:
            _remove(path)


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction) -> None:
    if transaction.parent is not None:
        return
    # Still here after the outermost transaction ended: it did not commit.
    for action, path, _final in session.info.pop(_KEY, []):
        if action == "place":
            _remove(path)
