from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.errors import BriefbotError, EmptyInput, InputError, TooLarge, UnsupportedFile
from bot.sources.decoding import decode_text
from bot.sources.loading import Loaded, load_document, load_local, read_file
from bot.sources.urls import is_url
from tests.pages import BOILERPLATE_WORDS, article_page, make_pdf, seed_parts

ARTICLE = "Grain Corridor Reopens\n\nUkraine reopened the grain corridor. Ships left Odesa. Prices fell."
RUSSIAN = "Зерновой коридор\n\nУкраина вновь открыла зерновой коридор в Чёрном море. Суда с пшеницей вышли из Одессы."
LIMIT = 10_000


def use_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Standard input as a real text stream over these bytes."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://example.com/news/1", True),
        ("http://example.com", True),
        ("HTTPS://EXAMPLE.COM/A", True),
        ("Http://example.com", True),
        ("ftp://example.com/file.txt", False),
        ("example.com/news", False),
        ("www.example.com", False),
        ("article.txt", False),
        ("-", False),
        ("/home/me/https://odd-but-local.txt", False),
        ("", False),
    ],
)
def test_is_url(source: str, expected: bool) -> None:
    assert is_url(source) is expected


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-16"),  # a byte-order mark, then NULs: still text
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom"],
)
def test_decode_text_reads_unicode_files(data: bytes) -> None:
    assert decode_text(data) == ARTICLE


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_decode_text_reads_cyrillic_in_several_encodings(encoding: str) -> None:
    assert decode_text(RUSSIAN.encode(encoding)) == RUSSIAN


def test_decode_text_refuses_binary() -> None:
    with pytest.raises(UnsupportedFile, match="binary"):
        decode_text(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(200))


@pytest.mark.parametrize(
    ("name", "data"),
    [("plain.txt", ARTICLE.encode()), ("bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode()), ("notes.md", ARTICLE.encode()),
     ("README", ARTICLE.encode()), ("cyrillic.txt", RUSSIAN.encode("cp1251"))],
)
def test_load_local_reads_text_files(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    loaded = load_local(str(path), max_bytes=LIMIT)
    assert isinstance(loaded, Loaded)
    assert loaded.source == str(path)
    assert loaded.text == (RUSSIAN if name.startswith("cyrillic") else ARTICLE)
    assert not loaded.text.startswith("\ufeff")
    assert loaded.url is None and loaded.title is None


def test_load_local_expands_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "home.txt").write_text(ARTICLE, "utf-8")
    assert load_local("~/home.txt", max_bytes=LIMIT).text == ARTICLE


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(BriefbotError, match="No such file") as raised:
        load_local(str(missing), max_bytes=LIMIT)
    assert "nowhere.txt" in str(raised.value)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "articles.txt"
    folder.mkdir()
    with pytest.raises(BriefbotError, match="folder"):
        load_local(str(folder), max_bytes=LIMIT)
    with pytest.raises(BriefbotError, match="folder"):
        read_file(tmp_path, max_bytes=LIMIT)


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read(tmp_path: Path) -> None:
    at_limit = tmp_path / "at.txt"
    at_limit.write_bytes(b"a" * LIMIT)
    assert read_file(at_limit, max_bytes=LIMIT) == b"a" * LIMIT
    over = tmp_path / "big.txt"
    over.write_bytes(b"a" * (LIMIT + 1))
    with pytest.raises(TooLarge) as raised:
        load_local(str(over), max_bytes=LIMIT)
    assert "big.txt" in str(raised.value)
    assert isinstance(raised.value, InputError)


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "disguised.txt"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(UnsupportedFile):
        load_local(str(path), max_bytes=LIMIT)


def test_an_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(UnsupportedFile):
        load_local(str(path), max_bytes=LIMIT)


@pytest.mark.parametrize("suffix", [".html", ".htm"])
def test_an_html_file_gives_its_article(tmp_path: Path, suffix: str) -> None:
    title, paragraphs = seed_parts()
    path = tmp_path / f"page{suffix}"
    path.write_text(article_page(title, paragraphs), "utf-8")
    loaded = load_local(str(path), max_bytes=1_000_000)
    assert loaded.title == title
    assert paragraphs[0][:60] in loaded.text
    assert "<p>" not in loaded.text
    for boilerplate in BOILERPLATE_WORDS:
        assert boilerplate not in loaded.text


def test_a_pdf_document_gives_its_text() -> None:
    lines = ["Ukraine reopened the grain corridor in the Black Sea on Tuesday morning.",
             "Ships carrying wheat left Odesa under naval escort, officials said.",
             "Farmers welcomed the news after months of losses and low prices."]
    loaded = load_document("upload", make_pdf(lines), filename="report.pdf")
    assert "grain corridor" in loaded.text and "naval escort" in loaded.text
    assert loaded.source == "upload"


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("notes.txt", None), ("notes.txt", "text/plain"), ("notes.md", "text/markdown"), ("notes", None)],
)
def test_load_document_reads_text_as_it_is(filename: str, content_type: str | None) -> None:
    data = b"\xef\xbb\xbf" + ARTICLE.encode()
    assert load_document("doc", data, filename=filename, content_type=content_type).text == ARTICLE


def test_load_document_trusts_an_html_content_type_over_a_text_name() -> None:
    title, paragraphs = seed_parts()
    loaded = load_document("doc", article_page(title, paragraphs).encode(), filename="page.txt",
                           content_type="text/html")
    assert loaded.title == title and "<html" not in loaded.text


def test_stdin_is_read_as_bytes_and_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, b"\xef\xbb\xbf" + RUSSIAN.encode())
    loaded = load_local("-", max_bytes=LIMIT)
    assert loaded.source == "-" and loaded.text == RUSSIAN


def test_stdin_in_another_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, RUSSIAN.encode("cp1251"))
    assert load_local("-", max_bytes=LIMIT).text == RUSSIAN


@pytest.mark.parametrize("data", [b"", b"  \n\t\n "])
def test_empty_stdin_says_so(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    use_stdin(monkeypatch, data)
    with pytest.raises(EmptyInput):
        load_local("-", max_bytes=LIMIT)


def test_stdin_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, b"word " * (LIMIT // 5 + 1))
    with pytest.raises(TooLarge, match="Standard input"):
        load_local("-", max_bytes=LIMIT)


def test_stdin_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    use_stdin(monkeypatch, b"w" * LIMIT)
    assert load_local("-", max_bytes=LIMIT).text == "w" * LIMIT
