"""The feed and schedule commands in conversation: bad input gets a short reason and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.conversation.feeds import is_schedule_args
from bot.services import Services, build_services
from tests.feedsite import FakeClock
from tests.helpers import make_settings

CHAT = 801


@pytest.fixture
def chat_services(tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path), clock=FakeClock(datetime(2026, 12, 1, 6, 0, tzinfo=UTC)))
    yield built
    built.close()


@pytest.mark.parametrize(("args", "expected"), [
    ("at 08:00", True), ("AT 8:00", True), ("off", True), ("", False), ("7d", False), ("10", False),
    ("offshore wind", False), ("3 5 8", False), ("attack", False),
])
def test_which_brief_arguments_are_a_schedule(args: str, expected: bool) -> None:
    assert is_schedule_args(args) is expected


@pytest.mark.parametrize(("command", "args", "reason"), [
    ("follow", "", "Follow a feed like this: /follow https://example.com/feed.xml [minutes]"),
    ("follow", "a b c", "Follow a feed like this"),
    ("follow", "javascript:alert(1)", "I only open http and https links."),
    ("follow", "https://example.com/feed 2", "every 5 to 1440 minutes"),
    ("follow", "https://example.com/feed soon", "a number of minutes"),
    ("unfollow", "", "Which feed? For example: /unfollow 2"),
    ("unfollow", "1", "This chat follows no feeds."),
    ("unfollow", "two", "a feed number"),
    ("timezone", "Mars/Olympus_Mons", "I don't know the time zone Mars/Olympus_Mons."),
    ("brief", "at 25:00", "Give the time as HH:MM, for example: /brief at 08:00"),
    ("brief", "at", "Schedule a daily briefing like this: /brief at 08:00"),
])
async def test_bad_input_gets_a_short_reason(chat_services: Services, command: str, args: str, reason: str) -> None:
    [reply] = await chat_services.conversation.handle_command(CHAT, command, args)
    assert reply.error and reason in reply.plain
    assert chat_services.feeds.list(CHAT) == ()
    schedule = chat_services.schedules.schedule(CHAT)
    assert (schedule.timezone, schedule.briefing_time) == (None, None)
    await chat_services.aclose()


async def test_time_zone_and_schedule_replies(chat_services: Services) -> None:
    conversation = chat_services.conversation
    [reply] = await conversation.handle_command(CHAT, "timezone", "")
    assert reply.plain.startswith("This chat's time zone is UTC.")
    [reply] = await conversation.handle_command(CHAT, "timezone", "asia/tokyo")
    assert reply.plain == "Time zone set to Asia/Tokyo (it is 15:00 there now)."
    [reply] = await conversation.handle_command(CHAT, "brief", "at 7:30")
    assert reply.plain.startswith("Daily briefing at 07:30 (Asia/Tokyo)")
    [reply] = await conversation.handle_command(CHAT, "feeds", "")
    assert "follows no feeds" in reply.plain
    [reply] = await conversation.handle_command(CHAT, "brief", "off")
    assert reply.plain.startswith("Daily briefing off.")
    assert chat_services.schedules.schedule(CHAT).briefing_time is None
    # /brief with no schedule words is a briefing now (of an empty library here).
    [reply] = await conversation.handle_command(CHAT, "brief", "")
    assert reply.error and reply.plain.startswith("Your library is empty.")
    await chat_services.aclose()
