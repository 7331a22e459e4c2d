"""From downloaded or uploaded bytes to an article: HTML (trafilatura), PDF (pypdf), plain text.

Anything else — images, archives, executables, office files — is refused, by its declared
content type and by sniffing its first bytes (a PNG served as text/html is still a PNG).
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from bot.errors import NotAnArticle, UnsupportedFile
from bot.i18n import lazy
from bot.sources.decoding import decode_html, decode_text, has_bom, read_utf16
from bot.sources.kinds import HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, suffix_of
from bot.text.article import MIN_ARTICLE_CHARS

logger = logging.getLogger(__name__)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a media file"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ\x90\x00", "a Windows program"),
    (b"%!PS", "a PostScript file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
    (b"fLaC", "an audio file"),
    (b"\x00\x00\x00", "a media file"),
    (b"\xd0\xcf\x11\xe0", "an old office document"),
    (b"{\\rtf", "an RTF document"),
    (b"wOFF", "a font"),
)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
                         re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
HTML_TYPES = {"text/html", "application/xhtml+xml", "application/xml", "text/xml"}
TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}


NOT_AN_ARTICLE = lazy("This page does not look like an article (a home page, a list of links or a login page?).")


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str
    site_name: str = ""
    author: str = ""
    date: str = ""  # ISO 8601, as the page gives it


def sniff(data: bytes) -> str:
    """`pdf`, `html`, `text`, or raise UnsupportedFile naming what the bytes are."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if _HTML_START.match(head):
        return "html"
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            raise UnsupportedFile(lazy("That is %(kind)s, not an article. Send text, a web page or a PDF.", kind=name))
    if b"\x00" in data[:8192] and not has_bom(data) and read_utf16(data) is None:
        raise UnsupportedFile(lazy("That file is binary, not text. Send text, a web page or a PDF."))
    if b"<html" in head.lower() or b"<body" in head.lower():
        return "html"
    return "text"


def _kind(data: bytes, content_type: str | None, filename: str | None) -> str:
    sniffed = sniff(data)
    declared = (content_type or "").split(";")[0].strip().lower()
    suffix = suffix_of(filename)
    if declared.startswith(("image/", "audio/", "video/", "font/")) or declared in {
        "application/zip", "application/x-rar-compressed", "application/x-7z-compressed", "application/gzip",
        "application/msword", "application/vnd.ms-excel", "application/x-msdownload", "application/x-executable",
    } or declared.startswith("application/vnd."):
        raise UnsupportedFile(lazy("That is a %(type)s file, not an article. Send text, a web page or a PDF.",
                                   type=declared))
    if sniffed == "pdf":
        return "pdf"
    if sniffed == "html" or declared in HTML_TYPES or suffix in HTML_SUFFIXES:
        return "html"
    if declared in PDF_TYPES or suffix in PDF_SUFFIXES:
        raise NotAnArticle(lazy("That file says it is a PDF but is not one."))
    if declared in TEXT_TYPES or suffix in TEXT_SUFFIXES or not declared or declared == "application/octet-stream":
        return "text"
    if declared.startswith("text/"):
        return "text"
    raise UnsupportedFile(lazy("I cannot read %(type)s files. Send text, a web page or a PDF.", type=declared))


def extract_document(
    data: bytes,
    *,
    content_type: str | None,
    filename: str | None = None,
    url: str | None = None,
    charset: str | None = None,
) -> Extracted:
    """The article in `data`; raises UnsupportedFile or NotAnArticle with a short reason."""
    if not data.strip():
        raise NotAnArticle(lazy("The page or file is empty."))
    kind = _kind(data, content_type, filename)
    if kind == "pdf":
        extracted = extract_pdf(data, url=url)
    elif kind == "html":
        extracted = extract_html(decode_html(data, charset), url=url)
    else:
        text = decode_text(data).strip()
        extracted = Extracted(title="", text=text)
    if len(extracted.text.strip()) < MIN_ARTICLE_CHARS:
        raise NotAnArticle(lazy("The page has too little text to be an article (a paywall or an empty page?)."))
    return extracted


def extract_html(html: str, *, url: str | None = None) -> Extracted:
    """Main text and metadata of a web page (bot/sources/htmlpage.py); refuses pages that are not articles."""
    from bot.sources.htmlpage import read_article

    # Judged when trafilatura read text at all; an empty reading goes on to the fallbacks below.
    reading, paragraphs, refused = read_article(html, url=url, min_chars=MIN_ARTICLE_CHARS)
    if refused:
        raise NotAnArticle(NOT_AN_ARTICLE)
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_ARTICLE_CHARS:
        import trafilatura

        recall = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_recall=True)
        if recall and len(recall) > len(text):
            text = _paragraphs(recall)
    if len(text) < MIN_ARTICLE_CHARS:
        text = max(text, _fallback_paragraphs(html), key=len)
    meta = reading.metadata
    return Extracted(title=meta.title, text=text, site_name=meta.site_name, author=meta.author, date=meta.date)


def _paragraphs(text: str) -> str:
    """trafilatura's lines (one per paragraph or heading) separated by blank lines."""
    lines = [line.strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)


def _fallback_paragraphs(html: str) -> str:
    """Last resort: trafilatura's baseline, else the text of every <p>."""
    try:
        from trafilatura import baseline

        _tree, text, _length = baseline(html)
        if text and len(text) >= MIN_ARTICLE_CHARS:
            return _paragraphs(text)
    except Exception:  # a malformed page: fall through to the plainest reading
        logger.debug("trafilatura baseline failed", exc_info=True)
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
        paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
        return "\n\n".join(p for p in paragraphs if len(p) > 40)
    except Exception:  # not even lxml can read it
        return ""


def extract_pdf(data: bytes, *, url: str | None = None) -> Extracted:
    """Text of every page of a PDF (pypdf); a scan without a text layer is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedFile(lazy("That PDF is password-protected."))
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata
        title = str(metadata.title).strip() if metadata and metadata.title else ""
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        logger.info("unreadable PDF: %s", error)
        raise NotAnArticle(lazy("I could not read that PDF (it seems damaged).")) from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if len(text) < MIN_ARTICLE_CHARS:
        raise NotAnArticle(lazy("That PDF has no text layer (it is probably scanned); send the text instead."))
    return Extracted(title=title[:300], text=text)
