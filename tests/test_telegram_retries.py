"""Replies survive Telegram's bad moments: 5xx answers and lost connections are retried, then given up once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from support.fakebotapi import FakeBotAPI, running_bot
from tests.helpers import seed_article
from tests.test_telegram_bot import buttons, send_article

CHAT = 1001
HELP = "I keep the articles"


def lost_replies(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING and "reply was lost" in r.getMessage()]


@pytest.mark.parametrize("status", [500, 502, 503, 0])
async def test_a_reply_failing_twice_arrives_once(tmp_path: Path, status: int) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("sendMessage", status=status, description="Internal Server Error", times=2)
        mark = api.mark()
        api.send_text(CHAT, "/help")
        await api.wait_for_text(CHAT, HELP, since=mark)
        await api.wait_idle()
        assert len(api.texts(CHAT, HELP, since=mark)) == 1
        assert [c.ok for c in api.calls_of("sendMessage", CHAT, since=mark)] == [False, False, True]
        assert api.violations == []


async def test_a_reply_that_keeps_failing_is_logged_once_and_the_bot_goes_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("sendMessage", status=500, times=None)
        mark = api.mark()
        api.send_text(CHAT, "/help")
        await api.wait_for_call(lambda c: len(api.calls_of("sendMessage", CHAT, since=mark)) >= 4, since=mark)
        await api.wait_idle()
        assert len(api.calls_of("sendMessage", CHAT, since=mark)) == 4  # the first try and three retries
        assert len(lost_replies(caplog)) == 1
        assert "after 4 tries" in lost_replies(caplog)[0].getMessage()
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

        api.heal("sendMessage")
        mark = api.mark()
        api.send_text(CHAT, "/help")
        await api.wait_for_text(CHAT, HELP, since=mark)


async def test_refusals_are_not_retried(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user", times=1)
        mark = api.mark()
        api.send_text(CHAT, "/help")
        await api.wait_for_call(lambda c: c.method == "sendMessage" and not c.ok, since=mark)
        await api.wait_idle()
        assert len(api.calls_of("sendMessage", CHAT, since=mark)) == 1


async def test_an_edit_and_the_button_answer_are_retried(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        summary = await send_article(api, CHAT, seed_article())
        mid = int(summary.result["message_id"])
        mark = api.mark()
        api.fail("editMessageText", status=502, times=2)
        api.fail("answerCallbackQuery", status=500, times=1)
        query_id = api.press(CHAT, mid, buttons(summary)["Algorithm…"])
        await api.wait_for_call(lambda c: c.method == "answerCallbackQuery" and c.ok
                                and c.params.get("callback_query_id") == query_id)
        shown = api.message(CHAT, mid)
        assert shown is not None and "Summarize with which algorithm?" in shown.text
        assert [c.ok for c in api.calls_of("editMessageText", CHAT, since=mark)] == [False, False, True]
        assert api.violations == []


async def test_an_export_document_is_retried(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        await send_article(api, CHAT, seed_article())
        api.fail("sendDocument", status=503, times=1)
        mark = api.mark()
        api.send_text(CHAT, "/export")
        sent = await api.wait_for_call(lambda c: c.method == "sendDocument" and c.ok, since=mark)
        assert sent.files["document"][0] == "briefbot-library.md"
        assert len(api.calls_of("sendDocument", CHAT, since=mark)) == 2


def test_the_fake_can_hang_up() -> None:
    """Status 0 closes the connection without an answer, as a lost network would."""
    import urllib.error
    import urllib.request

    with FakeBotAPI() as api:
        api.fail("getMe", status=0)
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"{api.base_url}{api.token}/getMe", timeout=5)
        with urllib.request.urlopen(f"{api.base_url}{api.token}/getMe", timeout=5) as response:
            assert response.status == 200


async def test_a_download_failing_twice_is_retried(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("getFile", status=502, times=2)
        api.send_document(CHAT, seed_article().encode(), "article.txt")
        await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        assert [c.ok for c in api.calls_of("getFile")] == [False, False, True]


async def test_a_download_that_keeps_failing_asks_for_the_file_again(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("getFile", status=500, times=None)
        api.send_document(CHAT, seed_article().encode(), "article.txt")
        reply = await api.wait_for_text(CHAT, "could not download", timeout=20)
        assert reply.text == "I could not download that file from Telegram; please send it again."
        assert len(api.calls_of("getFile")) == 4
        assert len([r for r in caplog.records if "gave up downloading article.txt" in r.getMessage()]) == 1
        assert api.violations == []
