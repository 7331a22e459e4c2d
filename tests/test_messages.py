"""What /brief's arguments say: a table of input -> selection and length, or the reply to a bad one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.briefings import LastN, Matching, Numbers, Recent, SinceLast
from bot.conversation.messages import BRIEF_USAGE, parse_brief_args
from bot.errors import InputError


@pytest.mark.parametrize(
    ("args", "selection", "sentences"),
    [
        ("", SinceLast(), None),
        ("  ", SinceLast(), None),
        ("6s", SinceLast(), 6),
        ("sentences 6", SinceLast(), 6),
        ("7d", Recent(timedelta(days=7)), None),
        ("12h 5s", Recent(timedelta(hours=12)), 5),
        ("7 days", Recent(timedelta(days=7)), None),
        ("2W", Recent(timedelta(weeks=2)), None),
        ("10", LastN(10), None),
        ("10 4s", LastN(10), 4),
        ("10 sentences 4", LastN(10), 4),
        ("4s 10", LastN(10), 4),
        ("#5", Numbers((5,)), None),
        ("3 5 8", Numbers((3, 5, 8)), None),
        ("3,5,8 6s", Numbers((3, 5, 8)), 6),
        ("3, 5, 8", Numbers((3, 5, 8)), None),
        ("8 3 8", Numbers((8, 3)), None),
        ("drone deal", Matching("drone deal"), None),
        ("covid 19", Matching("covid 19"), None),
        ("Israel Ukraine 3s", Matching("Israel Ukraine"), 3),
        ("G7 summit", Matching("G7 summit"), None),
    ],
)
def test_brief_arguments(args: str, selection: object, sentences: int | None) -> None:
    assert parse_brief_args(args) == (selection, sentences)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("0", "'0' is not a number of articles: use 1 to 20."),
        ("21", "'21' is not a number of articles: use 1 to 20."),
        ("99999999999999999999999", "is not a number of articles: use 1 to 20."),
        ("0s", "'0' is not a briefing length: use 1 to 40."),
        ("41s", "'41' is not a briefing length: use 1 to 40."),
        ("sentences many", "'many' is not a briefing length"),
        ("0d", "'0' is not a period: use 1 to 366."),
        ("400d", "use 1 to 366"),
        ("7d drone", BRIEF_USAGE),
        ("7d 3", BRIEF_USAGE),
        (" ".join(str(n) for n in range(1, 23)), "That is 22 articles; name at most 20."),
        ("3 0", "'0' is not an article number"),
    ],
)
def test_bad_brief_arguments_get_a_short_clear_reply(args: str, message: object) -> None:
    with pytest.raises(InputError) as raised:
        parse_brief_args(args)
    assert str(message) in str(raised.value)
    assert len(str(raised.value)) < 220
