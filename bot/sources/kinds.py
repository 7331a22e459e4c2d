"""The one list of file types Briefbot reads, and sizes written for people."""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)
READABLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *PDF_SUFFIXES)
# How the readable types are named to users.
READABLE_NAMES = ".txt, .md, .html and .pdf"


def suffix_of(filename: str | None) -> str:
    return Path(filename).suffix.lower() if filename else ""


def is_readable(filename: str) -> bool:
    return suffix_of(filename) in READABLE_SUFFIXES


def is_text_name(filename: str | None) -> bool:
    """A name that says plain text (or says nothing: standard input, a file without a suffix)."""
    return suffix_of(filename) in (*TEXT_SUFFIXES, "")


def human_size(size: int) -> str:
    """A byte count with enough precision to tell two sizes apart: KB below 1 MB, else MB."""
    if size < 1_000_000:
        kilobytes = size / 1000
        return f"{kilobytes:.1f} KB" if kilobytes < 10 else f"{kilobytes:.0f} KB"
    return f"{size / 1_000_000:.2f}".rstrip("0").rstrip(".") + " MB"
