"""`briefbot follow`, `briefbot feeds`, `briefbot feeds poll` and `unfollow`, through the CLI's main().

In-process (argv in, stdout/stderr and the exit status out) to keep them fast; tests/test_cli.py
runs the command as real processes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from tests.feedsite import FeedSite, serve_feed_site
from tests.webserver import WebServer


@pytest.fixture
def site() -> Iterator[FeedSite]:
    with WebServer() as web:
        yield serve_feed_site(web)


@pytest.fixture(autouse=True)
def cli_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_NETWORKS", "1")
    monkeypatch.setenv("BRIEFBOT_CHAT_ID", "7")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_follow_poll_list_and_unfollow(site: FeedSite, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "follow", "--every", "15", site.tech_home)
    assert status == 0, err
    assert out.startswith("Following Valley Tech Weekly: ") and "every 15 min" in out

    status, out, err = run(capsys, "feeds", "poll", "--json")
    assert status == 0, err
    [result] = [json.loads(line) for line in out.splitlines()]
    assert result["title"] == "Valley Tech Weekly" and result["error"] is None and result["chat"] == 7
    assert len(result["new_articles"]) == 3
    # Polled again at once: nothing is due, nothing is fetched.
    requests = len(site.web.requests)
    assert run(capsys, "feeds", "poll", "--json")[:2] == (0, "")
    assert len(site.web.requests) == requests

    status, out, _err = run(capsys, "feeds", "--json")
    [feed] = [json.loads(line) for line in out.splitlines()]
    assert feed["number"] == 1 and feed["interval_minutes"] == 15 and feed["last_checked"] is not None
    assert feed["url"].endswith("/feeds/valley-tech.atom")

    assert run(capsys, "unfollow", "1")[:2] == (0, "Stopped following Valley Tech Weekly.\n")
    assert run(capsys, "feeds")[1] == "No feeds. `briefbot follow URL` adds one.\n"
    status, _out, err = run(capsys, "unfollow", "1")
    assert status == 1 and err == "briefbot: This chat follows no feeds.\n"


def test_a_page_without_a_feed_is_an_error_with_exit_status_1(site: FeedSite,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    page = site.web.add("/about", b"<!DOCTYPE html><html><head><title>About</title></head><body>Hi</body></html>")
    status, out, err = run(capsys, "follow", page)
    assert (status, out) == (1, "")
    assert err == "briefbot: That page is not a feed, and it links no RSS or Atom feed.\n"
