"""The inbox of Telegram updates: recorded before they are confirmed, claimed, handled in turn, finished.

Same table as ever (`processed_updates`, migrations 0003 and 0005); kept apart from the
article store because it is about deliveries, not about any chat's library. On SQLite it is
in a database file of its own (storage/db.py: inbox_database_url), so that its writes never
wait for an article being saved.

An update's row goes through these states:

    recorded (payload kept)  ->  claimed (lease_until, renewed)  ->  started (its chat's turn)  ->  finished

A claim whose lease ran out (its worker died) can be taken over; a finished update never is.

Every update costs a few of these writes, so they are Core statements on a connection (an ORM
session cost several times the write) and an existing row is found by an insert that does
nothing on conflict, not by catching the insert's IntegrityError and starting again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, delete, exists, func, or_, select, text, update
from sqlalchemy.orm import aliased

from storage.clock import utcnow
from storage.db import upsert_insert
from storage.models import ProcessedUpdate

_TABLE = ProcessedUpdate.__table__


@functools.lru_cache(maxsize=8)
def _insert_new_row(dialect: str, columns: tuple[str, ...]) -> Any:
    """The backend's insert of `columns` (bound by name) that does nothing when the update has a row.

    Built once per backend and shape (building a statement costs more than running it). RETURNING
    tells whether it inserted: psycopg reports no row count for an insert that may do nothing.
    """
    return (upsert_insert(dialect)(_TABLE).values({column: bindparam(column) for column in columns})
            .on_conflict_do_nothing(index_elements=["update_id"]).returning(_TABLE.c.update_id))


_RECORD = ("update_id", "processed_at", "chat_id", "payload")
_CLAIM = ("update_id", "processed_at", "lease_until")
# Every update runs some of these: built once.
_FINISH = (update(ProcessedUpdate).where(ProcessedUpdate.update_id == bindparam("key"))
           .values(finished_at=bindparam("now"), lease_until=None, payload=None))


def _turn_statements() -> tuple[Any, Any, Any]:
    """take_turn's three statements: mark the row with its chat, is anything of the chat blocking, mark it started."""
    other = aliased(ProcessedUpdate)
    key, chat = bindparam("key"), bindparam("chat")
    earlier_unfinished = and_(other.update_id < key, other.processed_at >= bindparam("since"))
    busy = and_(other.update_id != key, other.started_at.is_not(None), other.lease_until >= bindparam("now"))
    blocking = select(exists().where(other.chat_id == chat, other.finished_at.is_(None),
                                     or_(earlier_unfinished, busy)))
    own_row = update(ProcessedUpdate).where(ProcessedUpdate.update_id == key)
    return own_row.values(chat_id=chat), blocking, own_row.values(started_at=bindparam("now"))


_TURN_CHAT, _TURN_BLOCKING, _TURN_START = _turn_statements()

# A worker renews its lease every third of it: two renewals may be missed before another takes over.
DEFAULT_LEASE = timedelta(seconds=20)
# Telegram gives up re-sending an update within a day.
DEFAULT_KEEP = timedelta(days=2)


@dataclass(frozen=True)
class Pending:
    """An unfinished update and what it takes to handle it again."""

    update_id: int
    chat_id: int | None
    payload: str


class UpdateClaims:
    """Owns the inbox's engine; each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def close(self) -> None:
        self._engine.dispose()

    @staticmethod
    def _insert_new(connection: Connection, columns: tuple[str, ...], **values: Any) -> bool:
        """Insert the update's row unless it has one already; True if it was inserted."""
        return connection.execute(_insert_new_row(connection.dialect.name, columns), values).first() is not None

    def record(self, update_id: int, chat_id: int | None, payload: str, *, keep: timedelta = DEFAULT_KEEP) -> bool:
        """Keep an update as received, before it is confirmed to Telegram; False if it is finished already.

        Recording an update twice (Telegram re-sent it) keeps the first row. Rows older than
        `keep` are pruned now and then.
        """
        now = utcnow()
        with self._engine.begin() as connection:
            if not self._insert_new(connection, _RECORD, update_id=update_id, processed_at=now, chat_id=chat_id,
                                    payload=payload):
                # A row claimed by a worker of an older version has no payload yet.
                connection.execute(update(ProcessedUpdate)
                                   .where(ProcessedUpdate.update_id == update_id, ProcessedUpdate.payload.is_(None))
                                   .values(chat_id=chat_id, payload=payload))
                finished = connection.execute(select(ProcessedUpdate.finished_at)
                                              .where(ProcessedUpdate.update_id == update_id)).scalar()
                return finished is None
        if update_id % 100 == 0:
            self._prune(now - keep)
        return True

    def claim(self, update_id: int, *, lease: timedelta = DEFAULT_LEASE, take_over: bool = False,
              keep: timedelta = DEFAULT_KEEP) -> bool:
        """Claim `update_id` for this worker until `lease` from now; False if it is finished or held.

        The insert (or the update of a recorded row nobody holds) is the claim: exactly one of
        several workers wins. A claim whose lease ran out (its worker died) can be taken over;
        `take_over` (a lone poller: any other holder is a process that died) takes any unfinished one.
        """
        now = utcnow()
        with self._engine.begin() as connection:
            if not self._insert_new(connection, _CLAIM, update_id=update_id, processed_at=now, lease_until=now + lease):
                free = ProcessedUpdate.finished_at.is_(None)
                if not take_over:
                    free = and_(free, or_(ProcessedUpdate.lease_until.is_(None), ProcessedUpdate.lease_until < now))
                taken = connection.execute(update(ProcessedUpdate)
                                           .where(ProcessedUpdate.update_id == update_id, free)
                                           .values(lease_until=now + lease, started_at=None))
                return bool(taken.rowcount)
        if update_id % 100 == 0:
            self._prune(now - keep)
        return True

    def renew(self, update_id: int, lease: timedelta = DEFAULT_LEASE) -> None:
        """Extend this worker's claim: it is still at work."""
        with self._engine.begin() as connection:
            connection.execute(update(ProcessedUpdate)
                               .where(ProcessedUpdate.update_id == update_id, ProcessedUpdate.finished_at.is_(None))
                               .values(lease_until=utcnow() + lease))

    def take_turn(self, update_id: int, chat_id: int, *, since: datetime) -> bool:
        """Start handling a claimed update if it is its chat's turn; False: wait and ask again.

        It is the update's turn when no earlier update of the chat recorded after `since` is
        unfinished and no other update of the chat is being handled under a live lease. On
        PostgreSQL a transaction-scoped advisory lock keyed by the chat makes the check and the
        mark one step across workers; on SQLite the database's single writer does.
        """
        values = {"key": update_id, "chat": chat_id, "since": since, "now": utcnow()}
        with self._engine.begin() as connection:
            # Writing first takes SQLite's write lock before the check (a read first could not be
            # upgraded to a write when another writer went ahead); on PostgreSQL the chat's lock.
            connection.execute(_TURN_CHAT, values)
            _lock_chat(connection, chat_id)
            if connection.execute(_TURN_BLOCKING, values).scalar():
                return False
            connection.execute(_TURN_START, values)
            return True

    def finish(self, update_id: int) -> None:
        """Mark a claimed update as handled (its replies are sent): it is never handled again."""
        self.finish_many([update_id])

    def finish_many(self, update_ids: list[int]) -> None:
        """Mark claimed updates as handled, in one transaction (an executemany of one statement)."""
        if not update_ids:
            return
        now = utcnow()
        with self._engine.begin() as connection:
            connection.execute(_FINISH, [{"key": update_id, "now": now} for update_id in update_ids])

    def unfinished(self, *, since: datetime, limit: int = 1000) -> list[Pending]:
        """Unfinished updates recorded after `since`, oldest first: what a restarted poller handles again."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(ProcessedUpdate.update_id, ProcessedUpdate.chat_id, ProcessedUpdate.payload)
                .where(ProcessedUpdate.finished_at.is_(None), ProcessedUpdate.payload.is_not(None),
                       ProcessedUpdate.processed_at >= since)
                .order_by(ProcessedUpdate.update_id).limit(limit)
            ).all()
        return [Pending(row.update_id, row.chat_id, row.payload) for row in rows]

    def abandoned(self, *, since: datetime, grace: timedelta, limit: int = 100) -> list[Pending]:
        """Unfinished updates recorded after `since` that nobody holds: their lease ran out, or
        nobody claimed them within `grace` of being recorded (the worker died in between)."""
        now = utcnow()
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(ProcessedUpdate.update_id, ProcessedUpdate.chat_id, ProcessedUpdate.payload)
                .where(ProcessedUpdate.finished_at.is_(None), ProcessedUpdate.payload.is_not(None),
                       ProcessedUpdate.processed_at >= since,
                       or_(ProcessedUpdate.lease_until < now,
                           and_(ProcessedUpdate.lease_until.is_(None), ProcessedUpdate.processed_at < now - grace)))
                .order_by(ProcessedUpdate.update_id).limit(limit)
            ).all()
        return [Pending(row.update_id, row.chat_id, row.payload) for row in rows]

    def count_unfinished(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(ProcessedUpdate)
                                          .where(ProcessedUpdate.finished_at.is_(None))).scalar() or 0)

    def _prune(self, before: datetime) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))


def _lock_chat(connection: Connection, chat_id: int) -> None:
    """Serialize turn-taking of one chat across workers until the transaction ends (PostgreSQL only)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": chat_id})
