"""Engine set-up for SQLite (WAL, foreign keys) and PostgreSQL, and schema upgrades with Alembic."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:  # Alembic loads only when the schema is checked or changed
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration's revision (storage/migrations/versions), so that a start on a current schema
# reads one row instead of importing Alembic (~0.3 s); tests/test_db.py checks it is Alembic's head.
HEAD_REVISION = "0009_index_state"
# Any fixed number: workers starting together take this advisory lock, so one upgrades.
_PG_MIGRATION_LOCK = 7_212_024_001


def upsert_insert(dialect: str) -> Any:
    """The `insert` of the backend's dialect, which has ON CONFLICT (loaded with the backend's engine:
    importing PostgreSQL's dialect costs a SQLite process ~45 ms for nothing)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    """An engine for `url`; creates the SQLite file's directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)


def inbox_database_url(url: str) -> str:
    """Where the inbox of updates lives: for a SQLite file, a file of its own beside it; else the same database.

    SQLite has one writer at a time: in the library's file every update's inbox write waited
    while a huge article was saved (1.5 s for 2 MB, tests/test_telegram_chats.py). In a file of
    its own it waits for nothing. PostgreSQL locks rows, not the database, so it keeps one.
    """
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return url
    path = Path(database)
    return parsed.set(database=str(path.with_name(f"{path.stem}.inbox{path.suffix or '.sqlite3'}"))).render_as_string(
        hide_password=False)


def inbox_engine(url: str, library: Engine, *, migrate: bool = True) -> Engine:
    """The engine of the inbox for the library at `url`: `library` itself, or the SQLite inbox file's (upgraded)."""
    inbox_url = inbox_database_url(url)
    if inbox_url == url:
        return library
    engine = make_engine(inbox_url)
    if migrate:
        upgrade(engine)  # the same schema, of which the inbox uses its one table
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to call from several workers at once.

    A schema already at the target is left alone without importing Alembic, so a normal start
    costs one query and logs nothing.
    """
    if revision in ("head", HEAD_REVISION) and stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends, so a second worker waits and then finds
            # the schema already upgraded.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        elif connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
            # The write lock up front: a second process waits (busy_timeout), then finds the
            # schema upgraded, instead of racing to create the same tables.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        before = MigrationContext.configure(connection).get_current_revision()
        target = ScriptDirectory.from_config(config).get_current_head() if revision == "head" else revision
        if before == target:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if before is None:
        logger.info("created the library's schema (revision %s)", target)
    else:
        logger.info("upgraded the library's schema from revision %s to %s", before, target)


def stored_revision(engine: Engine) -> str | None:
    """The revision in Alembic's version table, read without Alembic; None for a new database."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:  # no version table yet
            return None
    return rows[0] if len(rows) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
