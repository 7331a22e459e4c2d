from __future__ import annotations

import pytest

from bot.errors import EmptyInput, NotAnArticle, TooLarge
from bot.text.article import ArticleParser, clean_text, content_hash, split_title
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels
from tests.helpers import seed_article

PARSER = ArticleParser(Languages(), PunktModels(), max_chars=100_000, min_sentences=3)


def test_seed_article_title_language_and_sentences() -> None:
    article = PARSER.parse(seed_article())
    assert article.title == "Russia Closely Monitoring Israel-Ukraine Rapprochement"
    assert article.language == "en"
    assert article.title not in [s.text for s in article.sentences]
    assert len(article.content_sentences) == 20
    # Captions and sub-headings are kept as headings, not summary material.
    headings = [s.text for s in article.sentences if s.heading]
    assert "Putin Coughing" in headings


def test_sentences_stand_in_the_text_at_their_offsets() -> None:
    article = PARSER.parse(seed_article())
    for sentence in article.sentences:
        assert " ".join(article.text[sentence.start : sentence.end].split()) == sentence.text
    assert [s.position for s in article.sentences] == list(range(len(article.sentences)))


def test_soft_wrapped_lines_join_into_one_sentence() -> None:
    text = (
        "Wrapped Title\n\nThe minister visited the city on Monday and met\nthe mayor at noon. "
        "They talked for an hour.\nThen they left together.\n"
    )
    article = PARSER.parse(text)
    assert [s.text for s in article.sentences] == [
        "The minister visited the city on Monday and met the mayor at noon.",
        "They talked for an hour.",
        "Then they left together.",
    ]


def test_paragraph_numbers_follow_blank_lines() -> None:
    article = PARSER.parse("One. Two.\n\nThree. Four.\n\n\nFive.")
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1, 2]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("A Title\n\nBody one. Body two.", "A Title"),
        ("This first line is a sentence.\n\nBody.", ""),
        ("No blank line after this\nBody. More.", ""),
    ],
)
def test_split_title(text: str, title: str) -> None:
    assert split_title(text)[0] == title


def test_untitled_text_gets_a_title_from_its_first_sentence() -> None:
    article = PARSER.parse("Cats sleep a lot. Dogs bark at night. Birds sing in the morning.")
    assert article.title == "Cats sleep a lot."


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", EmptyInput),
        ("   \n\n  ", EmptyInput),
        ("Just one sentence here.", NotAnArticle),
        ("word " * 2000, NotAnArticle),
        ("\x00\x01\x02\x03binary\x04\x05\x06\x07\x08\x0e\x0f\x10\x11" * 20, NotAnArticle),
        ("A sentence. " * 20_000, TooLarge),
    ],
)
def test_bad_input_is_refused_with_a_reason(text: str, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        PARSER.parse(text)
    assert 10 < len(str(raised.value)) < 200


def test_wall_of_text_reason_mentions_punctuation() -> None:
    with pytest.raises(NotAnArticle, match="punctuation"):
        PARSER.parse("word " * 2000)


def test_clean_text_drops_stray_control_characters() -> None:
    assert clean_text("Hello\x07 world.\r\nNext.") == "Hello world.\nNext."


def test_content_hash_ignores_case_and_whitespace() -> None:
    assert content_hash("Hello   World.\n") == content_hash("hello world.")
    assert content_hash("Hello World.") != content_hash("Hello Word.")
