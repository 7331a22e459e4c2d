"""The feeds of each chat, the entries already seen, and the chats' briefing schedules.

Every public method is one transaction and, where it is about a chat, scoped to it.
Several workers share one database: a feed is polled by the worker holding its lease
(a conditional UPDATE only one of them wins), and a scheduled briefing by the worker
that inserted its (chat, day) slot first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import BriefingSlot, Chat, Feed, FeedEntry


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class FeedInfo:
    id: int
    chat_id: int
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    interval_minutes: int
    last_checked_at: datetime | None
    next_check_at: datetime
    failures: int
    last_error: str | None
    reported: bool


@dataclass(frozen=True)
class NewEntry:
    key: str
    url: str | None
    article_id: int | None


@dataclass(frozen=True)
class Schedule:
    chat_id: int
    timezone: str | None
    briefing_time: str | None
    briefing_since: datetime | None
    # The chat's last briefing of any kind (/brief counts too).
    last_briefing_at: datetime | None = None


def _feed(row: Feed) -> FeedInfo:
    return FeedInfo(row.id, row.chat_id, row.url, row.title, row.etag, row.last_modified, row.interval_minutes,
                    _aware(row.last_checked_at), _aware(row.next_check_at) or row.next_check_at, row.failures,
                    row.last_error, row.reported)


def _due_and_free(now: datetime) -> list[ColumnElement[bool]]:
    """A feed whose next check has come and whose lease (if any) has run out."""
    return [Feed.next_check_at <= now, or_(Feed.lease_until.is_(None), Feed.lease_until < now)]


class FeedStore:
    """Owns its sessionmaker on the library's engine; returns frozen records."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _ensure_chat(self, session: Session, chat_id: int) -> None:
        dialect = self._engine.dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(Chat).values(id=chat_id, settings="{}", next_number=1)
            session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
        elif session.get(Chat, chat_id) is None:  # pragma: no cover - other databases
            session.add(Chat(id=chat_id))
            session.flush()

    # -- following -----------------------------------------------------------------------

    def add_feed(self, chat_id: int, url: str, title: str, *, interval_minutes: int, now: datetime,
                 etag: str | None = None, last_modified: str | None = None) -> tuple[FeedInfo, bool]:
        """Follow `url` in the chat; (feed, False) when the chat follows it already. Due at once."""
        try:
            with self._sessions.begin() as session:
                existing = session.scalars(select(Feed).where(Feed.chat_id == chat_id, Feed.url == url)).first()
                if existing is not None:
                    return _feed(existing), False
                self._ensure_chat(session, chat_id)
                row = Feed(chat_id=chat_id, url=url, title=title[:200] or url[:200], interval_minutes=interval_minutes,
                           next_check_at=now, failures=0, reported=False, created_at=now)
                session.add(row)
                session.flush()
                return _feed(row), True
        except IntegrityError:  # the same follow from another worker, a moment earlier
            with self._sessions.begin() as session:
                found = session.scalars(select(Feed).where(Feed.chat_id == chat_id, Feed.url == url)).one()
                return _feed(found), False

    def count_feeds(self, chat_id: int) -> int:
        with self._sessions.begin() as session:
            return int(session.scalar(select(func.count()).select_from(Feed).where(Feed.chat_id == chat_id)) or 0)

    def list_feeds(self, chat_id: int) -> tuple[FeedInfo, ...]:
        """The chat's feeds in the order they were followed (the numbers /feeds shows)."""
        with self._sessions.begin() as session:
            rows = session.scalars(select(Feed).where(Feed.chat_id == chat_id).order_by(Feed.id))
            return tuple(_feed(row) for row in rows)

    def remove_feed(self, chat_id: int, feed_id: int) -> FeedInfo | None:
        with self._sessions.begin() as session:
            row = session.get(Feed, feed_id)
            if row is None or row.chat_id != chat_id:
                return None
            info = _feed(row)
            session.execute(delete(FeedEntry).where(FeedEntry.feed_id == feed_id))
            session.delete(row)
            return info

    # -- polling -------------------------------------------------------------------------

    def due_feeds(self, now: datetime, *, limit: int = 100, chat_id: int | None = None) -> tuple[FeedInfo, ...]:
        """Feeds whose next check has come and which no worker holds, soonest first (of one chat, if given)."""
        where = _due_and_free(now)
        if chat_id is not None:
            where.append(Feed.chat_id == chat_id)
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(Feed)
                .where(*where)
                .order_by(Feed.next_check_at)
                .limit(limit)
            )
            return tuple(_feed(row) for row in rows)

    def lease_chat(self, chat_id: int, owner: str, now: datetime, duration: timedelta) -> tuple[FeedInfo, ...]:
        """Take all of the chat's due and free feeds for `duration` at once; () when another worker has them.

        One worker polls a chat's feeds of a round together, so the chat gets one announcement,
        not one from each worker that happened to take one of its feeds.
        """
        until = now + duration
        with self._sessions.begin() as session:
            # One conditional UPDATE: on PostgreSQL a second worker waits for the first's row locks,
            # then finds the rows taken; on SQLite the write lock serialises them the same way.
            session.execute(
                update(Feed)
                .where(Feed.chat_id == chat_id, *_due_and_free(now))
                .values(lease_until=until, lease_owner=owner)
            )
            rows = session.scalars(
                select(Feed).where(Feed.chat_id == chat_id, Feed.lease_owner == owner, Feed.lease_until == until)
                .order_by(Feed.id)
            )
            return tuple(_feed(row) for row in rows)

    def seen_entries(self, chat_id: int, feed_id: int, keys: Sequence[str], urls: Sequence[str]) -> set[str]:
        """Which of `keys` (entry ids) the feed has seen, and which of `urls` the chat has from any feed."""
        seen: set[str] = set()
        with self._sessions.begin() as session:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                seen.update(session.scalars(select(FeedEntry.entry_key).where(
                    FeedEntry.feed_id == feed_id, FeedEntry.entry_key.in_(chunk))))
            for start in range(0, len(urls), 500):
                chunk = list(urls[start:start + 500])
                seen.update(f"url:{url}" for url in session.scalars(select(FeedEntry.url).where(
                    FeedEntry.chat_id == chat_id, FeedEntry.url.in_(chunk))))
        return seen

    def finish_poll(self, feed_id: int, owner: str, *, now: datetime, next_check_at: datetime,
                    entries: Sequence[NewEntry] = (), title: str | None = None, etag: str | None = None,
                    last_modified: str | None = None, error: str | None = None,
                    reported: bool | None = None) -> FeedInfo | None:
        """Record a poll (its entries, validators, success or failure) and release the lease.

        None when the feed was unfollowed meanwhile, or its lease expired and another worker took it.
        """
        with self._sessions.begin() as session:
            row = session.get(Feed, feed_id)
            if row is None or row.lease_owner != owner:
                return None
            if error is None:
                row.failures = 0
                row.last_error = None
                row.reported = False
                row.etag = etag
                row.last_modified = last_modified
                if title:
                    row.title = title[:200]
            else:
                row.failures = (row.failures or 0) + 1
                row.last_error = error[:500]
                if reported is not None:
                    row.reported = reported
            row.last_checked_at = now
            row.next_check_at = next_check_at
            row.lease_until = None
            row.lease_owner = None
            for entry in entries:
                session.add(FeedEntry(feed_id=feed_id, chat_id=row.chat_id, entry_key=entry.key, url=entry.url,
                                      article_id=entry.article_id, seen_at=now))
            session.flush()
            return _feed(row)

    # -- schedules -----------------------------------------------------------------------

    def schedule(self, chat_id: int) -> Schedule:
        with self._sessions.begin() as session:
            chat = session.get(Chat, chat_id)
            if chat is None:
                return Schedule(chat_id, None, None, None)
            return Schedule(chat_id, chat.timezone, chat.briefing_time, _aware(chat.briefing_since),
                            _aware(chat.last_briefing_at))

    def set_timezone(self, chat_id: int, timezone: str) -> None:
        with self._sessions.begin() as session:
            self._ensure_chat(session, chat_id)
            session.execute(update(Chat).where(Chat.id == chat_id).values(timezone=timezone))

    def set_briefing_time(self, chat_id: int, at: str | None, *, since: datetime) -> None:
        """Brief the chat daily at `at` (local "HH:MM"), collecting from `since`; None stops it."""
        with self._sessions.begin() as session:
            self._ensure_chat(session, chat_id)
            session.execute(update(Chat).where(Chat.id == chat_id).values(
                briefing_time=at, briefing_since=since if at else None))

    def scheduled_chats(self) -> tuple[Schedule, ...]:
        """Every chat with a briefing time."""
        with self._sessions.begin() as session:
            rows = session.scalars(select(Chat).where(Chat.briefing_time.is_not(None)).order_by(Chat.id))
            return tuple(Schedule(r.id, r.timezone, r.briefing_time, _aware(r.briefing_since),
                                  _aware(r.last_briefing_at)) for r in rows)

    def claim_briefing(self, chat_id: int, day: str, now: datetime) -> bool:
        """Claim the chat's briefing of `day` (its local date); False if a worker claimed it already.

        The insert is the claim: the primary key (chat, day) lets exactly one worker win.
        """
        try:
            with self._sessions.begin() as session:
                session.add(BriefingSlot(chat_id=chat_id, day=day, claimed_at=now))
        except IntegrityError:
            return False
        with self._sessions.begin() as session:
            session.execute(update(Chat).where(Chat.id == chat_id).values(briefing_since=now))
            # Slots older than a week are only history.
            session.execute(delete(BriefingSlot).where(BriefingSlot.chat_id == chat_id,
                                                       BriefingSlot.claimed_at < now - timedelta(days=7)))
        return True
