"""Button actions as typed values, encoded to and decoded from Telegram's callback data in one place.

Callback data is at most 64 bytes and comes back from the client as it likes: anything that
does not decode to a well-formed action (unknown kind, wrong arity, not a number, a number
past the 63 bits the database holds) is None, which front ends treat as a stale button.
The wire format (`s:ID:N:ALG`, `a:ID:N`, `d:ID`, `l:PAGE`, `o:ID`, `forget`, `noop`) is
kept as it was, so buttons sent by earlier versions keep working; `g:CODE` chooses a language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.i18n import LANGUAGES, lazy
from bot.summaries.algorithms import ALGORITHMS

MAX_CALLBACK_BYTES = 64
STALE_BUTTON = lazy("That button is no longer available.")
MAX_ID = 2**63 - 1
_NUMBER = re.compile(r"[0-9]{1,19}")


@dataclass(frozen=True)
class Summarize:
    """Summarize an article with this many sentences (and this algorithm; "" is the default)."""

    article_id: int
    sentences: int
    algorithm: str = ""


@dataclass(frozen=True)
class ChooseAlgorithm:
    article_id: int
    sentences: int


@dataclass(frozen=True)
class DeleteArticle:
    article_id: int


@dataclass(frozen=True)
class ListPage:
    page: int


@dataclass(frozen=True)
class OpenArticle:
    article_id: int


@dataclass(frozen=True)
class ForgetLibrary:
    """Confirmed: delete the chat's whole library."""


@dataclass(frozen=True)
class KeepLibrary:
    """Not confirmed: nothing is deleted."""


@dataclass(frozen=True)
class SetLanguage:
    """Speak this language in the chat ("" : follow each user's Telegram language again)."""

    code: str


Action = (Summarize | ChooseAlgorithm | DeleteArticle | ListPage | OpenArticle | ForgetLibrary | KeepLibrary
          | SetLanguage)


def encode_action(action: Action) -> str:
    match action:
        case Summarize(article_id, sentences, algorithm):
            data = f"s:{article_id}:{sentences}:{algorithm}"
        case ChooseAlgorithm(article_id, sentences):
            data = f"a:{article_id}:{sentences}"
        case DeleteArticle(article_id):
            data = f"d:{article_id}"
        case ListPage(page):
            data = f"l:{page}"
        case OpenArticle(article_id):
            data = f"o:{article_id}"
        case ForgetLibrary():
            data = "forget"
        case KeepLibrary():
            data = "noop"
        case SetLanguage(code):
            data = f"g:{code}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:  # pragma: no cover - ids are bounded
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def _number(text: str) -> int | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def decode_action(data: str) -> Action | None:
    """The action in callback data, or None for anything this version did not make."""
    if not data or len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        return None
    if data == "forget":
        return ForgetLibrary()
    if data == "noop":
        return KeepLibrary()
    kind, _, rest = data.partition(":")
    if kind == "g":
        return SetLanguage(rest) if rest in ("", *LANGUAGES) else None
    parts = rest.split(":")
    if kind == "s" and len(parts) == 3:
        article_id, sentences = _number(parts[0]), _number(parts[1])
        if article_id is None or sentences is None or parts[2] not in ("", *ALGORITHMS):
            return None
        return Summarize(article_id, sentences, parts[2])
    numbers = [_number(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if kind == "a" and len(values) == 2:
        return ChooseAlgorithm(values[0], values[1])
    if kind == "d" and len(values) == 1:
        return DeleteArticle(values[0])
    if kind == "l" and len(values) == 1:
        return ListPage(values[0])
    if kind == "o" and len(values) == 1:
        return OpenArticle(values[0])
    return None
