"""Replies as Telegram messages: HTML parts of at most 4096 characters and inline keyboards.

Telegram counts a message's length in UTF-16 code units of the text left after the HTML
is parsed (tags removed, entities decoded). Replies are split between blocks when they can
be, else at a line, sentence or word boundary inside a block; each part is rendered on its
own, so a split never falls inside a tag or an entity. Buttons go under the last part.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.conversation.actions import encode_action
from bot.conversation.replies import Block, Reply, Span

MESSAGE_LIMIT = 4096  # Telegram's limit for a message text
CAPTION_LIMIT = 1024  # ... and for a document caption
BLOCK_SEPARATOR = "\n\n"
QUOTE_LINE_SEPARATOR = "\n"  # consecutive quote blocks share one <blockquote>, a line each

_TAGS = {"bold": "b", "mark": "b", "italic": "i", "code": "code"}
# Where a too-long block may be cut, best first: a blank line, a line end, a sentence end, a space.
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…;])[\"'”»)\]]*\s+"), re.compile(r"\s+"))


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Part:
    """One message: its HTML and the length Telegram will count."""

    html: str
    length: int
    keyboard: InlineKeyboardMarkup | None = None

    @property
    def plain(self) -> str:
        """The text Telegram shows (for tests and logs)."""
        return html.unescape(re.sub(r"<[^>]*>", "", self.html))


def render_span(span: Span) -> str:
    text = html.escape(span.text, quote=False)
    if span.style == "link":
        if not span.url:
            return text
        return f'<a href="{html.escape(span.url, quote=True)}">{text}</a>'
    tag = _TAGS.get(span.style)
    return f"<{tag}>{text}</{tag}>" if tag and span.text else text


def render_spans(spans: Iterable[Span]) -> str:
    return "".join(render_span(span) for span in spans)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=encode_action(button.action)) for button in row]
         for row in reply.buttons]
    )


def render(reply: Reply, *, limit: int = MESSAGE_LIMIT) -> list[Part]:
    """A reply as one or more messages, each within `limit`; the keyboard is on the last."""
    pieces: list[Block] = []
    for block in reply.blocks:
        if not block.plain.strip():
            continue
        pieces.extend(split_block(block, limit))
    parts: list[Part] = []
    current: list[Block] = []
    current_length = 0
    for piece in pieces:
        added = utf16_len(piece.plain) + (_separator_length(current[-1], piece) if current else 0)
        if current and current_length + added > limit:
            parts.append(_part(current))
            current, current_length = [], 0
            added = utf16_len(piece.plain)
        current.append(piece)
        current_length += added
    if current:
        parts.append(_part(current))
    if not parts:
        parts.append(Part("…", 1))
    markup = keyboard(reply)
    if markup is not None:
        last = parts[-1]
        parts[-1] = Part(last.html, last.length, markup)
    return parts


def _separator(previous: Block, block: Block) -> str:
    return QUOTE_LINE_SEPARATOR if previous.kind == block.kind == "quote" else BLOCK_SEPARATOR


def _separator_length(previous: Block, block: Block) -> int:
    return len(_separator(previous, block))


def _part(blocks: Sequence[Block]) -> Part:
    out: list[str] = []
    length = 0
    quote: list[str] = []

    def close_quote() -> None:
        if quote:
            out.append("<blockquote>" + QUOTE_LINE_SEPARATOR.join(quote) + "</blockquote>")
            quote.clear()

    for index, block in enumerate(blocks):
        if index:
            separator = _separator(blocks[index - 1], block)
            length += len(separator)
            if separator == BLOCK_SEPARATOR:
                close_quote()
                out.append(separator)
        length += utf16_len(block.plain)
        if block.kind == "quote":
            quote.append(render_spans(block.spans))
        else:
            out.append(render_spans(block.spans))
    close_quote()
    return Part("".join(out), length)


def split_block(block: Block, limit: int) -> list[Block]:
    """A block cut into pieces that each fit in `limit`, at the best boundary available."""
    text = block.plain
    if utf16_len(text) <= limit:
        return [block]
    pieces: list[Block] = []
    offset = 0
    while utf16_len(text[offset:]) > limit:
        cut, resume = _cut_point(text, offset, limit, _protected(block))
        pieces.append(_slice(block, offset, cut))
        offset = resume
    if text[offset:].strip():
        pieces.append(_slice(block, offset, len(text)))
    return [piece for piece in pieces if piece.plain.strip()]


def _protected(block: Block) -> list[tuple[int, int]]:
    """Character ranges of links, which are better not cut in two."""
    ranges, start = [], 0
    for span in block.spans:
        end = start + len(span.text)
        if span.style == "link" and span.url:
            ranges.append((start, end))
        start = end
    return ranges


def _fit(text: str, offset: int, limit: int) -> int:
    """The largest end such that text[offset:end] is at most `limit` UTF-16 units."""
    units = 0
    for index in range(offset, len(text)):
        units += 2 if ord(text[index]) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _cut_point(text: str, offset: int, limit: int, protected: list[tuple[int, int]]) -> tuple[int, int]:
    """(end of this piece, start of the next) for the piece starting at `offset`."""
    end = _fit(text, offset, limit)
    window = text[offset:end]
    # A boundary in the first fifth would leave a tiny piece: accept it only as a last resort.
    floor = len(window) // 5
    for pattern in _BREAKS:
        for match in reversed(list(pattern.finditer(window))):
            cut, resume = offset + match.start(), offset + match.end()
            if match.start() <= floor:
                break
            if not any(start < cut < stop for start, stop in protected):
                return cut, resume
    return end, end


def _slice(block: Block, start: int, end: int) -> Block:
    """The spans of `block` between two character offsets of its text."""
    spans: list[Span] = []
    position = 0
    for span in block.spans:
        span_start, span_end = position, position + len(span.text)
        position = span_end
        low, high = max(start, span_start), min(end, span_end)
        if low < high:
            spans.append(Span(span.text[low - span_start : high - span_start], span.style, span.url))
    return Block(tuple(spans), kind=block.kind)
