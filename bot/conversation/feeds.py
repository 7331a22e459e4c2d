"""Feeds and schedules in conversation: /follow, /feeds, /unfollow, /timezone, /brief at|off,
and the background round that polls feeds and sends announcements and scheduled briefings.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.briefings import Selection, SinceTime
from bot.conversation.replies import Block, Reply, Span, text_reply
from bot.errors import BriefbotError, InputError
from bot.feeds import Feeds, PollResult
from bot.schedules import Schedules, zone
from bot.userinput import excerpt, parse_number
from storage.feeds import FeedInfo


class BriefsNow(Protocol):
    """What makes a briefing now (the conversation's /brief)."""

    async def brief(self, chat_id: int, selection: Selection | None = None, sentences: int | None = None) -> Reply:
        ...

logger = logging.getLogger(__name__)

# A briefing of the chat's articles since a moment; None when there is nothing to brief.
BriefingMaker = Callable[[int, datetime], Awaitable[Reply | None]]


@dataclass(frozen=True)
class Outgoing:
    """A message Briefbot sends on its own (not as an answer): an announcement, a briefing, a warning."""

    chat_id: int
    reply: Reply


def is_schedule_args(args: str) -> bool:
    """`/brief at 08:00` and `/brief off` set the schedule; every other /brief is a briefing now."""
    words = args.lower().split()
    return bool(words) and (words[0] == "at" or words == ["off"])


def scheduled_briefing(conversation: BriefsNow) -> BriefingMaker:
    """A scheduled briefing: what arrived since `since`, as /brief renders it (it counts as the last briefing)."""

    async def make(chat_id: int, since: datetime) -> Reply | None:
        return await conversation.brief(chat_id, SinceTime(since))

    return make


class FeedTalk:
    """The feed and schedule commands of the conversation; blocking work runs in threads."""

    def __init__(self, feeds: Feeds, schedules: Schedules) -> None:
        self._feeds = feeds
        self._schedules = schedules

    async def follow(self, chat_id: int, args: str) -> Reply:
        words = args.split()
        if not words or len(words) > 2:
            raise InputError("Follow a feed like this: /follow https://example.com/feed.xml [minutes]")
        minutes = parse_number(words[1], "a number of minutes", maximum=1440) if len(words) == 2 else None
        feed, created = await self._feeds.follow(chat_id, words[0], interval_minutes=minutes)
        if not created:
            return text_reply(f"This chat already follows {feed.title}.")
        schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
        delivery = (f"they go into your briefing at {schedule.briefing_time}" if schedule.briefing_time
                    else "I say when some arrived; /brief at 08:00 sends a daily briefing instead")
        return text_reply(f"Following {feed.title} (checked every {feed.interval_minutes} min).",
                          f"New articles go into your library; {delivery}. /feeds lists what you follow.")

    async def list(self, chat_id: int) -> Reply:
        feeds = await asyncio.to_thread(self._feeds.list, chat_id)
        if not feeds:
            return text_reply("This chat follows no feeds. /follow URL adds one (an RSS or Atom feed, or a "
                              "site that links one).")
        schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
        tz = zone(schedule.timezone)
        lines = [_feed_line(index, feed, tz) for index, feed in enumerate(feeds, 1)]
        when = (f"Briefing daily at {schedule.briefing_time} ({schedule.timezone or 'UTC'})."
                if schedule.briefing_time else "New articles are announced; /brief at 08:00 schedules a briefing.")
        return Reply((Block((Span("Feeds of this chat", "bold"),)), Block((Span("\n".join(lines)),)),
                      Block((Span(when + " /unfollow N stops one.", "italic"),))))

    async def unfollow(self, chat_id: int, args: str) -> Reply:
        if not args:
            raise InputError("Which feed? For example: /unfollow 2 (/feeds shows the numbers)")
        number = parse_number(args, "a feed number", maximum=10_000)
        removed = await asyncio.to_thread(self._feeds.unfollow, chat_id, number)
        return text_reply(f"Stopped following {removed.title}. Its articles stay in your library.")

    async def timezone(self, chat_id: int, args: str) -> Reply:
        if not args:
            schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
            return text_reply(f"This chat's time zone is {schedule.timezone or 'UTC'}. "
                              "Change it like this: /timezone Europe/Berlin")
        name = await asyncio.to_thread(self._schedules.set_timezone, chat_id, args)
        local = await asyncio.to_thread(self._schedules.local_now, chat_id)
        return text_reply(f"Time zone set to {name} (it is {local:%H:%M} there now).")

    async def schedule(self, chat_id: int, args: str) -> Reply:
        words = args.split()
        if words == ["off"] or words[0].lower() == "off":
            await asyncio.to_thread(self._schedules.set_briefing_time, chat_id, None)
            return text_reply("Daily briefing off. New feed articles will be announced as they arrive.")
        if len(words) != 2:
            raise InputError("Schedule a daily briefing like this: /brief at 08:00 (or /brief off)")
        schedule = await asyncio.to_thread(self._schedules.set_briefing_time, chat_id, words[1])
        return text_reply(f"Daily briefing at {schedule.briefing_time} ({schedule.timezone or 'UTC'}), "
                          "of what arrived since the last one.",
                          "/timezone Europe/Berlin sets your time zone; /brief off stops it.")


def _feed_line(index: int, feed: FeedInfo, tz: object) -> str:
    checked = (f"last checked {feed.last_checked_at.astimezone(tz):%Y-%m-%d %H:%M}"  # type: ignore[arg-type]
               if feed.last_checked_at else "not checked yet")
    line = f"{index}. {feed.title} — every {feed.interval_minutes} min, {checked}"
    if feed.last_error:
        line += f" (failing: {excerpt(feed.last_error, 120)})"
    return f"{line}\n   {feed.url}"


@dataclass(frozen=True)
class RoundResult:
    polled: tuple[PollResult, ...]  # the feeds this worker polled
    outgoing: tuple[Outgoing, ...]  # what to send


class FeedRound:
    """One round of background work: poll due feeds, announce, send due briefings."""

    def __init__(self, feeds: Feeds, schedules: Schedules, make_briefing: BriefingMaker) -> None:
        self._feeds = feeds
        self._schedules = schedules
        self._make_briefing = make_briefing

    async def run_once(self, *, briefings: bool = True) -> RoundResult:
        """Poll, then say what to send; errors of one feed or chat never stop the others.

        Without `briefings` no briefing is claimed (`briefbot feeds poll` cannot send one to Telegram).
        """
        results = await self._feeds.poll_due()
        outgoing = await asyncio.to_thread(self._announcements, results)
        due_briefings = await asyncio.to_thread(self._schedules.claim_due) if briefings else []
        for due in due_briefings:
            try:
                reply = await self._make_briefing(due.chat_id, due.since)
            except BriefbotError as error:
                logger.info("no briefing for chat %s: %s", due.chat_id, error)
                continue
            if reply is not None:
                outgoing.append(Outgoing(due.chat_id, reply))
        return RoundResult(tuple(results), tuple(outgoing))

    def _announcements(self, results: list[PollResult]) -> list[Outgoing]:
        by_chat: dict[int, list[PollResult]] = {}
        for result in results:
            by_chat.setdefault(result.feed.chat_id, []).append(result)
        outgoing = []
        for chat_id, chat_results in by_chat.items():
            scheduled = self._schedules.schedule(chat_id).briefing_time is not None
            fresh = [(len(r.new_articles), r.feed.title) for r in chat_results if r.new_articles]
            if fresh and not scheduled:
                first_count, first_title = fresh[0]
                parts = [f"{first_count} new article{'s' if first_count != 1 else ''} from {first_title}"]
                parts += [f"{count} from {title}" for count, title in fresh[1:]]
                outgoing.append(Outgoing(chat_id, text_reply(", ".join(parts) + " — /brief")))
            for result in chat_results:
                if result.report:
                    outgoing.append(Outgoing(chat_id, text_reply(
                        f"I could not read the feed {result.feed.title} several times in a row: {result.error} "
                        "I keep trying, less often; /feeds shows it, /unfollow stops it.", error=True)))
        return outgoing
