"""The byline search: trafilatura's XPaths as Selectors select the same elements, and find the same author."""

from __future__ import annotations

from copy import deepcopy

import pytest
from lxml import etree

from bot.sources.byline import Selector, byline
from bot.sources.htmlpage import parse_html
from tests.helpers import data_file

SAVED_PAGES = sorted(path.name for path in data_file("pages").glob("*.html"))
# An element for each condition of trafilatura's byline XPaths, and near misses.
MADE_UP = "".join([
    *(f'<div class="{value}" id="{value}"><span>x</span></div>' for value in (
        "comments", "Comments-box", "my-comments", "commentlist", "comment-list", "sidebar", "article-support",
        "authorName", "author-name", "AuthorName", "xiaobian", "posted-by", "Author", "byline", "Byline",
        "screenname", "title", "date", "plain", "", "comments\n")),
    '<a rel="author">Jane Doe</a><span itemprop="author name">Jane Doe</span><p itemprop="the-author">J</p>',
    '<div data-component="Figure">f</div><span data-component="ArticleByline">Jane</span>',
    '<strong data-testid="AuthorCard">Jane Doe</strong><author>Jane</author><h3 class="byl">By Jane</h3>',
    '<section class="print-only">p</section><time>today</time><figure>f</figure>',
])


def trafilaturas() -> list[object]:
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    return [*AUTHOR_DISCARD_XPATHS, *AUTHOR_XPATHS]


def pages() -> list[object]:
    trees = [parse_html(data_file(f"pages/{name}").read_text("utf-8")) for name in SAVED_PAGES]
    return [*trees, parse_html(f"<html><body>{MADE_UP}</body></html>")]


def test_each_of_trafilaturas_byline_xpaths_is_a_selector() -> None:
    assert all(Selector.parse(xpath) is not None for xpath in trafilaturas())


@pytest.mark.parametrize("index", range(len(trafilaturas())))
def test_a_selector_selects_what_its_xpath_selects(index: int) -> None:
    xpath = trafilaturas()[index]
    selector = Selector.parse(xpath)
    assert selector is not None
    trees = pages()
    for tree in trees:
        assert selector(tree) == xpath(tree)
    assert selector(trees[-1])  # the made-up page has something for each
    assert selector(trees[-1][0]) == xpath(trees[-1][0])  # from an element inside the page: the XPath runs


def test_a_page_with_a_child_text_to_compare_runs_the_xpath() -> None:
    from trafilatura.xpaths import AUTHOR_XPATHS

    tree = parse_html("<html><body><div><rel>me</rel>Jane</div><p>text</p></body></html>")
    selector = Selector.parse(AUTHOR_XPATHS[0])
    assert selector is not None
    assert selector(tree) == AUTHOR_XPATHS[0](tree) != []


@pytest.mark.parametrize("path", ["//*[1]", "//*[@a='b' and @c='d']", "//div/p", "//*[starts-with(@class, 'x')]",
                                  "//*[re:test(@class, '(a)\\1')]", "//*[re:test(@class, '(?i)a')]",
                                  "//*[not(@class='x')]", "//*[@class='x']/..", "//*[@class='x' or @id]"])
def test_other_xpaths_are_left_to_libxml2(path: str) -> None:
    assert Selector.parse(etree.XPath(path, namespaces={"re": "http://exslt.org/regular-expressions"})) is None


def test_the_byline_is_trafilaturas_extract_author() -> None:
    from trafilatura.metadata import extract_author

    found = []
    for tree in pages():
        found.append(extract_author(tree))
        assert byline(deepcopy(tree)) == found[-1]
    assert any(found)
