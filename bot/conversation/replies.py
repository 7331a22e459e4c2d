"""Replies as plain data: blocks of text with emphasis, and buttons. Front ends render them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.conversation.actions import Action
from bot.i18n import lazy

# The reply to a failure that is Briefbot's own (a bug, an outage), whatever the front end.
APOLOGY = lazy("Sorry, something went wrong on my side. Please try again.")

Style = Literal["", "bold", "italic", "mark", "code", "link"]


@dataclass(frozen=True)
class Span:
    text: str
    style: Style = ""
    url: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph of the reply. `quote` blocks hold text taken from an article."""

    spans: tuple[Span, ...]
    kind: Literal["p", "quote"] = "p"

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Button:
    label: str
    # What pressing it does; front ends encode it (Telegram: callback data, at most 64 bytes).
    action: Action


@dataclass(frozen=True)
class Reply:
    blocks: tuple[Block, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    error: bool = False
    # The article this reply is about, if any (front ends remember it for replies).
    article_number: int | None = None
    # Files to send with the reply: (file name, content).
    files: tuple[tuple[str, bytes], ...] = field(default=())

    @property
    def plain(self) -> str:
        return "\n\n".join(block.plain for block in self.blocks)


def text_reply(*paragraphs: str, error: bool = False) -> Reply:
    return Reply(tuple(Block((Span(p),)) for p in paragraphs), error=error)


def marked_spans(text: str, marks: tuple[tuple[int, int], ...]) -> tuple[Span, ...]:
    """Split `text` into plain and `mark` spans at the given (start, end) ranges."""
    spans: list[Span] = []
    cursor = 0
    for start, end in sorted(marks):
        if start < cursor:
            continue
        if start > cursor:
            spans.append(Span(text[cursor:start]))
        spans.append(Span(text[start:end], "mark"))
        cursor = end
    if cursor < len(text):
        spans.append(Span(text[cursor:]))
    return tuple(spans)
