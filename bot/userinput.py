"""What users type, read safely: whole numbers within bounds, and text quoted back as a short excerpt.

Numbers come from chat commands, /settings and the command line alike. The database holds
63-bit integers, so an id past that is refused here with a reply, never passed on to overflow.
"""

from __future__ import annotations

import re

from bot.errors import InputError

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


def parse_number(text: str, expected: str, *, hint: str = "", minimum: int = 1, maximum: int = MAX_ID) -> int:
    """A whole number (`#` allowed) from `minimum` to `maximum`, else InputError naming what was `expected`."""
    match = _DIGITS.fullmatch(text.strip())
    value = int(match.group(1)) if match else None
    if value is not None and minimum <= value <= maximum:
        return value
    message = f"'{excerpt(text.strip())}' is not {expected}"
    if value is not None and maximum < MAX_ID:
        message += f": use {minimum} to {maximum}"
    raise InputError(message + "." + (f" {hint}" if hint else ""))


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
    return parse_number(text, "an article number", hint="/list shows the numbers.")
