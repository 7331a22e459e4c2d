"""Each Telegram update handled once, even when several webhook workers share one database.

Telegram re-sends an update whose webhook call failed, and a load balancer may hand the
copy to another worker. The first worker to claim the update id (a row keyed by it) handles
it; the others drop it. A claim whose worker died before finishing is taken over after a lease.

Polling has one worker (Telegram refuses a second poller), but it gets an update again when
it stopped after handling it and before confirming it (the next getUpdates confirms): the
finished claim drops the copy. An unfinished claim is then from a process that died mid-update,
so the poller takes it over at once (`single_worker`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.claims import UpdateClaims


class Deliveries:
    def __init__(self, claims: UpdateClaims, *, lease: timedelta | None = None) -> None:
        self._claims = claims
        self._lease = lease  # None: the claims' default lease

    def single_worker(self) -> Deliveries:
        """The same claims for a lone poller: only a finished update is a duplicate."""
        return Deliveries(self._claims, lease=timedelta(0))

    def claim(self, update_id: int) -> bool:
        """True if this worker should handle the update; False for a duplicate."""
        if self._lease is None:
            return self._claims.claim(update_id)
        return self._claims.claim(update_id, lease=self._lease)

    def finish(self, update_id: int) -> None:
        self._claims.finish(update_id)
