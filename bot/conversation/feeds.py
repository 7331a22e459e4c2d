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
from zoneinfo import ZoneInfo

from bot.briefings import Selection, SinceTime
from bot.conversation.replies import Block, Reply, Span, text_reply
from bot.errors import BriefbotError, InputError
from bot.feeds import Feeds, PollResult
from bot.i18n import ENGLISH, Translator, lazy
from bot.schedules import Schedules, zone
from bot.userinput import excerpt, parse_number
from storage.feeds import FeedInfo


class BriefsNow(Protocol):
    """What makes a briefing now (the conversation's /brief), and says which language a chat speaks."""

    async def brief(self, chat_id: int, selection: Selection | None = None, sentences: int | None = None, *,
                    tr: Translator | None = None) -> Reply:
        ...

    async def translator_for(self, chat_id: int, user_language: str | None = None) -> Translator:
        ...


logger = logging.getLogger(__name__)

# A briefing of the chat's articles since a moment; None when there is nothing to brief.
BriefingMaker = Callable[[int, datetime], Awaitable[Reply | None]]
# The language a chat is spoken to in when Briefbot writes on its own: the chat's /language, else English.
ChatTranslator = Callable[[int], Awaitable[Translator]]


async def _english(chat_id: int) -> Translator:
    return ENGLISH


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
        tr = await conversation.translator_for(chat_id)
        return await conversation.brief(chat_id, SinceTime(since), tr=tr)

    return make


class FeedTalk:
    """The feed and schedule commands of the conversation; blocking work runs in threads."""

    def __init__(self, feeds: Feeds, schedules: Schedules) -> None:
        self._feeds = feeds
        self._schedules = schedules

    async def follow(self, chat_id: int, args: str, tr: Translator = ENGLISH) -> Reply:
        words = args.split()
        if not words or len(words) > 2:
            raise InputError(lazy("Follow a feed like this: /follow https://example.com/feed.xml [minutes]"))
        minutes = (parse_number(words[1], lazy("a number of minutes"), maximum=1440) if len(words) == 2
                   else None)
        feed, created = await self._feeds.follow(chat_id, words[0], interval_minutes=minutes)
        if not created:
            return text_reply(tr.gettext("This chat already follows %(title)s.", title=feed.title))
        schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
        delivery = (tr.gettext("New articles go into your library; they go into your briefing at %(time)s. "
                               "/feeds lists what you follow.", time=schedule.briefing_time)
                    if schedule.briefing_time else
                    tr.gettext("New articles go into your library; I say when some arrived; /brief at 08:00 "
                               "sends a daily briefing instead. /feeds lists what you follow."))
        return text_reply(tr.ngettext("Following %(title)s (checked every %(count)s min).",
                                      "Following %(title)s (checked every %(count)s min).", feed.interval_minutes,
                                      title=feed.title, count=feed.interval_minutes), delivery)

    async def list(self, chat_id: int, tr: Translator = ENGLISH) -> Reply:
        feeds = await asyncio.to_thread(self._feeds.list, chat_id)
        if not feeds:
            return text_reply(tr.gettext("This chat follows no feeds. /follow URL adds one (an RSS or Atom feed, "
                                         "or a site that links one)."))
        schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
        tz = zone(schedule.timezone)
        lines = [_feed_line(tr, index, feed, tz) for index, feed in enumerate(feeds, 1)]
        when = (tr.gettext("Briefing daily at %(time)s (%(zone)s). /unfollow N stops one.",
                           time=schedule.briefing_time, zone=schedule.timezone or "UTC")
                if schedule.briefing_time else
                tr.gettext("New articles are announced; /brief at 08:00 schedules a briefing. "
                           "/unfollow N stops one."))
        return Reply((Block((Span(tr.gettext("Feeds of this chat"), "bold"),)), Block((Span("\n".join(lines)),)),
                      Block((Span(when, "italic"),))))

    async def unfollow(self, chat_id: int, args: str, tr: Translator = ENGLISH) -> Reply:
        if not args:
            raise InputError(lazy("Which feed? For example: /unfollow 2 (/feeds shows the numbers)"))
        number = parse_number(args, lazy("a feed number"), maximum=10_000)
        removed = await asyncio.to_thread(self._feeds.unfollow, chat_id, number)
        return text_reply(tr.gettext("Stopped following %(title)s. Its articles stay in your library.",
                                     title=removed.title))

    async def timezone(self, chat_id: int, args: str, tr: Translator = ENGLISH) -> Reply:
        if not args:
            schedule = await asyncio.to_thread(self._schedules.schedule, chat_id)
            return text_reply(tr.gettext("This chat's time zone is %(zone)s. Change it like this: "
                                         "/timezone Europe/Berlin", zone=schedule.timezone or "UTC"))
        name = await asyncio.to_thread(self._schedules.set_timezone, chat_id, args)
        local = await asyncio.to_thread(self._schedules.local_now, chat_id)
        return text_reply(tr.gettext("Time zone set to %(zone)s (it is %(time)s there now).", zone=name,
                                     time=local.strftime("%H:%M")))

    async def schedule(self, chat_id: int, args: str, tr: Translator = ENGLISH) -> Reply:
        words = args.split()
        if words == ["off"] or words[0].lower() == "off":
            await asyncio.to_thread(self._schedules.set_briefing_time, chat_id, None)
            return text_reply(tr.gettext("Daily briefing off. New feed articles will be announced as they arrive."))
        if len(words) != 2:
            raise InputError(lazy("Schedule a daily briefing like this: /brief at 08:00 (or /brief off)"))
        schedule = await asyncio.to_thread(self._schedules.set_briefing_time, chat_id, words[1])
        return text_reply(tr.gettext("Daily briefing at %(time)s (%(zone)s), of what arrived since the last one.",
                                     time=schedule.briefing_time, zone=schedule.timezone or "UTC"),
                          tr.gettext("/timezone Europe/Berlin sets your time zone; /brief off stops it."))


def _feed_line(tr: Translator, index: int, feed: FeedInfo, tz: ZoneInfo) -> str:
    checked = (tr.gettext("last checked %(time)s", time=feed.last_checked_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"))
               if feed.last_checked_at else tr.gettext("not checked yet"))
    every = tr.ngettext("every %(count)s min", "every %(count)s min", feed.interval_minutes,
                        count=feed.interval_minutes)
    line = f"{index}. {feed.title} — {every}, {checked}"
    if feed.last_error:
        # The stored reason is English (it was written by whichever worker polled).
        line += " " + tr.gettext("(failing: %(reason)s)", reason=excerpt(feed.last_error, 120))
    return f"{line}\n   {feed.url}"


@dataclass(frozen=True)
class RoundResult:
    polled: tuple[PollResult, ...]  # the feeds this worker polled
    outgoing: tuple[Outgoing, ...]  # what to send


class FeedRound:
    """One round of background work: poll due feeds, announce, send due briefings."""

    def __init__(self, feeds: Feeds, schedules: Schedules, make_briefing: BriefingMaker,
                 translator: ChatTranslator = _english) -> None:
        self._feeds = feeds
        self._schedules = schedules
        self._make_briefing = make_briefing
        self._translator = translator

    async def run_once(self, *, briefings: bool = True, chat_id: int | None = None) -> RoundResult:
        """Poll, then say what to send; errors of one feed or chat never stop the others.

        Without `briefings` no briefing is claimed (`briefbot feeds poll` cannot send one to Telegram).
        With `chat_id` only that chat's feeds and briefing (the terminal chat: other chats of the same
        database are the Telegram bot's to poll and send).
        """
        results = await self._feeds.poll_due(chat_id)
        chats = dict.fromkeys(result.feed.chat_id for result in results)
        translators = {chat_id: await self._translator(chat_id) for chat_id in chats}
        outgoing = await asyncio.to_thread(self._announcements, results, translators)
        due_briefings = await asyncio.to_thread(self._schedules.claim_due, chat_id) if briefings else []
        for due in due_briefings:
            try:
                reply = await self._make_briefing(due.chat_id, due.since)
            except BriefbotError as error:
                logger.info("no briefing for chat %s: %s", due.chat_id, error)
                continue
            if reply is not None:
                outgoing.append(Outgoing(due.chat_id, reply))
        return RoundResult(tuple(results), tuple(outgoing))

    def _announcements(self, results: list[PollResult], translators: dict[int, Translator]) -> list[Outgoing]:
        by_chat: dict[int, list[PollResult]] = {}
        for result in results:
            by_chat.setdefault(result.feed.chat_id, []).append(result)
        outgoing = []
        for chat_id, chat_results in by_chat.items():
            tr = translators.get(chat_id, ENGLISH)
            scheduled = self._schedules.schedule(chat_id).briefing_time is not None
            fresh = [(len(r.new_articles), r.feed.title) for r in chat_results if r.new_articles]
            if fresh and not scheduled:
                first_count, first_title = fresh[0]
                parts = [tr.ngettext("%(count)s new article from %(title)s", "%(count)s new articles from %(title)s",
                                     first_count, count=first_count, title=first_title)]
                parts += [tr.gettext("%(count)s from %(title)s", count=count, title=title)
                          for count, title in fresh[1:]]
                outgoing.append(Outgoing(chat_id, text_reply(", ".join(parts) + " — /brief")))
            for result in chat_results:
                if result.report:
                    reason = tr.render(result.reason if result.reason is not None else result.error or "")
                    outgoing.append(Outgoing(chat_id, text_reply(tr.gettext(
                        "I could not read the feed %(title)s several times in a row: %(reason)s I keep trying, "
                        "less often; /feeds shows it, /unfollow stops it.", title=result.feed.title, reason=reason),
                        error=True)))
        return outgoing
