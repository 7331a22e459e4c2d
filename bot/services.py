"""Builds Briefbot's services once, from settings, in one place; front ends receive them.

Each object gets what it uses (limits, classes, the store), not the whole Settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.answers.answerer import Answerer
from bot.briefings import Briefings
from bot.conversation.conversation import Conversation
from bot.deliveries import Deliveries, InboxPolicy
from bot.i18n import Catalogs
from bot.library import Library
from bot.links import LinkIngester
from bot.settings import Settings
from bot.sources.limits import FetchLimits
from bot.sources.loading import Sources
from bot.summaries.briefing import Briefer
from bot.summaries.summarizer import Summarizer
from bot.text.article import ArticleParser
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels

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

    def close(self) -> None:
        self.store.close()

    async def aclose(self) -> None:
        """Close what lives on the event loop (the links' HTTP client)."""
        await self.links.aclose()


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


def build_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Open the library (upgrading its schema) and wire the services together."""
    # Imported here: `briefbot summarize` and `extract` need parsers and sources, not a database.
    from storage.claims import UpdateClaims
    from storage.db import make_engine, upgrade
    from storage.store import ArticleStore

    engine = make_engine(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
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
    answerer = Answerer(store, languages)
    library = Library(store, parser, summarizer, answerer)
    links = build_link_ingester(settings, library)
    briefings = Briefings(library, Briefer(parser))
    # Every shipped language's catalog, read once here.
    conversation = Conversation(library, link_handler=links.ingest, briefings=briefings, catalogs=Catalogs.load())
    # A lease under half a second would have workers renewing (and sweeping) without pause.
    policy = InboxPolicy(lease=timedelta(seconds=max(settings.update_lease, MIN_LEASE_SECONDS)),
                         max_age=timedelta(seconds=max(settings.inbox_max_age, 0)))
    deliveries = Deliveries(UpdateClaims(engine), policy)
    return Services(settings, store, languages, parser, summarizer, library, briefings, conversation, links,
                    deliveries)
