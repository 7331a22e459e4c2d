"""Scheduled briefings: a chat's time zone, its daily briefing time, and which briefings are due.

A briefing is due when the chat's local clock has passed today's time and the last one
(or the moment the schedule was set) is older than that. The worker that claims the
(chat, local date) slot in the database sends it; other workers skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InputError
from bot.i18n import lazy

if TYPE_CHECKING:
    from collections.abc import Callable

    from storage.feeds import FeedStore, Schedule

_TIME = re.compile(r"^(\d{1,2})[:.h](\d{2})$")


@dataclass(frozen=True)
class DueBriefing:
    chat_id: int
    since: datetime  # what arrived after this goes into the briefing


def parse_time(text: str) -> str:
    """'8:00', '08.00' or '8h00' as '08:00'; InputError otherwise."""
    match = _TIME.match(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(lazy("Give the time as HH:MM, for example: /brief at 08:00"))
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


def resolve_timezone(name: str) -> str:
    """The IANA name as the database spells it ('europe/berlin' → 'Europe/Berlin'); InputError if unknown."""
    cleaned = name.strip().replace(" ", "_")
    if not cleaned or ".." in cleaned or cleaned.startswith("/"):
        raise InputError(lazy("Name a time zone, for example: /timezone Europe/Berlin"))
    known = {zone_name.lower(): zone_name for zone_name in available_timezones()}
    found = known.get(cleaned.lower())
    if found is None:
        raise InputError(lazy("I don't know the time zone %(name)s. Use a name like Europe/Berlin or "
                              "America/New_York.", name=cleaned[:60]))
    try:
        ZoneInfo(found)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        raise InputError(lazy("I cannot read the time zone %(name)s.", name=found)) from None
    return found


class Schedules:
    """Time zones and briefing times of chats; blocking (database) methods."""

    def __init__(self, store: FeedStore, *, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    def schedule(self, chat_id: int) -> Schedule:
        return self._store.schedule(chat_id)

    def set_timezone(self, chat_id: int, name: str) -> str:
        resolved = resolve_timezone(name)
        self._store.set_timezone(chat_id, resolved)
        return resolved

    def set_briefing_time(self, chat_id: int, at: str | None) -> Schedule:
        """Brief daily at `at` (local 'HH:MM'), starting with what arrives from now; None: stop."""
        self._store.set_briefing_time(chat_id, parse_time(at) if at else None, since=self._clock())
        return self._store.schedule(chat_id)

    def local_now(self, chat_id: int) -> datetime:
        return self._clock().astimezone(zone(self._store.schedule(chat_id).timezone))

    def claim_due(self, chat_id: int | None = None) -> list[DueBriefing]:
        """The briefings due now that this worker claimed (each is claimed by one worker only; of one chat if given)."""
        now = self._clock()
        due = []
        for schedule in self._store.scheduled_chats():
            if schedule.briefing_time is None or chat_id not in (None, schedule.chat_id):
                continue
            local = now.astimezone(zone(schedule.timezone))
            hour, minute = (int(part) for part in schedule.briefing_time.split(":"))
            slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if local < slot:
                continue
            since = schedule.briefing_since or now
            if since >= slot.astimezone(UTC):
                continue  # already briefed today, or the schedule was set after today's time
            if self._store.claim_briefing(schedule.chat_id, local.date().isoformat(), now):
                # What a /brief since then already covered is not briefed again.
                latest = max(since, schedule.last_briefing_at or since)
                due.append(DueBriefing(schedule.chat_id, latest))
        return due
