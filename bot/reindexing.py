"""Stored search terms kept current: after an upgrade changed the index terms, the library is reindexed.

Which rules made the stored terms is a number in the database (storage/index_state.py); today's is
TERMS_VERSION (bot/answers/terms.py). When they differ, the bot and the terminal chat recompute
the terms in a background thread when they start, and keep answering meanwhile: an older article's
terms differ from today's in a few words only (docs/benchmarks.md), so its answers are nearly those
of a reindexed one. One-shot commands (`ask`, `brief`) answer too, and say on stderr that
`briefbot db reindex` is due. An empty library is up to date at once.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from bot.answers.terms import TERMS_VERSION

if TYPE_CHECKING:
    from bot.library import Library
    from storage.index_state import IndexState

logger = logging.getLogger(__name__)


class TermsUpkeep:
    """Knows whether the library's terms are current, and recomputes them (in the background when asked)."""

    def __init__(self, library: Library, state: IndexState) -> None:
        self._library = library
        self._state = state
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def stale(self) -> bool:
        """True while the stored terms were made by older rules than today's."""
        if self._state.terms_version() >= TERMS_VERSION:
            return False
        return not self._state.settle_if_empty(TERMS_VERSION)

    def reindex(self) -> tuple[int, int] | None:
        """Recompute every stored sentence's terms, then record today's rules; (articles, sentences) changed.

        None when another worker holds the reindex (PostgreSQL). Stopped by `close()`, it records
        nothing: the next start goes on (articles already done change nothing the second time).
        """
        with self._state.exclusive() as held:
            if not held:
                return None
            changed = self._library.reindex(stop=self._stop.is_set)
            if not self._stop.is_set():
                self._state.set_terms_version(TERMS_VERSION)
            return changed

    def start(self) -> None:
        """When the terms are stale, recompute them in a background thread (the bot's and the chat's start)."""
        if self._thread is not None or not self.stale():
            return
        logger.warning("the library's search terms were made by an older Briefbot: reindexing in the background "
                       "(answers keep coming meanwhile)")
        self._thread = threading.Thread(target=self._run, name="briefbot-reindex", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            changed = self.reindex()
        except Exception:
            logger.exception("reindexing the library failed; `briefbot db reindex` runs it again")
            return
        if changed is None:
            logger.info("another worker is reindexing the library")
        elif self._stop.is_set():
            logger.info("reindexing stopped with Briefbot; it goes on at the next start")
        else:
            logger.info("reindexed the library: %s sentences in %s articles changed", changed[1], changed[0])

    def close(self) -> None:
        """Stop a background reindex (after the article it is at) and wait for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
