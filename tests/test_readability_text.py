"""readability's text, read faster: the same lines as readability-lxml's own Document gives."""

from __future__ import annotations

import pytest
from readability import Document

from bot.sources.readability_text import readability_paragraphs, summary_lines
from tests.helpers import data_file

SAVED_PAGES = sorted(path.name for path in data_file("pages").glob("*.html"))
STORY = " ".join(f"Sentence {n} of the story tells what the council decided about the river bridge." for n in range(12))
# What the faster reading leaves to readability's own cleaner, or skips: each must not change the text.
MADE_UP = {
    "javascript links and handlers": (
        f'<html><body><div id="content"><p onclick="track()">{STORY}</p>'
        f'<p><a href="javascript:void(0)" onmouseover="x()">A link to nowhere</a> {STORY}</p></div>'
        '<div class="sidebar"><a href="/a">Most read</a></div></body></html>'),
    "hidden and undisplayed": (
        f'<html><body><article><p>{STORY}</p><p hidden>Hidden paragraph text.</p>'
        '<p style="display: none">Undisplayed paragraph text.</p>'
        f'<p style="color: red">{STORY}</p></article></body></html>'),
    "base, styles, comments and scripts": (
        '<html><head><base href="https://example.org/news/"><link rel="stylesheet" href="s.css">'
        '<style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>'
        f'<body><!-- a comment --><div class="post-body"><p>{STORY}</p><p><a href="next.html">Next</a></p>'
        '<iframe src=" https://www.youtube.com/embed/x "></iframe></div></body></html>'),
    "a page without a story": "<html><body><ul><li><a href='/'>Home</a></li></ul></body></html>",
}


def stock_lines(html: str) -> list[str]:
    try:
        return summary_lines(Document(html).summary(html_partial=True))
    except Exception:  # as readability_paragraphs: a page readability cannot read gives no lines
        return []


@pytest.mark.parametrize("name", SAVED_PAGES)
def test_a_saved_page_reads_as_readability_reads_it(name: str) -> None:
    html = data_file(f"pages/{name}").read_text("utf-8")
    lines = readability_paragraphs(html)
    assert lines == stock_lines(html)
    if name not in {"home-page.html", "telegram-post.html"}:  # a list of links; a post's few lines
        assert lines, "the saved articles all have a story for readability to find"


@pytest.mark.parametrize("name", sorted(MADE_UP))
def test_a_made_up_page_reads_as_readability_reads_it(name: str) -> None:
    assert readability_paragraphs(MADE_UP[name]) == stock_lines(MADE_UP[name])


def test_the_story_is_read_and_what_is_hidden_is_not() -> None:
    lines = readability_paragraphs(MADE_UP["hidden and undisplayed"])
    assert sum(STORY in line for line in lines) == 2
    assert not any("Hidden" in line or "Undisplayed" in line for line in lines)


def test_text_in_a_javascript_link_stays() -> None:
    lines = readability_paragraphs(MADE_UP["javascript links and handlers"])
    assert any(line.startswith("A link to nowhere") for line in lines)


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "not html at all", "\x00\x01"])
def test_nothing_to_read_gives_no_lines(html: str) -> None:
    assert readability_paragraphs(html) == stock_lines(html) == []


def test_a_quote_of_paragraphs_and_a_list_item_holding_a_paragraph_give_each_text_once() -> None:
    """A poem's stanzas in one <blockquote> were read twice, whole and stanza by stanza; each is a line once now,
    and text beside a nested paragraph is a line of its own."""
    summary = ("<div><p>Neruda wrote of time:</p><blockquote><p>Listen and learn.</p><p>Time is two rivers.</p>"
               "</blockquote><ul><li>Before <p>inside <b>bold</b></p> after<!-- a note --></li><li>Plain item</li></ul>"
               "<blockquote>A quote of one line</blockquote></div>")
    assert summary_lines(summary) == ["Neruda wrote of time:", "Listen and learn.", "Time is two rivers.", "Before",
                                      "inside bold", "after", "Plain item", "A quote of one line"]


def test_a_saved_poem_in_a_quote_is_read_once() -> None:
    """Through readability itself: a post quoting a poem in a <blockquote> of stanzas has each stanza once."""
    stanzas = [f"Stanza {number}: the river runs backward and forward, and we stand where the two meet, "
               "listening to the water." for number in range(4)]
    html = ("<html><body><article><h1>On time</h1><p>" + STORY + "</p><blockquote>"
            + "".join(f"<p>{stanza}</p>" for stanza in stanzas) + "</blockquote><p>" + STORY + "</p></article>"
            "<div class='sidebar'><a href='/a'>Most read</a></div></body></html>")
    lines = readability_paragraphs(html)
    assert [line for line in lines if line.startswith("Stanza")] == stanzas
    assert not any(stanzas[0] in line and stanzas[1] in line for line in lines)
