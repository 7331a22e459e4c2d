"""Builds Briefbot's services once, from settings, in one place; front ends receive them.

Each object gets what it uses (limits, classes, the store), not the whole Settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.answers.answerer import Answerer
from bot.briefings import Briefings
from bot.conversation.conversation import Conversation
from bot.conversation.feeds import BriefingMaker, FeedRound, FeedTalk, scheduled_briefing
from bot.deliveries import Deliveries, InboxPolicy
from bot.feeds import FeedPolicy, Feeds, utc_now
from bot.i18n import Catalogs
from bot.library import Library
from bot.links import LinkIngester
from bot.schedules import Schedules
from bot.settings import Settings
from bot.sources.feeds import FeedLimits
from bot.sources.limits import FetchLimits
from bot.sources.loading import Sources
from bot.summaries.briefing import Briefer
from bot.summaries.summarizer import Summarizer
from bot.text.article import ArticleParser
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels
from bot.workers import ArticleWorkers

if TYPE_CHECKING:
    from storage.store import ArticleStore

MIN_LEASE_SECONDS = 0.5


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: ArticleStore
    languages: Languages
    parser: ArticleParser
    summarizer: Summarizer
    library: Library
    briefings: Briefings
    conversation: Conversation
    links: LinkIngester
    deliveries: Deliveries
    feeds: Feeds
    schedules: Schedules
    feed_round: FeedRound
    workers: ArticleWorkers
    clock: Callable[[], datetime] = field(default=utc_now)

    def close(self) -> None:
        self.workers.close()
        self.store.close()
        self.deliveries.close()

    async def aclose(self) -> None:
        """Close what lives on the event loop (the links' and the feeds' HTTP clients)."""
        await self.links.aclose()
        await self.feeds.aclose()


def build_parser(settings: Settings, languages: Languages | None = None) -> ArticleParser:
    return ArticleParser(
        languages or Languages(),
        PunktModels(),
        max_chars=settings.max_article_chars,
        min_sentences=settings.min_article_sentences,
    )


def build_sources(settings: Settings) -> Sources:
    """The pipeline from files, documents and links to text, with the operator's limits."""
    limits = FetchLimits(timeout=settings.fetch_timeout, max_bytes=settings.max_fetch_bytes,
                         allow_private_networks=settings.allow_private_networks)
    return Sources(limits, max_file_bytes=settings.max_file_bytes,
                   telegram_preview_url=settings.telegram_preview_url)


def build_link_ingester(settings: Settings, library: Library) -> LinkIngester:
    """One per event loop: it owns an HTTP client."""
    return LinkIngester(build_sources(settings), library, rate_per_minute=settings.fetch_rate_per_minute)


def feed_policy(settings: Settings) -> FeedPolicy:
    return FeedPolicy(
        max_feeds_per_chat=settings.max_feeds_per_chat,
        entries_per_poll=settings.feed_entries_per_poll,
        interval_minutes=settings.feed_interval_minutes,
        lease=timedelta(minutes=10),
        limits=FeedLimits(max_bytes=settings.max_feed_bytes, max_entries=settings.max_feed_entries),
    )


@dataclass(frozen=True)
class LibraryParts:
    """A library and the pieces it is made of, which other services share."""

    store: ArticleStore
    languages: Languages
    parser: ArticleParser
    summarizer: Summarizer
    library: Library


def build_library_parts(settings: Settings, *, pool_size: int, max_overflow: int, migrate: bool,
                        clock: Callable[[], datetime] | None) -> LibraryParts:
    """Open the library's database (upgrading its schema when `migrate`) and build the library on it."""
    from storage.db import make_engine, upgrade
    from storage.store import ArticleStore

    engine = make_engine(settings.resolved_database_url, pool_size=pool_size, max_overflow=max_overflow)
    if migrate:
        upgrade(engine)
    store = ArticleStore(engine)
    languages = Languages()
    parser = build_parser(settings, languages)
    summarizer = Summarizer(
        parser,
        engine=settings.engine,
        default_algorithm=settings.algorithm,
        default_sentences=settings.summary_sentences,
    )
    library = Library(store, parser, summarizer, Answerer(store, languages), clock=clock)
    return LibraryParts(store, languages, parser, summarizer, library)


def build_library(settings: Settings) -> Library:
    """A library of its own on the settings' database: what a worker process reads long articles with."""
    # One connection is all a worker uses (it saves one article at a time); the bot upgraded the schema.
    return build_library_parts(settings, pool_size=1, max_overflow=1, migrate=False, clock=None).library


def build_services(settings: Settings, *, migrate: bool = True, clock: Callable[[], datetime] | None = None,
                   briefing: BriefingMaker | None = None) -> Services:
    """Open the library (upgrading its schema) and wire the services together.

    `clock` (aware UTC datetimes) drives feed checks and scheduled briefings; tests pass their own.
    `briefing` makes a chat's scheduled briefing since a moment (default: /brief's, of the articles since then).
    """
    # Imported here: `briefbot summarize` and `extract` need parsers and sources, not a database.
    from storage.claims import UpdateClaims
    from storage.db import inbox_engine
    from storage.feeds import FeedStore

    clock = clock or utc_now
    parts = build_library_parts(settings, pool_size=settings.database_pool_size,
                                max_overflow=settings.database_max_overflow, migrate=migrate, clock=clock)
    store, library = parts.store, parts.library
    engine = store.engine
    links = build_link_ingester(settings, library)
    briefings = Briefings(library, Briefer(parts.parser), clock=clock)
    feed_store = FeedStore(engine)
    feeds = Feeds(feed_store, build_sources(settings), library, policy=feed_policy(settings), clock=clock)
    schedules = Schedules(feed_store, clock=clock)
    # Long pasted texts and files are read in worker processes, each with a library of its own.
    workers = ArticleWorkers(build_library, settings, processes=settings.article_processes, clock=clock)
    # Every shipped language's catalog, read once here.
    conversation = Conversation(library, link_handler=links.ingest, briefings=briefings,
                                feeds=FeedTalk(feeds, schedules), catalogs=Catalogs.load(), workers=workers)
    briefing = briefing or scheduled_briefing(conversation)
    # A lease under half a second would have workers renewing (and sweeping) without pause.
    policy = InboxPolicy(lease=timedelta(seconds=max(settings.update_lease, MIN_LEASE_SECONDS)),
                         max_age=timedelta(seconds=max(settings.inbox_max_age, 0)))
    deliveries = Deliveries(UpdateClaims(inbox_engine(settings.resolved_database_url, engine, migrate=migrate)),
                            policy)
    # What Briefbot sends on its own (announcements, scheduled briefings) speaks the chat's /language.
    feed_round = FeedRound(feeds, schedules, briefing, conversation.translator_for)
    return Services(settings, store, parts.languages, parts.parser, parts.summarizer, library, briefings,
                    conversation, links, deliveries, feeds, schedules, feed_round, workers, clock)
