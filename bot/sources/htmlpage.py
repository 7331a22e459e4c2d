"""A web page's article: trafilatura's reading, cleaned, with readability as a second opinion.

The reading (`read_page`) runs trafilatura once, with metadata and links, and keeps what
the choice needs: the paragraphs (link markup stripped), which blocks are link-dense, how
much paragraph text the whole page has, and the page's declared type. `choose_text` then
cleans the paragraphs (bot/sources/cleaning.py) and, only when the page holds far more
paragraph text than trafilatura kept, asks readability-lxml and keeps its text if it is
much longer: trafilatura sometimes stops at an inline ad and loses most of a story.
The benchmark (bench/extraction.py) runs exactly these two steps, so the rules it chooses by
cross-validation are the ones Briefbot uses.
"""

from __future__ import annotations

import html as html_module
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.sources.cleaning import CleaningRules, clean_paragraphs, link_dense_texts, words

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                           "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
                           "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "review"})
NON_ARTICLE_TYPES = frozenset({"website", "searchresultspage", "collectionpage", "profilepage", "itemlist",
                               "product", "store", "organization", "contactpage", "checkoutpage", "profile"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class TextChoice:
    """How the text is chosen from a reading (defaults chosen by cross-validation, see docs/benchmarks.md)."""

    rules: CleaningRules = field(default_factory=CleaningRules)
    fallback_ratio: float | None = 2.0  # ask readability when the page's <p> text is this many times ours
    fallback_gain: float = 1.8  # and take its text when it is this many times longer


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself; empty strings when it does not say."""

    title: str = ""
    site_name: str = ""
    author: str = ""
    date: str = ""  # ISO 8601 date, as the page gives it


@dataclass(frozen=True)
class PageReading:
    """trafilatura's reading of one page, and the page facts the text choice needs."""

    html: str
    url: str | None
    paragraphs: tuple[str, ...]
    link_blocks: tuple[tuple[str, int], ...]  # (block text, characters inside links)
    page_paragraph_chars: int
    page_link_share: float  # share of the body's text inside <a>
    declared_types: frozenset[str]  # og:type and JSON-LD @type, lower-case
    metadata: Metadata
    has_password_field: bool = False


def read_page(html: str, *, url: str | None = None) -> PageReading:
    """Run trafilatura once and measure the page."""
    import trafilatura
    from lxml import etree
    from trafilatura.xml import xmltotxt

    page_chars, link_share, types, password = 0, 0.0, frozenset[str](), False
    tree = None
    try:
        tree = trafilatura.load_html(html)
    except (etree.ParserError, ValueError):  # an empty or unparsable page: nothing to measure
        logger.debug("lxml could not parse the page", exc_info=True)
    if tree is not None:
        # Measured before trafilatura runs: it prunes the same tree in place (one parse, not two).
        page_chars = sum(len(p.text_content().strip()) for p in tree.iter("p"))
        types = _declared_types(tree)
        if not types & ARTICLE_TYPES:  # only the not-an-article rule needs it, and only for these pages
            link_share = _link_share(tree)
        password = any((field.get("type") or "").lower() == "password" for field in tree.iter("input"))
    found = page_metadata(tree, url) if tree is not None else None
    # No url: the links' targets are not kept, and resolving each against the page costs 2 ms a page.
    document = trafilatura.bare_extraction(tree if tree is not None else html, include_comments=False,
                                           include_tables=False, include_links=True)
    paragraphs: tuple[str, ...] = ()
    blocks: list[tuple[str, int]] = []
    if document is not None and document.body is not None:
        for element in document.body.iter("p", "item", "head", "quote", "cell"):
            text = " ".join("".join(element.itertext()).split())
            linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in element.iter("ref"))
            blocks.append((text, linked))
        etree.strip_tags(document.body, "ref")  # links as plain text, as without include_links
        paragraphs = tuple(line.strip() for line in (xmltotxt(document.body, False) or "").splitlines()
                           if line.strip())
    title = (getattr(found, "title", None) or "").strip()
    if not title:
        match = _TITLE.search(html)
        title = html_module.unescape(re.sub(r"\s+", " ", match.group(1))).strip() if match else ""
    site_name = (getattr(found, "sitename", None) or "").strip()
    for separator in (" | ", " - ", " – ", " — ", " :: "):
        if site_name and title.endswith(separator + site_name):
            title = title[: -len(separator + site_name)].strip()  # "Headline | The Herald": the site is kept apart
    metadata = Metadata(
        title=title[:300],
        site_name=site_name[:200],
        author=(getattr(found, "author", None) or "").strip()[:200],
        date=(getattr(found, "date", None) or "").strip()[:40],
    )
    return PageReading(html=html, url=url, paragraphs=paragraphs, link_blocks=tuple(blocks),
                       page_paragraph_chars=page_chars, page_link_share=link_share, declared_types=types,
                       metadata=metadata, has_password_field=password)


def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's title, site name, author and date of a parsed page (a trafilatura Document).

    The same steps as trafilatura's `extract_metadata` without its categories, tags and
    licence, which Briefbot does not keep and which cost a third of the extraction time
    (bench/extraction.py); the byline search runs only when the meta tags and JSON-LD name no author.
    """
    from htmldate import find_date
    from trafilatura import metadata as meta
    from trafilatura.settings import set_date_params

    found = meta.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a bare handle, as trafilatura drops it
    try:
        found = meta.extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reader the same way
        logger.debug("JSON-LD metadata unreadable", exc_info=True)
    found.title = found.title or meta.extract_title(tree)
    found.author = found.author or meta.extract_author(tree)
    found.url = found.url or meta.extract_url(tree, url)
    found.date = find_date(tree, **{**set_date_params(True), "url": found.url})
    found.sitename = found.sitename or meta.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (match := meta.META_URL.match(found.url)):
        found.sitename = match[1]
    found.clean_and_trim()
    return found


def choose_text(reading: PageReading, choice: TextChoice | None = None, *,
                second_opinion: Callable[[str], list[str]] | None = None) -> list[str]:
    """The article's paragraphs: trafilatura's, cleaned, or readability's when trafilatura lost most of it."""
    choice = choice or TextChoice()
    second_opinion = second_opinion or readability_paragraphs
    rules = choice.rules
    paragraphs = list(reading.paragraphs)
    title = reading.metadata.title
    if paragraphs and title and paragraphs[0].lower() == title.lower():
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the text
    dense = link_dense_texts(reading.link_blocks, density=rules.link_density) if rules.links else frozenset()
    kept = clean_paragraphs(paragraphs, title=title, url=reading.url, link_dense=dense, rules=rules)
    length = sum(len(paragraph) for paragraph in kept)
    if choice.fallback_ratio is not None and reading.page_paragraph_chars > choice.fallback_ratio * length:
        second = second_opinion(reading.html)
        if sum(len(paragraph) for paragraph in second) > choice.fallback_gain * length:
            kept = clean_paragraphs(second, title=title, url=reading.url, link_dense=dense, rules=rules)
    return kept


def readability_paragraphs(html: str) -> list[str]:
    """readability-lxml's main content, one line per paragraph, heading or list item."""
    import lxml.html
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
        tree = lxml.html.fromstring(summary)
    except Exception:  # readability raises its own and lxml's errors on broken pages
        logger.debug("readability failed", exc_info=True)
        return []
    lines = (" ".join(element.text_content().split())
             for element in tree.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"))
    return [line for line in lines if line]


def looks_like_article(reading: PageReading, paragraphs: list[str]) -> bool:
    """False for a home page, a search result or a login wall (the rule is measured in docs/benchmarks.md)."""
    long_paragraphs = sum(len(words(paragraph)) >= 25 for paragraph in paragraphs)
    if reading.has_password_field and long_paragraphs < 2:
        return False  # a login or sign-up wall in front of the text
    if reading.declared_types & ARTICLE_TYPES:
        return True  # the page says it is an article; short ones (a photo post, results) are still articles
    if reading.declared_types & NON_ARTICLE_TYPES and long_paragraphs < 3:
        return False
    # Home pages and result lists are mostly links; articles on the dev pages stay under a third.
    return not (reading.page_link_share > 0.5 and long_paragraphs < 3)


def _link_share(tree: Any) -> float:
    body = tree.find(".//body")
    root = body if body is not None else tree
    total = len(root.text_content())
    if not total:
        return 0.0
    return min(sum(len(anchor.text_content()) for anchor in root.iter("a")) / total, 1.0)


def _declared_types(tree: object) -> frozenset[str]:
    types: set[str] = set()
    for meta in tree.iter("meta"):  # type: ignore[attr-defined]
        if (meta.get("property") or meta.get("name") or "").lower() == "og:type":
            types.add((meta.get("content") or "").strip().lower())
    for script in tree.iter("script"):  # type: ignore[attr-defined]
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        types.update(_ld_types(data))
    return frozenset(kind for kind in types if kind)


def _ld_types(data: object, depth: int = 0) -> set[str]:
    """@type values of a JSON-LD object, its @graph and lists, not of nested properties."""
    if depth > 3:
        return set()
    if isinstance(data, list):
        return {kind for item in data for kind in _ld_types(item, depth + 1)}
    if not isinstance(data, dict):
        return set()
    found: set[str] = set()
    kind = data.get("@type")
    for value in kind if isinstance(kind, list) else [kind]:
        if isinstance(value, str):
            found.add(value.lower().split("/")[-1])
    if "@graph" in data:
        found |= _ld_types(data["@graph"], depth + 1)
    return found
