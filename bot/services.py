"""Builds Briefbot's services once, from settings, in one place; front ends receive them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.answerer import Answerer
from bot.text.article import ArticleParser
from bot.conversation.conversation import Conversation
from bot.text.language import Languages
from bot.library import Library
from bot.links import LinkIngester
from bot.settings import Settings
from bot.summaries.summarizer import Summarizer
from bot.text.tokenizer import PunktModels
from storage.db import make_engine, upgrade
from storage.store import ArticleStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: ArticleStore
    languages: Languages
    parser: ArticleParser
    summarizer: Summarizer
    library: Library
    conversation: Conversation
    links: LinkIngester

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


def build_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Open the library (upgrading its schema) and wire the services together."""
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
    links = LinkIngester(settings, library)
    conversation = Conversation(library, link_handler=links.ingest)
    return Services(settings, store, languages, parser, summarizer, library, conversation, links)
