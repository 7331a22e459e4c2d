"""Feeds a chat follows: follow, list, unfollow, and polling that fills the chat's library.

Each poll takes the feeds that are due, leases each (so one worker of several polls it),
fetches it with a conditional GET, and saves each new entry through the same pipeline as
a link sent in chat: the entry's page fetched safely and extracted, or — when that fails —
the entry's own content if it is long enough to be an article. Entries are remembered by
id and by URL, so nothing is fetched or saved twice. A feed that fails is backed off
(its interval doubled per failure, up to a day) and its chat is told once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import BriefbotError, FetchError, InputError, NotFound
from bot.i18n import Text, lazy, lazy_plural
from bot.library import Library
from bot.sources.feeds import FeedItem, FeedLimits, fetch_feed
from bot.sources.loading import Sources
from bot.sources.urls import check_url, normalize_url
from bot.text.article import MIN_ARTICLE_CHARS
from storage.feeds import FeedInfo, NewEntry
from storage.records import ArticleInfo

if TYPE_CHECKING:
    from storage.feeds import FeedStore

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MIN_INTERVAL = 5  # minutes; nobody's feed is hammered more often than this


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class FeedPolicy:
    """What following and polling may cost; the operator's settings fill it."""

    max_feeds_per_chat: int = 20
    entries_per_poll: int = 10  # new entries saved per feed and poll; the rest are marked seen
    interval_minutes: int = 30
    lease: timedelta = timedelta(minutes=10)  # longer than any poll of one feed takes
    report_after: int = 3  # failures in a row before the chat is told (once)
    max_backoff: timedelta = timedelta(hours=24)
    min_entry_chars: int = MIN_ARTICLE_CHARS  # an entry's own text saved when its page fails
    feeds_at_once: int = 3
    limits: FeedLimits = field(default_factory=FeedLimits)


@dataclass(frozen=True)
class PollResult:
    """What one feed's poll did, for the chat to be told (or not)."""

    feed: FeedInfo
    new_articles: tuple[int, ...] = ()  # numbers of the articles saved
    unchanged: bool = False  # the server answered 304
    error: str | None = None
    report: bool = False  # the failure should be reported to the chat now (first time past the threshold)
    reason: Text | str | None = None  # `error` untranslated, for the chat's language


class Feeds:
    """Feeds of every chat; one per event loop (its sources own an HTTP client)."""

    def __init__(self, store: FeedStore, sources: Sources, library: Library, *, policy: FeedPolicy | None = None,
                 clock: Clock = utc_now, owner: str | None = None) -> None:
        self._store = store
        self._sources = sources
        self._library = library
        self._policy = policy or FeedPolicy()
        self._clock = clock
        self._owner = owner or uuid.uuid4().hex

    @property
    def policy(self) -> FeedPolicy:
        return self._policy

    async def aclose(self) -> None:
        await self._sources.aclose()

    # -- following -----------------------------------------------------------------------

    def interval(self, minutes: int | None) -> int:
        """The polling interval asked for, never below five minutes."""
        if minutes is None:
            return max(self._policy.interval_minutes, MIN_INTERVAL)
        if not MIN_INTERVAL <= minutes <= 24 * 60:
            raise InputError(lazy("A feed is checked every %(least)s to %(most)s minutes.",
                                  least=MIN_INTERVAL, most=1440))
        return minutes

    async def follow(self, chat_id: int, url: str, *, interval_minutes: int | None = None) -> tuple[FeedInfo, bool]:
        """Follow the feed at `url` (or the one the page there links); (feed, False) if already followed."""
        interval = self.interval(interval_minutes)
        try:
            check_url(url)
            normalized = normalize_url(url)
        except ValueError:
            raise FetchError(lazy("That link is malformed.")) from None
        known = await asyncio.to_thread(self._find, chat_id, normalized)
        if known is not None:
            return known, False
        count = await asyncio.to_thread(self._store.count_feeds, chat_id)
        if count >= self._policy.max_feeds_per_chat:
            raise InputError(lazy_plural("This chat follows %(count)s feed, the most I keep; /unfollow one first.",
                                          "This chat follows %(count)s feeds, the most I keep; /unfollow one first.",
                                          count, count=count))
        parsed = await fetch_feed(self._sources, url, limits=self._policy.limits, discover=True)
        if parsed is None:  # pragma: no cover - no validators were sent
            raise FetchError(lazy("The feed did not answer."))
        feed_url = normalize_url(parsed.url)
        return await asyncio.to_thread(self._store.add_feed, chat_id, feed_url, parsed.title,
                                       interval_minutes=interval, now=self._clock())

    def _find(self, chat_id: int, url: str) -> FeedInfo | None:
        return next((feed for feed in self._store.list_feeds(chat_id) if feed.url == url), None)

    def list(self, chat_id: int) -> tuple[FeedInfo, ...]:
        return self._store.list_feeds(chat_id)

    def unfollow(self, chat_id: int, number: int) -> FeedInfo:
        """Stop following feed `number` of the list /feeds shows."""
        feeds = self._store.list_feeds(chat_id)
        if not 1 <= number <= len(feeds):
            raise NotFound(lazy("There is no feed %(number)s in this chat. /feeds lists them.", number=number)
                           if feeds else lazy("This chat follows no feeds."))
        removed = self._store.remove_feed(chat_id, feeds[number - 1].id)
        if removed is None:
            raise NotFound(lazy("That feed was just unfollowed."))
        return removed

    # -- polling -------------------------------------------------------------------------

    async def poll_due(self, chat_id: int | None = None) -> list[PollResult]:
        """Poll every feed that is due and that no other worker holds (only the chat's, if given).

        A chat's due feeds are leased together (storage/feeds.py: lease_chat), so with several
        workers each chat's round is one worker's and ends in one announcement.
        """
        now = self._clock()
        due = await asyncio.to_thread(self._store.due_feeds, now, chat_id=chat_id)
        leased = await asyncio.to_thread(self._lease_chats, [feed.chat_id for feed in due], now)
        semaphore = asyncio.Semaphore(self._policy.feeds_at_once)

        async def one(feed: FeedInfo) -> PollResult:
            async with semaphore:
                return await self._poll_leased(feed, now)

        return list(await asyncio.gather(*(one(feed) for feed in leased)))

    def _lease_chats(self, chat_ids: list[int], now: datetime) -> list[FeedInfo]:
        """The due feeds of each chat that this worker could take, a chat's all together."""
        return [feed for chat_id in dict.fromkeys(chat_ids)
                for feed in self._store.lease_chat(chat_id, self._owner, now, self._policy.lease)]

    async def _poll_leased(self, feed: FeedInfo, now: datetime) -> PollResult:
        """Fetch a feed this worker holds, save its new entries and give the lease back."""
        try:
            parsed = await fetch_feed(self._sources, feed.url, limits=self._policy.limits, etag=feed.etag,
                                      last_modified=feed.last_modified)
        except BriefbotError as error:
            return await self._failed(feed, error.message)
        except Exception as error:  # a bug must not keep the lease: log it, count it as a failure
            logger.exception("polling feed %s failed", feed.id)
            return await self._failed(feed, lazy("An unexpected error (%(kind)s).", kind=type(error).__name__))
        next_check = self._clock() + timedelta(minutes=feed.interval_minutes)
        if parsed is None:
            finished = await asyncio.to_thread(
                self._store.finish_poll, feed.id, self._owner, now=self._clock(), next_check_at=next_check,
                etag=feed.etag, last_modified=feed.last_modified)
            return PollResult(finished or feed, unchanged=True)
        fresh = await asyncio.to_thread(self._fresh_items, feed, parsed.items)
        taken, skipped = fresh[:self._policy.entries_per_poll], fresh[self._policy.entries_per_poll:]
        saved = await self._save_items(feed.chat_id, taken)
        entries = [NewEntry(item.key, url, info.id if info is not None else None)
                   for (item, url), (info, _new) in zip(taken, saved, strict=True)]
        entries += [NewEntry(item.key, url, None) for item, url in skipped]
        finished = await asyncio.to_thread(
            self._store.finish_poll, feed.id, self._owner, now=self._clock(), next_check_at=next_check,
            entries=entries, title=parsed.title, etag=parsed.etag, last_modified=parsed.last_modified)
        numbers = tuple(info.number for info, new in saved if info is not None and new)
        return PollResult(finished or feed, new_articles=numbers)

    def _fresh_items(self, feed: FeedInfo, items: tuple[FeedItem, ...]) -> list[tuple[FeedItem, str | None]]:
        """The feed's entries not seen before (by id in this feed, by URL in this chat), once each."""
        unique: dict[str, tuple[FeedItem, str | None]] = {}
        urls: set[str] = set()
        for item in items:
            url = _normalized(item.url)
            if item.key in unique or (url is not None and url in urls):
                continue
            unique[item.key] = (item, url)
            if url is not None:
                urls.add(url)
        seen = self._store.seen_entries(feed.chat_id, feed.id, list(unique), sorted(urls))
        return [(item, url) for key, (item, url) in unique.items()
                if key not in seen and (url is None or f"url:{url}" not in seen)]

    async def _save_items(self, chat_id: int, items: list[tuple[FeedItem, str | None]]
                          ) -> list[tuple[ArticleInfo | None, bool]]:
        semaphore = asyncio.Semaphore(3)  # as for a message with many links

        async def one(item: FeedItem, url: str | None) -> tuple[ArticleInfo | None, bool]:
            async with semaphore:
                return await self._save_item(chat_id, item, url)

        return list(await asyncio.gather(*(one(item, url) for item, url in items)))

    async def _save_item(self, chat_id: int, item: FeedItem, url: str | None) -> tuple[ArticleInfo | None, bool]:
        """(article, newly saved) for one entry; (None, False) when it yields no article."""
        if url is not None:
            known = await asyncio.to_thread(self._library.find_by_url, chat_id, url)
            if known is not None:
                return known, False
            try:
                loaded = await self._sources.from_url(url)
                ingested = await asyncio.to_thread(
                    self._library.ingest_text, chat_id, loaded.text, title=loaded.title or item.title or None,
                    url=url, final_url=normalize_url(loaded.final_url or url))
                return ingested.article, not ingested.duplicate
            except BriefbotError as error:
                logger.info("feed entry %s: the page gave no article (%s); trying the entry's own text", url, error)
        if len(item.text) < self._policy.min_entry_chars:
            return None, False
        try:
            ingested = await asyncio.to_thread(self._library.ingest_text, chat_id, item.text,
                                               title=item.title or None, url=url)
        except BriefbotError as error:
            logger.info("feed entry %s: its own text is no article either (%s)", item.key, error)
            return None, False
        return ingested.article, not ingested.duplicate

    async def _failed(self, feed: FeedInfo, message: Text | str) -> PollResult:
        reason = str(message)  # stored (and logged) in English; the chat is told in its own language
        failures = feed.failures + 1
        delay = timedelta(minutes=feed.interval_minutes) * (2 ** min(failures, 10))
        next_check = self._clock() + min(delay, self._policy.max_backoff)
        report = failures >= self._policy.report_after and not feed.reported
        finished = await asyncio.to_thread(
            self._store.finish_poll, feed.id, self._owner, now=self._clock(), next_check_at=next_check,
            error=reason, reported=True if report else None)
        logger.info("feed %s (%s) failed %d time(s): %s", feed.id, feed.url, failures, reason)
        return PollResult(finished or feed, error=reason, report=report and finished is not None, reason=message)


def _normalized(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        return normalize_url(url)
    except ValueError:
        return None
