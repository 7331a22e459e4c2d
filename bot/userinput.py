"""What users type, read safely: whole numbers, lists and periods within bounds, and text quoted back short.

Numbers come from chat commands, /settings and the command line alike. The database holds
63-bit integers, so an id past that is refused here with a reply, never passed on to overflow.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.errors import InputError
from bot.i18n import Text, lazy, lazy_plural

MAX_ID = 2**63 - 1
EXCERPT_CHARS = 60
_DIGITS = re.compile(r"#?([0-9]{1,30})")  # ASCII digits only: "²".isdigit() is True, int("²") fails


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` on one line, cut to at most `limit` characters with an ellipsis when it was longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 1)]
    if " " in cut[len(cut) // 2 :]:  # end on a whole word when one ends in the second half
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def parse_number(text: str, expected: Text, *, hint: Text | None = None, minimum: int = 1,
                 maximum: int = MAX_ID) -> int:
    """A whole number (`#` allowed) from `minimum` to `maximum`, else InputError naming what was `expected`."""
    match = _DIGITS.fullmatch(text.strip())
    value = int(match.group(1)) if match else None
    if value is not None and minimum <= value <= maximum:
        return value
    quoted = excerpt(text.strip())
    if value is not None and maximum < MAX_ID:
        message = lazy("'%(text)s' is not %(expected)s: use %(minimum)s to %(maximum)s.", text=quoted,
                       expected=expected, minimum=minimum, maximum=maximum)
    else:
        message = lazy("'%(text)s' is not %(expected)s.", text=quoted, expected=expected)
    raise InputError(lazy("%(message)s %(hint)s", message=message, hint=hint) if hint else message)


def parse_chat_id(text: str) -> int:
    """A Telegram chat id: a whole number, negative for groups and channels, within 63 bits."""
    stripped = text.strip()
    negative = stripped.startswith("-")
    try:
        value = parse_number(stripped[1:] if negative else stripped, "a chat id", minimum=0)
    except InputError:
        raise InputError(f"'{excerpt(stripped)}' is not a chat id: use a whole number, "
                         "negative for a group (for example -1001234567890).") from None
    return -value if negative else value


def parse_article_number(text: str) -> int:
    """An article number as a user types it (`2`, `#2`)."""
    return parse_number(text, lazy("an article number"), hint=lazy("/list shows the numbers."))


_PERIOD = re.compile(r"([0-9]{1,30})\s*(h|hours?|d|days?|w|weeks?)", re.IGNORECASE)
_HOURS_PER_UNIT = {"h": 1, "d": 24, "w": 24 * 7}
MAX_PERIOD_HOURS = 366 * 24


def is_period(text: str) -> bool:
    return _PERIOD.fullmatch(text.strip()) is not None


def parse_period(text: str, *, max_hours: int = MAX_PERIOD_HOURS) -> timedelta:
    """`12h`, `7d`, `2w` (or `7 days`) as a period of at most `max_hours`."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise InputError(lazy("'%(text)s' is not a period: use hours, days or weeks, for example 12h, 7d or 2w.",
                              text=excerpt(text)))
    unit = _HOURS_PER_UNIT[match.group(2)[0].lower()]
    count = parse_number(match.group(1), lazy("a period"), minimum=1, maximum=max(max_hours // unit, 1))
    return timedelta(hours=count * unit)


def parse_article_numbers(text: str, *, most: int) -> tuple[int, ...]:
    """`3,5,8` or `3 5 8` (`#` allowed) as distinct article numbers, at most `most` of them."""
    parts = [part for part in re.split(r"[\s,]+", text.strip()) if part]
    if not parts:
        raise InputError(lazy("Name the articles, for example 3,5,8. /list shows the numbers."))
    numbers = tuple(dict.fromkeys(parse_article_number(part) for part in parts))
    if len(numbers) > most:
        raise InputError(lazy_plural("That is %(count)s articles; name at most %(most)s.",
                                     "That is %(count)s articles; name at most %(most)s.", len(numbers),
                                     count=len(numbers), most=most))
    return numbers
