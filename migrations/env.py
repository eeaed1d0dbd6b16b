"""Alembic environment: every Tafel model, batch mode on SQLite, and no
migration step that drops a table or column holding data unless forced."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from alembic.operations import Operations, ops, toimpl
from sqlalchemy import text

import config as tafel_config
from tafel.core.search import include_name  # search tables: migration 0004, not models
from tafel.db import Base, UTCDateTime, make_engine
from tafel.models import import_all

import_all()
target_metadata = Base.metadata
alembic_cfg = context.config

if alembic_cfg.config_file_name and alembic_cfg.attributes.get("configure_logger", True):
    fileConfig(alembic_cfg.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    return alembic_cfg.get_main_option("sqlalchemy.url") or tafel_config.load().DATABASE_URL


FORCE_VARIABLE = "TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE"


class DataLossRefused(RuntimeError):
    """A migration step would drop data and nobody forced it."""


def forced() -> bool:
    """`TAFEL_ALLOW_DESTRUCTIVE_DOWNGRADE=1` or `alembic -x force=1`."""
    if os.environ.get(FORCE_VARIABLE) == "1":
        return True
    return context.get_x_argument(as_dictionary=True).get("force") == "1"


def _refuse_if_data(operations, table: str, column: str | None = None) -> None:
    """Refuse to drop `table` (or its `column`) while it holds rows (non-null values)."""
    if forced():
        return
    where = f' WHERE "{column}" IS NOT NULL' if column else ""
    count = operations.get_bind().execute(text(f'SELECT count(*) FROM "{table}"{where}'))  # noqa: S608
    rows = count.scalar_one()
    if rows:
        what = f"column {table}.{column}" if column else f"table {table}"
        raise DataLossRefused(
            f"Refusing to drop {what}: it holds {rows} rows. Make a backup "
            f"(flask --app tafel backup PATH), then set {FORCE_VARIABLE}=1 "
            "(or pass -x force=1 to alembic) to drop them anyway."
        )


@Operations.implementation_for(ops.DropTableOp, replace=True)
def _drop_table(operations, operation) -> None:
    _refuse_if_data(operations, operation.table_name)
    toimpl.drop_table(operations, operation)


@Operations.implementation_for(ops.DropColumnOp, replace=True)
def _drop_column(operations, operation) -> None:
    _refuse_if_data(operations, operation.table_name, operation.column_name)
    toimpl.drop_column(operations, operation)


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as a plain timezone-aware DateTime, so
    migrations do not import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        include_name=include_name,  # skip the search tables (tafel.core.search)
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = alembic_cfg.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _foreign_keys(conn, on: bool) -> None:
    """SQLite changes a constraint by copying the table and dropping the old
    one; with foreign keys on, that DROP would cascade into every table that
    refers to it. So the keys are off while migrating (the pragma only works
    outside a transaction; on a connection already in one it changes nothing)
    and checked before the migration's transaction commits."""
    if conn.dialect.name == "sqlite" and not conn.in_transaction():
        conn.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_foreign_keys(conn) -> None:
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_name=include_name,  # skip the search tables (tafel.core.search)
    )
    _foreign_keys(connection, on=False)
    try:
        with context.begin_transaction():
            context.run_migrations()
            _check_foreign_keys(connection)
    finally:
        _foreign_keys(connection, on=True)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
