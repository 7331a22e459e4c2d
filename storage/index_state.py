"""The version of the rules that made the stored search terms, and the lock of the one worker recomputing them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from storage.clock import utcnow

# Any fixed number (storage/db.py's migration lock is another): one worker at a time recomputes terms.
_PG_REINDEX_LOCK = 7_212_024_002


class IndexState:
    """The `index_state` row (migration 0009) of one library.

    Read with plain SQL (every command reads it at start, `briefbot ask` included, which never needs the
    ORM); written, rarely, through the ORM model.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def terms_version(self) -> int:
        """Which rules made the stored terms (1: before the row existed)."""
        with self._engine.connect() as connection:
            version = connection.execute(text("SELECT terms_version FROM index_state WHERE id = 1")).scalar()
            return int(version) if version is not None else 1

    def set_terms_version(self, version: int) -> None:
        from sqlalchemy.orm import Session

        from storage.models import IndexStateRow

        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            row = session.get(IndexStateRow, 1)
            if row is None:
                session.add(IndexStateRow(id=1, terms_version=version, updated_at=utcnow()))
            else:
                row.terms_version = version
                row.updated_at = utcnow()

    def settle_if_empty(self, version: int) -> bool:
        """Mark the terms `version` when no article is stored (nothing to recompute); True if it is now."""
        with self._engine.connect() as connection:
            if connection.execute(text("SELECT 1 FROM articles LIMIT 1")).first() is not None:
                return False
        self.set_terms_version(version)
        return True

    @contextmanager
    def exclusive(self) -> Iterator[bool]:
        """True while this process holds the reindex lock; False when another holds it (PostgreSQL only).

        Webhook workers sharing a PostgreSQL start together: one recomputes, the others go on.
        SQLite has one writer at a time anyway, so the lock is always had.
        """
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        with self._engine.connect() as connection:
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _PG_REINDEX_LOCK}))
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_REINDEX_LOCK})
                    connection.commit()
