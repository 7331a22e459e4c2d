"""Links in chat and on the command line: fetch, extract, save — or find the stored article."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.errors import FetchError
from bot.i18n import lazy
from bot.library import Ingested, Library
from bot.sources.limits import FetchRateLimiter
from bot.sources.loading import Sources
from bot.sources.urls import normalize_url


class LinkIngester:
    """Turns a link into a stored article; one per event loop (its sources own the HTTP client)."""

    def __init__(self, sources: Sources, library: Library, *, rate_per_minute: int) -> None:
        self._sources = sources
        self._library = library
        self._limiter = FetchRateLimiter(rate_per_minute)

    async def aclose(self) -> None:
        await self._sources.aclose()

    async def ingest(self, chat_id: int, url: str, user_id: int | None) -> Ingested:
        """Fetch, extract and save `url` for the chat; the same link again is not fetched again."""
        try:
            normalized = normalize_url(url)
        except ValueError:
            raise FetchError(lazy("That link is malformed.")) from None
        known = await asyncio.to_thread(self._library.find_by_url, chat_id, normalized)
        if known is not None:
            await asyncio.to_thread(self._library.store.set_current_article, chat_id, known.number)
            return Ingested(known, duplicate=True)
        self._limiter.check(user_id if user_id is not None else chat_id)
        loaded = await self._sources.from_url(url)
        ingested = await asyncio.to_thread(
            self._library.ingest_text, chat_id, loaded.text, title=loaded.title,
            url=loaded.url or normalized, final_url=normalize_url(loaded.final_url or url),
            site_name=loaded.site_name, author=loaded.author, published=loaded.published,
        )
        return replace(ingested, offers=loaded.offers) if loaded.offers else ingested
