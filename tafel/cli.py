"""`flask --app tafel …` commands: init-db, demo, create-user, send-mail, worker,
backup, restore, check-files, and bench (from tafel.bench)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from tafel import db

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return cfg


def migrate(url: str | None = None, revision: str = "head") -> None:
    url = url or current_app.config["DATABASE_URL"]
    command.upgrade(alembic_config(url), revision)
    db.analyze(url)


def load_reference() -> dict[str, int]:
    from tafel.international.reference import load_programmes_file
    from tafel.reference.services import load_reference_data, read_taxonomy

    reference_dir = current_app.config["REFERENCE_DIR"]
    added = load_reference_data(read_taxonomy(reference_dir))
    added.update(load_programmes_file(reference_dir))
    db.session.commit()
    return added


def register_commands(app: Flask) -> None:
    from tafel.bench import register_bench_command
    from tafel.progress.command import import_indicators

    register_bench_command(app)
    app.cli.add_command(import_indicators)
    for command_ in (
        init_db,
        demo,
        create_user,
        send_mail,
        worker,
        backup,
        restore,
        check_files,
        purge_form_tokens,
    ):
        app.cli.add_command(command_)


# Database and demo data -------------------------------------------------------------


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Migrate the database to the newest schema and load the reference data."""
    _ensure_sqlite_dir()
    migrate()
    added = load_reference()
    click.echo(f"Database migrated; reference entries added: {sum(added.values())}")


@click.command("demo")
@click.option("--reset", is_flag=True, help="Empty the database before loading.")
@click.option("--if-empty", is_flag=True, help="Only load when there are no users yet.")
@click.option("--yes", is_flag=True, help="Empty without asking (needed without a terminal).")
@with_appcontext
def demo(reset: bool, if_empty: bool, yes: bool) -> None:
    """Load the demo dataset and one account per role (password demo-tafel-2026)."""
    from tafel.accounts.models import User
    from tafel.demo import load_demo, read_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("The demo command refuses to run in production.")
    _ensure_sqlite_dir()
    if reset:
        _confirm_emptying(yes)
        _empty_database()
    migrate()
    load_reference()
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("Database already has users; demo data not loaded.")
        return
    result = load_demo(read_demo(current_app.config["REFERENCE_DIR"]))
    db.session.commit()
    click.echo(
        f"Demo loaded: {result['organisations']} organisations, "
        f"{result['users_added']} accounts added, "
        f"{result['submissions_added']} submissions added, "
        f"{result['meetings_added']} meetings added, "
        f"{result['decisions_added']} decisions added."
    )


# Accounts -----------------------------------------------------------------------------


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--organisation", "org_name", required=True, help="Existing organisation name.")
@click.option("--role", "roles", multiple=True, required=True)
@with_appcontext
def create_user(email: str, name: str, org_name: str, roles: tuple[str, ...]) -> None:
    """Create a user in an existing organisation; asks for the password."""
    from tafel.accounts import passwords
    from tafel.accounts.models import User
    from tafel.accounts.validators import normalise_email
    from tafel.core import audit

    org = _check_new_user(email, org_name, roles)
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = passwords.password_problem(password, email)
    if problem:
        raise click.ClickException(problem)
    user = User(
        email=normalise_email(email),
        name=name,
        password_hash=passwords.hash_password(password),
        organisation=org,
    )
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, None, after={"email": user.email, "roles": list(roles)})
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(roles))}.")


def _check_new_user(email: str, org_name: str, roles: tuple[str, ...]):
    """The organisation to join; refuses unknown roles, organisations and taken addresses."""
    from tafel.accounts.models import ROLES, Organisation
    from tafel.accounts.services import find_user_by_email

    unknown = set(roles) - set(ROLES)
    if unknown:
        raise click.BadParameter(f"unknown role(s): {', '.join(sorted(unknown))}")
    org = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
    if org is None:
        raise click.BadParameter(f"no organisation named {org_name!r}")
    if find_user_by_email(email):
        raise click.BadParameter(f"{email} already has an account")
    return org


# Scheduled work and mail ----------------------------------------------------------------


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Run the worker's scheduled jobs once (rounds, reminders, digests, API
    upkeep, rate-limit purge), then send the queued mail (run it from a timer)."""
    from tafel.core.mail import send_pending
    from tafel.schedule import SCHEDULED_JOBS

    for _name, job in SCHEDULED_JOBS:
        job()
    sent, failed = send_pending(echo=click.echo)
    click.echo(f"Mail sent: {sent}, failed: {failed}")
    if failed:
        raise SystemExit(1)


@click.command("worker")
@click.option("--once", is_flag=True, help="One tick (if no other worker runs), then stop.")
@click.option("--interval", type=float, default=None, help="Seconds between ticks.")
@with_appcontext
def worker(once: bool, interval: float | None) -> None:
    """Run the scheduled jobs of `send-mail` every minute until SIGTERM or
    SIGINT; only one worker is active at a time, the others wait their turn."""
    from tafel.core.jobs import Runner, make_lease
    from tafel.schedule import SCHEDULED_JOBS

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lease = make_lease(db.engine(), ttl=app.config["WORKER_LEASE"])
    runner = Runner(app, lease, (), interval=interval or app.config["WORKER_INTERVAL"])
    # Mail goes last and checks between messages whether to stop (and renews the lease).
    runner.jobs = (*SCHEDULED_JOBS, ("mail", lambda: _worker_send_mail(runner.keep_going)))
    runner.install_signal_handlers()
    click.echo(f"Worker {lease.holder} started (every {runner.interval:g} s); Ctrl-C stops it.")
    runner.run(once=once)
    click.echo("Worker stopped.")


def _worker_send_mail(keep_going) -> None:
    from tafel.core.mail import send_pending

    sent, failed = send_pending(echo=click.echo, keep_going=keep_going)
    if sent or failed:
        click.echo(f"Mail sent: {sent}, failed: {failed}")


@click.command("purge-form-tokens")
@click.option("--days", default=30, show_default=True, help="Keep the claims of this many days.")
@with_appcontext
def purge_form_tokens(days: int) -> None:
    """Forget the one-time tokens of forms sent more than DAYS ago (a form
    re-posted after that is taken as a new one). Safe to run from a timer."""
    from tafel.core.form_tokens import purge

    removed = purge(db.session, days=days)
    db.session.commit()
    click.echo(f"Form tokens removed: {removed}")


def _ensure_sqlite_dir() -> None:
    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def database_name() -> str:
    """The database as the operator knows it (without a password)."""
    return db.engine().url.render_as_string(hide_password=True)


def _interactive() -> bool:
    return sys.stdin.isatty()


def _confirm_emptying(yes: bool) -> None:
    """Refuse to empty a database that holds more than the demo, and ask first."""
    from tafel.demo import foreign_rows, read_demo

    name = database_name()
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException(f"Refusing to empty {name} under the production configuration.")
    foreign = foreign_rows(read_demo(current_app.config["REFERENCE_DIR"]))
    if foreign:
        raise click.ClickException(
            f"Refusing to empty {name}: it holds data the demo did not create "
            f"({', '.join(foreign)}). Use a separate database for the demo."
        )
    if yes:
        return
    if not _interactive():
        raise click.ClickException(
            f"Refusing to empty {name} without a terminal to ask; add --yes to confirm."
        )
    click.confirm(f"This empties every table of {name}. Continue?", abort=True)


def _empty_database() -> None:
    from tafel.db import Base
    from tafel.models import import_all

    import_all()
    connection = db.session.connection()
    present = set(inspect(connection).get_table_names())
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in present:  # a new database has no tables yet
            connection.execute(table.delete())
    db.session.commit()


# Backups and files --------------------------------------------------------------------


def _metadata():
    from tafel.db import Base
    from tafel.models import import_all

    import_all()
    return Base.metadata


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write one archive with a consistent copy of the database, the uploaded
    files and a manifest (revision, row counts, checksums)."""
    from tafel.core.backup import BackupError, make_backup
    from tafel.core.uploads import upload_dir

    try:
        manifest = make_backup(db.engine(), _metadata(), upload_dir(), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(manifest["counts"].values())
    click.echo(
        f"Backup of {database_name()} written to {path}: revision {manifest['revision']}, "
        f"{rows} rows, {len(manifest['files'])} files."
    )
    for name in manifest["missing_files"]:
        click.echo(f"warning: {name} was deleted while the backup ran; not in the archive")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore(path: Path) -> None:
    """Restore a backup into an EMPTY database and upload folder, then check it
    against its manifest (row counts, revision, checksums)."""
    from tafel.core.backup import BackupError
    from tafel.core.restore import restore_backup
    from tafel.core.uploads import upload_dir

    _ensure_sqlite_dir()
    try:
        manifest = restore_backup(db.engine(), _metadata(), upload_dir(), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Restored {path} into {database_name()}: revision {manifest['revision']}, "
        f"{sum(manifest['counts'].values())} rows and {len(manifest['files'])} files verified."
    )


@click.command("check-files")
@click.option("--fix", is_flag=True, help="Remove orphan files and finish interrupted moves.")
@with_appcontext
def check_files(fix: bool) -> None:
    """List files without a row and rows without a file (exit 1 when any remain)."""
    from tafel.core.filecheck import check_files as check
    from tafel.core.uploads import upload_dir

    report = check(db.session.connection(), _metadata(), upload_dir(), fix=fix)
    db.session.rollback()
    for name in report.orphan_files:
        click.echo(f"file without a row: {name}")
    for name in report.stale_temp:
        click.echo(f"temporary file of a request that never committed: {name}")
    for name in report.unfinished:
        click.echo(f"file whose move into place was interrupted: {name}")
    for table, row_id, name in report.missing_files:
        click.echo(f"row without a file: {table} {row_id} ({name}); restore it from a backup")
    for line in report.fixed:
        click.echo(f"fixed: {line}")
    if report.clean:
        click.echo("Files and rows agree.")
    elif not fix or report.missing_files:
        raise SystemExit(1)
