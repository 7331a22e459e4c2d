"""The feed service over a real web server: follow, poll, 304s, dedupe, fallbacks, backoff, limits."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import BriefbotError, InputError, NotFound
from bot.services import Services, build_services
from tests.feedsite import FakeClock, FeedSite, article_parts, serve_feed_site
from tests.helpers import make_settings
from tests.webserver import WebServer

CHAT = 501
OTHER = 502


@pytest.fixture
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        yield server


@pytest.fixture
def site(web: WebServer) -> FeedSite:
    return serve_feed_site(web)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))


@pytest.fixture
def feed_services(tmp_path: Path, clock: FakeClock) -> Iterator[Services]:
    """Services on a SQLite file whose links may reach the test server."""
    built = build_services(make_settings(tmp_path, allow_private_networks=True, fetch_timeout=5.0), clock=clock)
    yield built
    built.close()


@pytest.fixture
def both_backends(tmp_path: Path, database_url: str, clock: FakeClock) -> Iterator[Services]:
    """The same on a SQLite file, then on PostgreSQL."""
    built = build_services(make_settings(tmp_path, database_url=database_url, allow_private_networks=True,
                                         fetch_timeout=5.0), clock=clock)
    yield built
    built.close()


def titles(services: Services, chat_id: int) -> list[str]:
    articles, _total = services.library.list(chat_id, per_page=50)
    return sorted(info.title for info in articles)


async def test_two_feeds_are_polled_once_and_then_answer_304(both_backends: Services, site: FeedSite,
                                                             clock: FakeClock) -> None:
    feed_services = both_backends
    feeds = feed_services.feeds
    try:
        gazette, created = await feeds.follow(CHAT, site.gazette)
        assert created and gazette.title == "Hollins Gazette" and gazette.interval_minutes == 30
        # The site's home page is followed through the feed it links.
        tech, created = await feeds.follow(CHAT, site.tech_home)
        assert created and tech.title == "Valley Tech Weekly" and tech.url.endswith("/feeds/valley-tech.atom")

        results = await feeds.poll_due()
        assert {r.feed.title: r.error for r in results} == {"Hollins Gazette": None, "Valley Tech Weekly": None}
        expected = sorted([article_parts(name)[0] for name in (
            "en-bakery-prices.txt", "en-council-election.txt", "en-chipmaker-profits.txt",
            "en-delivery-robots.txt", "en-wind-port.txt")])
        # The bakery story is in both feeds (same URL once tracking is dropped): stored once. The wind-port
        # page is gone, so the entry's own content was stored; the frost entry is too short to be an article.
        assert titles(feed_services, CHAT) == expected
        windport = feed_services.library.find_by_url(CHAT, site.web.url("/news/gone-wind-port.html"))
        assert windport is not None and windport.sentence_count >= 10

        # Nothing is due before its interval has passed: no request at all.
        before = len(site.web.requests)
        assert await feeds.poll_due() == []
        assert len(site.web.requests) == before

        clock.advance(minutes=31)
        pages_before = len(site.page_requests())
        results = await feeds.poll_due()
        assert sorted(r.unchanged for r in results) == [True, True]
        # Both feeds answered 304 to the conditional GET (ETag for one, Last-Modified for the other) ...
        assert sorted(site.feed_responses()[-2:]) == [("/feeds/gazette.rss", 304), ("/feeds/valley-tech.atom", 304)]
        sent = {path: headers for path, headers in site.web.requests[-2:]}
        assert sent["/feeds/gazette.rss"].get("If-None-Match") == '"gazette-v1"'
        assert "If-Modified-Since" in sent["/feeds/valley-tech.atom"]
        # ... and no article page was fetched again, nothing stored twice.
        assert site.page_requests()[pages_before:] == []
        assert len(titles(feed_services, CHAT)) == 5
        listed = feeds.list(CHAT)
        assert [f.last_checked_at for f in listed] == [clock.now, clock.now]
    finally:
        await feed_services.aclose()


async def test_a_changed_feed_brings_only_its_new_entry(feed_services: Services, site: FeedSite,
                                                       clock: FakeClock) -> None:
    feeds = feed_services.feeds
    try:
        await feeds.follow(CHAT, site.gazette)
        await feeds.poll_due()
        count = len(titles(feed_services, CHAT))
        title, paragraphs = article_parts("en-rail-fares.txt")
        from tests.pages import article_page

        site.web.add("/news/rail-fares.html", article_page(title, paragraphs).encode())
        body = site.web._server.routes["/feeds/gazette.rss"].body
        assert isinstance(body, bytes)
        item = (f"<item><title>{title}</title><link>{site.web.url('/news/rail-fares.html')}</link>"
                "<guid>gazette-rail</guid></item>").encode()
        site.web.add("/feeds/gazette.rss", body.replace(b"<item>", item + b"<item>", 1),
                     content_type="application/rss+xml", ETag='"gazette-v2"')
        clock.advance(minutes=30)
        results = await feeds.poll_due()
        assert len(results) == 1 and len(results[0].new_articles) == 1
        assert len(titles(feed_services, CHAT)) == count + 1
        assert title in titles(feed_services, CHAT)
    finally:
        await feed_services.aclose()


async def test_feeds_are_per_chat_and_unfollow(feed_services: Services, site: FeedSite) -> None:
    feeds = feed_services.feeds
    try:
        await feeds.follow(CHAT, site.gazette)
        again, created = await feeds.follow(CHAT, site.gazette)
        assert not created and again.title == "Hollins Gazette"
        assert feeds.list(OTHER) == ()
        with pytest.raises(NotFound):
            feeds.unfollow(OTHER, 1)
        removed = feeds.unfollow(CHAT, 1)
        assert removed.title == "Hollins Gazette" and feeds.list(CHAT) == ()
    finally:
        await feed_services.aclose()


@pytest.mark.parametrize("minutes", [0, 4, 1441])
async def test_an_interval_below_five_minutes_is_refused(feed_services: Services, site: FeedSite,
                                                         minutes: int) -> None:
    try:
        with pytest.raises(InputError, match="every 5 to 1440 minutes"):
            await feed_services.feeds.follow(CHAT, site.gazette, interval_minutes=minutes)
        assert feed_services.feeds.list(CHAT) == ()
    finally:
        await feed_services.aclose()


async def test_a_failing_feed_backs_off_and_is_reported_once(feed_services: Services, site: FeedSite,
                                                              clock: FakeClock) -> None:
    feeds = feed_services.feeds
    try:
        await feeds.follow(CHAT, site.gazette)
        site.web.add("/feeds/gazette.rss", b"<html><body>Down for maintenance</body></html>", status=503)
        reports = []
        gaps = []
        for _poll in range(5):
            due = feeds.list(CHAT)[0].next_check_at
            gaps.append((due - clock.now).total_seconds() / 60)
            clock.now = max(clock.now, due)
            results = await feeds.poll_due()
            assert len(results) == 1 and "503" in (results[0].error or "")
            reports.append(results[0].report)
        # Told once, after the third failure in a row; each wait is twice the one before.
        assert reports == [False, False, True, False, False]
        assert gaps[2:] == [120, 240, 480]
        assert "503" in (feeds.list(CHAT)[0].last_error or "")
    finally:
        await feed_services.aclose()


async def test_the_feed_limit_per_chat(tmp_path: Path, site: FeedSite, clock: FakeClock) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True, max_feeds_per_chat=1),
                              clock=clock)
    try:
        await services.feeds.follow(CHAT, site.gazette)
        with pytest.raises(InputError, match="follows 1 feed, the most I keep"):
            await services.feeds.follow(CHAT, site.tech)
        assert len(services.feeds.list(CHAT)) == 1
    finally:
        await services.aclose()
        services.close()


async def test_entries_per_poll_are_capped(tmp_path: Path, web: WebServer, clock: FakeClock) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True, feed_entries_per_poll=2),
                              clock=clock)
    paragraphs = article_parts("en-museum-statues.txt")[1]
    content = "".join(f"<p>{p}</p>" for p in paragraphs)
    items = "".join(f"<item><title>Story {n}</title><guid>story-{n}</guid>"
                    f"<description><![CDATA[<p>Story {n}.</p>{content}]]></description></item>" for n in range(6))
    url = web.add("/many.rss", f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode(),
                  content_type="application/rss+xml")
    try:
        await services.feeds.follow(CHAT, url)
        results = await services.feeds.poll_due()
        assert len(results[0].new_articles) == 2
        clock.advance(minutes=30)
        web.add("/many.rss", f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode(),
                content_type="application/rss+xml")
        # The entries past the cap were skipped for good, not left to trickle in.
        results = await services.feeds.poll_due()
        assert results[0].new_articles == ()
        assert len(titles(services, CHAT)) == 2
    finally:
        await services.aclose()
        services.close()


async def test_errors_are_briefbot_errors(feed_services: Services) -> None:
    """A link that is no link is refused before anything is fetched."""
    try:
        for bad in ("ftp://example.com/feed", "not a url", "http://"):
            with pytest.raises(BriefbotError):
                await feed_services.feeds.follow(CHAT, bad)
        assert feed_services.feeds.list(CHAT) == ()
    finally:
        await feed_services.aclose()


async def test_one_round_announces_both_feeds_in_one_short_message(feed_services: Services, site: FeedSite,
                                                                   clock: FakeClock) -> None:
    try:
        await feed_services.feeds.follow(CHAT, site.gazette)
        await feed_services.feeds.follow(CHAT, site.tech)
        done = await feed_services.feed_round.run_once()
        assert len(done.polled) == 2
        [message] = done.outgoing
        assert message.chat_id == CHAT and not message.reply.error
        text = message.reply.plain
        assert text.endswith(" — /brief") and "new articles from" in text
        assert "Hollins Gazette" in text and "Valley Tech Weekly" in text
        assert sum(int(n) for n in text.replace(",", " ").split() if n.isdigit()) == 5
        # With a daily briefing the chat is not told of each poll.
        feed_services.schedules.set_briefing_time(CHAT, "08:00")
        title, paragraphs = article_parts("en-tennis-final.txt")
        from tests.pages import article_page

        page = site.web.add("/news/tennis.html", article_page(title, paragraphs).encode())
        site.web.add("/feeds/gazette.rss", f'<rss version="2.0"><channel><title>Hollins Gazette</title><item>'
                     f"<title>{title}</title><link>{page}</link><guid>tennis</guid></item></channel></rss>".encode(),
                     content_type="application/rss+xml")
        clock.advance(minutes=30)
        done = await feed_services.feed_round.run_once()
        assert [len(r.new_articles) for r in done.polled if r.feed.title == "Hollins Gazette"] == [1]
        assert done.outgoing == ()
    finally:
        await feed_services.aclose()


async def test_announcements_and_reports_speak_the_chats_language(feed_services: Services, site: FeedSite,
                                                                 clock: FakeClock) -> None:
    """What Briefbot writes on its own follows the chat's /language (no user is there to ask)."""
    feed_services.library.set_chat_language(CHAT, "ru")
    try:
        await feed_services.feeds.follow(CHAT, site.gazette)
        await feed_services.feeds.follow(OTHER, site.gazette)  # no /language: English
        done = await feed_services.feed_round.run_once()
        by_chat = {item.chat_id: item.reply.plain for item in done.outgoing}
        # Russian plural forms: 3 "новые статьи", 5 and more "новых статей".
        assert re.fullmatch(r"\d+ (новые статьи|новых статей|новая статья) из Hollins Gazette — /brief", by_chat[CHAT])
        assert re.fullmatch(r"\d+ new articles? from Hollins Gazette — /brief", by_chat[OTHER])
        site.web.add("/feeds/gazette.rss", b"<html><body>Down for maintenance</body></html>", status=503)
        reports: list[str] = []
        for _poll in range(3):
            clock.now = max(feed.next_check_at for feed in (*feed_services.feeds.list(CHAT),
                                                             *feed_services.feeds.list(OTHER)))
            done = await feed_services.feed_round.run_once()
            reports += [item.reply.plain for item in done.outgoing if item.chat_id == CHAT]
        [report] = reports
        assert report.startswith("Я несколько раз подряд не смог прочитать ленту Hollins Gazette: ")
        assert "/unfollow" in report and "several times" not in report
    finally:
        await feed_services.aclose()


async def test_two_workers_split_no_chat_a_chats_round_is_one_workers(both_backends: Services, site: FeedSite,
                                                                      clock: FakeClock, tmp_path: Path,
                                                                      database_url: str) -> None:
    """Both workers poll at once: one takes both of the chat's feeds, the other none (one announcement)."""
    first = both_backends
    second = build_services(make_settings(tmp_path, database_url=database_url, allow_private_networks=True,
                                          fetch_timeout=5.0), clock=clock)
    try:
        await first.feeds.follow(CHAT, site.gazette)
        await first.feeds.follow(CHAT, site.tech_home)
        await first.feeds.follow(OTHER, site.gazette)
        rounds = await asyncio.gather(first.feed_round.run_once(), second.feed_round.run_once())
        # Each chat's feeds went to one worker (which one is the race's); every feed was polled once.
        chats = [[result.feed.chat_id for result in done.polled] for done in rounds]
        assert sum(len(polled) for polled in chats) == 3
        assert sorted(polled.count(CHAT) for polled in chats) == [0, 2]
        announcements = [item for done in rounds for item in done.outgoing if item.chat_id == CHAT]
        assert len(announcements) == 1 and "Hollins Gazette" in announcements[0].reply.plain
        assert "Valley Tech Weekly" in announcements[0].reply.plain
        fetched = [path for path, status in site.feed_responses() if status == 200]
        # Followed (three fetches), then polled: each of the three followed feeds once.
        assert sorted(fetched) == sorted(["/feeds/gazette.rss"] * 4 + ["/feeds/valley-tech.atom"] * 2)
    finally:
        await first.aclose()
        await second.aclose()
        second.close()
