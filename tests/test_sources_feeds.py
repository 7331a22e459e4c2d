"""Feeds from bytes and URLs: discovery, parsing, and hostile feeds that must cost nothing but a clear message."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.errors import BlockedAddress, FetchError, TooLarge
from bot.feeds import Feeds
from bot.services import Services, build_services
from bot.sources.feeds import FeedLimits, feed_links, html_to_text, parse_feed
from bot.sources.limits import FetchLimits
from bot.sources.loading import Sources
from storage.feeds import FeedStore
from tests.feedsite import FakeClock, feed_text
from tests.helpers import data_file, make_settings
from tests.webserver import WebServer, gzipped

CHAT = 601
# A public-looking address the test transport sends to the local server (see RemapTransport).
PUBLIC = "93.184.216.34"


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, allow_private_networks=True, fetch_timeout=5.0),
                           clock=FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC)))
    yield built
    built.close()


def test_rss_and_atom_parse_with_ids_links_and_text(web: WebServer) -> None:
    rss = parse_feed(feed_text(web, "gazette.rss"), web.url("/feeds/gazette.rss"))
    assert rss.title == "Hollins Gazette"
    assert [item.key for item in rss.items][:2] == ["gazette-2026-1201-bakery", "gazette-2026-1130-council"]
    # content:encoded wins over the description: the whole article, as paragraphs of plain text.
    windport = rss.items[2]
    assert windport.text.count("\n\n") >= 5 and "<p>" not in windport.text
    atom = parse_feed(feed_text(web, "valley-tech.atom"), web.url("/feeds/valley-tech.atom"))
    assert atom.title == "Valley Tech Weekly"
    # A relative link is resolved against the feed's address.
    assert atom.items[0].url == web.url("/tech/chipmaker-profits.html")
    assert atom.items[0].key == "tag:valley-tech.example,2026:chipmaker-profits"


def test_a_page_links_its_feed_in_its_head() -> None:
    page = data_file("feeds/valley-tech-home.html").read_bytes()
    assert feed_links(page, "https://tech.example/home/") == ["https://tech.example/feeds/valley-tech.atom"]
    # Links in the body (or of other types) are not feed links of the page.
    body_link = b'<html><body><link rel="alternate" type="application/rss+xml" href="/x.rss"></body></html>'
    assert feed_links(body_link, "https://a.example/") == []


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    text = html_to_text("<p>One &amp; two.</p><script>alert(1)</script><p>Three\n  four.</p>")
    assert text == "One & two.\n\nThree four."


@pytest.mark.parametrize(("name", "body", "message"), [
    ("malformed", data_file("feeds/malformed.xml").read_bytes(), "not well-formed XML"),
    ("empty", b"", "not an RSS or Atom feed"),
    ("json", b'{"version": "https://jsonfeed.org/version/1"}', "not an RSS or Atom feed"),
])
def test_what_is_no_feed_is_refused_with_a_reason(name: str, body: bytes, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        parse_feed(body, f"https://a.example/{name}")


def test_entity_expansion_is_refused_before_parsing() -> None:
    """A "billion laughs" feed: nested entities would cost the parser many seconds of CPU."""
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{entities}]><rss version="2.0"><channel>'
              "<title>&l9;</title><item><title>x</title><guid>a</guid></item></channel></rss>").encode()
    started = time.perf_counter()
    with pytest.raises(FetchError, match="declares its own XML entities"):
        parse_feed(laughs, "https://a.example/laughs.rss")
    assert time.perf_counter() - started < 2  # parsing it takes feedparser 10 s or more


def test_ten_thousand_entries_are_refused_before_parsing() -> None:
    items = b"".join(b"<item><title>Item %d</title><guid>i%d</guid></item>" % (n, n) for n in range(10_000))
    huge = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>' + items + b"</channel></rss>"
    started = time.perf_counter()
    with pytest.raises(FetchError, match="lists 10,000 entries; I follow feeds of at most 1,000"):
        parse_feed(huge, "https://a.example/huge.rss", limits=FeedLimits(max_entries=1000))
    # Counted, not parsed: feedparser would take seconds over 10,000 entries.
    assert time.perf_counter() - started < 2  # parsing it takes feedparser 10 s or more


def _hostile(web: WebServer) -> dict[str, str]:
    items = b"".join(b"<item><title>Item %d</title><guid>i%d</guid></item>" % (n, n) for n in range(10_000))
    return {
        "huge": web.add("/huge.rss", b'<rss version="2.0"><channel><title>Huge</title>' + items
                        + b"</channel></rss>", content_type="application/rss+xml"),
        "page": web.add("/big-page.html", b"<!DOCTYPE html><html><head><title>Big</title></head><body>"
                        + b"<p>Not a feed at all.</p>" * 90_000 + b"</body></html>"),
        "small-page": web.add("/plain.html", b"<!DOCTYPE html><html><head><title>Plain</title></head>"
                              b"<body><p>No feeds here.</p></body></html>"),
        "bomb": web.add("/bomb.rss", gzipped(b"<rss>" + b" " * 60_000_000), content_type="application/rss+xml",
                        Content_Encoding="gzip"),
        "malformed": web.add("/malformed.xml", data_file("feeds/malformed.xml").read_bytes(),
                             content_type="application/xml"),
    }


@pytest.mark.parametrize(("case", "error", "message"), [
    ("huge", FetchError, "lists 10,000 entries"),
    ("page", TooLarge, "larger than 2 MB"),
    ("small-page", FetchError, "not a feed, and it links no RSS or Atom feed"),
    ("bomb", TooLarge, "larger than 2 MB"),
    ("malformed", FetchError, "not well-formed XML"),
])
async def test_hostile_feeds_get_a_clear_message_and_store_nothing(services: Services, web: WebServer,
                                                                   case: str, error: type, message: str) -> None:
    url = _hostile(web)[case]
    try:
        with pytest.raises(error, match=message):
            await services.feeds.follow(CHAT, url)
        assert services.feeds.list(CHAT) == ()
        assert services.library.list(CHAT) == ((), 0)
        # One request: nothing was fetched beyond the refused document.
        assert len(web.requests) == 1
    finally:
        await services.aclose()


class RemapTransport(httpx.AsyncBaseTransport):
    """Sends requests for PUBLIC to the local test server: a stand-in for a public web site."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == PUBLIC:
            request.url = request.url.copy_with(host="127.0.0.1", port=self._port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def test_a_feed_redirecting_to_a_private_address_is_refused(services: Services, web: WebServer) -> None:
    """With private networks forbidden, a public feed's redirect into the LAN is caught at its hop."""
    web.add("/feeds/moved.rss", status=302, Location="http://router.lan/feed.rss")

    async def resolver(host: str) -> list[str]:
        return {"news.example": [PUBLIC], "router.lan": ["192.168.1.1"]}[host]

    sources = Sources(FetchLimits(timeout=3.0), max_file_bytes=1_000_000, resolver=resolver,
                      transport=RemapTransport(web.port))
    feeds = Feeds(FeedStore(services.store.engine), sources, services.library)
    try:
        with pytest.raises(BlockedAddress, match=r"private or local addresses \(router.lan\)"):
            await feeds.follow(CHAT, "http://news.example/feeds/moved.rss")
        assert [path for path, _headers in web.requests] == ["/feeds/moved.rss"]
        assert feeds.list(CHAT) == ()
    finally:
        await feeds.aclose()
        await services.aclose()
