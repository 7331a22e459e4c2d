"""Links in chat and on the command line: fetch, extract, save — or find the stored article."""

from __future__ import annotations

import asyncio

from bot.errors import FetchError
from bot.sources.extractor import extract_document
from bot.sources.fetcher import Fetcher, FetchRateLimiter, normalize_url
from bot.library import Ingested, Library
from bot.settings import Settings
from bot.sources.loading import Loaded


async def fetch_source(url: str, settings: Settings) -> Loaded:
    """A URL as text to summarize or print (nothing is stored)."""
    async with Fetcher(settings) as fetcher:
        page = await fetcher.fetch(url)
    extracted = await asyncio.to_thread(
        extract_document, page.body, content_type=page.content_type, url=page.final_url, charset=page.charset,
        filename=page.final_url.rsplit("/", 1)[-1],
    )
    # The language is detected from the text: a page's lang attribute is often a template default.
    return Loaded(url, extracted.text, title=extracted.title or None, url=normalize_url(url),
                  final_url=page.final_url)


class LinkIngester:
    """Turns a link into a stored article; one per event loop (it owns the HTTP client)."""

    def __init__(self, settings: Settings, library: Library, *, fetcher: Fetcher | None = None) -> None:
        self._settings = settings
        self._library = library
        self._fetcher = fetcher
        self._limiter = FetchRateLimiter(settings.fetch_rate_per_minute)

    def _client(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self._settings)
        return self._fetcher

    async def aclose(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    async def ingest(self, chat_id: int, url: str, user_id: int | None) -> Ingested:
        """Fetch, extract and save `url` for the chat; the same link again is not fetched again."""
        try:
            normalized = normalize_url(url)
        except ValueError:
            raise FetchError("That link is malformed.") from None
        known = await asyncio.to_thread(self._library.find_by_url, chat_id, normalized)
        if known is not None:
            await asyncio.to_thread(self._library.store.set_current_article, chat_id, known.number)
            return Ingested(known, duplicate=True)
        self._limiter.check(user_id if user_id is not None else chat_id)
        page = await self._client().fetch(url)
        extracted = await asyncio.to_thread(
            extract_document, page.body, content_type=page.content_type, url=page.final_url, charset=page.charset,
            filename=page.final_url.rsplit("/", 1)[-1],
        )
        return await asyncio.to_thread(
            self._library.ingest_text, chat_id, extracted.text, title=extracted.title or None,
            url=normalized, final_url=normalize_url(page.final_url),
        )
