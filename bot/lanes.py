"""Lanes: blocking calls of one kind, run on a thread (or a few) of their own instead of asyncio's default pool.

`asyncio.to_thread` hands every call to the event loop's default pool (six threads on two cores).
When the answers, the inbox's writes and the saving of articles share it, the threads take Python's
interpreter lock from one another, and from the event loop, at every database call (SQLite and the
network release it), and each hand-over is a context switch. Under a wave of questions the bot made
110-145 of them per answer where python-telegram-bot alone makes 3 (bench.load); with the answers
and the inbox each on one thread of their own, ~37, and less CPU per answer (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Lane:
    """A named pool of `threads` threads for one kind of blocking call; `run` awaits one call on it."""

    def __init__(self, name: str, threads: int = 1) -> None:
        if threads < 1:
            raise ValueError(f"a lane needs at least one thread, not {threads}")
        self.name = name
        self.threads = threads
        # Threads start with the first call: a lane nobody uses costs nothing.
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix=f"briefbot-{name}")

    async def run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """`function(*args, **kwargs)` on the lane's thread, in the caller's context (as asyncio.to_thread)."""
        context = contextvars.copy_context()
        call = functools.partial(context.run, function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        """Finish the calls under way and stop the threads; a call after this raises RuntimeError."""
        self._executor.shutdown(wait=True, cancel_futures=True)


async def run_on(lane: Lane | None, function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """`function(*args, **kwargs)` on `lane`, else (no lane given) on asyncio's default pool."""
    if lane is None:
        return await asyncio.to_thread(function, *args, **kwargs)
    return await lane.run(function, *args, **kwargs)
