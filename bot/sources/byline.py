"""trafilatura's byline search (`trafilatura.metadata.extract_author`): the same author, found faster.

trafilatura prunes a deep copy of the page (comments, sidebars, dates, figures), then looks for the
byline with XPaths that test each element's tag and attributes (`//*[self::div or self::span][@class=
'byline' or re:test(@class, 'author|writer')]`). libxml2 takes about 2 ms for each on a page of 700
elements, 5–13 ms for the whole search on the pages of readability-tests that need it, the
largest part of the metadata's time. Here each of those XPaths runs as the same tests in Python
(`Selector`: lxml picks the elements by tag, one regular expression per attribute tests them),
in 40 % of libxml2's time, and the reading's own tree, which nothing reads afterwards, is pruned
instead of a copy. An XPath whose form `Selector.parse` does not know, or a page where one would
compare a child's text, runs as trafilatura's XPath: the author is always the one trafilatura's
`extract_author` finds (tests/test_byline.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

_STRING = r"'[^']*'"
_STEP = re.compile(rf"(\.?)//(\*|[\w-]+)((?:\[(?:[^\]']|{_STRING})*\])*)")
_PREDICATE = re.compile(rf"\[((?:[^\]']|{_STRING})*)\]")
_TAGS = re.compile(r"\s*self::[\w-]+(?:\s+or\s+self::[\w-]+)*\s*")
_CONDITION = re.compile(
    r"\s*(?:@(?P<equal>[\w-]+)\s*=\s*'(?P<value>[^']*)'"
    r"|contains\(\s*@(?P<contains>[\w-]+)\s*,\s*'(?P<part>[^']*)'\s*\)"
    r"|re:test\(\s*@(?P<search>[\w-]+)\s*,\s*'(?P<pattern>[^']*)'\s*\)"
    r"|(?P<child>[\w-]+)\s*=\s*'(?P<text>[^']*)')\s*(?P<more>or\b)?"
)


def byline(tree: Any) -> str | None:
    """trafilatura's `extract_author` of a parsed page; prunes `tree` in place where trafilatura prunes a copy."""
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.metadata import extract_metainfo, normalize_authors
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    discard, bylines = _selectors(tuple(AUTHOR_DISCARD_XPATHS)), _selectors(tuple(AUTHOR_XPATHS))
    author = extract_metainfo(prune_unwanted_nodes(tree, discard), bylines, len_limit=120)
    return normalize_authors(None, author) if author else author


@cache
def _selectors(expressions: tuple[Any, ...]) -> list[Any]:
    """Each of trafilatura's XPaths as a Selector, or as itself where its form is not one a Selector knows."""
    return [Selector.parse(expression) or expression for expression in expressions]


@dataclass(frozen=True)
class AttributeTest:
    """A predicate's conditions on one attribute, joined by `or`, as one regular expression.

    `@x='v'` is the escaped value between `\\A` and `\\Z`, `contains(@x, 'v')` the escaped text,
    `re:test(@x, 'p')` the pattern itself (lxml runs Python's re.search), each in a group of its own.
    """

    search: Callable[[str], object]
    absent: bool  # whether an absent attribute meets it: it equals nothing, but contains and matches as ""

    @classmethod
    def of(cls, values: list[str], parts: list[str], patterns: list[str]) -> AttributeTest:
        alternatives = ([rf"\A{re.escape(value)}\Z" for value in values] + [re.escape(part) for part in parts]
                        + patterns)
        search = re.compile("|".join(f"(?:{alternative})" for alternative in alternatives)).search
        return cls(search, any(not part for part in parts) or any(re.search(pattern, "") for pattern in patterns))


Predicate = tuple[tuple[str, AttributeTest], ...]  # true when one of its attributes meets its test


@dataclass(frozen=True)
class Selector:
    """An XPath of the form `//*[self::a or self::p][@x='v' or contains(@x, 'v') or re:test(@x, 'p')]|//name`.

    Called on a page's root element, it returns the elements the XPath selects, in document order.
    """

    xpath: Any  # the lxml XPath it stands for: run when a page has elements a child-text test compares
    branches: tuple[tuple[bool, frozenset[str] | None, tuple[Predicate, ...]], ...]
    # per alternative of the union: descendants only (`.//`), the tags it names (None: any), its predicates
    children: frozenset[str]  # tags a child-text test (`rel='me'`) compares

    @classmethod
    def parse(cls, xpath: Any) -> Selector | None:
        """The Selector of an lxml XPath, or None when its form is not one a Selector knows."""
        branches = []
        children: set[str] = set()
        for alternative in _alternatives(_squeeze(xpath.path)):
            step = _STEP.fullmatch(alternative)
            if step is None:
                return None
            tags: frozenset[str] | None = None if step[2] == "*" else frozenset({step[2]})
            predicates = []
            for predicate in _PREDICATE.findall(step[3]):
                if _TAGS.fullmatch(predicate):
                    named = frozenset(re.findall(r"self::([\w-]+)", predicate))
                    tags = named if tags is None else tags & named
                    continue
                tests = _predicate(predicate, children)
                if tests is None:
                    return None
                predicates.append(tests)
            branches.append((step[1] == ".", tags, tuple(predicates)))
        return cls(xpath, tuple(branches), frozenset(children))

    def __call__(self, tree: Any) -> list[Any]:
        if tree.getparent() is not None or (self.children and next(tree.iter(*self.children), None) is not None):
            return self.xpath(tree)  # not a page's root, or a child's text to compare: libxml2 does it
        from lxml import etree

        named = [tags for _, tags, _ in self.branches]
        elements = tree.iter(*frozenset().union(*named)) if None not in named else tree.iter(etree.Element)
        return [element for element in elements if self._selects(element, element is tree)]

    def _selects(self, element: Any, root: bool) -> bool:
        tag, get = element.tag, element.get
        for descendants_only, tags, predicates in self.branches:
            if (descendants_only and root) or (tags is not None and tag not in tags):
                continue
            for predicate in predicates:
                for name, test in predicate:
                    value = get(name)
                    if test.absent if value is None else test.search(value) is not None:
                        break
                else:
                    break  # no attribute of this predicate meets its test
            else:
                return True
        return False


def _squeeze(path: str) -> str:
    """The XPath with each run of white space outside its strings as one space, and none at its ends."""
    return re.sub(rf"({_STRING})|\s+", lambda match: match[1] or " ", path).strip()


def _alternatives(path: str) -> list[str]:
    """The alternatives of an XPath union, split at `|` outside strings and predicates."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(path):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "[":
            depth += 1
        elif not quoted and char == "]":
            depth -= 1
        elif not quoted and not depth and char == "|":
            parts.append(path[start:index].strip())
            start = index + 1
    return [*parts, path[start:].strip()]


def _predicate(predicate: str, children: set[str]) -> Predicate | None:
    """A predicate of conditions joined by `or`, by attribute; None when one is not a condition a Selector knows.

    A child-text condition (`rel='me'`) adds its tag to `children` and no test: it is only ever
    asked on pages without such children, where it is false.
    """
    values: dict[str, list[str]] = {}
    parts: dict[str, list[str]] = {}
    patterns: dict[str, list[str]] = {}
    position = 0
    while True:
        condition = _CONDITION.match(predicate, position)
        if condition is None:
            return None
        if (name := condition["equal"]) is not None:
            values.setdefault(name, []).append(condition["value"])
        elif (name := condition["contains"]) is not None:
            parts.setdefault(name, []).append(condition["part"])
        elif (name := condition["search"]) is not None:
            patterns.setdefault(name, []).append(condition["pattern"])
        else:
            children.add(condition["child"])
        position = condition.end()
        if not condition["more"]:
            break
    if position != len(predicate):
        return None
    tests = []
    for name in dict.fromkeys([*values, *parts, *patterns]):
        pattern_list = patterns.get(name, [])
        if any(re.search(r"\\\d|\(\?P[=<]|\(\?[a-zA-Z]", pattern) for pattern in pattern_list):
            return None  # back references, named groups, inline flags: they do not join into one expression
        try:
            tests.append((name, AttributeTest.of(values.get(name, []), parts.get(name, []), pattern_list)))
        except re.error:
            return None
    return tuple(tests)
