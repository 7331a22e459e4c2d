"""What a message or a command's arguments say: links, questions, article numbers, summary options."""

from __future__ import annotations

import re

from bot.errors import InputError
from bot.summaries.algorithms import algorithm_names
from bot.text.language import ALL_QUESTION_WORDS

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_TRAILING = ".,;:!?)]}»”'\""


def find_urls(text: str) -> list[str]:
    """Links in a message, trailing punctuation trimmed; `www.` links get https://."""
    urls = []
    for match in URL_RE.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if url.lower().startswith("www."):
            url = "https://" + url
        urls.append(url)
    return list(dict.fromkeys(urls))


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    first = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return first in ALL_QUESTION_WORDS


def parse_number(text: str) -> int:
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit():
        raise InputError(f"'{text}' is not an article number. /list shows the numbers.")
    return int(cleaned)


def parse_summary_args(args: str) -> tuple[int | None, int | None, str | None]:
    """`/summary [#N] [sentences] [algorithm]` in any order: numbers are N, then length."""
    number = sentences = None
    algorithm = None
    numbers = []
    for word in args.split():
        lowered = word.lower()
        if lowered.lstrip("#").isdigit():
            numbers.append(int(lowered.lstrip("#")))
        elif lowered in algorithm_names():
            algorithm = lowered
        else:
            raise InputError(
                f"I don't understand '{word}'. Use /summary [article] [sentences] [algorithm], "
                "for example /summary 2 5 lexrank."
            )
    if numbers:
        number = numbers[0]
    if len(numbers) > 1:
        sentences = numbers[1]
    return number, sentences, algorithm
