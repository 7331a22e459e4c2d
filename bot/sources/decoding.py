"""Bytes to text: plain-text files (UTF-8 first, then the detected charset) and HTML pages."""

from __future__ import annotations

import re

from bot.errors import UnsupportedFile

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), else the detected charset."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFile("That file is binary, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise UnsupportedFile("I could not read that file as text.") from None
        return str(best)


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
