"""Nothing lost when a process dies: `briefbot run` killed with SIGKILL mid-update, over the fake Bot API.

Polling: the update was confirmed to Telegram (the fake forgets it, as Telegram does), so only
the inbox can bring it back after the restart. Webhook: two workers on one PostgreSQL schema;
a chat's updates are handled in order across them, and a dead worker's update is finished by
the other within seconds (its lease is short in these tests).
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.services import build_services
from bot.sources.loading import load_document
from support.fakebotapi import FakeBotAPI
from support.webhooks import free_port, post_update
from tests.conftest import postgres_schema_url
from tests.helpers import data_file, make_settings
from tests.test_telegram_run import briefbot_run, stop, wait_for_webhook_server, webhook_env

CHAT = 1001
SECRET = "s3cret"
# Short enough that a dead worker's update is taken over within seconds.
LEASE = {"BRIEFBOT_UPDATE_LEASE": "1.5"}


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from postgres_schema_url()


def large_document() -> bytes:
    """About 330 KB of real prose: a second or more to read, so a kill lands in the middle of it."""
    text = data_file("long-article.txt").read_text("utf-8")
    return "\n\n".join([text] * 3).encode("utf-8")


def kill(process: subprocess.Popen[str]) -> None:
    process.kill()  # SIGKILL: no clean-up of any kind
    process.communicate(timeout=30)


def library_of(tmp_path: Path, database_url: str) -> list[tuple[str, int, int]]:
    """The chat's articles: content hash, sentences and characters of each."""
    services = build_services(make_settings(tmp_path, database_url=database_url))
    try:
        page, _total = services.store.list_articles(CHAT, offset=0, limit=10)
        return [(item.content_hash, item.sentence_count, item.char_count) for item in page]
    finally:
        services.close()


def read_without_a_crash(tmp_path: Path, data: bytes) -> list[tuple[str, int, int]]:
    """What the library holds when the document is read in one go, in a library of its own."""
    elsewhere = tmp_path / "uncrashed"
    services = build_services(make_settings(elsewhere, database_url=f"sqlite:///{elsewhere / 'library.sqlite3'}"))
    try:
        loaded = load_document("big.txt", data, filename="big.txt", content_type=None)
        services.library.ingest_text(CHAT, loaded.text, title=loaded.title, language=loaded.language)
    finally:
        services.close()
    return library_of(elsewhere, f"sqlite:///{elsewhere / 'library.sqlite3'}")


def shows_a_summary(text: str, document: bytes) -> bool:
    """The reply quotes sentences of the document below its first line."""
    source = " ".join(document.decode("utf-8").split())
    lines = [" ".join(line.split()) for line in text.splitlines()[1:]]
    return any(len(line) > 30 and line[-30:] in source for line in lines)


async def test_a_document_being_read_when_the_poller_is_killed_is_read_after_the_restart(tmp_path: Path) -> None:
    data = large_document()
    database = f"sqlite:///{tmp_path / 'briefbot.sqlite3'}"
    with FakeBotAPI() as api:
        with briefbot_run(api, tmp_path) as first:
            await api.wait_for_call(lambda c: c.method == "setMyCommands", timeout=30)
            api.send_document(CHAT, data, "big.txt")
            update_id = api.last_update_id
            await api.wait_for_call(lambda c: c.method == "getFile", timeout=15)  # reading has begun
            await wait_until(lambda: api.confirmed >= update_id)  # Telegram will not send it again
            kill(first)
        assert not api.texts(CHAT, "Saved as")
        with briefbot_run(api, tmp_path) as second:
            saved = await api.wait_for_text(CHAT, "Saved as #1", timeout=60)
            await api.wait_idle(quiet=0.5)
            status, err = await stop(second)
            assert status == 0, err[-2000:]
            assert "handling again 1 update(s) left unfinished" in err
    assert shows_a_summary(saved.text, data)
    assert len(api.texts(CHAT, "Saved as")) == 1
    assert not api.texts(CHAT, "sent this one before")
    assert await asyncio.to_thread(library_of, tmp_path, database) == read_without_a_crash(tmp_path, data)
    assert api.violations == []


async def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_a_chats_updates_sent_to_two_webhook_workers_are_handled_in_order(tmp_path: Path,
                                                                               postgres_url: str) -> None:
    """The document reaches worker one, the question about it worker two while it is being read:
    without the chat's turn, worker two would answer at once, from an empty library."""
    first, second = webhook_env(free_port(), SECRET), webhook_env(free_port(), SECRET)
    with (FakeBotAPI() as api,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=postgres_url, **LEASE, **first) as worker_one,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=postgres_url, **LEASE, **second) as worker_two):
        hooks = [first["BRIEFBOT_WEBHOOK_URL"], second["BRIEFBOT_WEBHOOK_URL"]]
        await asyncio.gather(*(wait_for_webhook_server(hook, SECRET) for hook in hooks))
        document = {"update_id": 701, "message": api.document_message(CHAT, large_document(), "big.txt")}
        question = {"update_id": 702, "message": api.text_message(CHAT, "Where is the Hoppings fair held?")}
        mark = api.mark()
        # The 200 means worker one has recorded the document; the question follows at once.
        assert await asyncio.to_thread(post_update, hooks[0], SECRET, document) == 200
        assert await asyncio.to_thread(post_update, hooks[1], SECRET, question) == 200
        answer = await api.wait_for_text(CHAT, "Town Moor", since=mark, timeout=60)
        saved = api.texts(CHAT, "Saved as #1", since=mark)
        assert saved and saved[0].at < answer.at  # the question waited for the document before it
        outcomes = await asyncio.gather(stop(worker_one), stop(worker_two))
        assert [status for status, _err in outcomes] == [0, 0], outcomes[0][1][-2000:] + outcomes[1][1][-2000:]
    assert api.violations == []


async def test_a_webhook_worker_killed_mid_update_leaves_it_to_the_other(tmp_path: Path, postgres_url: str) -> None:
    first, second = webhook_env(free_port(), SECRET), webhook_env(free_port(), SECRET)
    data = large_document()
    with (FakeBotAPI() as api,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=postgres_url, **LEASE, **first) as worker_one,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=postgres_url, **LEASE, **second) as worker_two):
        hooks = [first["BRIEFBOT_WEBHOOK_URL"], second["BRIEFBOT_WEBHOOK_URL"]]
        await asyncio.gather(*(wait_for_webhook_server(hook, SECRET) for hook in hooks))
        update = {"update_id": 801, "message": api.document_message(CHAT, data, "big.txt")}
        # Answered 200: Telegram would not send it again; only the other worker can save it now.
        assert await asyncio.to_thread(post_update, hooks[0], SECRET, update) == 200
        await api.wait_for_call(lambda c: c.method == "getFile", timeout=15)
        kill(worker_one)
        after_kill = api.mark()
        killed_at = time.monotonic()  # the clock of Call.at
        # The other worker takes it over once the dead one's lease ran out: it fetches the file again.
        again = await api.wait_for_call(lambda c: c.method == "getFile", since=after_kill, timeout=15)
        assert again.at - killed_at < 10, f"the other worker took it over after {again.at - killed_at:.1f} s"
        saved = await api.wait_for_text(CHAT, "Saved as #1", since=after_kill, timeout=60)
        status, err = await stop(worker_two)
        assert status == 0, err[-2000:]
        assert "was left by its worker; handling it here" in err
    assert len(api.texts(CHAT, "Saved as")) == 1
    assert shows_a_summary(saved.text, data)
    assert await asyncio.to_thread(library_of, tmp_path, postgres_url) == read_without_a_crash(tmp_path, data)
