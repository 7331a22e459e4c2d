"""`briefbot run` as an operator starts it: a process polling (or receiving a webhook from) the fake
Bot API, stopped with SIGTERM after finishing what it was doing; the token never in its logs."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.services import build_services
from support.fakebotapi import FakeBotAPI
from support.webhooks import free_port, post_update
from tests.helpers import data_file, make_settings, seed_article

CHAT = 1001


@contextmanager
def briefbot_run(api: FakeBotAPI, tmp_path: Path, stderr: Any = subprocess.PIPE,
                 **env: str) -> Iterator[subprocess.Popen[str]]:
    """`briefbot run` against `api`; `stderr` may be a file instead of a pipe (long logs)."""
    environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}
    environ.update({
        "BRIEFBOT_TOKEN": api.token,
        "BRIEFBOT_BASE_URL": api.base_url,
        "BRIEFBOT_BASE_FILE_URL": api.base_file_url,
        "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'briefbot.sqlite3'}",
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
        **env,
    })
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=environ, stdout=subprocess.PIPE,
                               stderr=stderr, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


async def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _out, err = await asyncio.to_thread(process.communicate, timeout=30)
    return process.returncode, err


async def test_polling_process_finishes_in_flight_work_on_sigterm(tmp_path: Path) -> None:
    with FakeBotAPI() as api, briefbot_run(api, tmp_path) as process:
        await api.wait_for_call(lambda c: c.method == "setMyCommands", timeout=30)
        # A long document: work long enough (over 0.3 s) for "typing…", the sign that it is in flight.
        api.send_document(CHAT, data_file("long-article.txt").read_bytes(), "long-article.txt")
        await api.wait_for_call(lambda c: c.method == "sendChatAction" and c.chat_id == CHAT, timeout=15)
        status, err = await stop(process)
        assert status == 0, err[-2000:]
        assert api.texts(CHAT, "Saved as #1")
        assert "getUpdates" in err  # DEBUG logging shows the Bot API calls ...
        assert api.token not in err  # ... never the token
        assert api.violations == []


async def wait_for_webhook_server(hook: str, secret: str) -> None:
    """Until the worker's webhook server listens (it starts just after setWebhook): a wrong secret is refused."""
    deadline = time.monotonic() + 30
    while True:
        try:
            assert await asyncio.to_thread(post_update, hook, "wrong-" + secret, {"update_id": 0}) == 403
            return
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


def webhook_env(port: int, secret: str) -> dict[str, str]:
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    return {"BRIEFBOT_WEBHOOK_URL": hook, "BRIEFBOT_WEBHOOK_PORT": str(port), "BRIEFBOT_WEBHOOK_SECRET": secret}


async def test_webhook_process_takes_updates_with_the_secret_only(tmp_path: Path) -> None:
    webhook = webhook_env(free_port(), "s3cret")
    hook = webhook["BRIEFBOT_WEBHOOK_URL"]
    with FakeBotAPI() as api, briefbot_run(api, tmp_path, **webhook) as process:
        registered = await api.wait_for_call(lambda c: c.method == "setWebhook", timeout=30)
        assert registered.params["url"] == hook and registered.params["secret_token"] == "s3cret"
        await wait_for_webhook_server(hook, "s3cret")
        update = {"update_id": 1, "message": api.text_message(CHAT, "/help")}
        assert await asyncio.to_thread(post_update, hook, "s3cret", update) == 200
        await api.wait_for_text(CHAT, "I keep the articles", timeout=15)
        status, err = await stop(process)
        assert status == 0, err[-2000:]
        assert api.token not in err


async def test_an_update_delivered_to_two_workers_is_handled_once(tmp_path: Path, database_url: str) -> None:
    """Telegram re-sends, a load balancer picks another worker: one article, one reply, on either backend."""
    first, second = webhook_env(free_port(), "s3cret"), webhook_env(free_port(), "s3cret")
    with (FakeBotAPI() as api,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=database_url, **first) as worker_one,
          briefbot_run(api, tmp_path, BRIEFBOT_DATABASE_URL=database_url, **second) as worker_two):
        hooks = [first["BRIEFBOT_WEBHOOK_URL"], second["BRIEFBOT_WEBHOOK_URL"]]
        await asyncio.gather(*(wait_for_webhook_server(hook, "s3cret") for hook in hooks))
        article = {"update_id": 501, "message": api.text_message(CHAT, seed_article())}
        question = {"update_id": 502, "message": api.text_message(CHAT, "Who visited Israel?")}
        marks = []
        for update in (article, question):
            marks.append(api.mark())
            statuses = await asyncio.gather(*(asyncio.to_thread(post_update, hook, "s3cret", update)
                                              for hook in hooks))
            assert statuses == [200, 200]
            await api.wait_for_text(CHAT, "Saved as #1" if update is article else "Reznikov", since=marks[-1],
                                    timeout=30)
            await asyncio.sleep(2)  # time enough for a second worker's duplicate reply to show
            await api.wait_idle(quiet=0.5, timeout=20)
        to_article = [c.text for c in api.texts(CHAT, since=marks[0], until=marks[1])]
        assert len([text for text in to_article if "Saved as #1" in text]) == 1
        assert not [text for text in to_article if "sent this one before" in text]
        assert len(api.texts(CHAT, "Reznikov", since=marks[1])) == 1
        outcomes = await asyncio.gather(stop(worker_one), stop(worker_two))
        assert [status for status, _err in outcomes] == [0, 0], outcomes[0][1][-2000:] + outcomes[1][1][-2000:]
        assert any("already handled" in err for _status, err in outcomes)
    services = build_services(make_settings(tmp_path, database_url=database_url))
    try:
        _page, total = services.store.list_articles(CHAT, offset=0, limit=10)
        assert total == 1
    finally:
        services.close()


def test_run_without_a_token_explains() -> None:
    environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=environ, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "set BRIEFBOT_TOKEN" in result.stderr
