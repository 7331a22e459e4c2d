"""Telegram channel post links (t.me/<channel>/<id>, telegram.me/...) read from Telegram's public web preview.

A post link itself opens an app-redirect page; the post's text is on its embed view,
`https://t.me/<channel>/<id>?embed=1`, which holds exactly that one post (the `t.me/s/`
channel view holds twenty around it). The preview is fetched through the same safe
Fetcher as any link; its base URL is a setting only so tests can serve a saved preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.errors import NotAnArticle
from bot.i18n import lazy

DEFAULT_PREVIEW_BASE = "https://t.me"
_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me"})
_PATH = re.compile(r"^/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/(\d{1,12})/?$")


@dataclass(frozen=True)
class PostLink:
    channel: str
    post: int

    def preview_url(self, base: str = DEFAULT_PREVIEW_BASE) -> str:
        """The embed view of the post under `base`."""
        return f"{base.rstrip('/')}/{self.channel}/{self.post}?embed=1"

    @property
    def canonical(self) -> str:
        return f"https://t.me/{self.channel}/{self.post}"


@dataclass(frozen=True)
class Post:
    """A channel post as its preview shows it."""

    channel_title: str
    author: str
    date: str  # ISO 8601 from the post's <time datetime>
    text: str  # paragraphs separated by blank lines; links written out after their text
    links: tuple[str, ...]  # web links of the post, in order (the link preview's first)


def post_link(url: str) -> PostLink | None:
    """The channel post a t.me / telegram.me link points to, or None for any other link."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "").lower() not in _HOSTS:
        return None
    match = _PATH.match(parts.path)
    if match is None:
        return None
    return PostLink(match.group(1), int(match.group(2)))


def parse_post(html: str, link: PostLink) -> Post:
    """The post in an embed (or channel) preview page; NotAnArticle when the page has no such post."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise NotAnArticle(lazy("Telegram's preview of that post could not be read.")) from None
    wanted = f"{link.channel}/{link.post}".lower()
    message = None
    for element in tree.xpath('//*[@data-post]'):
        if (element.get("data-post") or "").lower() == wanted:
            message = element
            break
    if message is None:
        raise NotAnArticle(lazy("That Telegram post is not public, or it was deleted."))
    text_element = _first(message, "tgme_widget_message_text")
    if text_element is None:
        raise NotAnArticle(lazy("That Telegram post has no text (a photo, a video or a poll?)."))
    links: list[str] = []
    preview = _first(message, "tgme_widget_message_link_preview")
    if preview is not None and _is_web(preview.get("href") or ""):
        links.append(preview.get("href") or "")
    text = _text_with_links(text_element, links)
    owner = _first(message, "tgme_widget_message_owner_name")
    author = _first(message, "tgme_widget_message_from_author")
    time = message.xpath(".//time[@datetime]")
    return Post(
        channel_title=" ".join(owner.text_content().split()) if owner is not None else link.channel,
        author=" ".join(author.text_content().split()) if author is not None else "",
        date=(time[0].get("datetime") or "") if time else "",
        text=text,
        links=tuple(dict.fromkeys(links)),
    )


def _first(element: Any, css_class: str) -> Any:
    found = element.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {css_class} ")]')
    return found[0] if found else None


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://")) and post_link(url) is None


def _text_with_links(element: Any, links: list[str]) -> str:
    """The post's text, <br> as line breaks, each web link's address after its words (unless they are it)."""
    from copy import deepcopy

    element = deepcopy(element)
    for anchor in element.iter("a"):
        href = anchor.get("href") or ""
        words = anchor.text_content().strip()
        if _is_web(href):
            links.append(href)
            if words and words.rstrip("/") not in href and words != href:
                anchor.tail = f" ({href})" + (anchor.tail or "")
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    raw = element.text_content()
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    # A single <br> inside a post usually starts a new thought: keep each line a paragraph.
    return "\n\n".join(line for line in lines if line) if len(paragraphs) <= 1 else "\n\n".join(paragraphs)
