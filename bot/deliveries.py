"""Each Telegram update handled once, even when several webhook workers share one database.

Telegram re-sends an update whose webhook call failed, and a load balancer may hand the
copy to another worker. The first worker to claim the update id (a row keyed by it) handles
it; the others drop it. A claim whose worker died before finishing is taken over after a lease.
"""

from __future__ import annotations

from datetime import timedelta

from storage.store import ArticleStore

# Longer than any update takes to handle (a 300-page PDF is well under a minute).
DEFAULT_LEASE = timedelta(minutes=10)


class Deliveries:
    def __init__(self, store: ArticleStore, lease: timedelta = DEFAULT_LEASE) -> None:
        self._store = store
        self._lease = lease

    def claim(self, update_id: int) -> bool:
        """True if this worker should handle the update; False for a duplicate."""
        return self._store.claim_update(update_id, lease=self._lease)

    def finish(self, update_id: int) -> None:
        self._store.finish_update(update_id)
