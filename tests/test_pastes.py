from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Coroutine, Hashable
from typing import Any

import pytest

from handlers.pastes import Paste, PasteBuffer

WINDOW = 0.05
START = 20
LONG = "A long first part of a paste that Telegram split"


class Harness:
    """A PasteBuffer on the running loop: real tasks, real per-chat locks, flushes recorded."""

    def __init__(self, window: float = WINDOW) -> None:
        self.flushed: list[Paste] = []
        self.flushed_at: list[float] = []
        self.locks: dict[Hashable, asyncio.Lock] = {}
        self.serialized_keys: list[Hashable] = []
        self.locked_during_flush: list[bool] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.buffer = PasteBuffer(self.flush, window=window, start_chars=START, serialized=self.serialized,
                                  spawn=self.spawn)

    def lock(self, chat_id: Hashable) -> asyncio.Lock:
        return self.locks.setdefault(chat_id, asyncio.Lock())

    @contextlib.asynccontextmanager
    async def serialized(self, chat_id: Hashable) -> AsyncIterator[None]:
        self.serialized_keys.append(chat_id)
        async with self.lock(chat_id):
            yield

    def spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.append(task)
        return task

    async def flush(self, paste: Paste) -> None:
        self.flushed.append(paste)
        self.flushed_at.append(time.monotonic())
        self.locked_during_flush.append(self.lock(paste.chat_id).locked())

    async def settle(self) -> None:
        """Wait until every spawned expiry has run (bounded, so a hang fails instead of blocking)."""
        await asyncio.wait_for(asyncio.gather(*self.tasks), timeout=2)


async def test_a_short_message_with_nothing_pending_is_handled_now() -> None:
    harness = Harness()
    assert harness.buffer.add(1, 10, "Hello there") is False
    assert not harness.buffer.pending(1, 10)
    assert harness.tasks == []


async def test_parts_within_the_window_become_one_paste_in_order() -> None:
    harness = Harness()
    assert harness.buffer.add(1, 10, LONG, links=("https://a.test",), reply_to=501, reply_to_article=3)
    for part in ("in the middle of a sentence.", "Then a new one", "and its end."):
        await asyncio.sleep(WINDOW / 3)
        # A continuation is kept however short it is.
        assert harness.buffer.add(1, 10, part, links=("https://b.test",) if part.startswith("and") else (),
                                  reply_to=999)
    last_part_at = time.monotonic()
    assert harness.buffer.pending(1, 10) and harness.flushed == []
    await harness.settle()

    assert len(harness.flushed) == 1
    paste = harness.flushed[0]
    assert paste.parts == [LONG, "in the middle of a sentence.", "Then a new one", "and its end."]
    assert paste.text == f"{LONG} in the middle of a sentence.\n\nThen a new one and its end."
    assert paste.links == ["https://a.test", "https://b.test"]
    # The first part's message is the one replied to.
    assert (paste.reply_to, paste.reply_to_article) == (501, 3)
    # The window counts from the last part, not the first.
    assert harness.flushed_at[0] - last_part_at >= WINDOW * 0.9
    assert not harness.buffer.pending(1, 10)


async def test_a_pause_ends_the_paste() -> None:
    harness = Harness()
    harness.buffer.add(1, 10, LONG)
    await harness.settle()
    assert [p.parts for p in harness.flushed] == [[LONG]]
    assert not harness.buffer.pending(1, 10)
    # After the pause a short message is no continuation: it is handled at once.
    assert harness.buffer.add(1, 10, "ok thanks") is False
    # A long one starts a paste of its own.
    assert harness.buffer.add(1, 10, LONG + " again")
    await harness.settle()
    assert [p.parts for p in harness.flushed] == [[LONG], [LONG + " again"]]


async def test_chats_and_users_gather_separately() -> None:
    harness = Harness()
    for chat, user in ((1, 10), (1, 11), (2, 10)):
        assert harness.buffer.add(chat, user, f"{LONG} from {chat}/{user}")
    for chat, user in ((2, 10), (1, 11), (1, 10)):
        harness.buffer.add(chat, user, f"end {chat}/{user}")
    assert harness.buffer.has_chat(1) and harness.buffer.has_chat(2) and not harness.buffer.has_chat(3)
    assert not harness.buffer.pending(2, 11)
    await harness.settle()

    by_key = {(p.chat_id, p.user_id): p.parts for p in harness.flushed}
    assert by_key == {
        (chat, user): [f"{LONG} from {chat}/{user}", f"end {chat}/{user}"]
        for chat, user in ((1, 10), (1, 11), (2, 10))
    }
    assert len(harness.flushed) == 3


async def test_flush_chat_hands_on_that_chats_pastes_now_and_only_once() -> None:
    harness = Harness(window=0.2)
    harness.buffer.add(1, 10, LONG + " one")
    harness.buffer.add(1, 11, LONG + " two")
    harness.buffer.add(2, 10, LONG + " other chat")

    await harness.buffer.flush_chat(1)
    assert sorted(p.parts[0] for p in harness.flushed) == [LONG + " one", LONG + " two"]
    assert not harness.buffer.has_chat(1) and harness.buffer.pending(2, 10)

    # A new part from the same user after the flush is not glued onto the handed-on paste.
    assert harness.buffer.add(1, 10, "short") is False
    await harness.settle()
    # The expiry timers of the flushed pastes do not hand them on a second time.
    assert [p.parts[0] for p in harness.flushed] == [LONG + " one", LONG + " two", LONG + " other chat"]


async def test_flush_chat_with_nothing_pending_does_nothing() -> None:
    harness = Harness()
    harness.buffer.add(2, 10, LONG)
    await harness.buffer.flush_chat(1)
    assert harness.flushed == [] and harness.buffer.pending(2, 10)
    await harness.settle()
    assert [p.chat_id for p in harness.flushed] == [2]


async def test_the_expiry_flushes_under_the_chats_ordering_lock() -> None:
    harness = Harness()
    lock = harness.lock(7)
    await lock.acquire()
    harness.buffer.add(7, 1, LONG)
    await asyncio.sleep(WINDOW * 3)
    # The window is over, but another update of the chat holds the lock: nothing is handed on yet.
    assert harness.flushed == []
    lock.release()
    await harness.settle()
    assert [p.parts for p in harness.flushed] == [[LONG]]
    assert harness.serialized_keys == [7]
    assert harness.locked_during_flush == [True]


async def test_a_paste_flushed_by_the_lock_holder_is_not_handed_on_again() -> None:
    harness = Harness()
    lock = harness.lock(7)
    await lock.acquire()
    harness.buffer.add(7, 1, LONG)
    await asyncio.sleep(WINDOW * 3)  # the expiry now waits for the lock
    await harness.buffer.flush_chat(7)  # the holder's update flushes first, as handlers do
    lock.release()
    await harness.settle()
    assert len(harness.flushed) == 1


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        (["Only one part."], "Only one part."),
        # A split inside a sentence ate a space.
        (["The minister said that", "talks would resume."], "The minister said that talks would resume."),
        # A split after a sentence end is taken as a paragraph break.
        (["It rained.", "Then it stopped."], "It rained.\n\nThen it stopped."),
        (["He asked why?", "Nobody knew."], "He asked why?\n\nNobody knew."),
        (['She said "no."', "They left."], 'She said "no."\n\nThey left.'),
        (["Items:", "one, two"], "Items:\n\none, two"),
        (["a", "b", "c."], "a b c."),
    ],
)
def test_paste_text_joins_parts(parts: list[str], text: str) -> None:
    assert Paste(1, 1, parts).text == text
