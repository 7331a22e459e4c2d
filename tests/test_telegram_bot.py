"""End to end: the real Application polling the fake Bot API, on a SQLite file and on PostgreSQL.

Articles, questions, buttons and commands in a private chat; the token stays out of logs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from support.fakebotapi import Call, FakeBotAPI, relaxed_options, running_bot
from tests.helpers import data_file, seed_article

CHAT = 1001
OTHER = 2002


def buttons(call: Call) -> dict[str, str]:
    """Label -> callback data of the keyboard a call sent."""
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


async def press(api: FakeBotAPI, chat_id: int, message: int, data: str, *,
                message_chat_id: int | None = None) -> Call:
    """Press a button and wait until the bot answered the press; returns the answer."""
    query_id = api.press(chat_id, message, data, message_chat_id=message_chat_id)
    return await api.wait_for_call(
        lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == query_id, timeout=15)


async def send_article(api: FakeBotAPI, chat_id: int, text: str) -> Call:
    mark = api.mark()
    api.send_text(chat_id, text)
    return await api.wait_for_text(chat_id, "Saved as", since=mark, timeout=20)


async def test_article_summary_then_question(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        summary = await send_article(api, CHAT, seed_article())
        assert "Russia Closely Monitoring" in summary.text
        assert "English · 23 sentences" in summary.text
        assert summary.params["parse_mode"] == "HTML"
        assert {"➕ Longer", "Algorithm…", "🗑 Delete"} <= set(buttons(summary))
        mark = api.mark()
        api.send_text(CHAT, "Who visited Israel?")
        answer = await api.wait_for_text(CHAT, "Reznikov", since=mark)
        assert "<b>Israel</b>" in answer.params["text"]
        assert "— #1 Russia Closely Monitoring" in answer.text
        # The bot showed it was working, and everything it sent was valid for Telegram.
        assert api.calls_of("sendChatAction", CHAT)
        assert api.calls_of("setMyCommands")
        assert api.violations == []


async def test_a_quick_answer_comes_without_typing(tmp_path: Path) -> None:
    """"typing…" is shown only for work longer than the delay: a quick answer costs one Bot API call, not two."""
    async with running_bot(tmp_path, options=relaxed_options(typing_delay=5.0)) as bot:
        api = bot.api
        await send_article(api, CHAT, seed_article())
        mark = api.mark()
        api.send_text(CHAT, "Who visited Israel?")
        await api.wait_for_text(CHAT, "Reznikov", since=mark)
        await api.wait_idle()
        assert not api.calls_of("sendChatAction", CHAT)
        assert [call.method for call in api.calls_of(chat_id=CHAT, since=mark)] == ["sendMessage"]


async def test_buttons_shorter_longer_algorithm_delete(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        summary = await send_article(api, CHAT, seed_article())
        mid = int(summary.result["message_id"])
        count = int(summary.text.split(" sentences", 2)[1].rsplit(" ", 1)[-1])

        await press(api, CHAT, mid, buttons(summary)["➖ Shorter"])
        assert f"{count - 1} sentence" in api.message(CHAT, mid).text
        edited = api.calls_of("editMessageText", CHAT)[-1]
        await press(api, CHAT, mid, buttons(edited)["➕ Longer"])
        assert f"{count} sentences" in api.message(CHAT, mid).text

        await press(api, CHAT, mid, buttons(api.calls_of("editMessageText", CHAT)[-1])["Algorithm…"])
        assert "Summarize with which algorithm?" in api.message(CHAT, mid).text
        menu = buttons(api.calls_of("editMessageText", CHAT)[-1])
        assert {"default", "lexrank", "textrank", "lead"} <= set(menu)
        await press(api, CHAT, mid, menu["lexrank"])
        assert f"lexrank, {count} sentences" in api.message(CHAT, mid).text

        # A stale button that would show exactly what is shown: Telegram says "not modified", no harm done.
        answered = await press(api, CHAT, mid, menu["lexrank"])
        assert answered.ok and len(api.not_modified) == 1
        assert not any("Sorry" in c.text for c in api.calls_of("sendMessage", CHAT))

        delete = buttons(api.calls_of("editMessageText", CHAT)[-1])["🗑 Delete"]
        answered = await press(api, CHAT, mid, delete)
        assert answered.params.get("text") == "Deleted."
        assert api.message(CHAT, mid).text.startswith("Deleted #1")
        # The old summary's buttons now point at nothing.
        answered = await press(api, CHAT, mid, buttons(summary)["➕ Longer"])
        assert answered.params.get("text") == "That article is no longer available."
        assert api.violations == []


async def test_a_button_from_another_chat_is_no_longer_available(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        theirs = await send_article(api, CHAT, seed_article())
        mine = await send_article(api, OTHER, data_file("long-article.txt").read_text("utf-8")[:6000])
        # The other chat presses a delete button carrying the first chat's article.
        answered = await press(api, OTHER, int(mine.result["message_id"]), buttons(theirs)["🗑 Delete"])
        assert answered.params.get("text") == "That article is no longer available."
        mark = api.mark()
        api.send_text(CHAT, "/list")
        listing = await api.wait_for_text(CHAT, "Your articles (1)", since=mark)
        assert "Russia Closely Monitoring" in listing.text
        assert api.violations == []


COMMANDS = [  # (command, what the reply says), in this order, in one chat with the seed article
    ("/start", "I keep the articles"),
    ("/help", "/summary [N]"),
    ("/list", "Your articles (1)"),
    ("/summary 1 3 lexrank", "lexrank, 3 sentences"),
    ("/open 1", "Russia Closely Monitoring"),
    ("/search Moscow", "Search: Moscow"),
    ("/ask Who visited Israel?", "Reznikov"),
    ("/settings sentences 2", "sentences: 2"),
    ("/delete 7", "There is no article #7"),
    ("/frobnicate", "I don't know /frobnicate"),
    ("/forget", "Delete your whole library?"),
]


async def test_commands(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        await send_article(api, CHAT, seed_article())
        for command, expected in COMMANDS:
            mark = api.mark()
            api.send_text(CHAT, command)
            await api.wait_for_text(CHAT, expected, since=mark)
        assert api.violations == []


async def test_export_sends_a_markdown_document_and_forget_empties(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        await send_article(api, CHAT, seed_article())
        mark = api.mark()
        api.send_text(CHAT, "/export")
        sent = await api.wait_for_call(lambda c: c.method == "sendDocument", since=mark)
        name, content = sent.files["document"]
        assert name == "briefbot-library.md"
        assert "## #1 Russia Closely Monitoring" in content.decode("utf-8")

        mark = api.mark()
        api.send_text(CHAT, "/forget")
        question = await api.wait_for_text(CHAT, "Delete your whole library?", since=mark)
        await press(api, CHAT, int(question.result["message_id"]), buttons(question)["Yes, delete everything"])
        shown = api.message(CHAT, int(question.result["message_id"]))
        assert shown is not None and "your library is empty (1 article deleted)" in shown.text
        assert api.violations == []


async def test_a_reply_to_a_summary_asks_about_that_article(tmp_path: Path, database_url: str) -> None:
    async with running_bot(tmp_path, database_url=database_url) as bot:
        api = bot.api
        first = await send_article(api, CHAT, seed_article())
        await send_article(api, CHAT, data_file("long-article.txt").read_text("utf-8")[:6000])
        mark = api.mark()
        api.send_text(CHAT, "/summary", reply_to=int(first.result["message_id"]))
        await api.wait_for_text(CHAT, "#1 Russia Closely Monitoring", since=mark)


async def test_the_token_never_reaches_the_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "telegram.ext"):
        caplog.set_level(logging.DEBUG, logger=name)
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.fail("sendChatAction", status=500, times=1)
        await send_article(api, CHAT, seed_article())
        api.fail("sendMessage", status=400, description="Bad Request: chat not found", times=1)
        mark = api.mark()
        api.send_text(CHAT, "Who visited Israel?")
        await api.wait_for_call(lambda c: c.method == "sendMessage" and not c.ok, since=mark)
        await api.wait_for_text(CHAT, "Sorry, something went wrong on my side", since=mark)  # the error handler
        await api.wait_idle()
    logged = caplog.text
    assert "HTTP Request" in logged  # httpx did log the Bot API URLs ...
    assert "bot<token>/getUpdates" in logged  # ... with the token redacted
    assert "123:TEST" not in logged
    assert "handling an update failed" in logged  # the failure was logged with its traceback
    records: list[Any] = caplog.records
    assert not any("123:TEST" in (r.exc_text or "") for r in records)


FORGED = ["d:abc", f"d:{2**63}", "o:99999999999999999999999", "l:" + "9" * 5000, "s:1:3:" + "x" * 70,
          "zz:1", "s:x:3:"]


async def test_forged_callback_data_is_a_stale_button(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        summary = await send_article(api, CHAT, seed_article())
        mid = int(summary.result["message_id"])
        for data in FORGED:
            answered = await press(api, CHAT, mid, data)
            assert answered.params.get("text") == "That button is no longer available."
        mark = api.mark()
        api.send_text(CHAT, "/list")
        await api.wait_for_text(CHAT, "Your articles (1)", since=mark)
        assert not api.texts(CHAT, "Sorry")
        assert api.violations == []


async def test_numbers_past_64_bits_and_other_links_get_short_replies(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        await send_article(api, CHAT, seed_article())
        for text, expected in [
            ("/open 99999999999999999999999", "is not an article number"),
            ("/delete 99999999999999999999999", "is not an article number"),
            ("/summary 99999999999999999999999", "is not an article number"),
            ("/list 99999999999999999999999", "is not a page number"),
            ("/open " + "x" * 5000, "…"),
            ("javascript:alert(1)", "I can only read http and https links."),
            ("file:///etc/passwd", "I can only read http and https links."),
        ]:
            mark = api.mark()
            api.send_text(CHAT, text)
            await api.wait_for_text(CHAT, expected, since=mark)
        assert not api.texts(CHAT, "Sorry")
        assert api.violations == []
