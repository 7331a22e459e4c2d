"""Text files in the encodings people save them in decode to the text they wrote."""

from __future__ import annotations

import pytest

from bot.errors import UnsupportedFile
from bot.sources.decoding import decode_text
from bot.sources.extractor import sniff
from tests.encodings_corpus import CORPUS, DIRECTORY, expected_text


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_file_of_the_corpus_decodes_to_its_text(name: str) -> None:
    data = (DIRECTORY / name).read_bytes()
    encoding, text = CORPUS[name]
    assert data == text.encode(encoding)  # the file is what the table says it is
    assert sniff(data) == "text"
    assert decode_text(data) == expected_text(name)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("naïve", "cp1252"), ("crème", "latin-1"), ("Größe und Übermaß", "cp1252")],
)
def test_short_western_words_are_not_read_as_a_sibling_code_page(text: str, encoding: str) -> None:
    sentence = f"It was a {text} idea, they said, and nobody disagreed with that at all. " * 3
    assert decode_text(sentence.encode(encoding)) == sentence


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02\x03" * 300, bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100],
)
def test_binary_is_still_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedFile):
        sniff(data)
    with pytest.raises(UnsupportedFile):
        decode_text(data)
