"""RSS and Atom feeds: find a feed from a URL, fetch it conditionally, parse it with feedparser.

A URL may be the feed itself or an HTML page that links one with
`<link rel="alternate" type="application/rss+xml|atom+xml" href=...>`. Every fetch goes
through the safe fetcher (SSRF guard on every hop, size and time caps). A feed's entries
are counted before feedparser sees them, so a feed of 10,000 items is refused cheaply.
"""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from bot.errors import FetchError
from bot.i18n import Grouped, Text, lazy, lazy_plural

if TYPE_CHECKING:
    from bot.sources.fetcher import FetchedPage
    from bot.sources.loading import Sources

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, "
               "text/xml;q=0.8, text/html;q=0.5, */*;q=0.1")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_TYPES = (*FEED_TYPES, "application/xml", "text/xml", "application/x-rss+xml", "application/feed+xml")
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(?:item|entry)[\s>/]")
# Entity declarations: feeds have no use for them, and nested ones expand exponentially ("billion laughs").
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z0-9_]+:)?(?:rss|feed|RDF)[\s>]")
# Only the head of a page is searched for feed links: a 2 MB page costs no more than its first part.
_HEAD_BYTES = 256_000


@dataclass(frozen=True)
class FeedLimits:
    """What following and polling a feed may cost."""

    max_bytes: int = 2_000_000  # a feed document (decoded); larger is refused
    max_entries: int = 1000  # entries in one feed document; more is refused
    max_fragment_chars: int = 200_000  # an entry's own content taken as an article


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: what identifies it, where it links, and its own text."""

    key: str  # the entry's id (guid), or its link when it has none
    url: str | None
    title: str
    text: str  # the entry's content or summary as plain text (may be short or empty)


@dataclass(frozen=True)
class ParsedFeed:
    url: str  # where the feed document was found (after discovery)
    title: str
    items: tuple[FeedItem, ...]
    etag: str | None = None
    last_modified: str | None = None


def looks_like_feed(page: FetchedPage) -> bool:
    """An XML content type, or a document whose root is rss/feed/RDF."""
    if page.content_type in _XML_TYPES:
        return True
    head = page.body[:2048].lstrip()
    return bool(_FEED_ROOT.search(head)) and not head[:200].lower().startswith((b"<!doctype html", b"<html"))


class _FeedLinks(HTMLParser):
    """The feed links of an HTML page's head, in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.done = True
        if tag != "link" or self.done:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("type", "").lower().strip() in FEED_TYPES and values.get("href"):
            self.links.append(values["href"].strip())


def feed_links(html_bytes: bytes, base_url: str, charset: str | None = None) -> list[str]:
    """Absolute URLs of the feeds an HTML page links in its head."""
    text = html_bytes[:_HEAD_BYTES].decode(charset or "utf-8", errors="replace")
    parser = _FeedLinks()
    try:
        parser.feed(text)
    except Exception:  # HTMLParser is lenient; a page it chokes on links no feed we can trust
        return []
    return [urljoin(base_url, link) for link in dict.fromkeys(parser.links)]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an entry's HTML content: paragraphs kept, tags and scripts dropped."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    paragraphs = (" ".join(part.split()) for part in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _entry_text(entry: Any, limit: int) -> str:
    best = ""
    for content in entry.get("content") or ():
        value = content.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    if len(summary) > len(best):
        best = summary
    return html_to_text(best[:limit])


NOT_A_FEED = lazy("That is not an RSS or Atom feed.")
NOT_WELL_FORMED = lazy("That feed is not well-formed XML, and I could not read any entries from it.")


def _too_many(count: int, most: int) -> Text:
    return lazy_plural("That feed lists %(count)s entries; I follow feeds of at most %(most)s.",
                       "That feed lists %(count)s entries; I follow feeds of at most %(most)s.", count,
                       count=Grouped(count), most=Grouped(most))


def parse_feed(data: bytes, url: str, *, content_type: str | None = None, limits: FeedLimits | None = None,
               etag: str | None = None, last_modified: str | None = None) -> ParsedFeed:
    """The feed in `data` (blocking: feedparser is CPU work); FetchError if it is none or too big."""
    import feedparser

    limits = limits or FeedLimits()
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise FetchError(NOT_A_FEED)
    if _ENTITY_DECLARATION.search(data):
        raise FetchError(lazy("That feed declares its own XML entities, which I do not read."))
    count = len(_ENTRY_TAG.findall(data))
    if count > limits.max_entries:
        raise FetchError(_too_many(count, limits.max_entries))
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        if parsed.get("bozo"):
            raise FetchError(NOT_WELL_FORMED)
        raise FetchError(NOT_A_FEED)
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError(NOT_WELL_FORMED)
    if len(parsed.entries) > limits.max_entries:
        raise FetchError(_too_many(len(parsed.entries), limits.max_entries))
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip() or None
        if link is not None and not link.lower().startswith(("http://", "https://")):
            link = None  # javascript:, mailto: ... are never fetched
        key = (entry.get("id") or "").strip() or link or (entry.get("title") or "").strip()
        if not key:
            continue
        items.append(FeedItem(key=key[:1000], url=link, title=" ".join((entry.get("title") or "").split())[:300],
                              text=_entry_text(entry, limits.max_fragment_chars)))
    title = " ".join((parsed.feed.get("title") or "").split())[:200] or url
    return ParsedFeed(url=url, title=title, items=tuple(items), etag=etag, last_modified=last_modified)


async def fetch_feed(sources: Sources, url: str, *, limits: FeedLimits | None = None, etag: str | None = None,
                     last_modified: str | None = None, discover: bool = False) -> ParsedFeed | None:
    """Fetch and parse the feed at `url`; None when it is unchanged (304).

    With `discover`, an HTML page is searched for the feed it links, which is then fetched.
    """
    limits = limits or FeedLimits()
    page = await sources.fetch(url, etag=etag, last_modified=last_modified, accept=FEED_ACCEPT,
                               max_bytes=limits.max_bytes)
    if page.not_modified:
        return None
    if not looks_like_feed(page):
        if not discover:
            raise FetchError(lazy("The feed's address now serves a web page, not a feed."))
        links = feed_links(page.body, page.final_url, page.charset)
        if not links:
            raise FetchError(lazy("That page is not a feed, and it links no RSS or Atom feed."))
        url = links[0]
        page = await sources.fetch(url, accept=FEED_ACCEPT, max_bytes=limits.max_bytes)
        if not looks_like_feed(page):
            raise FetchError(lazy("The feed that page links is not an RSS or Atom feed."))
    return await asyncio.to_thread(parse_feed, page.body, url, content_type=page.content_type, limits=limits,
                                   etag=page.etag, last_modified=page.last_modified)
