"""End to end: what users send besides short messages — long pastes, documents, forwarded posts."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from support.fakebotapi import relaxed_options, running_bot
from tests.helpers import data_file, seed_article

CHAT = 1001


def long_text(chars: int) -> str:
    """The long test article cut to about `chars` characters, at a paragraph or word end."""
    text = data_file("long-article.txt").read_text("utf-8")[:chars]
    return text.rsplit(" ", 1)[0]


def split_like_telegram(text: str, limit: int = 4096) -> list[str]:
    """What a Telegram client does with a long paste: parts of at most `limit`, cut at whitespace."""
    parts = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        parts.append(text[:cut])
        text = text[cut + 1 :]
    return [*parts, text]


async def test_a_long_paste_in_three_parts_is_one_article(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        parts = split_like_telegram(long_text(11_000))
        assert len(parts) == 3
        for part in parts:
            api.send_text(CHAT, part)
            await asyncio.sleep(0.15)
        # A command right after the paste waits for it: the article is saved first.
        api.send_text(CHAT, "/list")
        listing = await api.wait_for_text(CHAT, "Your articles", timeout=20)
        assert "Your articles (1)" in listing.text
        saved = api.calls_of("sendMessage", CHAT) + api.calls_of("editMessageText", CHAT)
        saved_replies = [c for c in saved if "Saved as" in c.text]
        assert len(saved_replies) == 1
        assert saved_replies[0].at < listing.at
        assert re.search(r"sentences · 1[01]\.\d KB", saved_replies[0].text)
        await asyncio.sleep(0.8)  # longer than the paste window: nothing else arrives
        again = api.calls_of("sendMessage", CHAT) + api.calls_of("editMessageText", CHAT)
        assert len([c for c in again if "Saved as" in c.text]) == 1
        assert api.violations == []


async def test_a_paste_ends_after_a_pause(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        first, second = split_like_telegram(long_text(7000))
        api.send_text(CHAT, first)
        await asyncio.sleep(0.2)
        api.send_text(CHAT, second)
        saved = await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        assert re.search(r"sentences · [67]\.\d KB", saved.text)
        # A question after the pause is a question, not more of the article.
        await asyncio.sleep(0.7)
        mark = api.mark()
        api.send_text(CHAT, "Who is the subject of this article?")
        await api.wait_for_call(lambda c: c.method == "sendMessage" and c.chat_id == CHAT, since=mark)
        assert not [c for c in api.calls_of("sendMessage", CHAT, since=mark) if "Saved as #2" in c.text]


async def test_a_slow_article_gets_a_status_message_edited_into_the_result(tmp_path: Path) -> None:
    async with running_bot(tmp_path, options=relaxed_options(progress_delay=0.0)) as bot:
        api = bot.api
        api.send_text(CHAT, seed_article())
        result = await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        status = api.calls_of("sendMessage", CHAT)[0]
        assert status.text == "Reading…"
        assert result.method == "editMessageText"
        assert int(result.params["message_id"]) == int(status.result["message_id"])
        assert "reply_markup" in result.params  # the buttons come with the result
        assert len(api.calls_of("sendMessage", CHAT)) == 1
        assert api.violations == []


async def test_a_22_kb_text_document_is_saved_and_answered(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        data = long_text(22_500).encode("utf-8")[:22_000]
        data = data[: data.rfind(b" ")]
        api.send_document(CHAT, data, "long-article.txt")
        saved = await api.wait_for_text(CHAT, "Saved as #1", timeout=30)
        assert re.search(r"sentences · 2[12]\.\d KB", saved.text)  # 22 KB of bytes, a few less characters
        assert api.calls_of("getFile")
        mark = api.mark()
        api.send_text(CHAT, "/list")
        await api.wait_for_text(CHAT, "Your articles (1)", since=mark)
        assert api.violations == []


async def test_a_markdown_file_labelled_octet_stream_is_read(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.send_document(CHAT, ("# Notes\n\n" + seed_article()).encode(), "notes.md",
                          mime_type="application/octet-stream")
        await api.wait_for_text(CHAT, "Saved as #1", timeout=20)


async def test_documents_that_are_refused(tmp_path: Path) -> None:
    async with running_bot(tmp_path, max_file_bytes=50_000) as bot:
        api = bot.api
        api.send_document(CHAT, b"x" * 10, "big.txt", file_size=60_000)
        refused = await api.wait_for_text(CHAT, "too large")
        assert "the limit is 50 KB" in refused.text
        assert not api.calls_of("getFile")  # refused before downloading

        mark = api.mark()
        api.send_document(CHAT, b"\x89PNG....", "photo.png", mime_type="image/png")
        await api.wait_for_text(CHAT, "I can read .txt, .md, .html and .pdf files; photo.png", since=mark)

        mark = api.mark()
        api.send_document(CHAT, b"\x00\x01\x02binary", "data.txt")
        await api.wait_for_text(CHAT, "binary", since=mark)

        # HTML goes through bot/extractor.py: an article once it is there, a clear refusal until then.
        mark = api.mark()
        page = f"<html><head><title>Drones</title></head><body><p>{seed_article()}</p></body></html>"
        api.send_document(CHAT, page.encode(), "page.html", mime_type="text/html")
        # The first call may be the "Reading…" status message when the machine is busy.
        reply = await api.wait_for_call(lambda c: c.method in ("sendMessage", "editMessageText")
                                        and c.chat_id == CHAT and c.text != "Reading…", since=mark, timeout=20)
        assert "Saved as #1" in reply.text or "I can read .txt and .md files" in reply.text
        assert api.violations == []


async def test_forwarded_post_links_in_text_link_entities_count(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        text = "A good read about drones"
        api.send_text(CHAT, text, forward_from_channel="News", entities=[
            {"type": "text_link", "offset": 2, "length": 9, "url": "https://example.com/drones"}])
        # Links reach the conversation; this Briefbot has no fetcher yet, and says so.
        await api.wait_for_text(CHAT, "https://example.com/drones")


async def test_a_forwarded_article_is_saved(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.send_text(CHAT, seed_article(), forward_from_channel="News")
        await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        mark = api.mark()
        # A photo's caption is read like a text (here a question).
        api.send_text(CHAT, "Who visited Israel?", caption=True)
        await api.wait_for_text(CHAT, "Reznikov", since=mark)


async def test_a_refused_document_tells_its_size_from_the_limit(tmp_path: Path) -> None:
    async with running_bot(tmp_path, max_file_bytes=200_000) as bot:
        api = bot.api
        api.send_document(CHAT, b"x" * 10, "report.txt", file_size=250_000)
        refused = await api.wait_for_text(CHAT, "too large")
        assert "report.txt is too large (250 KB); the limit is 200 KB." in refused.text
        assert api.violations == []


async def test_a_utf16_text_document_without_bom_is_read(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        api = bot.api
        api.send_document(CHAT, seed_article().encode("utf-16-le"), "article.txt")
        saved = await api.wait_for_text(CHAT, "Saved as #1", timeout=20)
        assert "Russia Closely Monitoring" in saved.text
        assert api.violations == []
