"""What a message or a command's arguments say: links, questions, article numbers, summary options."""

from __future__ import annotations

import re

from bot.errors import InputError
from bot.i18n import lazy
from bot.summaries.algorithms import algorithm_names
from bot.text.language import ALL_QUESTION_WORDS
from bot.userinput import excerpt, parse_article_number, parse_number

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_TRAILING = ".,;:!?)]}»”'\""
_NUMBER_WORD = re.compile(r"#?[0-9]+")


def find_urls(text: str) -> list[str]:
    """Links in a message, trailing punctuation trimmed; `www.` links get https://."""
    urls = []
    for match in URL_RE.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if url.lower().startswith("www."):
            url = "https://" + url
        urls.append(url)
    return list(dict.fromkeys(urls))


# Links Briefbot will not read: any `scheme://…` but http(s), and the schemes that need no slashes.
OTHER_LINK_RE = re.compile(
    r"(?i)(?<![\w+.-])(?:(?!https?://)[a-z][a-z0-9+.-]*://\S|"
    r"(?:javascript|vbscript|data|file|blob|about|mailto|tel|news|magnet):\S)"
)


def find_other_links(text: str) -> bool:
    """True when the text holds a link that is not http(s) (javascript:, file:, data:, ftp:// ...)."""
    return OTHER_LINK_RE.search(text) is not None


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    first = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return first in ALL_QUESTION_WORDS


MAX_SUMMARY_SENTENCES = 50


def parse_summary_args(args: str) -> tuple[int | None, int | None, str | None]:
    """`/summary [#N] [sentences] [algorithm]` in any order: numbers are N, then length."""
    number = sentences = None
    algorithm = None
    numbers = []
    for word in args.split():
        lowered = word.lower()
        if _NUMBER_WORD.fullmatch(lowered):
            numbers.append(word)
        elif lowered in algorithm_names():
            algorithm = lowered
        else:
            raise InputError(lazy(
                "I don't understand '%(word)s'. Use /summary [article] [sentences] [algorithm], "
                "for example /summary 2 5 lexrank.", word=excerpt(word)))
    if numbers:
        number = parse_article_number(numbers[0])
    if len(numbers) > 1:
        sentences = parse_number(numbers[1], lazy("a summary length"), minimum=1, maximum=MAX_SUMMARY_SENTENCES)
    return number, sentences, algorithm
