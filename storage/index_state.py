"""The version of the rules that made the stored search terms, and the lock of the one worker recomputing them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, exists, select, text
from sqlalchemy.orm import sessionmaker

from storage.models import Article, IndexStateRow, utcnow

# Any fixed number (storage/db.py's migration lock is another): one worker at a time recomputes terms.
_PG_REINDEX_LOCK = 7_212_024_002


class IndexState:
    """The `index_state` row (migration 0009) of one library."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def terms_version(self) -> int:
        """Which rules made the stored terms (1: before the row existed)."""
        with self._sessions.begin() as session:
            version = session.scalar(select(IndexStateRow.terms_version).where(IndexStateRow.id == 1))
            return int(version) if version is not None else 1

    def set_terms_version(self, version: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(IndexStateRow, 1)
            if row is None:
                session.add(IndexStateRow(id=1, terms_version=version, updated_at=utcnow()))
            else:
                row.terms_version = version
                row.updated_at = utcnow()

    def settle_if_empty(self, version: int) -> bool:
        """Mark the terms `version` when no article is stored (nothing to recompute); True if it is now."""
        with self._sessions.begin() as session:
            if session.scalar(select(exists().where(Article.id > 0))):
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
