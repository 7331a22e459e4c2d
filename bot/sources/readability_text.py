"""readability-lxml's main content as text lines: Briefbot's second opinion on a page.

readability-lxml parses the page again (lxml.html's element class lookup, in Python) and cleans it
with a Cleaner that also rewrites every link and strips JavaScript from every attribute and style,
which is work for HTML that will be shown, not for text. `readability_paragraphs` runs the same
algorithm on the same tree with the lookup in C and without the JavaScript pass: the same lines,
in about 73 % of the time (docs/benchmarks.md); tests/test_readability_text.py compares the two.
"""

from __future__ import annotations

import logging
from copy import copy
from functools import cache
from typing import Any

logger = logging.getLogger(__name__)

_LINE_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")


def readability_paragraphs(html: str) -> list[str]:
    """readability-lxml's main content, one line per paragraph, heading or list item."""
    try:
        summary = _text_document_class()(html).summary(html_partial=True)
    except Exception:  # readability raises its own and lxml's errors on broken pages
        logger.debug("readability failed", exc_info=True)
        return []
    return summary_lines(summary)


def summary_lines(summary: str) -> list[str]:
    """The lines of a readability summary (its HTML): paragraphs, headings, list items, quotes, code.

    Each text once: a quote or list item that holds paragraphs gives its paragraphs as lines, and
    its own text around them as lines of their own (a poem in a <blockquote> of stanzas was read
    twice, whole and stanza by stanza, and the doubled text made readability's reading look longer).
    """
    import lxml.html

    try:
        tree = lxml.html.fromstring(summary)
    except Exception:  # an empty or unparsable summary
        logger.debug("readability's summary unreadable", exc_info=True)
        return []
    lines: list[str] = []
    for element in tree.iter(*_LINE_TAGS):
        if not any(ancestor.tag in _LINE_TAGS for ancestor in element.iterancestors()):
            lines.extend(_line_texts(element))
    return [line for line in lines if line]


def _line_texts(element: Any) -> list[str]:
    """An element's text, split where a line element inside it starts and ends, white space collapsed."""
    parts: list[list[str]] = [[]]

    def walk(node: Any) -> None:
        if node.text and isinstance(node.tag, str):  # a comment's text is not the page's
            parts[-1].append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag in _LINE_TAGS:
                parts.append([])
                walk(child)
                parts.append([])
            else:
                walk(child)
            if child.tail:
                parts[-1].append(child.tail)

    walk(element)
    return [" ".join("".join(part).split()) for part in parts]


@cache
def _text_document_class() -> type:
    """readability's Document, parsing and cleaning the page as it does, less what only HTML output needs.

    Built on first use: readability and lxml load only when a page asks for a second opinion.
    """
    import lxml.html
    from lxml import etree
    from readability import Document
    from readability.cleaners import html_cleaner
    from readability.readability import REGEXES

    parser = lxml.html.HTMLParser(encoding="utf-8")  # readability.htmls.utf8_parser's options
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity))
    # readability's own cleaner but for `javascript`: that pass empties javascript: links and drops
    # on* attributes, neither of which is text or an attribute readability scores (class and id).
    cleaner = copy(html_cleaner)
    cleaner.javascript = False

    class TextDocument(Document):  # type: ignore[misc]
        """A Document whose page is parsed and cleaned for its text (readability's `_parse`, see above)."""

        def _parse(self, input: Any) -> Any:
            doc = lxml.html.document_fromstring(input.encode("utf-8", "replace"), parser=parser)
            self.encoding = None
            for element in doc.xpath("//*[@hidden]"):
                element.drop_tree()
            for element in doc.xpath("//*[@style]"):
                if REGEXES["displayNoneRe"].search(element.get("style")):
                    element.drop_tree()
            doc = cleaner.clean_html(doc)
            doc.resolve_base_href(handle_failures=self.handle_failures)  # readability's step for a page without url
            return doc

    return TextDocument

