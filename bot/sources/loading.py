"""One pipeline from bytes, a path or a URL to article text, for the CLI, links in chat and documents.

Bytes are sniffed and decoded (plain text, HTML through trafilatura, PDF through pypdf) by
the extractor; URLs are fetched by the safe fetcher first. Parsing the text into an article
(sentences, language) is the text layer's job, not this one's.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BriefbotError, EmptyInput, NotAnArticle, TooLarge
from bot.i18n import lazy
from bot.sources.decoding import decode_text
from bot.sources.kinds import human_size, is_text_name
from bot.sources.urls import is_url, normalize_url

if TYPE_CHECKING:  # httpx and the fetcher load only when a link is fetched
    import httpx

    from bot.sources.fetcher import FetchedPage, Fetcher, Resolver
    from bot.sources.limits import FetchLimits
    from bot.sources.telegram_posts import PostLink

__all__ = ["Loaded", "Sources", "decode_text", "is_url", "load_document", "load_local", "read_file"]


@dataclass(frozen=True)
class Loaded:
    """Text ready to parse, with what is known of where it came from."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    final_url: str | None = None
    language: str | None = None
    site_name: str = ""
    author: str = ""
    published: str = ""  # ISO 8601 date as the page gives it
    offers: tuple[str, ...] = ()  # articles the source links (a Telegram post's link), to offer the user


def read_file(path: Path, *, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BriefbotError(lazy("No such file: %(path)s", path=str(path))) from None
    except OSError as error:
        raise BriefbotError(lazy("Cannot read %(path)s: %(reason)s", path=str(path), reason=error.strerror)) from None
    if path.is_dir():
        raise BriefbotError(lazy("%(path)s is a folder, not a file.", path=str(path)))
    if size > max_bytes:
        raise TooLarge(lazy("%(name)s is too large (%(size)s); the limit is %(limit)s.", name=path.name,
                            size=human_size(size), limit=human_size(max_bytes)))
    return path.read_bytes()


def load_local(source: str, *, max_bytes: int) -> Loaded:
    """A file or `-` (standard input) as text; HTML and PDF files go through the extractor."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TooLarge(lazy("Standard input is larger than the limit of %(limit)s.", limit=human_size(max_bytes)))
        if not data.strip():
            raise EmptyInput(lazy("Standard input was empty."))
        return Loaded(source, decode_text(data))
    path = Path(source).expanduser()
    data = read_file(path, max_bytes=max_bytes)
    if is_text_name(path.name):
        return Loaded(source, decode_text(data))
    return load_document(source, data, filename=path.name)


def load_document(source: str, data: bytes, *, filename: str, content_type: str | None = None) -> Loaded:
    """A document's bytes (HTML, PDF, text) as text, through the extractor."""
    if is_text_name(filename) and content_type in (None, "text/plain", "text/markdown"):
        return Loaded(source, decode_text(data))
    from bot.sources.extractor import extract_document  # trafilatura and pypdf: only when needed

    extracted = extract_document(data, content_type=content_type, filename=filename)
    return Loaded(source, extracted.text, title=extracted.title or None, site_name=extracted.site_name,
                  author=extracted.author, published=extracted.date)


class Sources:
    """The pipeline with its limits; one per event loop, since it owns the fetcher's HTTP client."""

    def __init__(self, limits: FetchLimits, *, max_file_bytes: int, resolver: Resolver | None = None,
                 transport: httpx.AsyncBaseTransport | None = None,
                 telegram_preview_url: str = "https://t.me") -> None:
        self._limits = limits
        # Only where post previews are read from; the fetcher's address checks apply there too.
        self._telegram_preview_url = telegram_preview_url
        self._max_file_bytes = max_file_bytes
        self._resolver = resolver
        self._transport = transport
        self._fetcher: Fetcher | None = None

    def from_path(self, source: str) -> Loaded:
        """A file or `-` (standard input); blocking."""
        return load_local(source, max_bytes=self._max_file_bytes)

    def from_bytes(self, source: str, data: bytes, *, filename: str, content_type: str | None = None) -> Loaded:
        """An uploaded document; blocking."""
        if len(data) > self._max_file_bytes:
            raise TooLarge(lazy("%(name)s is too large (%(size)s); the limit is %(limit)s.", name=filename,
                                size=human_size(len(data)), limit=human_size(self._max_file_bytes)))
        return load_document(source, data, filename=filename, content_type=content_type)

    def _client(self) -> Fetcher:
        from bot.sources.fetcher import Fetcher

        if self._fetcher is None:
            self._fetcher = Fetcher(self._limits, resolver=self._resolver, transport=self._transport)
        return self._fetcher

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str | None = None, max_bytes: int | None = None) -> FetchedPage:
        """The raw page, fetched safely (feeds parse it themselves); conditional with etag/last_modified."""
        return await self._client().fetch(url, etag=etag, last_modified=last_modified, accept=accept,
                                          max_bytes=max_bytes)

    async def from_url(self, url: str) -> Loaded:
        """Fetch a link safely and extract its article (in a thread: trafilatura is CPU work)."""
        from bot.sources.extractor import extract_document
        from bot.sources.telegram_posts import post_link

        post = post_link(url)
        if post is not None:
            return await self._from_post(url, post)
        page = await self._client().fetch(url)
        extracted = await asyncio.to_thread(
            extract_document, page.body, content_type=page.content_type, url=page.final_url, charset=page.charset,
            filename=page.final_url.rsplit("/", 1)[-1],
        )
        # The language is detected from the text: a page's lang attribute is often a template default.
        return Loaded(url, extracted.text, title=extracted.title or None, url=normalize_url(url),
                      final_url=page.final_url, site_name=extracted.site_name, author=extracted.author,
                      published=extracted.date)

    async def _from_post(self, url: str, link: PostLink) -> Loaded:
        """A Telegram channel post, from its public preview: its text, and the article it links."""
        from bot.sources.decoding import decode_html
        from bot.sources.telegram_posts import parse_post
        from bot.text.article import MIN_ARTICLE_CHARS

        page = await self._client().fetch(link.preview_url(self._telegram_preview_url))
        post = await asyncio.to_thread(parse_post, decode_html(page.body, page.charset), link)
        if len(post.text) < MIN_ARTICLE_CHARS:
            if post.links:
                raise NotAnArticle(lazy("That Telegram post is too short to keep; it links %(link)s — "
                                        "send me that link to save the article.", link=post.links[0]))
            raise NotAnArticle(lazy("That Telegram post is too short to keep as an article."))
        first_line = post.text.split("\n", 1)[0]
        title = first_line if len(first_line) <= 120 else f"{post.channel_title}: post {link.post}"
        return Loaded(url, post.text, title=title, url=normalize_url(link.canonical), final_url=link.canonical,
                      site_name=post.channel_title, author=post.author, published=post.date, offers=post.links)

    async def aclose(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
