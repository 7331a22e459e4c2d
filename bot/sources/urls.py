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


def site_prefixes(url: str) -> tuple[str, ...]:
    """The beginnings every normalised link to the same site has: both schemes, with and without `www.`.

    A Telegram channel is a site of its own: `https://t.me/<channel>/`, not all of t.me.
    """
    parts = urlsplit(normalize_url(url))
    host = parts.netloc.removeprefix("www.")
    if not host:
        return ()
    hosts, path = (host,), "/"
    if host in ("t.me", "telegram.me"):
        channel = parts.path.strip("/").split("/")[0]
        hosts, path = ("t.me", "telegram.me"), (f"/{channel}/" if channel else "/")
    return tuple(f"{scheme}://{www}{name}{path}"
                 for name in hosts for scheme in ("https", "http") for www in ("", "www."))


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
