"""Polling: an update Telegram delivers again after it was handled is dropped silently."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from support.fakebotapi import running_bot
from tests.helpers import seed_article

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
