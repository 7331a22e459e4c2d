"""End to end: the real Application polling the fake Bot API, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.fakebotapi import running_bot
from tests.helpers import seed_article

CHAT = 1001


async def test_article_summary_then_question(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.send_text(CHAT, seed_article())
        summary = await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        buttons = summary.params["reply_markup"]["inline_keyboard"]
        assert any(b["callback_data"].startswith("d:") for row in buttons for b in row)
        mark = api.mark()
        api.send_text(CHAT, "Who visited Israel?")
        answer = await api.wait_for_text(CHAT, "Reznikov", since=mark)
        assert "<b>Israel</b>" in answer.params["text"]
        assert api.violations == []
