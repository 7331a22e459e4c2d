"""Telegram post links: which links are posts, the saved preview read through the real fetch path, the offer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import BlockedAddress, NotAnArticle
from bot.services import build_services
from bot.sources.limits import FetchLimits
from bot.sources.loading import Sources
from bot.sources.telegram_posts import PostLink, parse_post, post_link
from tests.helpers import data_file, make_settings
from tests.webserver import WebServer

POST_URL = "https://t.me/coastalherald/1234"
LINKED = "https://herald.example/news/ferry"


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.add("/coastalherald/1234", data_file("pages/telegram-post.html").read_bytes())
        server.add("/coastalherald/99", b"<html><body><div class='tgme_widget_message_error'>Post not found"
                                        b"</div></body></html>")
        yield server


@pytest.mark.parametrize(
    ("url", "post"),
    [
        ("https://t.me/coastalherald/1234", PostLink("coastalherald", 1234)),
        ("https://telegram.me/coastalherald/1234/", PostLink("coastalherald", 1234)),
        ("http://T.ME/s/coastalherald/7", PostLink("coastalherald", 7)),
        ("https://t.me/coastalherald", None),
        ("https://t.me/+AbCdEf123", None),
        ("https://example.org/coastalherald/1234", None),
    ],
)
def test_which_links_are_posts(url: str, post: PostLink | None) -> None:
    assert post_link(url) == post


def test_the_preview_url_is_the_embed_view() -> None:
    assert PostLink("coastalherald", 1234).preview_url() == "https://t.me/coastalherald/1234?embed=1"
    assert PostLink("c_hannel", 5).preview_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/c_hannel/5?embed=1"


def test_a_preview_page_of_another_post_is_not_read_as_this_one() -> None:
    html = data_file("pages/telegram-post.html").read_text("utf-8")
    with pytest.raises(NotAnArticle, match="not public"):
        parse_post(html, PostLink("coastalherald", 1235))


async def test_a_post_is_read_from_its_preview_through_the_fetcher(web: WebServer) -> None:
    pipeline = Sources(FetchLimits(timeout=5.0, allow_private_networks=True), max_file_bytes=1_000_000,
                       telegram_preview_url=web.url(""))
    try:
        loaded = await pipeline.from_url(POST_URL)
        with pytest.raises(NotAnArticle, match="not public"):
            await pipeline.from_url("https://t.me/coastalherald/99")
    finally:
        await pipeline.aclose()
    assert [path for path, _ in web.requests if path.startswith("/coastalherald/1234")] == [
        "/coastalherald/1234?embed=1"]
    assert loaded.url == POST_URL and loaded.title == "The harbour ferry is back from Monday."
    assert loaded.site_name == "Coastal Herald Channel" and loaded.published.startswith("2026-11-24")
    assert "Welders replaced four steel plates" in loaded.text
    assert "herald.example/news/ferry" in loaded.text  # the post's own link stays in its text
    assert "12.4K" not in loaded.text and "views" not in loaded.text
    assert loaded.offers == (LINKED,)


async def test_the_preview_host_is_still_checked_for_private_addresses(web: WebServer) -> None:
    pipeline = Sources(FetchLimits(timeout=5.0), max_file_bytes=1_000_000, telegram_preview_url=web.url(""))
    try:
        with pytest.raises(BlockedAddress, match="private or local"):
            await pipeline.from_url(POST_URL)
    finally:
        await pipeline.aclose()


async def test_chat_saves_the_post_shows_its_metadata_and_offers_its_article(web: WebServer,
                                                                          tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True,
                                            telegram_preview_url=web.url("")))
    try:
        [reply] = await services.conversation.handle_message(1, f"Look at this {POST_URL}")
        lines = [block.plain for block in reply.blocks]
        assert lines[0] == "Saved as #1 The harbour ferry is back from Monday."
        assert lines[1] == "Coastal Herald Channel · 2026-11-24"
        offer = [block for block in reply.blocks if block.plain.startswith("This post links an article")]
        assert [span.url for block in offer for span in block.spans if span.style == "link"] == [LINKED]
        [again] = await services.conversation.handle_message(1, POST_URL + "?single")
        assert again.plain.startswith("You sent this one before: #1")
        exported = services.library.export_markdown(1)
        assert "site: Coastal Herald Channel" in exported and "published: 2026-11-24" in exported
    finally:
        await services.aclose()
        services.close()
