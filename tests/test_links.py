"""Links end to end: the conversation and the CLI fetch from a real local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services import build_services
from tests.helpers import make_settings
from tests.pages import BOILERPLATE_WORDS, make_pdf, seed_page, wrap
from tests.webserver import WebServer


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        server.add("/news/russia", seed_page().encode())
        server.add("/missing", b"<html>gone</html>", status=404)
        server.add("/image", b"\x89PNG\r\n\x1a\n" + bytes(500), content_type="image/png")
        server.add("/paper.pdf", make_pdf(wrap(seed_page())), content_type="application/pdf")
        yield server


def page_requests(web: WebServer, path: str) -> int:
    return sum(1 for requested, _ in web.requests if requested.split("?")[0] == path)


async def test_a_link_becomes_an_article_and_is_not_fetched_twice(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True))
    try:
        before = page_requests(web, "/news/russia")
        [reply] = await services.conversation.handle_message(1, f"Look: {web.url('/news/russia')}")
        assert reply.plain.startswith("Saved as #1 Russia Closely Monitoring Israel-Ukraine Rapprochement")
        summary = " ".join(block.plain for block in reply.blocks if block.kind == "quote")
        for words in BOILERPLATE_WORDS:
            assert words not in summary
        links = [span.url for block in reply.blocks for span in block.spans if span.style == "link"]
        assert links == [web.url("/news/russia")]
        [again] = await services.conversation.handle_message(1, web.url("/news/russia") + "?utm_source=tg#top")
        assert again.plain.startswith("You sent this one before: #1")
        assert page_requests(web, "/news/russia") == before + 1
        [answer] = await services.conversation.handle_message(1, "Who visited Israel?")
        assert "Reznikov" in answer.plain
    finally:
        await services.aclose()
        services.close()


async def test_hidden_links_of_forwarded_posts_count(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True))
    try:
        replies = await services.conversation.handle_message(1, "Interesting read", links=(web.url("/news/russia"),))
        assert replies[0].plain.startswith("Saved as #1")
    finally:
        await services.aclose()
        services.close()


async def test_failing_links_say_why_and_store_nothing(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True))
    try:
        replies = await services.conversation.handle_message(
            1, f"{web.url('/missing')} {web.url('/image')} http://exa mple.com"
        )
        texts = [reply.plain for reply in replies]
        assert any("404 Not Found" in text for text in texts)
        assert any("PNG image" in text for text in texts)
        assert all(reply.error for reply in replies)
        assert services.library.list(1)[1] == 0
    finally:
        await services.aclose()
        services.close()


async def test_private_links_are_refused_unless_allowed(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path))
    try:
        [reply] = await services.conversation.handle_message(1, web.url("/news/russia"))
        assert reply.error and "private or local" in reply.plain
    finally:
        await services.aclose()
        services.close()


async def test_fetches_per_minute_are_limited(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True, fetch_rate_per_minute=1))
    try:
        await services.conversation.handle_message(1, web.url("/missing"), user_id=5)
        [reply] = await services.conversation.handle_message(1, web.url("/paper.pdf"), user_id=5)
        assert "Too many links in a minute" in reply.plain
    finally:
        await services.aclose()
        services.close()


def briefbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
    environment.update({"BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                        "BRIEFBOT_ALLOW_PRIVATE_NETWORKS": "true"})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=environment,
                          timeout=120)


def test_cli_add_summarize_and_extract_urls(web: WebServer, tmp_path: Path) -> None:
    url = web.url("/news/russia")
    added = briefbot(tmp_path, "add", "--json", url, web.url("/missing"))
    assert added.returncode == 1
    ok, failed = (json.loads(line) for line in added.stdout.splitlines())
    assert ok["article"] == 1 and ok["title"] == "Russia Closely Monitoring Israel-Ukraine Rapprochement"
    assert "404" in failed["error"]
    summarized = briefbot(tmp_path, "summarize", "--json", "-n", "3", url)
    payload = json.loads(summarized.stdout)
    assert len(payload["sentences"]) == 3
    extracted = briefbot(tmp_path, "extract", "--json", url, web.url("/paper.pdf"))
    page, pdf = (json.loads(line) for line in extracted.stdout.splitlines())
    assert set(page) >= {"source", "url", "title", "language", "text", "site_name", "author", "date"}
    assert page["language"] == "en" and page["url"] == url
    assert "Cookie" not in page["text"] and "Reznikov" in page["text"]
    assert "Reznikov" in pdf["text"]
