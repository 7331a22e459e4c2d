"""A news site on the test web server: two feeds (RSS and Atom), a home page linking one, article pages.

The feeds are files of tests/data/feeds/ with `{base}` replaced by the server's address;
the article pages are built from tests/data/articles/. Feeds answer conditional GETs with 304.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.helpers import data_file
from tests.pages import article_page
from tests.webserver import WebServer

# Article pages the feeds link: path -> article file.
PAGES = {
    "/news/bakery-prices.html": "en-bakery-prices.txt",
    "/news/council-election.html": "en-council-election.txt",
    "/tech/chipmaker-profits.html": "en-chipmaker-profits.txt",
    "/tech/delivery-robots.html": "en-delivery-robots.txt",
}
# Its page is gone (404); the feed carries the whole article in content:encoded.
WINDPORT = "en-wind-port.txt"


def article_parts(name: str) -> tuple[str, list[str]]:
    title, body = data_file(f"articles/{name}").read_text("utf-8").split("\n\n", 1)
    return title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()]


@dataclass
class FeedSite:
    web: WebServer
    gazette: str  # the RSS feed
    tech: str  # the Atom feed
    tech_home: str  # an HTML page that links the Atom feed

    def feed_responses(self) -> list[tuple[str, int]]:
        return [(path, status) for path, status in self.web.responses if path.startswith("/feeds/")]

    def page_requests(self) -> list[str]:
        return [path for path, _headers in self.web.requests if not path.startswith("/feeds/")]


def feed_text(web: WebServer, name: str) -> bytes:
    _title, paragraphs = article_parts(WINDPORT)
    windport = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    text = data_file(f"feeds/{name}").read_text("utf-8")
    return text.replace("{base}", web.url("").rstrip("/")).replace("{windport}", windport).encode("utf-8")


def serve_feed_site(web: WebServer) -> FeedSite:
    """Serve the two feeds, the home page and the article pages on `web`."""
    modified = (datetime(2026, 12, 1, 7, 40, tzinfo=UTC) - timedelta(0)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    gazette = web.add("/feeds/gazette.rss", feed_text(web, "gazette.rss"), content_type="application/rss+xml",
                      ETag='"gazette-v1"', Last_Modified=modified)
    # The Atom feed's server knows only Last-Modified (no ETag).
    tech = web.add("/feeds/valley-tech.atom", feed_text(web, "valley-tech.atom"),
                   content_type="application/atom+xml; charset=utf-8", Last_Modified=modified)
    home = web.add("/tech/", data_file("feeds/valley-tech-home.html").read_bytes())
    for path, name in PAGES.items():
        title, paragraphs = article_parts(name)
        web.add(path, article_page(title, paragraphs).encode("utf-8"))
    return FeedSite(web, gazette, tech, home)


class FakeClock:
    """A clock the test moves by hand: aware UTC datetimes."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
