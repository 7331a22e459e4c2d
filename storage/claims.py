"""Claims of Telegram update ids, so that each update is handled once across webhook workers.

Same table as ever (`processed_updates`, migration 0003); kept apart from the article
store because it is about deliveries, not about any chat's library.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from storage.models import ProcessedUpdate, utcnow

# Longer than any update takes to handle (a 300-page PDF is well under a minute).
DEFAULT_LEASE = timedelta(minutes=10)
# Telegram gives up re-sending an update within a day.
DEFAULT_KEEP = timedelta(days=2)


class UpdateClaims:
    """Owns its sessionmaker on the library's engine; each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def claim(self, update_id: int, *, lease: timedelta = DEFAULT_LEASE, keep: timedelta = DEFAULT_KEEP) -> bool:
        """Claim `update_id` for this worker; False if it is finished or another worker holds it.

        The insert is the claim: the primary key lets exactly one of several workers win.
        A claim left unfinished for longer than `lease` (its worker died) can be taken over.
        Claims older than `keep` are pruned now and then.
        """
        now = utcnow()
        try:
            with self._sessions.begin() as session:
                session.add(ProcessedUpdate(update_id=update_id, processed_at=now))
        except IntegrityError:
            with self._sessions.begin() as session:
                taken = session.execute(
                    update(ProcessedUpdate)
                    .where(ProcessedUpdate.update_id == update_id, ProcessedUpdate.finished_at.is_(None),
                           ProcessedUpdate.processed_at < now - lease)
                    .values(processed_at=now)
                )
                return bool(taken.rowcount)
        if update_id % 100 == 0:
            with self._sessions.begin() as session:
                session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - keep))
        return True

    def finish(self, update_id: int) -> None:
        """Mark a claimed update as handled: it is never handled again."""
        with self._sessions.begin() as session:
            session.execute(update(ProcessedUpdate).where(ProcessedUpdate.update_id == update_id)
                            .values(finished_at=utcnow()))
