"""Feeds and scheduled briefings end to end: the real Application, its JobQueue and the fake Bot API.

A chat follows two feeds by command; the bot's background job polls them (each entry saved
once, then 304s), announces new articles in one short message, and sends the chat's daily
briefing at 08:00 in its time zone — on a controllable clock, without sleeping for hours.
Two workers on one PostgreSQL poll each feed once and send each briefing once.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.services import Services, build_services
from support.fakebotapi import FakeBotAPI, relaxed_options, running_bot
from tests.conftest import postgres_schema_url
from tests.feedsite import FakeClock, FeedSite, article_parts, serve_feed_site
from tests.helpers import make_settings
from tests.pages import article_page
from tests.webserver import WebServer

CHAT = 3003
ROUND = 0.1  # seconds between the job's rounds in these tests


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with WebServer() as web:
        yield serve_feed_site(web)


async def command(api: FakeBotAPI, text: str, expect: str) -> str:
    mark = api.mark()
    api.send_text(CHAT, text)
    return (await api.wait_for_text(CHAT, expect, since=mark, timeout=15)).text


def add_rail_fares(site: FeedSite) -> str:
    """A new story in the RSS feed (its validator changes)."""
    title, paragraphs = article_parts("en-rail-fares.txt")
    page = site.web.add("/news/rail-fares.html", article_page(title, paragraphs).encode())
    route = site.web._server.routes["/feeds/gazette.rss"]
    assert isinstance(route.body, bytes)
    item = f"<item><title>{title}</title><link>{page}</link><guid>gazette-rail</guid></item>".encode()
    site.web.add("/feeds/gazette.rss", route.body.replace(b"<item>", item + b"<item>", 1),
                 content_type="application/rss+xml", ETag='"gazette-v2"')
    return title


async def wait_until(condition: Any, timeout: float = 15.0) -> None:
    """Until `condition()` holds (the job runs in the background, every ROUND seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not come true in time")
        await asyncio.sleep(0.02)


def announced(api: FakeBotAPI, since: int = 0) -> int:
    """Articles announced in the chat: the sum of 'N new articles from X, M from Y'."""
    total = 0
    for call in api.texts(CHAT, "— /brief", since=since):
        total += sum(int(n) for n in re.findall(r"(\d+) (?:new articles? )?from ", call.text))
    return total


async def test_follow_poll_announce_and_a_briefing_at_eight_in_berlin(tmp_path: Path, site: FeedSite) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))  # 07:00 in Berlin
    async with running_bot(tmp_path, clock=clock, allow_private_networks=True, feed_check_seconds=ROUND) as bot:
        api = bot.api
        assert "Following Hollins Gazette (checked every 30 min)" in await command(
            api, f"/follow {site.gazette}", "Following")
        assert "Following Valley Tech Weekly" in await command(api, f"/follow {site.tech_home}", "Following")
        # The next round polls both and says so in one message.
        announcement = await api.wait_for_text(CHAT, "— /brief", timeout=15)
        assert "new articles from" in announcement.text
        # One message per round: two if the feeds were followed a round apart.
        await wait_until(lambda: announced(api) == 5)
        articles = await command(api, "/list", "#5")
        assert "Family bakery raises bread prices" in articles
        listing = await command(api, "/feeds", "Feeds of this chat")
        assert "1. Hollins Gazette — every 30 min, last checked 2026-12-01 06:00" in listing
        assert "2. Valley Tech Weekly" in listing

        clock.advance(minutes=1)  # the schedule starts after the articles above
        assert "Europe/Berlin (it is 07:01 there now)" in await command(api, "/timezone europe/berlin", "Time zone")
        assert "Daily briefing at 08:00 (Europe/Berlin)" in await command(api, "/brief at 08:00", "Daily briefing")

        # Half an hour on: the unchanged feed answers 304, the changed one brings one story, saved silently.
        title = add_rail_fares(site)
        clock.advance(minutes=31)
        mark = api.mark()
        await wait_until(lambda: bot.services.library.list(CHAT)[1] == 6 and len(site.feed_responses()) == 6)
        assert sorted(site.feed_responses()[-2:]) == [("/feeds/gazette.rss", 200), ("/feeds/valley-tech.atom", 304)]
        await api.wait_idle(quiet=4 * ROUND)
        assert api.texts(CHAT, since=mark) == []  # a scheduled chat gets no announcements

        # 06:59 UTC is 07:59 in Berlin: no briefing yet; at 07:00:05 UTC (08:00:05 there) it comes.
        clock.now = datetime(2026, 12, 1, 6, 59, tzinfo=UTC)
        await api.wait_idle(quiet=4 * ROUND)
        assert api.texts(CHAT, "Briefing", since=mark) == []
        clock.now = datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC)
        briefing = await api.wait_for_text(CHAT, "Briefing", since=mark, timeout=15)
        # What arrived since the schedule was set: the rail story only.
        assert "Briefing: 1 article since 2026-12-01 06:01 UTC" in briefing.text and f"#6 {title}" in briefing.text
        await api.wait_idle(quiet=4 * ROUND)
        assert len(api.texts(CHAT, "Briefing", since=mark)) == 1
        assert api.violations == []

    # After a restart (new services on the same database) the feeds, time zone and schedule are still there.
    # (A second fake Bot API would number its updates from 1 again, which the first run already handled.)
    restarted = build_services(make_settings(tmp_path), clock=clock)
    try:
        [reply] = await restarted.conversation.handle_command(CHAT, "feeds")
        assert "Hollins Gazette" in reply.plain and "Valley Tech Weekly" in reply.plain
        assert "Briefing daily at 08:00 (Europe/Berlin)" in reply.plain
    finally:
        await restarted.aclose()
        restarted.close()


@asynccontextmanager
async def worker(tmp_path: Path, api: FakeBotAPI, url: str, clock: FakeClock, name: str) -> AsyncIterator[Services]:
    """One webhook worker: its own services and Application (JobQueue running), the shared database."""
    settings = make_settings(tmp_path / name, database_url=url, token=api.token, base_url=api.base_url,
                             base_file_url=api.base_file_url, allow_private_networks=True,
                             feed_check_seconds=ROUND, webhook_url=f"https://bot.example/{name}")
    services = build_services(settings, clock=clock)
    application = build_application(settings, services, relaxed_options())
    async with application:
        await application.start()  # the job queue; Telegram's updates would come by webhook
        try:
            yield services
        finally:
            await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema_url()


async def test_two_workers_on_postgresql_poll_each_feed_once_and_send_each_briefing_once(
        tmp_path: Path, site: FeedSite, postgres_url: str) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    with FakeBotAPI() as api:
        # The user wrote to the bot once (by webhook, to some worker): Telegram knows the chat.
        api.text_message(CHAT, "/follow")
        setup = build_services(make_settings(tmp_path, database_url=postgres_url, allow_private_networks=True),
                               clock=clock)
        try:
            await setup.feeds.follow(CHAT, site.gazette)
            await setup.feeds.follow(CHAT, site.tech)
            # The feeds are due, but the clock stands still until both workers run.
            clock.advance(seconds=-1)
        finally:
            await setup.aclose()
        async with worker(tmp_path, api, postgres_url, clock, "a") as a, \
                worker(tmp_path, api, postgres_url, clock, "b") as b:
            clock.advance(seconds=1)
            await wait_until(lambda: announced(api) == 5)
            await api.wait_idle(quiet=4 * ROUND)
            polls = [r for r in site.feed_responses() if r[1] == 200]
            # Each feed fetched twice in all: once to follow it, once by one of the workers.
            assert sorted(polls) == sorted([("/feeds/gazette.rss", 200)] * 2 + [("/feeds/valley-tech.atom", 200)] * 2)
            assert announced(api) == 5
            assert setup.library.list(CHAT)[1] == 5

            clock.advance(minutes=1)
            setup.schedules.set_timezone(CHAT, "Europe/Berlin")
            setup.schedules.set_briefing_time(CHAT, "08:00")
            add_rail_fares(site)
            clock.advance(minutes=30)  # 06:31 UTC: the new story is polled (by one worker)
            await wait_until(lambda: setup.library.list(CHAT)[1] == 6)
            clock.now = datetime(2026, 12, 1, 7, 0, 1, tzinfo=UTC)
            await api.wait_for_text(CHAT, "Briefing", timeout=15)
            await api.wait_idle(quiet=4 * ROUND)
            briefings = api.texts(CHAT, "Briefing")
            assert len(briefings) == 1 and "#6 Regional rail fares" in briefings[0].text
            assert a is not b
        setup.close()
