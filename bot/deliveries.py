"""Each Telegram update handled once, even when several webhook workers share one database.

Telegram re-sends an update whose webhook call failed, and a load balancer may hand the
copy to another worker. The first worker to claim the update id (a row keyed by it) handles
it; the others drop it. A claim whose worker died before finishing is taken over after a lease.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.claims import UpdateClaims


class Deliveries:
    def __init__(self, claims: UpdateClaims) -> None:
        self._claims = claims

    def claim(self, update_id: int) -> bool:
        """True if this worker should handle the update; False for a duplicate (lease: the claims')."""
        return self._claims.claim(update_id)

    def finish(self, update_id: int) -> None:
        self._claims.finish(update_id)
