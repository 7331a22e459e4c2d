"""The application's parts that need no Telegram: per-chat ordering and token redaction."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Bot, Update

from bot.app import ChatOrderedProcessor, RedactToken, install_token_redaction, ordering_key

TOKEN = "123:SECRET"


def message_update(update_id: int, chat_id: int) -> Update:
    data = {"update_id": update_id, "message": {"message_id": update_id, "date": 0, "text": "hi",
                                                "chat": {"id": chat_id, "type": "private"}}}
    return Update.de_json(data, Bot(TOKEN))


async def test_one_chat_in_order_other_chats_in_parallel_and_locks_dropped() -> None:
    processor = ChatOrderedProcessor(64)
    events: list[tuple[str, int, int]] = []

    async def work(chat: int, number: int, seconds: float) -> None:
        events.append(("start", chat, number))
        await asyncio.sleep(seconds)
        events.append(("end", chat, number))

    async with processor:
        jobs = [processor.process_update(message_update(n, 1), work(1, n, 0.05)) for n in range(3)]
        jobs.append(processor.process_update(message_update(9, 2), work(2, 9, 0.03)))
        running = asyncio.gather(*jobs)
        await asyncio.sleep(0.01)
        active = processor.active_chats
        await running
    assert active == 2
    chat_one = [(kind, number) for kind, chat, number in events if chat == 1]
    assert chat_one == [("start", 0), ("end", 0), ("start", 1), ("end", 1), ("start", 2), ("end", 2)]
    # Chat 2 did not wait for chat 1's three updates.
    assert events.index(("end", 2, 9)) < events.index(("end", 1, 0))
    assert processor.active_chats == 0  # no lock kept for idle chats


def test_ordering_key() -> None:
    assert ordering_key(message_update(1, 42)) == 42
    assert ordering_key(object()) is None


@pytest.mark.parametrize(
    ("message", "args", "expected"),
    [
        ("POST https://api.telegram.org/bot%s/getMe", (TOKEN,), "POST https://api.telegram.org/bot<token>/getMe"),
        (f"token {TOKEN} in the text", (), "token <token> in the text"),
        ("nothing secret %d", (5,), "nothing secret 5"),
    ],
)
def test_the_token_is_redacted(message: str, args: tuple[object, ...], expected: str) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, args, None)
    assert RedactToken(TOKEN).filter(record)
    assert record.getMessage() == expected


def test_redaction_covers_tracebacks_and_handlers_added_later(caplog: pytest.LogCaptureFixture) -> None:
    undo = install_token_redaction(TOKEN)
    try:
        try:
            raise RuntimeError(f"https://api.telegram.org/bot{TOKEN}/sendMessage failed")
        except RuntimeError:
            logging.getLogger("briefbot.test").exception("call failed for %s", TOKEN)
    finally:
        undo()
    assert TOKEN not in caplog.text
    assert "bot<token>/sendMessage failed" in caplog.text
