"""Long articles are read, saved and summarized in a worker process with a library of its own."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.errors import NotAnArticle, TooLarge
from bot.i18n import Catalogs, lazy
from bot.services import Services, build_library
from bot.workers import LONG_ARTICLE_CHARS, WORKER_NICENESS, ArticleWorkers
from tests.helpers import data_file, make_services, make_settings, seed_article


def long_text(copies: int = 1) -> str:
    """The long article (over LONG_ARTICLE_CHARS), `copies` times with numbered parts (no two texts alike)."""
    text = data_file("long-article.txt").read_text("utf-8")
    return "\n\n".join(f"Part {n} of {copies}.\n\n{text}" for n in range(1, copies + 1))


@pytest.fixture
def services(tmp_path: Path, database_url: str) -> Iterator[Services]:
    built = make_services(tmp_path, database_url=database_url)
    yield built
    built.close()


def test_the_long_article_is_long_enough_for_a_worker() -> None:
    assert len(long_text()) >= LONG_ARTICLE_CHARS


async def test_a_long_article_is_saved_and_summarized_in_a_worker(services: Services) -> None:
    worker_pid = await asyncio.wrap_future(services.workers.warm())
    assert worker_pid != os.getpid()
    # At a lower CPU priority than the bot's, so that the bot's answers to other chats go first.
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, worker_pid) == min(ours + WORKER_NICENESS, 19)
    reply = await services.conversation.ingest(1, long_text())
    assert reply.plain.startswith("Saved as #1")
    # The worker saved it in the same library, and its summary is the one /summary makes from what was stored.
    articles, total = services.library.list(1)
    assert total == 1 and articles[0].sentence_count > 700
    again = services.library.summarize(1, 1)
    shown = [sentence.text for sentence in again.summary.sentences]
    assert shown and all(sentence in reply.plain for sentence in shown)
    # The same text again is recognised, in the worker too.
    assert (await services.conversation.ingest(1, long_text())).plain.startswith("You sent this one before: #1")
    assert services.library.list(1)[1] == 1


async def test_a_short_text_is_read_in_the_bots_own_process(tmp_path: Path) -> None:
    services = make_services(tmp_path, article_processes=1)
    try:
        reply = await services.conversation.ingest(1, seed_article())
        assert reply.plain.startswith("Saved as #1")
        assert not services.workers.running  # no worker was started for it
    finally:
        services.close()


async def test_the_workers_errors_come_back_untranslated_and_nothing_is_saved(tmp_path: Path) -> None:
    services = make_services(tmp_path)
    try:
        junk = "x" * (LONG_ARTICLE_CHARS + 10)  # long, but no sentences: not an article
        with pytest.raises(NotAnArticle) as raised:
            await services.workers.ingest(1, junk)
        # The message is still the lazy Text, so the chat's language can render it.
        german = Catalogs.load(("de",)).get("de")
        assert german.render(raised.value.message) != str(raised.value)
        assert services.library.list(1)[1] == 0
        replies = await services.conversation.handle_document(1, junk, title="junk.txt")
        assert replies[0].error
    finally:
        services.close()


async def test_a_worker_that_dies_refuses_that_article_and_the_next_one_is_read(tmp_path: Path) -> None:
    services = make_services(tmp_path)
    try:
        worker_pid = await asyncio.wrap_future(services.workers.warm())
        reading = asyncio.ensure_future(services.conversation.handle_document(1, long_text(12), title="big.txt"))
        await asyncio.sleep(0.5)  # it is being read (12 copies take seconds)
        os.kill(worker_pid, signal.SIGKILL)
        [reply] = await reading
        assert reply.error and "could not finish reading that article" in reply.plain
        assert services.library.list(1)[1] == 0  # nothing half-saved
        reply = await services.conversation.ingest(1, long_text())
        assert reply.plain.startswith("Saved as #1")
    finally:
        services.close()


def test_no_workers_reads_long_articles_in_threads(tmp_path: Path) -> None:
    workers = ArticleWorkers(build_library, make_settings(tmp_path), processes=0)
    assert not workers.takes(long_text())
    assert workers.warm() is None
    workers.close()


async def test_without_workers_a_long_article_is_still_saved(tmp_path: Path) -> None:
    services = make_services(tmp_path, article_processes=0)
    try:
        started = time.monotonic()
        reply = await services.conversation.ingest(1, long_text())
        assert reply.plain.startswith("Saved as #1") and time.monotonic() - started < 60
        assert not services.workers.running
    finally:
        services.close()


@pytest.mark.parametrize("error", [NotAnArticle(lazy("Too short: %(count)s sentences.", count=2)),
                                   TooLarge("plain text")])
def test_errors_survive_pickling_with_their_message(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.message == error.message  # type: ignore[attr-defined]
    assert str(copy) == str(error)


WORKER_OWNER = """
import sys, time
from pathlib import Path
from tests.helpers import make_services

services = make_services(Path(sys.argv[1]))
print(services.workers.warm().result(timeout=120), flush=True)
time.sleep(600)
"""


def test_the_worker_exits_when_the_bots_process_is_killed(tmp_path: Path) -> None:
    owner = subprocess.Popen([sys.executable, "-c", WORKER_OWNER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[1])
    try:
        assert owner.stdout is not None
        worker_pid = int(owner.stdout.readline())
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 10
        while Path(f"/proc/{worker_pid}").exists() and _state(worker_pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{worker_pid}").exists() or _state(worker_pid) == "Z"
    finally:
        owner.kill()
        owner.wait()
        if owner.stdout is not None:
            owner.stdout.close()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""
