"""Long pastes: Telegram splits a paste over 4096 characters into several messages sent within
a second or two. The parts from one user in one chat are gathered here and handed on as one
message once no part has come for `window` seconds.

Order is kept with the chat's other updates: the flush runs under the chat's ordering lock
(the same one the update processor uses), and any other update of the chat flushes first
(`flush_chat`, called by a handler that already holds the lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any

from bot.text.article import SENTENCE_END


@dataclass
class Paste:
    """The parts of one paste so far."""

    chat_id: int
    user_id: int
    parts: list[str]
    links: list[str] = field(default_factory=list)
    reply_to: int | None = None  # the first part's message, which group replies quote
    reply_to_article: int | None = None
    language: str | None = None  # the user's Telegram language, for the replies
    last: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """The parts joined: a paragraph break after a sentence end, else the space the split ate."""
        joined = self.parts[0]
        for part in self.parts[1:]:
            joined += ("\n\n" if SENTENCE_END.search(joined) else " ") + part
        return joined


class PasteBuffer:
    def __init__(
        self,
        flush: Callable[[Paste], Awaitable[None]],
        *,
        window: float,
        start_chars: int,
        serialized: Callable[[Hashable], contextlib.AbstractAsyncContextManager[None]],
        spawn: Callable[[Coroutine[Any, Any, None]], Any],
    ) -> None:
        self._flush = flush
        self._window = window
        self._start_chars = start_chars
        self._serialized = serialized
        self._spawn = spawn
        self._pending: dict[tuple[int, int], Paste] = {}

    def pending(self, chat_id: int, user_id: int) -> bool:
        return (chat_id, user_id) in self._pending

    def has_chat(self, chat_id: int) -> bool:
        return any(chat == chat_id for chat, _user in self._pending)

    def add(self, chat_id: int, user_id: int, text: str, *, links: tuple[str, ...] = (), reply_to: int | None = None,
            reply_to_article: int | None = None, language: str | None = None) -> bool:
        """Keep `text` if it continues a paste or may start one; False: handle it now."""
        key = (chat_id, user_id)
        paste = self._pending.get(key)
        if paste is not None:
            paste.parts.append(text)
            paste.links.extend(links)
            paste.last = time.monotonic()
            return True
        if len(text) < self._start_chars:
            return False
        paste = Paste(chat_id, user_id, [text], list(links), reply_to, reply_to_article, language)
        self._pending[key] = paste
        self._spawn(self._expire(key, paste))
        return True

    async def flush_chat(self, chat_id: int) -> None:
        """Hand on every paste of the chat now; the caller holds the chat's ordering lock."""
        for key in [key for key in self._pending if key[0] == chat_id]:
            paste = self._pending.pop(key, None)
            if paste is not None:
                await self._flush(paste)

    async def _expire(self, key: tuple[int, int], paste: Paste) -> None:
        while (delay := paste.last + self._window - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        async with self._serialized(paste.chat_id):
            if self._pending.get(key) is paste:
                del self._pending[key]
                await self._flush(paste)
