"""Long articles are read, saved and summarized in processes apart from the bot's own.

A 2 MB document is ~14,000 sentences to split, stem, index and rate: seconds of Python that,
in the bot's process, hold the interpreter lock while every other chat waits for its answers.
`ArticleWorkers` hands such a text to a process pool instead: its worker has a library of its
own on the same database (it writes the article itself, so the bot's process only sends the
text and receives the small result), and runs at a lower CPU priority, so that on a busy
machine the bot's answers to other chats go first.

The worker's library lives in the worker process: `_start` builds it once (the pool's
initializer, with the builder and settings the bot gives), `_ingest` uses it. A worker that
dies (out of memory, killed) breaks the pool: the article is refused with a short reason, no
half-saved article stays (its transaction never committed), and the next long article gets a
fresh pool.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from bot.errors import BriefbotError, TooLarge
from bot.i18n import lazy
from bot.library import ArticleSummary, Ingested, Library

logger = logging.getLogger(__name__)

# Texts this long (about 700 sentences, half a second of work and more) go to a worker; shorter
# ones cost less than the trip.
LONG_ARTICLE_CHARS = 100_000
# How much lower the workers' CPU priority is than the bot's (nice(2) increment).
WORKER_NICENESS = 10
# Parsed once when a worker starts: the language identifier and the sentence model load then (about a
# second), not while the first long article waits.
WARM_UP_TEXT = ("Briefbot reads long articles here. The models load once, before the first one arrives. "
                "Then every long article is read without that wait.")
WORKER_DIED = lazy("I could not finish reading that article: it was too much for me. Try a shorter one.")

LibraryBuilder = Callable[[Any], Library]

# How often a worker looks whether the bot's process is still there (seconds).
PARENT_CHECK = 0.5

# The worker process's own library, set by `_start` (the pool's initializer) in that process only.
_library: Library | None = None


def _exit_with(parent: int) -> None:
    """In a worker process: exit as soon as the bot's process `parent` is gone (killed, crashed).

    The pool's queues keep a worker waiting for work forever when the bot dies without closing them:
    an orphan holding the bot's memory, and its stdout and stderr open for whoever waits on them.
    """
    while True:
        time.sleep(PARENT_CHECK)
        if os.getppid() != parent:
            os._exit(0)  # an article in hand is abandoned: its transaction never commits


def _start(builder: LibraryBuilder, settings: Any, parent: int) -> None:
    """In a new worker process: follow the bot's life, lower the priority, build the library once, load the models."""
    global _library
    threading.Thread(target=_exit_with, args=(parent,), name="parent-watch", daemon=True).start()
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    _library = builder(settings)
    with contextlib.suppress(BriefbotError):
        _library.parse(WARM_UP_TEXT)


def _ingest(chat_id: int, text: str, title: str | None, created_at: datetime | None) -> tuple[Ingested, ArticleSummary]:
    """In a worker process: save the article and summarize it."""
    if _library is None:  # pragma: no cover - the initializer always ran first
        raise RuntimeError("the worker's library was not built")
    return _library.ingest_and_summarize(chat_id, text, title=title, created_at=created_at)


def _ready() -> int:
    """In a worker process: nothing, once its library is built (the pool is warm)."""
    return os.getpid()


class ArticleWorkers:
    """A pool of `processes` worker processes for long articles, started when first needed."""

    def __init__(self, builder: LibraryBuilder, settings: Any, *, processes: int = 1,
                 min_chars: int = LONG_ARTICLE_CHARS, clock: Callable[[], datetime] | None = None) -> None:
        self._builder = builder
        self._settings = settings
        self._processes = max(processes, 0)
        self._min_chars = min_chars
        self._clock = clock
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def takes(self, text: str) -> bool:
        """Whether `text` is long enough to be read in a worker (and there are workers)."""
        return self._processes > 0 and len(text) >= self._min_chars

    @property
    def running(self) -> bool:
        """Whether the pool has been started (its workers start with it, or at its first article)."""
        return self._pool is not None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # Spawned, not forked: the bot's process has threads (and an event loop) a fork would copy mid-step.
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    self._processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
                    initargs=(self._builder, self._settings, os.getpid()))
            return self._pool

    def warm(self) -> concurrent.futures.Future[int] | None:
        """Start the workers now (they take a second or two to build their library), not at the first long article."""
        if self._processes == 0:
            return None
        return self._executor().submit(_ready)

    async def ingest(self, chat_id: int, text: str, *, title: str | None = None) -> tuple[Ingested, ArticleSummary]:
        """Save and summarize `text` in a worker; the worker's own errors (BriefbotError) come back as they are."""
        pool = self._executor()
        created_at = self._clock() if self._clock is not None else None
        try:
            return await asyncio.wrap_future(pool.submit(_ingest, chat_id, text, title, created_at))
        except BrokenProcessPool:
            logger.error("a worker died reading an article of %d characters in chat %s", len(text), chat_id)
            self._discard(pool)
            raise TooLarge(WORKER_DIED) from None

    def _discard(self, pool: concurrent.futures.ProcessPoolExecutor) -> None:
        """Forget a broken pool: the next long article starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers once the article in hand is saved; articles waiting for one are cancelled."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
