"""Links as text: which are web links, the same link however it was shared, and well-formed ones."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.errors import FetchError
from bot.i18n import lazy

_TRACKING = frozenset({"fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "ref", "ref_src", "igshid", "si", "_ga"})


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def normalize_url(url: str) -> str:
    """The same link however it was shared: lower-case scheme and host, no fragment, no tracking."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port and not ((scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)):
        netloc += f":{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def check_url(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(lazy("That link is malformed.")) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(lazy("I only open http and https links."))
    if not parts.hostname or " " in (parts.netloc or ""):
        raise FetchError(lazy("That link is malformed."))
    if port == 0:
        raise FetchError(lazy("That link is malformed."))
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))
