"""Builds Briefbot's services once, from settings, in one place; front ends receive them.

Each object gets what it uses (limits, classes, the store), not the whole Settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.settings import Settings
from bot.text.article import ArticleParser
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels

if TYPE_CHECKING:
    # Imported where they are built: `briefbot summarize` needs only parsers and sources, and the
    # commands on the library alone (`ask`, `add`) no conversation, feeds or inbox (docs/benchmarks.md).
    from sqlalchemy import Engine

    from bot.briefings import Briefings
    from bot.conversation.conversation import Conversation
    from bot.conversation.feeds import BriefingMaker, FeedRound
    from bot.deliveries import Deliveries
    from bot.feeds import FeedPolicy, Feeds
    from bot.lanes import Lane
    from bot.library import Library
    from bot.links import LinkIngester
    from bot.reindexing import TermsUpkeep
    from bot.schedules import Schedules
    from bot.sources.loading import Sources
    from bot.summaries.summarizer import Summarizer
    from bot.workers import ArticleWorkers
    from storage.store import ArticleStore


MIN_LEASE_SECONDS = 0.5


def build_parser(settings: Settings, languages: Languages | None = None) -> ArticleParser:
    return ArticleParser(
        languages or Languages(),
        PunktModels(),
        max_chars=settings.max_article_chars,
        min_sentences=settings.min_article_sentences,
    )


def build_sources(settings: Settings) -> Sources:
    """The pipeline from files, documents and links to text, with the operator's limits."""
    from bot.sources.limits import FetchLimits
    from bot.sources.loading import Sources

    limits = FetchLimits(timeout=settings.fetch_timeout, max_bytes=settings.max_fetch_bytes,
                         allow_private_networks=settings.allow_private_networks)
    return Sources(limits, max_file_bytes=settings.max_file_bytes,
                   telegram_preview_url=settings.telegram_preview_url)


def build_link_ingester(settings: Settings, library: Library) -> LinkIngester:
    """One per event loop: it owns an HTTP client."""
    from bot.links import LinkIngester

    return LinkIngester(build_sources(settings), library, rate_per_minute=settings.fetch_rate_per_minute)


def feed_policy(settings: Settings) -> FeedPolicy:
    from bot.feeds import FeedPolicy
    from bot.sources.feeds import FeedLimits

    return FeedPolicy(
        max_feeds_per_chat=settings.max_feeds_per_chat,
        entries_per_poll=settings.feed_entries_per_poll,
        interval_minutes=settings.feed_interval_minutes,
        lease=timedelta(minutes=10),
        limits=FeedLimits(max_bytes=settings.max_feed_bytes, max_entries=settings.max_feed_entries),
    )


@dataclass(frozen=True)
class LibraryServices:
    """The library and its parts: what the commands on the library alone need (`add`, `ask`, `brief`, `db reindex`).

    No conversation, feeds or inbox: their imports and set-up cost a one-shot process more than its work.
    """

    settings: Settings
    engine: Engine
    store: ArticleStore
    languages: Languages
    parser: ArticleParser
    summarizer: Summarizer
    library: Library
    upkeep: TermsUpkeep
    clock: Callable[[], datetime]

    def close(self) -> None:
        self.upkeep.close()
        self.store.close()


@dataclass(frozen=True)
class Services(LibraryServices):
    """Everything the front ends (the bot, the terminal chat) use: the library's services and the conversation's."""

    briefings: Briefings
    conversation: Conversation
    links: LinkIngester
    deliveries: Deliveries
    feeds: Feeds
    schedules: Schedules
    feed_round: FeedRound
    workers: ArticleWorkers
    answers: Lane  # the thread(s) that answer questions (bot/lanes.py)
    inbox: Lane  # the thread of the inbox's records, claims and marks

    def close(self) -> None:
        self.answers.close()
        self.inbox.close()
        self.workers.close()
        super().close()
        self.deliveries.close()

    async def aclose(self) -> None:
        """Close what lives on the event loop (the links' and the feeds' HTTP clients)."""
        await self.links.aclose()
        await self.feeds.aclose()


def build_library_services(settings: Settings, *, migrate: bool = True, clock: Callable[[], datetime] | None = None,
                           pool_size: int | None = None, max_overflow: int | None = None) -> LibraryServices:
    """Open the library (upgrading its schema when `migrate`) and build the library service on it.

    The pool is the settings' unless given (a worker process uses one connection).
    """
    # Imported here: `briefbot summarize` and `extract` need parsers and sources, not a database.
    from bot.answers.answerer import Answerer
    from bot.library import Library
    from bot.reindexing import TermsUpkeep
    from bot.summaries.summarizer import Summarizer
    from storage.clock import utcnow
    from storage.db import make_engine, upgrade
    from storage.index_state import IndexState
    from storage.store import ArticleStore

    clock = clock or utcnow
    engine = make_engine(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size if pool_size is None else pool_size,
        max_overflow=settings.database_max_overflow if max_overflow is None else max_overflow,
    )
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
    upkeep = TermsUpkeep(library, IndexState(engine))
    if migrate:
        upkeep.stale()  # a new (empty) library is marked current before anything is saved in it
    return LibraryServices(settings, engine, store, languages, parser, summarizer, library, upkeep, clock)


def build_library(settings: Settings) -> Library:
    """A library of its own on the settings' database: what a worker process reads long articles with."""
    # One connection is all a worker uses (it saves one article at a time); the bot upgraded the schema.
    return build_library_services(settings, migrate=False, pool_size=1, max_overflow=1).library


def build_briefings(core: LibraryServices) -> Briefings:
    from bot.briefings import Briefings
    from bot.summaries.briefing import Briefer

    return Briefings(core.library, Briefer(core.parser), clock=core.clock)


def build_services(settings: Settings, *, migrate: bool = True, clock: Callable[[], datetime] | None = None,
                   briefing: BriefingMaker | None = None) -> Services:
    """Open the library (upgrading its schema) and wire the services together.

    `clock` (aware UTC datetimes) drives feed checks and scheduled briefings; tests pass their own.
    `briefing` makes a chat's scheduled briefing since a moment (default: /brief's, of the articles since then).
    """
    from bot.conversation.conversation import Conversation
    from bot.conversation.feeds import FeedRound, FeedTalk, scheduled_briefing
    from bot.deliveries import Deliveries, InboxPolicy
    from bot.feeds import Feeds
    from bot.i18n import Catalogs
    from bot.lanes import Lane
    from bot.schedules import Schedules
    from bot.workers import ArticleWorkers
    from storage.claims import UpdateClaims
    from storage.db import inbox_engine
    from storage.feeds import FeedStore

    core = build_library_services(settings, migrate=migrate, clock=clock)
    library, clock = core.library, core.clock
    links = build_link_ingester(settings, library)
    briefings = build_briefings(core)
    feed_store = FeedStore(core.engine)
    feeds = Feeds(feed_store, build_sources(settings), library, policy=feed_policy(settings), clock=clock)
    schedules = Schedules(feed_store, clock=clock)
    # Long pasted texts and files are read in worker processes, each with a library of its own.
    workers = ArticleWorkers(build_library, settings, processes=settings.article_processes, clock=clock)
    answers, inbox = Lane("answers", max(settings.answer_threads, 1)), Lane("inbox")
    # Every shipped language's catalog, read once here.
    conversation = Conversation(library, link_handler=links.ingest, briefings=briefings,
                                feeds=FeedTalk(feeds, schedules), catalogs=Catalogs.load(), workers=workers,
                                answers=answers)
    briefing = briefing or scheduled_briefing(conversation)
    # A lease under half a second would have workers renewing (and sweeping) without pause.
    policy = InboxPolicy(lease=timedelta(seconds=max(settings.update_lease, MIN_LEASE_SECONDS)),
                         max_age=timedelta(seconds=max(settings.inbox_max_age, 0)))
    deliveries = Deliveries(
        UpdateClaims(inbox_engine(settings.resolved_database_url, core.engine, migrate=migrate)), policy)
    # What Briefbot sends on its own (announcements, scheduled briefings) speaks the chat's /language.
    feed_round = FeedRound(feeds, schedules, briefing, conversation.translator_for)
    return Services(**vars(core), briefings=briefings,
                    conversation=conversation, links=links, deliveries=deliveries, feeds=feeds,
                    schedules=schedules, feed_round=feed_round, workers=workers, answers=answers, inbox=inbox)
