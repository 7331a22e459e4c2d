"""`briefbot run` as an operator starts it: a process polling (or receiving a webhook from) the fake
Bot API, stopped with SIGTERM after finishing what it was doing; the token never in its logs."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.fakebotapi import FakeBotAPI
from tests.helpers import seed_article

CHAT = 1001


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def briefbot_run(api: FakeBotAPI, tmp_path: Path, **env: str) -> Iterator[subprocess.Popen[str]]:
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
                               stderr=subprocess.PIPE, text=True)
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
        api.send_text(CHAT, seed_article())
        await api.wait_for_call(lambda c: c.method == "sendChatAction" and c.chat_id == CHAT, timeout=15)
        status, err = await stop(process)
        assert status == 0, err[-2000:]
        assert [c for c in api.calls_of("sendMessage", CHAT) if "Saved as #1" in c.text]
        assert "getUpdates" in err  # DEBUG logging shows the Bot API calls ...
        assert api.token not in err  # ... never the token
        assert api.violations == []


async def test_webhook_process_takes_updates_with_the_secret_only(tmp_path: Path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    webhook = {"BRIEFBOT_WEBHOOK_URL": hook, "BRIEFBOT_WEBHOOK_PORT": str(port), "BRIEFBOT_WEBHOOK_SECRET": "s3cret"}
    with FakeBotAPI() as api, briefbot_run(api, tmp_path, **webhook) as process:
        registered = await api.wait_for_call(lambda c: c.method == "setWebhook", timeout=30)
        assert registered.params["url"] == hook and registered.params["secret_token"] == "s3cret"
        message = api.text_message(CHAT, "/help")

        def post(secret: str) -> int:
            body = json.dumps({"update_id": 1, "message": message}).encode()
            request = urllib.request.Request(hook, body, {"Content-Type": "application/json",
                                                          "X-Telegram-Bot-Api-Secret-Token": secret})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return int(response.status)
            except urllib.error.HTTPError as error:
                return error.code

        deadline = time.monotonic() + 15
        while True:  # the webhook server starts listening just after setWebhook
            try:
                assert await asyncio.to_thread(post, "wrong") == 403
                break
            except urllib.error.URLError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
        assert await asyncio.to_thread(post, "s3cret") == 200
        await api.wait_for_text(CHAT, "I keep the articles", timeout=15)
        status, err = await stop(process)
        assert status == 0, err[-2000:]
        assert api.token not in err


def test_run_without_a_token_explains() -> None:
    environ = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFBOT_")}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], env=environ, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "set BRIEFBOT_TOKEN" in result.stderr
