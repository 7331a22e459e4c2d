"""Where article text comes from on the command line: a file, standard input, or a URL."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from bot.errors import BriefbotError, EmptyInput, TooLarge, UnsupportedFile

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


@dataclass(frozen=True)
class Loaded:
    """Text ready to parse, with what is known of where it came from."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    final_url: str | None = None
    language: str | None = None


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


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


def read_file(path: Path, *, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BriefbotError(f"No such file: {path}") from None
    except OSError as error:
        raise BriefbotError(f"Cannot read {path}: {error.strerror}") from None
    if path.is_dir():
        raise BriefbotError(f"{path} is a folder, not a file.")
    if size > max_bytes:
        raise TooLarge(f"{path.name} is too large ({size:,} bytes); the limit is {max_bytes:,}.")
    return path.read_bytes()


def load_local(source: str, *, max_bytes: int) -> Loaded:
    """A file or `-` (standard input) as text; HTML and PDF files go through the extractor."""
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TooLarge(f"Standard input is larger than the limit of {max_bytes:,} bytes.")
        if not data.strip():
            raise EmptyInput("Standard input was empty.")
        return Loaded(source, decode_text(data))
    path = Path(source).expanduser()
    data = read_file(path, max_bytes=max_bytes)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return Loaded(source, decode_text(data))
    return load_document(source, data, filename=path.name)


def load_document(source: str, data: bytes, *, filename: str, content_type: str | None = None) -> Loaded:
    """A document's bytes (HTML, PDF, text) as text, through the extractor."""
    suffix = Path(filename).suffix.lower()
    if suffix in TEXT_SUFFIXES and content_type in (None, "text/plain", "text/markdown"):
        return Loaded(source, decode_text(data))
    try:
        from bot.sources.extractor import extract_document
    except ImportError:  # pragma: no cover - the extractor ships with the package
        raise UnsupportedFile(f"I can read .txt and .md files, not {suffix or 'this kind of'} files.") from None
    extracted = extract_document(data, content_type=content_type, filename=filename)
    return Loaded(source, extracted.text, title=extracted.title or None)
