"""Turning pasted text into an article: title, paragraphs and sentences with their offsets."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import EmptyInput, NotAnArticle, TooLarge
from bot.i18n import lazy, lazy_plural
from bot.text.language import LanguageProfile, Languages, words_of
from bot.text.tokenizer import OfflineTokenizer, PunktModels

if TYPE_CHECKING:  # Sumy's document model loads when a summary is made (`ask` never makes one)
    from sumy.models.dom import ObjectDocumentModel

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_WHITESPACE = re.compile(r"\s+")
# A line that ends like this continues into the next line (soft wrap); any other
# line ending closes a block (a heading, a caption, a list item).
_CONTINUES = re.compile(r"[\w,;:\-–—(\"'“‘«]\s*$")
# A line or text that ends a sentence (end punctuation, then closing quotes or brackets).
SENTENCE_END = re.compile(r"[.!?…:;][\"'»”’)\]]*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·▪◦]|\d{1,3}[.)])\s+")
# Control characters (but tab and newline), the replacement character, private-use code points.
_JUNK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
# Shorter text is a question or a note, not an article; a page with less has no article.
MIN_ARTICLE_CHARS = 200
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 25
MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class ParsedSentence:
    """One sentence (or heading line) of an article, with where it stands."""

    position: int
    paragraph: int
    start: int
    end: int
    text: str
    heading: bool = False


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    language: str
    sentences: tuple[ParsedSentence, ...]

    @property
    def content_sentences(self) -> tuple[ParsedSentence, ...]:
        return tuple(sentence for sentence in self.sentences if not sentence.heading)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """Hash of the text with case and whitespace normalised, to recognise the same article."""
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def clean_text(raw: str) -> str:
    """Normalise line ends and drop control characters; refuse binary junk."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput(lazy("There is no text to read. Send an article, a link or a file."))
    controls = len(_JUNK.findall(text))
    if controls > max(8, len(text) // 50):
        raise NotAnArticle(lazy("That looks like binary data, not text. Send an article as text, a link or a file."))
    return _JUNK.sub("", text) if controls else text


class ArticleParser:
    """Splits text into title and sentences in its language; built once, shared."""

    def __init__(self, languages: Languages, models: PunktModels, *, max_chars: int, min_sentences: int) -> None:
        self._languages = languages
        self._models = models
        self._max_chars = max_chars
        self._min_sentences = min_sentences

    def tokenizer(self, code: str) -> OfflineTokenizer:
        return OfflineTokenizer(code, self._languages.profile(code).name, self._models)

    def profile(self, code: str) -> LanguageProfile:
        return self._languages.profile(code)

    def parse(self, raw: str, *, title: str | None = None, language: str | None = None) -> ParsedArticle:
        """Parse an article; raise a user-facing error when it is not one."""
        if len(raw) > self._max_chars:
            raise TooLarge(lazy(
                "That text is too long (%(size)s characters); the limit is %(limit)s. "
                "Send a shorter piece or split it.", size=format(len(raw), ","),
                limit=format(self._max_chars, ",")))
        text = clean_text(raw)
        if title is None:
            title, text = split_title(text)
        else:
            text = text.strip()
        code = self._languages.normalize(language) or self._languages.detect(text)
        sentences = split_sentences(text, self.tokenizer(code))
        content = [sentence for sentence in sentences if not sentence.heading]
        if len(content) < self._min_sentences:
            if sentences and max(len(s.text) for s in sentences) > 1500:
                raise NotAnArticle(lazy(
                    "I could not find sentences in that text (no sentence punctuation). "
                    "Send prose with full stops."))
            raise NotAnArticle(lazy_plural(
                "That is too short for an article: it needs at least %(count)s sentence. "
                "Ask a question instead, or send a longer text.",
                "That is too short for an article: it needs at least %(count)s sentences. "
                "Ask a question instead, or send a longer text.", self._min_sentences, count=self._min_sentences))
        if not title:
            title = _title_from(content[0].text)
        return ParsedArticle(title=title, text=text, language=code, sentences=tuple(sentences))


def split_title(text: str) -> tuple[str, str]:
    """A short first line followed by a blank line is the title; the rest is the text."""
    stripped = text.strip()
    match = _PARAGRAPH_BREAK.search(stripped)
    if match is None:
        return "", stripped
    first = stripped[: match.start()].strip()
    if (
        "\n" not in first
        and len(first) <= MAX_TITLE_CHARS
        and len(words_of(first)) <= MAX_TITLE_WORDS
        and not re.search(r"[.!?…]$", first)
    ):
        return _WHITESPACE.sub(" ", first), stripped[match.end() :].strip()
    return "", stripped


def _title_from(sentence: str, limit: int = 80) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Split a paragraph into blocks at line breaks that end a line of their own.

    Returns (start, end, closed_without_punctuation) for each block.
    """
    blocks: list[tuple[int, int, bool]] = []
    block_start = start
    cursor = start
    while True:
        newline = text.find("\n", cursor, end)
        if newline == -1:
            break
        line = text[cursor:newline]
        next_line_end = text.find("\n", newline + 1, end)
        next_line = text[newline + 1 : next_line_end if next_line_end != -1 else end]
        ends_sentence = bool(SENTENCE_END.search(line))
        soft_wrap = bool(_CONTINUES.search(line)) and not _LIST_ITEM.match(next_line)
        if line.strip() and (not soft_wrap or (ends_sentence and _LIST_ITEM.match(next_line))):
            blocks.append((block_start, newline, not ends_sentence))
            block_start = newline + 1
        elif line.strip() and not ends_sentence and next_line[:1].isupper() and len(words_of(line)) <= 12:
            # A short unpunctuated line followed by a capitalised one: a heading or caption.
            blocks.append((block_start, newline, True))
            block_start = newline + 1
        cursor = newline + 1
    tail_closed = not SENTENCE_END.search(text[block_start:end])
    blocks.append((block_start, end, tail_closed))
    return [block for block in blocks if text[block[0] : block[1]].strip()]


def split_sentences(text: str, tokenizer: OfflineTokenizer) -> list[ParsedSentence]:
    """Sentences of `text` in order, each cut from the text at its offsets."""
    sentences: list[ParsedSentence] = []
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    paragraph_ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    for paragraph, (p_start, p_end) in enumerate(zip(paragraph_starts, paragraph_ends, strict=True)):
        for b_start, b_end, unpunctuated in _blocks(text, p_start, p_end):
            block = text[b_start:b_end]
            spans = tokenizer.sentence_spans(block)
            for s_start, s_end in spans:
                raw = block[s_start:s_end]
                clean = _WHITESPACE.sub(" ", raw).strip()
                if not clean or (not words_of(clean) and not any(ch.isdigit() for ch in clean)):
                    continue
                heading = (
                    unpunctuated
                    and len(spans) == 1
                    and len(words_of(clean)) <= MAX_HEADING_WORDS
                )
                sentences.append(
                    ParsedSentence(
                        position=len(sentences),
                        paragraph=paragraph,
                        start=b_start + s_start,
                        end=b_start + s_end,
                        text=clean,
                        heading=heading,
                    )
                )
    return sentences


def to_sumy_document(
    article: ParsedArticle, tokenizer: OfflineTokenizer
) -> tuple[ObjectDocumentModel, dict[int, ParsedSentence]]:
    """Sumy's document model of the article, and a map from each Sentence object to ours."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    by_object: dict[int, ParsedSentence] = {}
    paragraphs: list[Paragraph] = []
    current: list[Sentence] = []
    current_paragraph = None
    for parsed in article.sentences:
        if parsed.paragraph != current_paragraph and current:
            paragraphs.append(Paragraph(current))
            current = []
        current_paragraph = parsed.paragraph
        sentence = Sentence(parsed.text, tokenizer, is_heading=parsed.heading)
        by_object[id(sentence)] = parsed
        current.append(sentence)
    if current:
        paragraphs.append(Paragraph(current))
    return ObjectDocumentModel(paragraphs), by_object
