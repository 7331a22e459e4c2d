"""Scheduled briefings: times and time zones, and which briefing is due when (a controllable clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.errors import InputError
from bot.schedules import Schedules, parse_time, resolve_timezone
from storage.db import make_engine, upgrade
from storage.feeds import FeedStore
from storage.store import ArticleStore
from tests.feedsite import FakeClock

CHAT = 701
OTHER = 702


@pytest.mark.parametrize(("text", "expected"), [("08:00", "08:00"), ("8:00", "08:00"), ("7.30", "07:30"),
                                                ("23h59", "23:59"), (" 0:05 ", "00:05")])
def test_times(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8", "08:60", "noon", "8:5", "-1:00", ""])
def test_bad_times_say_how(text: str) -> None:
    with pytest.raises(InputError, match="HH:MM, for example: /brief at 08:00"):
        parse_time(text)


@pytest.mark.parametrize(("name", "expected"), [("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
                                                ("America/New York", "America/New_York"), ("UTC", "UTC")])
def test_time_zones_by_their_iana_names(name: str, expected: str) -> None:
    assert resolve_timezone(name) == expected


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "Berlin", ""])
def test_unknown_time_zones_are_refused(name: str) -> None:
    with pytest.raises(InputError):
        resolve_timezone(name)


def make_schedules(tmp_path: Path, clock: FakeClock) -> tuple[Schedules, Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'briefbot.sqlite3'}")
    upgrade(engine)
    return Schedules(FeedStore(engine), clock=clock), engine


def test_a_briefing_is_due_at_its_local_time_once_a_day(tmp_path: Path) -> None:
    # 06:00 UTC is 07:00 in Berlin (winter time).
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    schedules, engine = make_schedules(tmp_path, clock)
    schedules.set_timezone(CHAT, "Europe/Berlin")
    schedules.set_briefing_time(CHAT, "8:00")
    schedules.set_timezone(OTHER, "America/New_York")
    schedules.set_briefing_time(OTHER, "08:00")
    assert schedules.claim_due() == []
    clock.now = datetime(2026, 12, 1, 6, 59, 59, tzinfo=UTC)
    assert schedules.claim_due() == []
    clock.now = datetime(2026, 12, 1, 7, 0, 30, tzinfo=UTC)  # 08:00:30 in Berlin
    due = schedules.claim_due()
    assert [(d.chat_id, d.since) for d in due] == [(CHAT, datetime(2026, 12, 1, 6, 0, tzinfo=UTC))]
    clock.advance(minutes=1)
    assert schedules.claim_due() == []
    # 08:00 in New York is 13:00 UTC.
    clock.now = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert [d.chat_id for d in schedules.claim_due()] == [OTHER]
    # The next day Berlin's briefing covers what arrived since the first one was sent.
    clock.now = datetime(2026, 12, 2, 7, 5, tzinfo=UTC)
    due = schedules.claim_due()
    assert [(d.chat_id, d.since) for d in due] == [(CHAT, datetime(2026, 12, 1, 7, 0, 30, tzinfo=UTC))]
    engine.dispose()


def test_a_schedule_set_after_todays_time_starts_tomorrow_and_off_stops_it(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    schedules, engine = make_schedules(tmp_path, clock)
    schedules.set_briefing_time(CHAT, "08:00")  # UTC, the default zone
    assert schedules.claim_due() == []
    clock.now = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert [d.chat_id for d in schedules.claim_due()] == [CHAT]
    schedules.set_briefing_time(CHAT, None)
    clock.now = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert schedules.claim_due() == []
    assert schedules.schedule(CHAT).briefing_time is None
    engine.dispose()


def test_summer_time_moves_the_utc_moment(tmp_path: Path) -> None:
    """08:00 in Berlin is 06:00 UTC in July: the local time is kept, not the UTC one."""
    clock = FakeClock(datetime(2026, 7, 1, 5, 0, tzinfo=UTC))
    schedules, engine = make_schedules(tmp_path, clock)
    schedules.set_timezone(CHAT, "Europe/Berlin")
    schedules.set_briefing_time(CHAT, "08:00")
    clock.now = datetime(2026, 7, 1, 5, 59, tzinfo=UTC)
    assert schedules.claim_due() == []
    clock.now = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    assert [d.chat_id for d in schedules.claim_due()] == [CHAT]
    engine.dispose()


def test_a_briefing_asked_for_in_between_moves_the_start(tmp_path: Path) -> None:
    """The daily briefing covers what came after the last briefing of any kind (a /brief counts)."""
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    schedules, engine = make_schedules(tmp_path, clock)
    schedules.set_briefing_time(CHAT, "08:00")
    ArticleStore(engine).set_last_briefing(CHAT, datetime(2026, 12, 1, 7, 30, tzinfo=UTC))
    clock.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert [(d.chat_id, d.since) for d in schedules.claim_due()] == [(CHAT, datetime(2026, 12, 1, 7, 30, tzinfo=UTC))]
    engine.dispose()


def test_one_chats_round_claims_only_that_chats_briefing(tmp_path: Path) -> None:
    """The terminal chat's rounds: another chat's due briefing is left for the bot to claim and send."""
    clock = FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    schedules, engine = make_schedules(tmp_path, clock)
    for chat in (CHAT, OTHER):
        schedules.set_timezone(chat, "UTC")
        schedules.set_briefing_time(chat, "07:00")
    clock.now = datetime(2026, 12, 1, 7, 0, 5, tzinfo=UTC)
    assert [d.chat_id for d in schedules.claim_due(CHAT)] == [CHAT]
    assert schedules.claim_due(CHAT) == []
    assert [d.chat_id for d in schedules.claim_due()] == [OTHER]
    engine.dispose()
