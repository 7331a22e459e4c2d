"""The briefing service: which of a chat's articles a briefing covers, and the briefing across them.

Knows nothing of Telegram or terminals; blocking (database, ranking), so async front ends call
it through `asyncio.to_thread`. The chat's `/brief`, the terminal, `briefbot brief` and the
scheduled briefing all come here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import InputError, NotFound
from bot.i18n import Text, lazy, lazy_plural
from bot.userinput import excerpt
from storage.records import ArticleInfo

if TYPE_CHECKING:  # the selection types stay cheap to import: the CLI validates its flags with them
    from bot.library import Library
    from bot.summaries.briefing import Briefer, BriefSentence

# Most articles one briefing covers: the newest are taken when a selection matches more.
MAX_BRIEF_ARTICLES = 20
MAX_BRIEF_SENTENCES = 40
# `/brief` with no earlier briefing covers this much.
DEFAULT_PERIOD = timedelta(hours=24)
# Candidate sentences asked of the answer index for `/brief WORDS`.
MATCH_CANDIDATES = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SinceLast:
    """The articles saved since the chat's last briefing (or in the last 24 hours)."""


@dataclass(frozen=True)
class Recent:
    """The articles saved in the last `period` (`/brief 7d`)."""

    period: timedelta


@dataclass(frozen=True)
class SinceTime:
    """The articles saved since `start` (a scheduler's own bookkeeping)."""

    start: datetime


@dataclass(frozen=True)
class LastN:
    """The newest `count` articles (`/brief 10`)."""

    count: int


@dataclass(frozen=True)
class Matching:
    """The articles that match `words`, by the same index as answers (`/brief drone deal`)."""

    words: str


@dataclass(frozen=True)
class Numbers:
    """These articles (`/brief 3 5 8`)."""

    numbers: tuple[int, ...]


Selection = SinceLast | Recent | SinceTime | LastN | Matching | Numbers


def _nothing(_info: ArticleInfo) -> int:
    return 0


@dataclass(frozen=True)
class MessageRoom:
    """Room for a briefing in one message, as its front end lays it out."""

    limit: int
    # The length of a text as the front end counts it (Telegram: UTF-16 code units).
    measure: Callable[[str], int] = len
    # What each sentence adds beside its text (its tag, a line break), and each article (its heading).
    per_sentence: int = 0
    per_article: Callable[[ArticleInfo], int] = _nothing


@dataclass(frozen=True)
class Briefing:
    """One briefing: the articles it covers (in briefing order) and its cited sentences."""

    selection: Selection
    articles: tuple[ArticleInfo, ...]
    sentences: tuple[BriefSentence, ...]
    # How many articles the selection matched (more than `articles` when it was capped).
    matched: int
    # Where a time-based selection started (UTC), else None.
    since: datetime | None = None

    def article(self, number: int) -> ArticleInfo:
        return next(info for info in self.articles if info.number == number)


class Briefings:
    """Briefings of one chat's library; built once in bot/services.py."""

    def __init__(self, library: Library, briefer: Briefer, *, clock: Callable[[], datetime] = utcnow,
                 max_articles: int = MAX_BRIEF_ARTICLES) -> None:
        self._library = library
        self._briefer = briefer
        self._clock = clock
        self._max_articles = max_articles

    def last_briefing(self, chat_id: int) -> datetime | None:
        return self._library.store.last_briefing(chat_id)

    def brief(
        self,
        chat_id: int,
        selection: Selection | None = None,
        sentences: int | None = None,
        *,
        room: MessageRoom | None = None,
        record: bool | None = None,
    ) -> Briefing:
        """The briefing of the selected articles in `sentences` sentences (default: by how many).

        `room`: fit the briefing into one message of the front end. `record` stores now as the
        chat's last briefing; by default a briefing of the newest articles (by time or count)
        records, one of chosen articles or words does not.
        """
        selection = selection or SinceLast()
        if sentences is not None and not 1 <= sentences <= MAX_BRIEF_SENTENCES:
            raise InputError(lazy("A briefing has 1 to %(most)s sentences.", most=MAX_BRIEF_SENTENCES))
        now = self._clock()
        store = self._library.store
        _latest, total = store.list_articles(chat_id, limit=1)
        if total == 0:
            raise NotFound(lazy("Your library is empty. Send me an article (text, a link or a file) first."))
        articles, matched, since = self._select(chat_id, selection, now)
        from bot.summaries.briefing import BriefSource

        library = self._library
        sources = [BriefSource(info.number, library.parsed(chat_id, library.article_by_id(chat_id, info.id)))
                   for info in articles]
        if room is None:
            chosen = self._briefer.brief(sources, sentences)
        else:
            budget = room.limit - sum(room.per_article(info) for info in articles)
            chosen = self._briefer.brief(sources, sentences, budget=budget if budget > 0 else None,
                                         cost=lambda text: room.measure(text) + room.per_sentence)
            if not chosen:  # not even one sentence fits beside the headings: the front end splits instead
                chosen = self._briefer.brief(sources, sentences)
        if record if record is not None else isinstance(selection, SinceLast | Recent | SinceTime | LastN):
            store.set_last_briefing(chat_id, now)
        return Briefing(selection, articles, chosen, matched, since)

    def _select(self, chat_id: int, selection: Selection, now: datetime,
                ) -> tuple[tuple[ArticleInfo, ...], int, datetime | None]:
        """(articles in number order, how many matched, start of the period)."""
        store = self._library.store
        limit = self._max_articles
        match selection:
            case SinceLast() | Recent() | SinceTime():
                start, nothing = self._period(chat_id, selection, now)
                newest, matched = store.articles_since(chat_id, start.astimezone(UTC), limit=limit)
                if not newest:
                    raise NotFound(nothing)
                return tuple(reversed(newest)), matched, start
            case LastN(count):
                newest, total = store.list_articles(chat_id, limit=min(count, limit))
                return tuple(reversed(newest)), min(count, total), None
            case Numbers(numbers):
                wanted = tuple(dict.fromkeys(numbers))
                if len(wanted) > limit:
                    raise InputError(lazy_plural("A briefing covers at most %(count)s article.",
                                                 "A briefing covers at most %(count)s articles.", limit, count=limit))
                # NotFound names a missing number.
                found = [self._library.article(chat_id, number).info for number in wanted]
                return tuple(sorted(found, key=lambda info: info.number)), len(found), None
            case Matching(words):
                return self._matching(chat_id, words, limit)
        raise InputError(lazy("I don't know which articles to brief you on."))  # pragma: no cover

    def _period(self, chat_id: int, selection: Selection, now: datetime) -> tuple[datetime, Text]:
        """Where the period starts, and what to say when nothing was saved in it."""
        match selection:
            case Recent(period):
                return now - period, lazy("Nothing was saved in the last %(period)s. "
                                          "Try /brief 7d, /brief 10 or /brief WORDS.",
                                          period=describe_period(period))
            case SinceTime(start):
                return start, lazy("Nothing was saved since %(time)s UTC.", time=start.strftime("%Y-%m-%d %H:%M"))
        last = self._library.store.last_briefing(chat_id)
        if last is None:
            return now - DEFAULT_PERIOD, lazy("Nothing was saved in the last %(period)s. "
                                              "Try /brief 7d, /brief 10 or /brief WORDS.",
                                              period=describe_period(DEFAULT_PERIOD, in_hours=True))
        return last, lazy("Nothing new since your last briefing (%(time)s UTC). "
                          "Try /brief 7d, /brief 10 or /brief WORDS.", time=last.strftime("%Y-%m-%d %H:%M"))

    def _matching(self, chat_id: int, words: str, limit: int) -> tuple[tuple[ArticleInfo, ...], int, None]:
        """The articles whose sentences answer `words` best (strong matches; weak ones if none)."""
        answer = self._library.ask(chat_id, words, top=MATCH_CANDIDATES)
        if not answer.keywords:
            raise InputError(lazy("Those words give me nothing to search for. Try /brief drone deal."))
        strong = [s for s in answer.sentences if not s.weak] or list(answer.sentences)
        ids = list(dict.fromkeys(s.article_id for s in strong))
        if not ids:
            raise NotFound(lazy("No article matches '%(words)s'. /list shows what there is.",
                                words=excerpt(" ".join(answer.keywords))))
        infos = [self._library.article_by_id(chat_id, article_id).info for article_id in ids[:limit]]
        return tuple(sorted(infos, key=lambda info: info.number)), len(ids), None


def describe_period(period: timedelta, *, in_hours: bool = False) -> Text:
    """`7 days`, `12 hours` (`in_hours`: `24 hours`), translated where it is shown."""
    hours = int(period.total_seconds() // 3600)
    if hours % 24 == 0 and not in_hours:
        days = hours // 24
        return lazy_plural("%(count)s day", "%(count)s days", days, count=days)
    return lazy_plural("%(count)s hour", "%(count)s hours", hours, count=hours)
