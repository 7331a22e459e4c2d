"""The briefing service on a real library (SQLite file and PostgreSQL): selections, last briefing, errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.briefings import (
    Briefings,
    LastN,
    Matching,
    MessageRoom,
    Numbers,
    Recent,
    SinceLast,
    SinceTime,
)
from bot.errors import InputError, NotFound
from bot.services import Services
from bot.summaries.briefing import Briefer
from handlers.render import MESSAGE_LIMIT, render
from storage.models import Article
from tests.helpers import data_file, make_services

CHAT = 7
OTHER = 8
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FILES = ("briefing/en-ferry-wire.txt", "briefing/en-ferry-local.txt", "articles/en-bakery-prices.txt")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def add(services: Services, chat_id: int, name: str, saved: datetime) -> int:
    """Save a test article as if it had arrived at `saved`; returns its number."""
    ingested = services.library.ingest_text(chat_id, data_file(name).read_text("utf-8"))
    with services.store.engine.begin() as connection:
        connection.execute(update(Article).where(Article.id == ingested.article.id).values(created_at=saved))
    return ingested.article.number


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def briefings(services: Services, clock: Clock) -> Iterator[Briefings]:
    yield Briefings(services.library, Briefer(services.parser), clock=clock, max_articles=5)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Services]:
    """Services on a SQLite file only, for what does not depend on the database."""
    built = make_services(tmp_path)
    yield built
    built.close()


@pytest.fixture
def local_briefings(local: Services, clock: Clock) -> Briefings:
    return Briefings(local.library, Briefer(local.parser), clock=clock, max_articles=5)


def numbers(briefing) -> list[int]:  # type: ignore[no-untyped-def]
    return [info.number for info in briefing.articles]


def test_since_the_last_briefing_then_nothing_new_then_what_arrived(services: Services, briefings: Briefings,
                                                                     clock: Clock) -> None:
    add(services, CHAT, FILES[2], START - timedelta(days=3))  # #1: too old for the first briefing
    add(services, CHAT, FILES[0], START - timedelta(hours=5))
    add(services, CHAT, FILES[1], START - timedelta(hours=1))
    add(services, OTHER, "articles/en-rail-fares.txt", START - timedelta(hours=1))  # another chat's
    assert briefings.last_briefing(CHAT) is None
    first = briefings.brief(CHAT)
    assert numbers(first) == [2, 3]
    assert first.since == START - timedelta(hours=24)
    assert {s.article for s in first.sentences} == {2, 3}
    assert briefings.last_briefing(CHAT) == START
    clock.now = START + timedelta(hours=2)
    with pytest.raises(NotFound, match="Nothing new since your last briefing"):
        briefings.brief(CHAT, SinceLast())
    clock.now = START + timedelta(hours=3)
    add(services, CHAT, "articles/en-tennis-final.txt", START + timedelta(hours=2, minutes=30))
    assert numbers(briefings.brief(CHAT)) == [4]
    assert briefings.last_briefing(CHAT) == START + timedelta(hours=3)
    assert briefings.last_briefing(OTHER) is None


def test_period_last_numbers_and_words(services: Services, briefings: Briefings, clock: Clock) -> None:
    for days, name in zip((9, 3, 2, 1), (*FILES, "articles/en-tennis-final.txt"), strict=True):
        add(services, CHAT, name, START - timedelta(days=days))
    assert numbers(briefings.brief(CHAT, Recent(timedelta(days=7)))) == [2, 3, 4]
    assert numbers(briefings.brief(CHAT, Recent(timedelta(days=30)))) == [1, 2, 3, 4]
    assert numbers(briefings.brief(CHAT, SinceTime(START - timedelta(days=2, hours=1)))) == [3, 4]
    assert numbers(briefings.brief(CHAT, LastN(2))) == [3, 4]
    assert numbers(briefings.brief(CHAT, Numbers((4, 1)))) == [1, 4]
    ferry = briefings.brief(CHAT, Matching("ferry passengers aground"))
    assert numbers(ferry) == [1, 2]
    assert all(s.article in (1, 2) for s in ferry.sentences)
    with pytest.raises(NotFound, match="Nothing was saved in the last 12 hours"):
        briefings.brief(CHAT, Recent(timedelta(hours=12)))


def test_only_briefings_of_the_newest_articles_move_the_last_briefing(local: Services, local_briefings: Briefings,
                                                                       clock: Clock) -> None:
    services, briefings = local, local_briefings
    add(services, CHAT, FILES[0], START - timedelta(hours=1))
    add(services, CHAT, FILES[2], START - timedelta(hours=1))
    briefings.brief(CHAT, Numbers((1,)))
    briefings.brief(CHAT, Matching("bread"))
    assert briefings.last_briefing(CHAT) is None
    briefings.brief(CHAT, LastN(1))
    assert briefings.last_briefing(CHAT) == START
    clock.now = START + timedelta(hours=1)
    briefings.brief(CHAT, Numbers((2,)), record=True)
    assert briefings.last_briefing(CHAT) == START + timedelta(hours=1)


def test_a_selection_larger_than_the_cap_takes_the_newest(local: Services, local_briefings: Briefings) -> None:
    services, briefings = local, local_briefings
    names = [f"articles/{name}.txt" for name in ("en-rail-fares", "en-tennis-final", "en-wind-port",
                                                   "en-hospital-waits", "en-museum-statues", "en-flood-defences")]
    for index, name in enumerate(names):
        add(services, CHAT, name, START - timedelta(hours=10 - index))
    briefing = briefings.brief(CHAT)
    assert numbers(briefing) == [2, 3, 4, 5, 6] and briefing.matched == 6
    assert {s.article for s in briefing.sentences} == set(numbers(briefing))


BAD_SELECTIONS = [  # (selection, sentences, error, what the reply says)
    (Numbers((1, 9)), None, NotFound, "There is no article #9"),
    (Matching("zeppelin"), None, NotFound, "No article matches 'zeppelin'"),
    (Matching("the of and"), None, InputError, "nothing to search for"),
    (LastN(1), 41, InputError, "1 to 40 sentences"),
    (Numbers((1, 2, 3, 4, 5, 6)), None, InputError, "at most 5 articles"),
]


def test_bad_selections_are_refused_clearly(local: Services, local_briefings: Briefings) -> None:
    with pytest.raises(NotFound, match="library is empty"):
        local_briefings.brief(CHAT)
    add(local, CHAT, FILES[2], START)
    for selection, sentences, error, message in BAD_SELECTIONS:
        with pytest.raises(error, match=message):
            local_briefings.brief(CHAT, selection, sentences)
    assert local_briefings.last_briefing(CHAT) is None


def test_a_room_keeps_the_briefing_in_one_message(local: Services, local_briefings: Briefings) -> None:
    services, briefings = local, local_briefings
    for name in FILES:
        add(services, CHAT, name, START)
    room = MessageRoom(limit=700, per_sentence=10, per_article=lambda info: len(info.title) + 5)
    briefing = briefings.brief(CHAT, LastN(3), room=room)
    spent = sum(len(s.text) + 10 for s in briefing.sentences) + sum(len(i.title) + 5 for i in briefing.articles)
    assert spent <= 700
    assert len(briefing.sentences) < len(briefings.brief(CHAT, LastN(3)).sentences)


async def test_brief_command_fits_one_telegram_message_for_eighteen_articles(local: Services) -> None:
    services = local
    for path in sorted(data_file("articles").glob("*.txt")):
        services.library.ingest_text(CHAT, path.read_text("utf-8"))
    [reply] = await services.conversation.handle_command(CHAT, "brief", "")
    assert not reply.error
    parts = render(reply)
    assert len(parts) == 1 and parts[0].length <= MESSAGE_LIMIT
    assert "Briefing: 18 articles since" in reply.plain
    for number in range(1, 19):
        assert f" #{number}" in parts[0].plain
    # A length asked for is kept, and the reply is split cleanly between sentences.
    [long] = await services.conversation.handle_command(CHAT, "brief", "10 40s")
    parts = render(long)
    quoted = [b for b in long.blocks if b.kind == "quote"]
    assert len(quoted) == 40 and len(parts) >= 2
    assert all(part.length <= MESSAGE_LIMIT for part in parts)
    for block in quoted:  # no sentence was cut in two
        assert any(block.plain in part.plain for part in parts)


def test_a_room_too_small_for_any_sentence_still_gives_a_briefing(local: Services, local_briefings: Briefings) -> None:
    add(local, CHAT, FILES[0], START)
    room = MessageRoom(limit=60, per_article=lambda info: len(info.title))
    briefing = local_briefings.brief(CHAT, LastN(1), room=room)
    assert len(briefing.sentences) == len(local_briefings.brief(CHAT, LastN(1)).sentences) >= 1
