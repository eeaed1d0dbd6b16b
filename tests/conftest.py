"""Test set-up: one database per run (SQLite file or a fresh PostgreSQL database),
migrated with Alembic, reference data loaded, emptied between tests.

TAFEL_TEST_DATABASE_URL selects the server: unset means SQLite;
`postgresql+psycopg://user@host:port/postgres` makes a fresh database there.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text

import config as tafel_config
from tafel import create_app, db
from tafel.cli import migrate
from tafel.db import Base, make_engine
from tafel.models import import_all
from tafel.reference.models import KINDS

import_all()
# Kept between tests: the reference data, and the version of its cached copy
# (tafel/core/cache.py), which must only grow or a process's copy could match
# a version that was reused.
REFERENCE_TABLES = {model.__tablename__ for model in KINDS.values()} | {"cache_versions"}


def _server_url() -> str | None:
    return os.environ.get("TAFEL_TEST_DATABASE_URL") or None


@contextmanager
def fresh_database(tmp_path_factory, name: str):
    """Yield the URL of a new, empty database; drop it afterwards."""
    server = _server_url()
    if server is None or server.startswith("sqlite"):
        path = tmp_path_factory.mktemp(name) / "tafel.db"
        yield f"sqlite:///{path}"
        return
    db_name = f"tafel_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
    url = server.rsplit("/", 1)[0] + "/" + db_name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": db_name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}"'))
        admin.dispose()


@dataclass
class MigrationDatabase:
    """A fresh database with its own app, Alembic configuration and engine."""

    app: Flask
    cfg: Any
    engine: Any

    def load_demo(self) -> None:
        """The reference data and the demo dataset, committed."""
        from tafel.cli import load_reference
        from tafel.demo import load_demo, read_demo

        with self.app.app_context():
            load_reference()
            load_demo(read_demo(self.app.config["REFERENCE_DIR"]))
            db.session.commit()
            db.session.close()


@contextmanager
def migration_database(tmp_path_factory, name: str):
    """A new, empty database to migrate by hand (``command.upgrade(db.cfg, …)``)."""
    from tafel.cli import alembic_config

    with fresh_database(tmp_path_factory, name) as url:
        app = create_app(make_config(url))
        cfg = alembic_config(url)
        cfg.attributes["configure_logger"] = False
        engine = make_engine(url)
        try:
            yield MigrationDatabase(app, cfg, engine)
        finally:
            engine.dispose()
            app.extensions["tafel_engine"].dispose()


FILES = Path(tempfile.mkdtemp(prefix="tafel-test-files-"))


@pytest.fixture(scope="session", autouse=True)
def _remove_files():
    yield
    shutil.rmtree(FILES, ignore_errors=True)


def make_config(database_url: str, **overrides) -> tafel_config.Config:
    config = tafel_config.TestConfig()
    config.DATABASE_URL = database_url
    config.MAIL_DIR = FILES / "mail"
    config.UPLOAD_DIR = FILES / "uploads"
    config.PDF_CACHE_DIR = FILES / "pdf-cache"
    config.OPEN_DATA_DIR = FILES / "open-data"
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory, "suite") as url:
        app = create_app(make_config(url))
        with app.app_context():
            migrate(url)
            from tafel.cli import load_reference

            load_reference()
        app.extensions["tafel_engine"].dispose()
        yield url


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(make_config(database_url))
    yield app
    app.extensions["tafel_engine"].dispose()


def empty_tables(engine) -> None:
    """Remove everything but the reference data."""
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" in request.fixturenames:
        app = request.getfixturevalue("app")
        empty_tables(app.extensions["tafel_engine"])


@pytest.fixture
def ctx(app):
    """An app context with a request, for calling services directly."""
    with app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def app_ctx(app):
    """A pushed app context, for tests that read or change the database directly."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


# Helpers ----------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _session_secret(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("csrf_token")


def csrf_token(client, url: str = "/") -> str:
    """A CSRF token for the client's session: fetched from `url` once, then
    reused for as long as the session keeps the same secret (a login keeps
    it, a logout or a new session does not)."""
    cached = getattr(client, "_tafel_csrf", None)
    if cached is not None and cached[0] == _session_secret(client):
        return cached[1]
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    if match is None and url == "/":
        # A visitor's pages carry no form (and start no session): the login page does.
        html = client.get("/auth/login").get_data(as_text=True)
        match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    client._tafel_csrf = (_session_secret(client), match.group(1))
    return match.group(1)


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form the way a browser does: with the session's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def login(client, email: str, password: str = "correct-horse-battery"):
    return post(client, "/auth/login", {"email": email, "password": password})


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside the `with` block."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = app.extensions["tafel_engine"]
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter
