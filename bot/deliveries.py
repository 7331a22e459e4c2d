"""Each Telegram update handled once and none lost: the inbox's rules, apart from Telegram's types.

Every update is recorded with its payload before it is confirmed to Telegram (polling: before
the next getUpdates; webhook: before the 200 answer), claimed by the worker that handles it,
and finished when its replies are sent.

Webhook workers share one database: Telegram re-sends an update whose webhook call failed,
and a load balancer may hand the copy to another worker. The first worker to claim it handles
it; the others drop it. A claim carries a short lease that its worker renews while it works;
when the worker dies the lease runs out and another worker (which looks for such updates now
and then) handles the update again. A chat's updates wait for their turn: an update is handled
when no earlier update of its chat is unfinished and none is being handled.

Polling has one worker (Telegram refuses a second poller): on start-up it handles again what
its predecessor left unfinished, and any unfinished claim is from a process that died, so it
is taken over at once (`single_worker`). Its record of an update is therefore its claim, and
it neither claims nor takes turns in the database: two writes an update (recorded, finished).
A finished update is a duplicate, dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from storage.clock import utcnow

if TYPE_CHECKING:
    from storage.claims import Pending, UpdateClaims


@dataclass(frozen=True)
class InboxPolicy:
    """How long a claim holds, and how old an unfinished update may be to be handled again."""

    lease: timedelta = timedelta(seconds=20)
    max_age: timedelta = timedelta(hours=1)
    single_worker: bool = False

    @property
    def renew_every(self) -> float:
        """Seconds between renewals: a third of the lease, so one missed renewal does no harm."""
        return self.lease.total_seconds() / 3


class Deliveries:
    def __init__(self, claims: UpdateClaims, policy: InboxPolicy | None = None) -> None:
        self._claims = claims
        self.policy = policy or InboxPolicy()

    def single_worker(self) -> Deliveries:
        """The same claims for a lone poller: only a finished update is a duplicate."""
        return Deliveries(self._claims, InboxPolicy(self.policy.lease, self.policy.max_age, single_worker=True))

    def close(self) -> None:
        self._claims.close()

    def record(self, update_id: int, chat_id: int | None, payload: str) -> bool:
        """Keep an update before it is confirmed; False if it was finished before (a duplicate)."""
        return self._claims.record(update_id, chat_id, payload)

    def claim(self, update_id: int) -> bool:
        """True if this worker should handle the update; False for a duplicate."""
        return self._claims.claim(update_id, lease=self.policy.lease, take_over=self.policy.single_worker)

    def renew(self, update_id: int) -> None:
        self._claims.renew(update_id, self.policy.lease)

    def take_turn(self, update_id: int, chat_id: int) -> bool:
        """True when the update may be handled now (webhook workers; a lone poller orders its chats in memory)."""
        return self._claims.take_turn(update_id, chat_id, since=utcnow() - self.policy.max_age)

    def finish(self, update_id: int) -> None:
        self._claims.finish(update_id)

    def finish_many(self, update_ids: list[int]) -> None:
        """Mark several handled updates finished in one transaction."""
        self._claims.finish_many(update_ids)

    def unfinished(self) -> list[Pending]:
        """What a restarted poller handles again, oldest first."""
        return self._claims.unfinished(since=utcnow() - self.policy.max_age)

    def abandoned(self) -> list[Pending]:
        """Updates whose worker died, for a surviving worker to handle."""
        return self._claims.abandoned(since=utcnow() - self.policy.max_age, grace=self.policy.lease)
