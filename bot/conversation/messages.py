"""What a message or a command's arguments say: links, questions, article numbers, summary and briefing options."""

from __future__ import annotations

import re

from bot.briefings import (
    MAX_BRIEF_ARTICLES,
    MAX_BRIEF_SENTENCES,
    LastN,
    Matching,
    Numbers,
    Recent,
    Selection,
    SinceLast,
)
from bot.errors import InputError
from bot.i18n import lazy
from bot.summaries.algorithms import algorithm_names
from bot.text.language import ALL_QUESTION_WORDS
from bot.userinput import excerpt, is_period, parse_article_number, parse_article_numbers, parse_number, parse_period

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


# -- briefings ---------------------------------------------------------------------------

BRIEF_USAGE = lazy("Use /brief (what is new), /brief 7d (a period: h, d or w), /brief 10 (the last ten), "
                   "/brief WORDS or /brief 3 5 8 (those articles); add a length like 6s.")
_LENGTH = re.compile(r"([0-9]{1,30})s", re.IGNORECASE)
_NUMBER_LIST = re.compile(r"#?[0-9]{1,30}(?:(?:\s*,\s*|\s+)#?[0-9]{1,30})*")


def parse_last_count(text: str) -> int:
    """How many of the newest articles to brief on."""
    return parse_number(text, lazy("a number of articles"), minimum=1, maximum=MAX_BRIEF_ARTICLES)


def parse_brief_length(text: str) -> int:
    return parse_number(text, lazy("a briefing length"), minimum=1, maximum=MAX_BRIEF_SENTENCES)


def parse_brief_args(args: str) -> tuple[Selection, int | None]:
    """`/brief [7d | N | WORDS | N N …] [6s | sentences 6]`: which articles, and how many sentences."""
    words = args.split()
    sentences = None
    rest: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        lowered = word.lower()
        if _LENGTH.fullmatch(lowered):
            sentences = parse_brief_length(lowered[:-1])
        elif lowered in {"sentences", "sentence"} and index + 1 < len(words):
            sentences = parse_brief_length(words[index + 1])
            index += 1
        elif lowered in {"sentences", "sentence"} and rest and _NUMBER_WORD.fullmatch(rest[-1]):
            sentences = parse_brief_length(rest.pop())
        else:
            rest.append(word)
        index += 1
    text = " ".join(rest)
    if not rest:
        return SinceLast(), sentences
    if any(is_period(word) for word in rest) or is_period(text):
        if not is_period(text):
            raise InputError(BRIEF_USAGE)
        return Recent(parse_period(text)), sentences
    if _NUMBER_LIST.fullmatch(text):
        if len(rest) == 1 and "," not in text and not text.startswith("#"):
            return LastN(parse_last_count(text)), sentences
        return Numbers(parse_article_numbers(text, most=MAX_BRIEF_ARTICLES)), sentences
    return Matching(text), sentences
