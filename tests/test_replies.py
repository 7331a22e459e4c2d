from __future__ import annotations

import pytest

from bot.conversation.actions import Summarize
from bot.conversation.replies import Block, Button, Reply, Span, marked_spans, text_reply

TEXT = "The red fox jumps high"


def as_pairs(spans: tuple[Span, ...]) -> list[tuple[str, str]]:
    return [(span.text, span.style) for span in spans]


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ((), [(TEXT, "")]),
        (((4, 7),), [("The ", ""), ("red", "mark"), (" fox jumps high", "")]),
        (((0, 3),), [("The", "mark"), (" red fox jumps high", "")]),
        (((18, 22),), [("The red fox jumps ", ""), ("high", "mark")]),
        (((0, 22),), [(TEXT, "mark")]),
        (((4, 7), (8, 11)), [("The ", ""), ("red", "mark"), (" ", ""), ("fox", "mark"), (" jumps high", "")]),
        # Adjacent marks: no empty plain span between them.
        (((4, 7), (7, 11)), [("The ", ""), ("red", "mark"), (" fox", "mark"), (" jumps high", "")]),
        # Unsorted marks come out in text order.
        (((8, 11), (0, 3)), [("The", "mark"), (" red ", ""), ("fox", "mark"), (" jumps high", "")]),
        # An overlapping mark that starts inside an earlier one is dropped, never duplicating text.
        (((4, 11), (8, 11)), [("The ", ""), ("red fox", "mark"), (" jumps high", "")]),
        (((8, 11), (4, 11)), [("The ", ""), ("red fox", "mark"), (" jumps high", "")]),
    ],
)
def test_marked_spans_split_the_text(marks: tuple[tuple[int, int], ...], expected: list[tuple[str, str]]) -> None:
    spans = marked_spans(TEXT, marks)
    assert as_pairs(spans) == expected
    assert "".join(span.text for span in spans) == TEXT


def test_marked_spans_of_empty_text_is_empty() -> None:
    assert marked_spans("", ()) == ()


@pytest.mark.parametrize(
    "marks",
    [((4, 7),), ((8, 11), (0, 3)), ((4, 11), (8, 11), (0, 2)), ((0, 22),), ((5, 6), (6, 9), (9, 10))],
)
def test_marked_spans_never_lose_or_repeat_text(marks: tuple[tuple[int, int], ...]) -> None:
    spans = marked_spans(TEXT, marks)
    assert "".join(span.text for span in spans) == TEXT
    assert all(span.text for span in spans)


def test_block_plain_joins_its_spans() -> None:
    block = Block((Span("Saved as "), Span("#3", "bold"), Span(": "), Span("Fox news", "link", url="https://x.test")))
    assert block.plain == "Saved as #3: Fox news"
    assert block.kind == "p"


def test_reply_plain_separates_paragraphs_by_blank_lines() -> None:
    reply = Reply(
        (
            Block((Span("First"),)),
            Block((Span("quoted "), Span("words", "mark")), kind="quote"),
            Block((Span("Last"),)),
        ),
        buttons=((Button("Shorter", Summarize(1, 2)), Button("Longer", Summarize(1, 4))),),
    )
    assert reply.plain == "First\n\nquoted words\n\nLast"
    assert [button.label for row in reply.buttons for button in row] == ["Shorter", "Longer"]


def test_empty_reply_is_empty_text() -> None:
    assert Reply(()).plain == ""


@pytest.mark.parametrize(
    ("paragraphs", "plain"),
    [
        (("Hello",), "Hello"),
        (("One", "Two", "Three"), "One\n\nTwo\n\nThree"),
        ((), ""),
    ],
)
def test_text_reply_makes_one_plain_block_per_paragraph(paragraphs: tuple[str, ...], plain: str) -> None:
    reply = text_reply(*paragraphs)
    assert reply.plain == plain
    assert len(reply.blocks) == len(paragraphs)
    assert all(span.style == "" for block in reply.blocks for span in block.spans)
    assert not reply.error and reply.buttons == () and reply.files == ()


def test_text_reply_can_be_an_error() -> None:
    reply = text_reply("No such article.", error=True)
    assert reply.error and reply.plain == "No such article."
