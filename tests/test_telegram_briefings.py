"""/brief end to end: the real Application polling the fake Bot API, on a SQLite file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support.fakebotapi import running_bot
from tests.helpers import data_file

CHAT = 3003
OTHER = 4004


async def test_brief_in_telegram(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api, library = bot.api, bot.services.library
        local = data_file("briefing/en-ferry-local.txt").read_text("utf-8")
        # A title with characters HTML must escape: Telegram gets them as text, not markup.
        local = local.replace("Islanders cut off after Morning Star grounding", "Islanders <cut off> & waiting", 1)
        for text in (data_file("briefing/en-ferry-wire.txt").read_text("utf-8"), local,
                     data_file("articles/en-bakery-prices.txt").read_text("utf-8")):
            library.ingest_text(CHAT, text)

        mark = api.mark()
        api.send_text(CHAT, "/brief")
        briefing = await api.wait_for_text(CHAT, "Briefing: 3 articles since", since=mark, timeout=20)
        assert briefing.params["parse_mode"] == "HTML"
        assert "Islanders &lt;cut off&gt; &amp; waiting" in briefing.params["text"]
        assert "#2 Islanders <cut off> & waiting" in briefing.text
        for number in (1, 2, 3):  # every article cited, at the end of its sentences
            assert re.search(rf"^• .+ #{number}( \(also #\d+\))?$", briefing.text, re.MULTILINE)
        # The briefing is one message, and a repeated wire sentence appears once.
        lines = [line for line in briefing.text.splitlines() if line.startswith("• ")]
        assert len(lines) == len(set(lines)) >= 3

        mark = api.mark()
        api.send_text(CHAT, "/brief")
        await api.wait_for_text(CHAT, "Nothing new since your last briefing", since=mark)
        mark = api.mark()
        api.send_text(CHAT, "/brief passengers ferry 2s")
        matched = await api.wait_for_text(CHAT, "Briefing: 2 articles matching", since=mark)
        assert "bakery" not in matched.text.lower()
        mark = api.mark()
        api.send_text(CHAT, "/brief 0")
        await api.wait_for_text(CHAT, "'0' is not a number of articles: use 1 to 20.", since=mark)
        mark = api.mark()
        api.send_text(OTHER, "/brief 7d")
        await api.wait_for_text(OTHER, "Your library is empty", since=mark)

        menu = json.dumps(api.calls_of("setMyCommands")[-1].params)
        assert '"brief"' in menu
        assert api.violations == []
