"""`backup` while another thread keeps writing, `restore` into a fresh database,
and every invariant holds in the copy: counters equal rows, decision numbers
without gaps, every file row with its file (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import tarfile
import threading
import time

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage

from tafel import create_app, db
from tafel.cli import load_reference, migrate
from tafel.core import backup as backup_module
from tafel.core import uploads as files
from tafel.core.filecheck import sha256_of
from tafel.db import make_engine
from tafel.decisions.models import Decision
from tafel.decisions.services import meeting_is_held, record_decision
from tafel.demo import load_demo, read_demo
from tafel.meetings.models import AgendaItem
from tafel.submissions import intake, policies, support
from tafel.submissions.models import Submission
from tests.conftest import fresh_database, make_config
from tests.factories import make_org, make_user
from tests.submissions.helpers import PDF


def demo_app(url, uploads):
    app = create_app(make_config(url, UPLOAD_DIR=uploads))
    with app.app_context():
        migrate(url)
        load_reference()
        load_demo(read_demo(app.config["REFERENCE_DIR"]))
        db.session.commit()
    return app


class Writer(threading.Thread):
    """Each step, in one transaction: a new organisation co-signs a report, a
    decision gets the next number, and a file is attached."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.commits = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.app.app_context():
                secretariat_id = db.session.scalars(select(Decision.created_by_id)).first()
                items = db.session.scalars(
                    select(AgendaItem).where(AgendaItem.kind == "besluitvorming")
                )
                item_id = next(i.id for i in items if meeting_is_held(i))
                while not self.stop.is_set():
                    self.step(item_id, secretariat_id)
                    db.session.commit()
                    self.commits += 1
                    db.session.expunge_all()
        except BaseException as error:  # shown by the test
            self.error = error

    def step(self, item_id: int, secretariat_id: int) -> None:
        from tafel.accounts.models import User

        user = make_user(org=make_org(), roles=("indiener",))
        subs = db.session.scalars(select(Submission).order_by(Submission.id))
        sub = next(s for s in subs if policies.can_cosign(user, s))
        support.cosign(sub, user, "Wij herkennen dit.")
        item = db.session.get(AgendaItem, item_id)
        record_decision(
            item, db.session.get(User, secretariat_id), text="Besluit.", outcome="overnemen"
        )
        upload = files.validate_upload(FileStorage(io.BytesIO(PDF), "bijlage.pdf"), 0)
        intake.add_attachment(sub, user, upload)


def invariants(url, uploads) -> list[str]:
    """What is wrong in the database at `url` and its upload folder."""
    engine = make_engine(url)
    problems = []
    with engine.connect() as conn:
        wrong = conn.execute(
            text(
                "SELECT id FROM submissions s WHERE cosign_count <> "
                "(SELECT count(*) FROM cosignatures c WHERE c.submission_id = s.id)"
            )
        ).all()
        problems += [f"submission {row.id}: cosign_count differs" for row in wrong]
        for year, last in conn.execute(text("SELECT year, last FROM decision_counters")):
            numbers = conn.execute(
                text("SELECT sequence FROM decisions WHERE year = :y ORDER BY sequence"),
                {"y": year},
            ).scalars()
            if list(numbers) != list(range(1, last + 1)):
                problems.append(f"decision numbers of {year} are not 1..{last}")
        for table in ("attachments", "meeting_documents"):
            for name, digest in conn.execute(text(f"SELECT stored_name, sha256 FROM {table}")):  # noqa: S608
                path = uploads / name
                if not path.is_file() or sha256_of(path) != digest:
                    problems.append(f"{table} {name}: file missing or different")
    engine.dispose()
    return problems


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_backup_during_writes_restores_with_every_invariant(
    tmp_path, tmp_path_factory, monkeypatch
):
    with (
        fresh_database(tmp_path_factory, "source") as source_url,
        fresh_database(tmp_path_factory, "target") as target_url,
    ):
        source = demo_app(source_url, tmp_path / "uploads")
        writer = Writer(source)
        # The files are copied after the snapshot: let the writer commit meanwhile.
        copy_files = backup_module._add_files
        during: list[int] = []

        def slow_copy(*args):
            start = writer.commits
            wait_for(lambda: writer.commits >= start + 2 or writer.error is not None)
            during.append(writer.commits - start)
            copy_files(*args)

        monkeypatch.setattr(backup_module, "_add_files", slow_copy)
        writer.start()
        try:
            wait_for(lambda: writer.commits >= 3 or writer.error is not None)
            archive = tmp_path / "tafel-backup.tar.gz"
            result = source.test_cli_runner().invoke(args=["backup", str(archive)])
        finally:
            writer.stop.set()
            writer.join(30)
        assert writer.error is None, writer.error
        assert result.exit_code == 0, result.output
        assert during and during[0] >= 2  # writes really went on during the backup
        assert invariants(source_url, tmp_path / "uploads") == []

        target = create_app(make_config(target_url, UPLOAD_DIR=tmp_path / "restored"))
        restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert "verified" in restored.output
        assert invariants(target_url, tmp_path / "restored") == []
        engine = make_engine(target_url)
        with engine.connect() as conn:
            decisions = conn.execute(text("SELECT count(*) FROM decisions")).scalar_one()
            files_restored = conn.execute(text("SELECT count(*) FROM attachments")).scalar_one()
        engine.dispose()
        assert decisions >= 12 + 3 and files_restored >= 3  # the demo and the writes before
        assert len(list((tmp_path / "restored").iterdir())) == files_restored

        # A second restore into the now full database is refused and changes nothing.
        again = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert again.exit_code != 0 and "not empty" in again.output
        for app in (source, target):
            app.extensions["tafel_engine"].dispose()


@pytest.fixture
def small_backup(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", tmp_path / "uploads")
    from tests.factories import make_attachment, make_submission

    with app.app_context():
        make_attachment(make_submission())
    archive = tmp_path / "b.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    return archive


def test_restore_refuses_a_database_that_is_not_empty(app, small_backup):
    result = app.test_cli_runner().invoke(args=["restore", str(small_backup)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_restore_refuses_an_archive_whose_file_was_changed(
    small_backup, tmp_path_factory, tmp_path
):
    changed = tmp_path / "changed.tar.gz"
    with tarfile.open(small_backup) as source, tarfile.open(changed, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data.replace(b"%%EOF", b"%%EOX")
            target.addfile(member, io.BytesIO(data))
    with fresh_database(tmp_path_factory, "tampered") as url:
        target_app = create_app(make_config(url, UPLOAD_DIR=tmp_path / "restored"))
        result = target_app.test_cli_runner().invoke(args=["restore", str(changed)])
        target_app.extensions["tafel_engine"].dispose()
    assert result.exit_code != 0 and "checksum" in result.output
    assert not (tmp_path / "restored").exists() or not list((tmp_path / "restored").iterdir())
