"""Lines a site repeats on every page are dropped once the chat has saved two of its pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services import Services, build_services
from bot.sources.cleaning import drop_site_boilerplate
from bot.sources.urls import site_prefixes
from tests.helpers import make_settings
from tests.pages import article_page
from tests.webserver import WebServer

ARTICLES = Path(__file__).parent / "data" / "articles"
# The Courier's own lines: no pattern rule knows them, every page of the site has them.
SIGN_OFF = "Got a story for the Riverside Courier? Message the desk on 0800 123 456, any time of day."
PROMOTION = "Courier members read every story first and meet our reporters at monthly evenings in the Corn Exchange."
STORIES = ("en-rail-fares", "en-flood-defences", "en-museum-statues", "en-bakery-prices")


def story(name: str) -> tuple[str, list[str]]:
    title, body = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8").split("\n\n", 1)
    return title.strip(), [paragraph.strip() for paragraph in body.split("\n\n") if paragraph.strip()]


def courier_page(name: str) -> bytes:
    title, paragraphs = story(name)
    return article_page(title, [*paragraphs[:3], SIGN_OFF, *paragraphs[3:], PROMOTION]).encode()


@pytest.fixture(scope="module")
def courier() -> Iterator[WebServer]:
    with WebServer() as server:
        for name in STORIES:
            server.add(f"/news/{name}", courier_page(name))
        yield server


@pytest.fixture(scope="module")
def other_site() -> Iterator[WebServer]:
    """Another site (another port is another origin) that happens to print the same lines."""
    with WebServer() as server:
        server.add("/story", courier_page("en-bakery-prices"))
        yield server


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path, allow_private_networks=True))
    yield built
    built.close()


async def save(services: Services, chat_id: int, url: str) -> str:
    [reply] = await services.conversation.handle_message(chat_id, url)
    assert reply.plain.startswith("Saved as #"), reply.plain
    number = int(reply.plain.split("#", 1)[1].split()[0])
    return services.library.article(chat_id, number).text


async def test_the_third_page_of_a_site_loses_the_lines_the_first_two_share(
        courier: WebServer, services: Services) -> None:
    try:
        first = await save(services, 1, courier.url("/news/en-rail-fares"))
        second = await save(services, 1, courier.url("/news/en-flood-defences"))
        third = await save(services, 1, courier.url("/news/en-museum-statues"))
    finally:
        await services.aclose()
    for text in (first, second):  # one earlier page is not evidence: a line two stories share may be news
        assert SIGN_OFF in text and PROMOTION in text
    assert SIGN_OFF not in third and PROMOTION not in third
    _title, paragraphs = story("en-museum-statues")
    assert all(paragraph in third for paragraph in paragraphs)


async def test_other_chats_and_other_sites_do_not_count(courier: WebServer, other_site: WebServer,
                                                        services: Services) -> None:
    try:
        for name in STORIES[:2]:
            await save(services, 1, courier.url(f"/news/{name}"))
        elsewhere = await save(services, 1, other_site.url("/story"))
        first_in_chat_two = await save(services, 2, courier.url("/news/en-bakery-prices"))
    finally:
        await services.aclose()
    assert SIGN_OFF in elsewhere and PROMOTION in elsewhere
    assert SIGN_OFF in first_in_chat_two and PROMOTION in first_in_chat_two


def test_a_copy_of_an_earlier_page_is_left_whole() -> None:
    text = "A short headline line\n\nA second short line\n\nA third short line"
    assert drop_site_boilerplate(text, [text, text, text]) == text


def test_long_paragraphs_and_lines_of_one_earlier_page_stay() -> None:
    long_line = " ".join(["word"] * 60)
    text = f"First paragraph of news.\n\n{long_line}\n\nSign-off of the site.\n\nLast paragraph of news."
    earlier = [f"Other news.\n\n{long_line}\n\nSign-off of the site.", f"More news.\n\n{long_line}"]
    assert drop_site_boilerplate(text, earlier, min_pages=3) == text
    cleaned = drop_site_boilerplate(text, earlier)
    assert long_line in cleaned and "Sign-off of the site." in cleaned  # the sign-off is in only one page
    cleaned = drop_site_boilerplate(text, [*earlier, "Sign-off of the site."])
    assert "Sign-off of the site." not in cleaned and long_line in cleaned
    assert cleaned.startswith("First paragraph of news.") and cleaned.endswith("Last paragraph of news.")


def test_a_site_is_its_host_and_a_telegram_channel_its_own() -> None:
    prefixes = site_prefixes("https://www.Example.com/news/1?utm_source=x")
    assert "https://example.com/" in prefixes and "http://www.example.com/" in prefixes
    channel = site_prefixes("https://t.me/durov/123")
    assert "https://t.me/durov/" in channel and "https://telegram.me/durov/" in channel
    assert not any(prefix.rstrip("/").endswith("t.me") for prefix in channel)
