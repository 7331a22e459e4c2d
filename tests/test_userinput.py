"""Numbers read from what users type, bounded; user text quoted back as a short excerpt."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.errors import InputError
from bot.userinput import (
    MAX_ID,
    excerpt,
    is_period,
    parse_article_number,
    parse_article_numbers,
    parse_chat_id,
    parse_number,
    parse_period,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2", 2), ("#2", 2), (" 7 ", 7), (str(MAX_ID), MAX_ID)],
)
def test_article_numbers(text: str, expected: int) -> None:
    assert parse_article_number(text) == expected


@pytest.mark.parametrize(
    "text", ["x", "", "0", "-1", "1.5", "²", "٣", str(MAX_ID + 1), "99999999999999999999999", "9" * 5000],
)
def test_what_is_not_an_article_number_is_refused_with_a_short_reply(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_article_number(text)
    message = str(raised.value)
    assert "is not an article number. /list shows the numbers." in message
    assert len(message) < 120


@pytest.mark.parametrize(("text", "expected"), [("7", 7), ("-1001234567890", -1001234567890), ("0", 0),
                                               (str(-MAX_ID), -MAX_ID)])
def test_chat_ids(text: str, expected: int) -> None:
    assert parse_chat_id(text) == expected


@pytest.mark.parametrize("text", ["x", "", "-", "--5", "1.5", str(MAX_ID + 1), "-" + str(MAX_ID + 1), "9" * 5000])
def test_what_is_not_a_chat_id_is_refused_with_a_short_reply(text: str) -> None:
    with pytest.raises(InputError, match="is not a chat id: use a whole number") as raised:
        parse_chat_id(text)
    assert len(str(raised.value)) < 160


def test_counts_say_their_bounds() -> None:
    assert parse_number("0", "a summary length", minimum=0, maximum=50) == 0
    with pytest.raises(InputError, match=r"'51' is not a summary length: use 0 to 50\."):
        parse_number("51", "a summary length", minimum=0, maximum=50)
    with pytest.raises(InputError, match="use 1 to 50"):
        parse_number("99999999999999999999999", "a summary length", maximum=50)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 60, "short"),
        ("a\n  b\tc", 60, "a b c"),
        ("word " * 100, 12, "word word…"),
        ("x" * 5000, 60, "x" * 59 + "…"),
    ],
)
def test_excerpt(text: str, limit: int, expected: str) -> None:
    assert excerpt(text, limit) == expected
    assert len(excerpt(text, limit)) <= limit



@pytest.mark.parametrize(
    ("text", "hours"),
    [("12h", 12), ("7d", 168), ("2w", 336), ("7 days", 168), ("1 hour", 1), ("3D", 72), ("366d", 366 * 24)],
)
def test_periods(text: str, hours: int) -> None:
    assert parse_period(text) == timedelta(hours=hours)
    assert is_period(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [("0d", "'0' is not a period: use 1 to 366"), ("367d", "use 1 to 366"), ("99999999999999999999999h", "use 1"),
     ("7y", "is not a period: use hours, days or weeks"), ("soon", "is not a period"), ("-2d", "is not a period")],
)
def test_bad_periods_say_how_to_write_one(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_period(text)
    assert not is_period(text) or text[0].isdigit()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3,5,8", (3, 5, 8)), ("3 5 8", (3, 5, 8)), ("#3, #5", (3, 5)), ("5,5,3", (5, 3)), (" 1 ", (1,))],
)
def test_article_number_lists(text: str, expected: tuple[int, ...]) -> None:
    assert parse_article_numbers(text, most=3) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Name the articles"), ("1,x", "'x' is not an article number"), ("1,2,3,4", "name at most 3"),
     (f"1,{MAX_ID + 1}", "is not an article number")],
)
def test_bad_article_number_lists(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_article_numbers(text, most=3)
