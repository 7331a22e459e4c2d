"""Polling: an update Telegram delivers again after it was handled is dropped silently."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from support.fakebotapi import FakeBotAPI, running_bot
from tests.helpers import make_services, seed_article

CHAT = 1001


async def test_a_redelivered_update_is_handled_once(tmp_path: Path, database_url: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.inbox")
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        mark = api.mark()
        api.send_text(CHAT, seed_article())
        await api.wait_for_text(CHAT, "Saved as #1", since=mark, timeout=20)
        await api.wait_idle()
        api.redeliver()
        await asyncio.sleep(0.5)  # time enough for a duplicate reply to show
        await api.wait_idle()
        assert len(api.texts(CHAT, "Saved as", since=mark)) == 1
        assert not api.texts(CHAT, "sent this one before", since=mark)
        assert any("already handled; dropped" in r.getMessage() for r in caplog.records)
        _page, total = await asyncio.to_thread(bot.services.store.list_articles, CHAT, offset=0, limit=10)
        assert total == 1

        # Updates after the copy are handled as ever.
        mark = api.mark()
        api.send_text(CHAT, "Who visited Israel?")
        await api.wait_for_text(CHAT, "Reznikov", since=mark)
        assert api.violations == []


async def test_updates_left_unfinished_are_handled_at_start_up_in_order(tmp_path: Path, database_url: str) -> None:
    """A previous process recorded two updates of a chat and died; the next handles both, oldest first."""

    def left_by_a_dead_process(api: FakeBotAPI) -> None:
        services = make_services(tmp_path, database_url=database_url)
        try:
            inbox = services.deliveries
            finished = {"update_id": 40, "message": api.text_message(CHAT, "/help")}
            article = {"update_id": 41, "message": api.text_message(CHAT, seed_article())}
            question = {"update_id": 42, "message": api.text_message(CHAT, "Who visited Israel?")}
            for update in (finished, article, question):
                inbox.record(update["update_id"], CHAT, json.dumps(update))
            inbox.claim(40)
            inbox.finish(40)
            inbox.claim(41)  # the dead process had begun the article
        finally:
            services.close()

    async with running_bot(tmp_path, database_url=database_url, prepare=left_by_a_dead_process) as bot:
        answer = await bot.api.wait_for_call(
            lambda c: c.chat_id == CHAT and c.method in ("sendMessage", "editMessageText") and "Reznikov" in c.text
            and "Saved as" not in c.text, timeout=20)
        saved = bot.api.texts(CHAT, "Saved as #1")
        assert saved and saved[0].at < answer.at  # the question was answered from the article saved first
        await bot.api.wait_idle()
        assert not bot.api.texts(CHAT, "I keep the articles")  # finished before: not again
        assert await asyncio.to_thread(bot.services.deliveries.unfinished) == []


async def test_a_refused_users_updates_are_finished_too(tmp_path: Path) -> None:
    async with running_bot(tmp_path, allowed_users="7") as bot:
        bot.api.send_text(CHAT, "/help")
        await bot.api.wait_for_text(CHAT, "private", timeout=20)
        await bot.api.wait_idle()
        assert await asyncio.to_thread(bot.services.deliveries.unfinished) == []
