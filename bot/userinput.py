"""What users type, read safely: whole numbers within bounds, and text quoted back as a short excerpt.

Numbers come from chat commands, /settings and the command line alike. The database holds
63-bit integers, so an id past that is refused here with a reply, never passed on to overflow.
"""

from __future__ import annotations

import re

from bot.errors import InputError
from bot.i18n import Text, lazy

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


def parse_article_number(text: str) -> int:
    """An article number as a user types it (`2`, `#2`)."""
    return parse_number(text, lazy("an article number"), hint=lazy("/list shows the numbers."))
