from __future__ import annotations

import pytest

from bot.errors import NotAnArticle, UnsupportedFile
from bot.sources.decoding import decode_html
from bot.sources.extractor import extract_document, sniff
from tests.helpers import seed_article
from tests.pages import BOILERPLATE_WORDS, article_page, make_pdf, seed_page, seed_parts, wrap

RUSSIAN = [
    "Министр обороны Украины Алексей Резников посетил Израиль, где встретился с главой совета национальной "
    "безопасности. Москва выразила сомнения в целях этой встречи, которая прошла почти без освещения в прессе.",
    "По данным источников, израильские власти попросили министра не давать интервью и быть осторожным в "
    "публичных выступлениях. Израиль не хочет раздражать Кремль на фоне напряжённости между двумя странами.",
]
FRENCH = [
    "Le ministre ukrainien de la Défense s'est rendu en Israël, où il a rencontré le chef du Conseil de "
    "sécurité nationale. Moscou a exprimé des doutes sur le véritable objectif de cette réunion très discrète.",
    "Selon des sources proches du dossier, les autorités israéliennes ont demandé au ministre d'éviter les "
    "interviews. Israël ne veut pas irriter le Kremlin, compte tenu des tensions entre les deux pays voisins.",
]


def test_seed_page_keeps_the_article_and_drops_the_boilerplate() -> None:
    extracted = extract_document(seed_page().encode(), content_type="text/html")
    title, paragraphs = seed_parts()
    assert extracted.title == title
    for paragraph in paragraphs:
        if len(paragraph) > 40:
            assert " ".join(paragraph.split()) in " ".join(extracted.text.split())
    for words in BOILERPLATE_WORDS:
        assert words not in extracted.text


@pytest.mark.parametrize(("charset", "header"), [("windows-1251", True), ("windows-1251", False)])
def test_legacy_cyrillic_page(charset: str, header: bool) -> None:
    page = article_page("Резников посетил Израиль", RUSSIAN, charset=None if header else charset, lang="ru")
    data = page.encode(charset)
    extracted = extract_document(data, content_type="text/html", charset=charset if header else None)
    assert "Министр обороны Украины" in extracted.text
    assert extracted.title == "Резников посетил Израиль"


@pytest.mark.parametrize("header", [True, False])
def test_latin1_page(header: bool) -> None:
    page = article_page("Visite en Israël", FRENCH, charset=None if header else "iso-8859-1", lang="fr")
    extracted = extract_document(page.encode("iso-8859-1"), content_type="text/html",
                                 charset="iso-8859-1" if header else None)
    assert "ministre ukrainien de la Défense s'est rendu en Israël" in extracted.text


def test_pdf_with_text() -> None:
    extracted = extract_document(make_pdf(wrap(seed_article())), content_type="application/pdf")
    assert "Reznikov recently visited Israel" in " ".join(extracted.text.split())


def test_pdf_without_a_text_layer() -> None:
    with pytest.raises(NotAnArticle, match="no text layer"):
        extract_document(make_pdf(None), content_type="application/pdf")


@pytest.mark.parametrize(
    ("data", "content_type", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "application/octet-stream", "PNG"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "text/html", "PNG"),
        (b"PK\x03\x04" + bytes(300), None, "ZIP"),
        (b"\x7fELF" + bytes(300), "text/plain", "program"),
        (b"GIF89a" + bytes(300), "image/gif", "GIF"),
        (b"abc" * 100, "image/jpeg", "image/jpeg"),
        (b"\x00\x01\x02 binary \x00" * 40, None, "binary"),
    ],
)
def test_binaries_are_refused_by_type_and_by_sniffing(data: bytes, content_type: str | None, what: str) -> None:
    with pytest.raises(UnsupportedFile, match=what):
        extract_document(data, content_type=content_type)


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body><nav>Home</nav></body></html>",
        article_page("Premium", ["Subscribe to read the full story."]),
    ],
)
def test_empty_or_paywalled_pages_are_not_articles(page: str) -> None:
    with pytest.raises(NotAnArticle):
        extract_document(page.encode(), content_type="text/html")


def test_plain_text_and_markdown_as_they_are() -> None:
    text = seed_article()
    assert extract_document(text.encode(), content_type="text/plain").text == text.strip()
    assert extract_document(text.encode("utf-16"), content_type=None, filename="a.md").text == text.strip()


def test_pages_with_little_structure_fall_back_to_paragraphs() -> None:
    paragraphs = "".join(f"<div><p>{p}</p></div>" for p in seed_parts()[1])
    extracted = extract_document(f"<html><body>{paragraphs}</body></html>".encode(), content_type="text/html")
    assert "Reznikov" in extracted.text


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"%PDF-1.7", "pdf"), (b"<!DOCTYPE html><html>", "html"), (b"  <html lang=en>", "html"), (b"Plain words", "text")],
)
def test_sniff(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


def test_decode_html_prefers_header_then_meta() -> None:
    data = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    assert "Привет" in decode_html(data, None)
    assert "Привет" in decode_html(data, "windows-1251")
