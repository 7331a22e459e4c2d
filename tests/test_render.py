"""Replies rendered as Telegram HTML, split into messages Telegram accepts."""

from __future__ import annotations

import pytest

from bot.conversation.actions import Summarize
from bot.conversation.replies import Block, Button, Reply, Span, text_reply
from handlers.render import MESSAGE_LIMIT, Part, render, split_block, utf16_len
from support.fakebotapi import parse_html
from tests.helpers import data_file


def check_parts(parts: list[Part], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Each part parses as Telegram's HTML and fits; returns the texts Telegram would show."""
    texts = []
    for part in parts:
        text, _entities = parse_html(part.html)
        assert utf16_len(text) <= limit, utf16_len(text)
        assert text.strip()
        texts.append(text)
    return texts


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (Span("a < b & c > d"), "a &lt; b &amp; c &gt; d"),
        (Span("<b>not bold</b>", "bold"), "<b>&lt;b&gt;not bold&lt;/b&gt;</b>"),
        (Span("word", "mark"), "<b>word</b>"),
        (Span("said", "italic"), "<i>said</i>"),
        (Span("x = 1", "code"), "<code>x = 1</code>"),
        (Span("source", "link", 'https://e.com/?a=1&b="2"'), '<a href="https://e.com/?a=1&amp;b=&quot;2&quot;">source</a>'),
        (Span("no url", "link"), "no url"),
    ],
)
def test_spans_are_escaped_and_tagged(span: Span, expected: str) -> None:
    [part] = render(Reply((Block((span,)),)))
    assert part.html == expected
    check_parts([part])


def test_consecutive_quotes_share_a_blockquote() -> None:
    reply = Reply((Block((Span("Title"),)), Block((Span("• one"),), "quote"), Block((Span("• two"),), "quote"),
                   Block((Span("note"),))))
    [part] = render(reply)
    assert part.html == "Title\n\n<blockquote>• one\n• two</blockquote>\n\nnote"
    [text] = check_parts([part])
    assert part.length == utf16_len(text)


def test_buttons_go_on_the_last_part_only() -> None:
    paragraphs = tuple(f"Paragraph {i}. " + "word " * 300 for i in range(10))
    reply = Reply(text_reply(*paragraphs).blocks, buttons=((Button("➕ Longer", Summarize(1, 4)),),))
    parts = render(reply)
    assert len(parts) > 1
    assert all(part.keyboard is None for part in parts[:-1])
    assert parts[-1].keyboard is not None
    assert parts[-1].keyboard.inline_keyboard[0][0].callback_data == "s:1:4:"


def test_long_article_quote_splits_at_sentence_ends() -> None:
    text = data_file("long-article.txt").read_text("utf-8")[:30_000].replace("\n", " ")
    parts = render(Reply((Block((Span(text),), "quote"),)))
    shown = check_parts(parts)
    assert len(parts) >= 8
    for piece in shown[:-1]:
        assert piece.rstrip()[-1] in '.!?…"”»)', piece[-40:]
    assert "".join(shown).replace(" ", "") == text.strip().replace(" ", "")


def test_astral_characters_count_twice() -> None:
    # 🙂 is two UTF-16 units: 3000 of them (6000 units) must not fit one message.
    parts = render(text_reply("🙂" * 3000))
    assert len(parts) == 2
    check_parts(parts)
    assert sum(utf16_len(p.plain) for p in parts) == 6000


def test_escaping_counts_as_one_character() -> None:
    # 4096 "&" become 4096 "&amp;" in HTML, but Telegram counts the parsed text: one message.
    parts = render(text_reply("&" * 4096))
    assert len(parts) == 1
    assert check_parts(parts) == ["&" * 4096]


def test_a_split_never_cuts_a_tag_or_a_link() -> None:
    spans = []
    for i in range(400):
        spans += [Span(f"Sentence {i} mentions "), Span("Israel", "mark"), Span(" and a "),
                  Span("link", "link", f"https://example.com/{i}?q=a&b"), Span(". ")]
    parts = render(Reply((Block(tuple(spans)),)))
    assert len(parts) > 1
    check_parts(parts)
    for part in parts:
        assert part.html.count("<a href") == part.html.count("</a>")
        assert part.html.count("<b>") == part.html.count("</b>")
        assert "https://example.com/" not in part.plain  # hrefs stay inside tags


def test_a_text_without_spaces_is_cut_hard() -> None:
    pieces = split_block(Block((Span("x" * 10_000),)), MESSAGE_LIMIT)
    assert [len(piece.plain) for piece in pieces] == [4096, 4096, 1808]


def test_styles_survive_a_split_inside_a_span() -> None:
    block = Block((Span("Bold sentence one. " * 400, "bold"),))
    parts = render(Reply((block,)))
    assert len(parts) == 2
    assert all(part.html.startswith("<b>") and part.html.endswith("</b>") for part in parts)


def test_empty_reply_still_renders_something_sendable() -> None:
    parts = render(Reply(()))
    assert check_parts(parts) == ["…"]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<b>open", "can't find end tag"),
        ("<p>no</p>", "unsupported start tag"),
        ("a < b", "unescaped"),
        ("&nbsp;", "unsupported HTML entity"),
        ("<b><i>x</b></i>", "unmatched end tag"),
        ("<blockquote><blockquote>x</blockquote></blockquote>", "can't be nested"),
    ],
)
def test_the_fake_rejects_html_telegram_rejects(source: str, error: str) -> None:
    from support.fakebotapi import APIError

    with pytest.raises(APIError, match=error):
        parse_html(source)


def test_the_fake_parses_entities_in_utf16_units() -> None:
    text, entities = parse_html('🙂 <b>bold</b> &amp; <a href="https://e.com/?a=1&amp;b=2">link</a>')
    assert text == "🙂 bold & link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 4},
        {"type": "text_link", "url": "https://e.com/?a=1&b=2", "offset": 10, "length": 4},
    ]
