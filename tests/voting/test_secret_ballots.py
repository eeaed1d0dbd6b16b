"""Secret ballots that never link (audit finding 16): after a secret round in
which 15 members voted, no table and no byte of the SQLite file or its WAL
puts a voter next to ballot content — checked after every single vote, and
after closing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from tafel import db
from tafel.db import Base
from tafel.voting import ballots, services
from tafel.voting.models import Ballot, EligibleVoter
from tests.voting.factories import make_member, make_round

KINDS = ["mkb", "universiteit", "gemeente"]
PAGE_HEADER, WAL_HEADER, FRAME_HEADER = 0, 32, 24


def contents(candidates: list[int]) -> list[dict]:
    """Fifteen different dot ballots (10 points, at most 6 on one candidate)."""
    a, b, _c = candidates
    pairs = [(x, y) for x in range(7) for y in range(7) if 0 < x + y <= 10][:15]
    return [{"points": {a: x, b: y}} for x, y in pairs]


def test_no_table_links_a_secret_ballot_to_its_voter(app, ctx):
    members = [make_member(KINDS[n % 3]) for n in range(15)]
    rnd, candidates, secretariat = make_round("dot", secret=True)
    for member, content in zip(members, contents(candidates), strict=True):
        ballots.cast_ballot(rnd, member, content)
        db.session.commit()
        _inspect_tables(rnd)
    services.close_round(rnd, secretariat)
    db.session.commit()
    _inspect_tables(rnd)


def _inspect_tables(rnd) -> None:
    # No column anywhere refers to a ballot; a secret ballot names nobody.
    for table in Base.metadata.tables.values():
        for key in table.foreign_keys:
            assert key.column.table.name != "ballots", f"{table.name} refers to ballots"
    rows = db.session.scalars(select(Ballot).where(Ballot.round_id == rnd.id)).all()
    assert rows and all(row.voter_id is None for row in rows)
    ids = {row.id for row in rows}
    for table in Base.metadata.sorted_tables:
        if table.name == "ballots":
            continue
        for record in db.session.execute(select(table)).all():
            assert not ids & {str(value) for value in record}, table.name
    voters = db.session.scalars(select(EligibleVoter).where(EligibleVoter.round_id == rnd.id))
    assert not {"ballot_id", "receipt"} & set(EligibleVoter.__table__.columns.keys())
    assert sum(voter.voted for voter in voters) == len(rows)


def test_the_raw_sqlite_file_and_wal_hold_no_link(app, ctx, database_url):
    if not database_url.startswith("sqlite:///"):
        pytest.skip("the raw-file inspection reads SQLite's file and WAL")
    path = Path(database_url.removeprefix("sqlite:///"))
    members = [make_member(KINDS[n % 3]) for n in range(15)]
    rnd, candidates, secretariat = make_round("dot", secret=True)
    for member, content in zip(members, contents(candidates), strict=True):
        ballots.cast_ballot(rnd, member, content)
        db.session.commit()
        _inspect_bytes(path, rnd)
    services.close_round(rnd, secretariat)
    db.session.commit()
    _inspect_bytes(path, rnd)


def _page_images(path: Path) -> list[tuple[int, bytes]]:
    """(page number, bytes) of every page in the file and every frame in the WAL."""
    data = path.read_bytes()
    size = int.from_bytes(data[16:18], "big") or 65536
    images = [(n + 1, data[n * size : (n + 1) * size]) for n in range(len(data) // size)]
    wal = Path(f"{path}-wal")
    if wal.exists():
        raw = wal.read_bytes()
        at = WAL_HEADER
        while at + FRAME_HEADER + size <= len(raw):
            page = int.from_bytes(raw[at : at + 4], "big")
            images.append((page, raw[at + FRAME_HEADER : at + FRAME_HEADER + size]))
            at += FRAME_HEADER + size
    return images


def _inspect_bytes(path: Path, rnd) -> None:
    rows = db.session.execute(
        select(Ballot.id, Ballot.content).where(Ballot.round_id == rnd.id)
    ).all()
    with sqlite3.connect(path) as reader:  # who owns each page now
        owners = dict(reader.execute("SELECT pageno, name FROM dbstat").fetchall())
    images = _page_images(path)
    for ballot_id, content in rows:
        needles = [ballot_id.encode(), json.dumps(content).encode()]
        found = [page for page, image in images if any(n in image for n in needles)]
        assert found, "the inspection must find the ballot itself"
        where = {owners.get(page) for page in found}
        # Only the ballots table and its indexes (or a page freed from them)
        # ever hold these bytes: never a voter's row, a log or another table.
        assert all(_of_ballots(owner) for owner in where), where


def _of_ballots(owner: str | None) -> bool:
    return owner is None or owner == "ballots" or "_ballots_" in f"_{owner}_"
