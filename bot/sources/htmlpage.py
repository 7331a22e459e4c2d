"""A web page's article: trafilatura's reading, cleaned, with readability as a second opinion.

The reading (`read_page`) runs trafilatura once, with metadata, in its own `favor_precision`
mode (with its fallbacks and tables, as trafilatura has them by default; a paragraph that is one
link of a line's length is shown to it as text, as its balanced mode reads it), and keeps what the
choice needs: the paragraphs, how much paragraph text the whole page has, the page's declared
type and, only for the link-dense rule (off as shipped), which blocks are link-dense. `choose_text` then cleans the
paragraphs (bot/sources/cleaning.py) and, only when the page holds far more paragraph text than
trafilatura kept, asks readability-lxml and keeps its text if it is much longer (and far longer
when it is another part of the page than ours): trafilatura sometimes stops at an inline ad and
loses most of a story. The benchmark (bench/extraction.py) runs exactly these two steps on four
independent sets, three to choose the settings on and one to report on, so the settings it
chooses are the ones Briefbot uses.
"""

from __future__ import annotations

import html as html_module
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from bot.sources.cleaning import CleaningRules, clean_paragraphs, is_teaser_list, link_dense_texts, normal_form, words
from bot.sources.readability_text import readability_paragraphs

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                           "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
                           "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "review"})
NON_ARTICLE_TYPES = frozenset({"website", "searchresultspage", "collectionpage", "profilepage", "itemlist",
                               "product", "store", "organization", "contactpage", "checkoutpage", "profile"})
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
# Chinese and Japanese are written without spaces: `\w+` takes a whole clause for one word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LONG_PARAGRAPH_WORDS = 25
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})  # trafilatura's block elements
# A link's length in characters that trafilatura's precise reading drops a one-link block for, and its balanced one.
_LINK_LINE = (10, 100)


# The cleaning rules chosen on extraction-dev and kept only where readability-tests does not
# contradict them (docs/benchmarks.md): short boilerplate lines and date stamps; CleaningRules()
# alone still runs every rule.
SHIPPED_RULES = CleaningRules(max_boilerplate_words=30, links=False, title=False, urls=False)
FOCUSES = ("balanced", "precision", "recall")  # trafilatura's default, favor_precision, favor_recall


@dataclass(frozen=True)
class ReadingChoice:
    """How trafilatura reads the page (chosen across the dev sets, see docs/benchmarks.md)."""

    focus: str = "precision"  # one of FOCUSES
    tables: bool = True  # text inside <table>: some pages lay their story out in one
    fallbacks: bool = True  # trafilatura's own second opinions (its readability port, jusText); False is fast=True
    # In the precise reading, a paragraph that is one link of a line's length is read as text, as trafilatura's
    # balanced reading reads it: of favor_precision's steps, that one lost text on all three dev sets.
    linked_paragraphs: bool = True

    def __post_init__(self) -> None:
        if self.focus not in FOCUSES:
            raise ValueError(f"focus must be one of {', '.join(FOCUSES)}, not {self.focus!r}")


@dataclass(frozen=True)
class TextChoice:
    """How the text is chosen from a reading (defaults chosen across the dev sets, see docs/benchmarks.md)."""

    rules: CleaningRules = SHIPPED_RULES
    fallback_ratio: float | None = 2.0  # ask readability when the page's <p> text is this many times ours
    # and take its text when it is this many times longer: 1.3 is the bench's choice on readability-tests;
    # trafilatura-eval, unseen for it, gains too and extraction-dev is level (docs/benchmarks.md)
    fallback_gain: float = 1.3
    # Readability's text that holds less than half of ours is another part of the page, not our story at
    # full length: a cookie notice beside a paywalled teaser. It is taken only when it is this many times
    # longer, as when trafilatura kept a reprint notice and lost the story (docs/benchmarks.md).
    other_text_gain: float = 1.8


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
    declared_paywalled: bool = False  # JSON-LD says isAccessibleForFree: false (schema.org's paywall mark)
    # Its links' texts (normal_form), one a line with a space at each end, when page_link_share is over 0.5.
    link_text: str = ""


def read_page(html: str, *, url: str | None = None, choice: ReadingChoice | None = None,
              link_blocks: bool = False) -> PageReading:
    """Run trafilatura once and measure the page (the blocks' link text only if `link_blocks`: one rule reads it).

    With `link_blocks`, trafilatura keeps the links to measure them: a reading that costs 15 % more
    and splits some lines differently (docs/benchmarks.md), so only the rule that needs it asks.
    """
    from lxml import etree

    choice = choice or ReadingChoice()
    page_chars, link_share, types, password, paywalled = 0, 0.0, frozenset[str](), False, False
    link_text = ""
    tree = None
    try:
        tree = parse_html(html)
    except (etree.ParserError, ValueError):  # an empty or unparsable page: nothing to measure
        logger.debug("lxml could not parse the page", exc_info=True)
    if tree is not None:
        _drop_scripts(tree)
        # Measured before trafilatura runs: it prunes the same tree in place (one parse, not two).
        page_chars = sum(len(p.text_content().strip()) for p in tree.iter("p"))
        types, paywalled = _declarations(tree)
        if not types & ARTICLE_TYPES:  # only the not-an-article rule needs it, and only for these pages
            link_share, link_text = _links(tree)
        password = any((field.get("type") or "").lower() == "password" for field in tree.iter("input"))
    paragraphs, blocks = _read_body(tree if tree is not None else html, choice, link_blocks=link_blocks)
    # After the reading, which works on a copy of the tree: the metadata's byline search prunes the tree itself.
    found = page_metadata(tree, url) if tree is not None else None
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
    return PageReading(html=html, url=url, paragraphs=paragraphs, link_blocks=blocks,
                       page_paragraph_chars=page_chars, page_link_share=link_share, declared_types=types,
                       metadata=metadata, has_password_field=password, declared_paywalled=paywalled,
                       link_text=link_text)


def parse_html(html: str) -> Any:
    """The page's tree as trafilatura's `load_html` parses a string, but every element a plain HtmlElement.

    The same parser options and steps (trafilatura's own repairs; bytes when lxml refuses the
    string; None for a fragment that is not HTML), so the same tree. Only the element classes
    differ: lxml.html's parser looks up each element's class in Python (forms, inputs, labels,
    selects and text areas get classes of their own, which no step here uses), a call every time
    an element is touched; trafilatura touches each one many times over its copies of the tree.
    With lxml's default lookup, in C, trafilatura's reading of the same tree takes 8–18 % less time.
    """
    from lxml.html import fromstring
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    parser = _html_parser()
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree, as_bytes = None, False
    try:
        tree = fromstring(html, parser=parser)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, as_bytes = _parse_bytes(html, parser), True
    except Exception:  # as trafilatura: lxml's own errors leave no tree
        logger.debug("lxml could not parse the page", exc_info=True)
    if (tree is None or len(tree) < 1) and not as_bytes:
        tree = _parse_bytes(html, parser)
    if tree is not None and dubious and len(tree) < 2:
        return None  # trafilatura's test: not (well-formed) HTML at all
    return tree


def _parse_bytes(html: str, parser: Any) -> Any:
    from lxml.html import fromstring

    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=parser)
    except Exception:  # as trafilatura's fromstring_bytes
        logger.debug("lxml could not parse the page's bytes", exc_info=True)
        return None


@cache
def _html_parser() -> Any:
    """trafilatura's HTML parser (utils.HTML_PARSER's options) with lxml's element class lookup in C."""
    from lxml import etree, html

    parser = html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                             remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
        entity=html.HtmlEntity))
    return parser


def _drop_scripts(tree: Any) -> None:
    """Remove scripts (but JSON-LD), styles and inline SVG: no step reads them, and each copy of the tree costs less."""
    from lxml import etree

    etree.strip_elements(tree, "style", "noscript", "svg", "template", with_tail=False)
    for script in list(tree.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.drop_tree()


def _read_body(page: Any, choice: ReadingChoice, *,
               link_blocks: bool = False) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    """trafilatura's paragraphs of a page (parsed or not) and (if `link_blocks`) its blocks with their link text.

    Links are kept, as trafilatura's `include_links`, only for the blocks' link text, and stripped
    from the paragraphs; without them trafilatura still tests link density itself (it marks the
    links it needs for that whatever the option).
    """
    import trafilatura
    from lxml import etree
    from trafilatura.xml import xmltotxt

    # The link-dense blocks' measure (off as shipped) does not count the hidden links as links.
    hidden: list[tuple[Any, dict[str, str]]] = []
    if choice.focus == "precision" and choice.linked_paragraphs and not isinstance(page, str):
        hidden = _hide_paragraph_links(page)
    try:
        # No url: the links' targets are not kept, and resolving each against the page costs 2 ms a page.
        document = trafilatura.bare_extraction(page, include_comments=False, include_tables=choice.tables,
                                               include_links=link_blocks, fast=not choice.fallbacks,
                                               favor_precision=choice.focus == "precision",
                                               favor_recall=choice.focus == "recall")
    finally:
        _restore_links(hidden)  # the metadata's byline search reads the page's links after the reading
    if document is None or document.body is None:
        return (), ()
    _unwrap_layout_tables(document.body)
    blocks = []
    for element in document.body.iter("p", "item", "head", "quote", "cell") if link_blocks else ():
        text = " ".join("".join(element.itertext()).split())
        linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in element.iter("ref"))
        blocks.append((text, linked))
    etree.strip_tags(document.body, "ref")  # links as plain text (trafilatura's marks too, if any are left)
    lines = (line.strip() for line in (xmltotxt(document.body, False) or "").splitlines())
    return tuple(line for line in lines if line), tuple(blocks)


def _hide_paragraph_links(tree: Any) -> list[tuple[Any, dict[str, str]]]:
    """Show trafilatura the paragraphs that are one link of a line's length as text; return what to restore.

    trafilatura's precise reading drops a block whose one link holds more than 10 characters and 90 %
    of its text, where its balanced reading asks for 100: a pull quote, a podcast's question or a
    subheading that links somewhere. That step alone lost text on all three dev sets (docs/benchmarks.md),
    and Briefbot's own cleaning still drops the lines that are boilerplate. The same tests as
    trafilatura's, on the page's <p>: shorter paragraphs go in either reading, longer links in both.
    Not in a block that is mostly links (a list of related stories, each a linked paragraph), which
    trafilatura's test of the whole block drops in either reading as long as it sees the links.
    """
    hidden: list[tuple[Any, dict[str, str]]] = []
    mostly_links: dict[Any, bool] = {}
    for paragraph in tree.iter("p"):
        anchors = paragraph.findall(".//a")
        if len(anchors) != 1 or paragraph.find(".//img") is not None:
            continue
        linked = _text_length(anchors[0])
        length = _text_length(paragraph)
        shortest = 60 if paragraph.getnext() is None else 30  # trafilatura's: both readings drop shorter ones
        if not (_LINK_LINE[0] < linked <= _LINK_LINE[1] and linked > 0.9 * length and length >= shortest):
            continue
        block = paragraph.getparent()
        if block is not None and block not in mostly_links:
            mostly_links[block] = sum(map(_text_length, block.iter("a"))) > 0.5 * _text_length(block)
        if block is None or not mostly_links[block]:
            anchor = anchors[0]
            hidden.append((anchor, dict(anchor.attrib)))
            anchor.attrib.clear()  # no class for trafilatura's boilerplate paths to match on a span
            anchor.tag = "span"
    return hidden


def _text_length(element: Any) -> int:
    """An element's text length as trafilatura's link tests measure it (its `trim`: white space collapsed)."""
    from trafilatura.utils import trim

    return len(trim(element.text_content()))


def _restore_links(hidden: list[tuple[Any, dict[str, str]]]) -> None:
    for anchor, attributes in hidden:
        anchor.tag = "a"
        anchor.attrib.update(attributes)


def _unwrap_layout_tables(body: Any) -> None:
    """Put each table that lays out the page (a cell holding paragraphs or headings) as its cells' blocks in a row.

    trafilatura writes a table row as one line, which suits a table of data; a story laid out in a
    table cell would come out as one line with the menu beside it.
    """
    from lxml import etree

    for table in reversed(list(body.iter("table"))):  # inner tables first
        cells = [cell for row in table.iterchildren("row") for cell in row.iterchildren("cell")]
        if not any(child.tag in _BLOCK_TAGS for cell in cells for child in cell):
            continue  # a table of data: its rows stay rows
        blocks: list[Any] = []
        for cell in cells:
            loose = None  # the <p> gathering the cell's text and inline elements (links, emphasis) between blocks
            if cell.text and cell.text.strip():
                loose = etree.Element("p")
                loose.text = cell.text
                blocks.append(loose)
            for child in list(cell):
                if child.tag in _BLOCK_TAGS:
                    tail, child.tail = child.tail, None
                    blocks.append(child)
                    loose = None
                    if tail and tail.strip():
                        loose = etree.Element("p")
                        loose.text = tail
                        blocks.append(loose)
                else:
                    if loose is None:
                        loose = etree.Element("p")
                        blocks.append(loose)
                    loose.append(child)  # its tail comes along
        parent, tail = table.getparent(), table.tail
        position = parent.index(table)
        parent.remove(table)
        for offset, block in enumerate(blocks):
            parent.insert(position + offset, block)
        if blocks and tail:
            blocks[-1].tail = tail


def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's title, site name, author and date of a parsed page (a trafilatura Document).

    The same steps as trafilatura's `extract_metadata` without its categories, tags and
    licence, which Briefbot does not keep and which cost a third of the extraction time
    (bench/extraction.py); the byline search runs only when the meta tags and JSON-LD name no author,
    last, and prunes `tree` in place (bot/sources/byline.py): a caller that still needs the tree passes a copy.
    """
    from htmldate import find_date
    from trafilatura import metadata as meta
    from trafilatura.settings import set_date_params

    from bot.sources.byline import byline

    found = meta.examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None  # a bare handle, as trafilatura drops it
    try:
        found = meta.extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reader the same way
        logger.debug("JSON-LD metadata unreadable", exc_info=True)
    found.title = found.title or meta.extract_title(tree)
    found.url = found.url or meta.extract_url(tree, url)
    found.date = find_date(tree, **{**set_date_params(False), "url": found.url})
    found.sitename = found.sitename or meta.extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (match := meta.META_URL.match(found.url)):
        found.sitename = match[1]
    found.author = found.author or byline(tree)  # last: it prunes the tree (no step above depends on the author)
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
        gain = choice.fallback_gain if holds_most_of(second, kept) else choice.other_text_gain
        # Not a list of teasers that happens to be longer (readability scores a column of them high too).
        if sum(len(paragraph) for paragraph in second) > gain * length and not is_teaser_list(second):
            kept = clean_paragraphs(second, title=title, url=reading.url, link_dense=dense, rules=rules)
    return kept


def holds_most_of(lines: list[str], paragraphs: list[str]) -> bool:
    """Whether `lines` hold at least half of the paragraphs' text, each paragraph found whole in them (words compared).

    True for no paragraphs: there is nothing of ours to lose.
    """
    if not paragraphs:
        return True
    text = "\n".join(normal_form(line) for line in lines)
    held = sum(len(paragraph) for paragraph in paragraphs if normal_form(paragraph) in text)
    return held * 2 >= sum(map(len, paragraphs))


def read_article(html: str, *, url: str | None = None, reading_choice: ReadingChoice | None = None,
                 text_choice: TextChoice | None = None, min_chars: int = 0,
                 second_opinion: Callable[[str], list[str]] | None = None) -> tuple[PageReading, list[str], bool]:
    """The page's reading, its article's paragraphs, and whether it is refused as not an article.

    The rule counts the text's long paragraphs and was set on trafilatura's balanced reading; a
    precise reading keeps fewer (or none), so a page it does not find an article in is judged on the
    balanced reading of its body instead, and keeps its precise text. A page judged on fewer than
    `min_chars` of text is not refused: an empty reading is left to the caller's fallbacks.
    """
    reading_choice = reading_choice or ReadingChoice()
    links = (text_choice or TextChoice()).rules.links  # the one rule that reads the link-dense blocks
    reading = read_page(html, url=url, choice=reading_choice, link_blocks=links)
    paragraphs = choose_text(reading, text_choice, second_opinion=second_opinion)
    judged, article = reading, looks_like_article(reading, paragraphs)
    if reading_choice.focus != "balanced" and not article:
        tree = parse_html(html)  # the page as it came (the reading's tree has lost its scripts and its bylines)
        body, blocks = _read_body(tree if tree is not None else html, replace(reading_choice, focus="balanced"),
                                  link_blocks=links)
        judged = replace(reading, paragraphs=body, link_blocks=blocks)
        article = looks_like_article(judged, choose_text(judged, text_choice, second_opinion=second_opinion))
    refused = sum(map(len, judged.paragraphs)) >= min_chars and not article
    return reading, paragraphs, refused


def looks_like_article(reading: PageReading, paragraphs: list[str]) -> bool:
    """False for a home page, a search result or a login wall (the rule is measured in docs/benchmarks.md)."""
    # 25 words take 49 characters at least: shorter lines are not counted word by word.
    long_words = [count for count in (paragraph_words(paragraph) for paragraph in paragraphs if len(paragraph) >= 49)
                  if count >= LONG_PARAGRAPH_WORDS]
    long_paragraphs = len(long_words)
    declared_article = bool(reading.declared_types & ARTICLE_TYPES)
    # A login or sign-up wall in front of the text; but a brief of one paragraph on a site with a
    # login box in its header is an article, when the page says so and does not mark it paid.
    brief = declared_article and long_paragraphs == 1 and not reading.declared_paywalled
    if reading.has_password_field and long_paragraphs < 2 and not brief:
        return False
    if declared_article:
        return True  # the page says it is an article; short ones (a photo post, results) are still articles
    if reading.declared_types & NON_ARTICLE_TYPES and long_paragraphs < 3:
        return False
    # Home pages and result lists are mostly links, and their text is headlines: short lines. Articles
    # on the Zyte and Readability dev pages stay under a third of links; a short blog post beside a
    # sidebar and a blogroll may not, but its text is mostly its one or two long paragraphs; nor
    # may a poem or a song's lyrics, whose short lines are its own text, not the page's links.
    if reading.page_link_share > 0.5 and long_paragraphs < 3:
        if sum(long_words) * 2 >= sum(map(paragraph_words, paragraphs)) > 0:
            return True
        short = [paragraph for paragraph in paragraphs if paragraph_words(paragraph) < LONG_PARAGRAPH_WORDS]
        # A line within a link's text: a headline, or a card's title or teaser when one link wraps the card.
        linked = sum(f" {normal_form(paragraph)} " in reading.link_text for paragraph in short)
        return linked * 5 < len(short)  # headlines are links: one short line in five is a link at least
    return True


def paragraph_words(paragraph: str) -> int:
    """How many words a paragraph has: its `\\w+` runs, and one more for each two characters of Chinese or Japanese."""
    count = len(words(paragraph))
    return count if paragraph.isascii() else count + len(_UNSPACED.findall(paragraph)) // 2


def _links(tree: Any) -> tuple[float, str]:
    """The share of the body's text inside links, and the links' texts (PageReading.link_text) when it is over half.

    Only the rule for pages that are mostly links reads the texts, so other pages skip their normal forms.
    """
    body = tree.find(".//body")
    root = body if body is not None else tree
    total = len(root.text_content())
    if not total:
        return 0.0, ""
    anchors = list(root.iter("a"))
    share = min(sum(len(anchor.text_content()) for anchor in anchors) / total, 1.0)
    if share <= 0.5:
        return share, ""
    # Each text part apart: one link may wrap a card's title and teaser, which the reading has as two lines.
    return share, "\n".join(f" {normal_form(' '.join(anchor.itertext()))} " for anchor in anchors)


def _declarations(tree: object) -> tuple[frozenset[str], bool]:
    """The page's declared types (og:type, JSON-LD @type) and whether its JSON-LD marks it not free to read."""
    types: set[str] = set()
    paywalled = False
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
        for item in _ld_objects(data):
            kind = item.get("@type")
            types.update(value.lower().split("/")[-1] for value in (kind if isinstance(kind, list) else [kind])
                         if isinstance(value, str))
            free = item.get("isAccessibleForFree")  # JSON false, or the string "False" some pages write
            paywalled = paywalled or free is False or (isinstance(free, str) and free.strip().lower() == "false")
    return frozenset(kind for kind in types if kind), paywalled


def _ld_objects(data: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document: itself, its lists' items and its @graph's, not nested properties."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)
