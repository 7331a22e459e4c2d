"""What fetching may cost: per-fetch limits, and links per user per minute."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import RateLimited
from bot.i18n import lazy


@dataclass(frozen=True)
class FetchLimits:
    """What a fetch may cost, and where it may go."""

    timeout: float = 15.0  # seconds for the whole download, redirects included
    max_bytes: int = 5_000_000  # decoded bytes
    allow_private_networks: bool = False  # loopback/private addresses (self-hosting and tests only)


class FetchRateLimiter:
    """At most `per_minute` fetches per user in any sliding minute."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_minute = per_minute
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}

    def check(self, user_key: int) -> None:
        if self._per_minute <= 0:
            return
        now = self._clock()
        recent = self._recent.setdefault(user_key, deque())
        while recent and now - recent[0] >= 60:
            recent.popleft()
        if len(recent) >= self._per_minute:
            wait = int(60 - (now - recent[0])) + 1
            raise RateLimited(lazy("Too many links in a minute; try again in %(seconds)s s.", seconds=wait))
        recent.append(now)
        # Forget users who have been quiet, so the table does not grow without end.
        if len(self._recent) > 10_000:
            for key in [k for k, v in self._recent.items() if not v or now - v[-1] >= 60]:
                del self._recent[key]
