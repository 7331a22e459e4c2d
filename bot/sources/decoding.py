"""Bytes to text: plain-text files (BOM, UTF-8, UTF-16 by its NUL bytes, then the detected charset) and HTML."""

from __future__ import annotations

import re

from bot.errors import UnsupportedFile
from bot.i18n import lazy

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Non-ASCII characters of Western European text: Latin-1's letters, and the typographer's marks of cp1252.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŸ"
    "«»‘’‚“”„–—…€°ºª¡¿·\u00a0"
)


def has_bom(data: bytes) -> bool:
    """True when the bytes start with a UTF-16 or UTF-32 byte order mark."""
    return any(data.startswith(bom) for bom, _codec in _BOMS)


def utf16_order(data: bytes) -> str | None:
    """`utf-16-le` / `utf-16-be` when NUL bytes sit at odd / even positions only, as in UTF-16 text."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if len(sample) < 4 or max(even, odd) < len(sample) // 40:  # ASCII spaces alone give more than this
        return None
    if odd and even <= odd // 20:
        return "utf-16-le"
    if even and odd <= even // 20:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: a BOM, UTF-8, UTF-16 by its NUL bytes, else the detected charset."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise UnsupportedFile(lazy("I could not read that file as text.")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if text and "\x00" not in text:  # UTF-16 of Cyrillic or Greek can be valid UTF-8, NULs and all
        return text
    utf16 = read_utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:4096]:
        raise UnsupportedFile(lazy("That file is binary, not text."))
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnsupportedFile(lazy("I could not read that file as text."))
    if not best.encoding.startswith("utf"):
        # Detectors pick cp1250, cp1257 or cp775 for French or German; windows-1252 wins when it reads as Western.
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            western = ""
        if western and _reads_as_western(western):
            return western
    return str(best)


def read_utf16(data: bytes) -> str | None:
    """The text of UTF-16 without a BOM (found by where its NUL bytes sit), or None when it is not that."""
    order = utf16_order(data)
    if order is None:
        return None
    try:
        text = data.decode(order)
    except UnicodeDecodeError:
        return None
    return text if text and _mostly_printable(text) else None


def _reads_as_western(text: str) -> bool:
    """Only Western European letters past ASCII, never three in a row (Cyrillic read as cp1252 is all runs)."""
    run = 0
    for char in text:
        if ord(char) < 128:
            run = 0
            continue
        if char not in _WESTERN:
            return False
        run = run + 1 if char.isalpha() else 0
        if run >= 3:
            return False
    return True


def _mostly_printable(text: str) -> bool:
    sample = text[:4096]
    printable = sum(1 for char in sample if char.isprintable() or char in "\n\r\t")
    return printable >= 0.97 * len(sample)


def decode_html(data: bytes, charset: str | None) -> str:
    """HTML bytes as text: the header's charset, then <meta charset>, then UTF-8, then detection."""
    candidates = [charset] if charset else []
    meta = _META_CHARSET.search(data[:8192])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return data.decode(_codec(name))
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("cp1252", "replace")


def _codec(name: str) -> str:
    lowered = name.lower()
    # Browsers read "iso-8859-1" and "latin1" as windows-1252; so do we.
    if lowered in {"iso-8859-1", "latin1", "latin-1", "iso8859-1", "us-ascii", "ascii"}:
        return "cp1252"
    return lowered
