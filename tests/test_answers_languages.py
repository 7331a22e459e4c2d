"""Answers in several languages: as many as asked for, and inflected question words finding their sentences."""

from __future__ import annotations

from bot.services import Services

UKRAINE = (
    "Grain Corridor Reopens\n\n"
    "Ukraine reopened the grain corridor in the Black Sea on Tuesday. "
    "Ships carrying wheat left Odesa under naval escort. "
    "Farmers welcomed the news after months of losses. "
    "Prices of wheat in Europe fell by three percent."
)


def test_weak_matches_are_returned_after_strong_ones(services: Services) -> None:
    services.library.ingest_text(1, UKRAINE)
    question = "Why did wheat prices fall in Europe after storms?"
    answer = services.library.ask(1, question, top=3, article_number=1)
    texts = [s.text for s in answer.sentences]
    assert texts[0].startswith("Prices of wheat in Europe fell") and not answer.sentences[0].weak
    # Only "wheat" of a long question: a weak match, but one, and returned after the strong one.
    assert any(s.text.startswith("Ships carrying wheat") and s.weak for s in answer.sentences[1:])
    # A sentence sharing no keyword is never an answer.
    assert not any("Farmers" in text for text in texts)


def test_never_fewer_than_asked_when_sentences_share_keywords(services: Services) -> None:
    services.library.ingest_text(1, UKRAINE)
    answer = services.library.ask(1, "Did grain ships and wheat farmers in Odesa see any change?", top=3)
    assert len(answer.sentences) == 3
    weak = [s.weak for s in answer.sentences]
    assert weak == sorted(weak), "strong matches come first"


def test_answer_types_are_read_in_other_languages() -> None:
    from bot.answers.ranking import answer_type

    assert answer_type("Wie viele Menschen lebten dort?") == "number"
    assert answer_type("¿Cuándo se fundó la ciudad?") == "time"
    assert answer_type("Кто написал эту книгу?") == "name"
    assert answer_type("Πόσα χρόνια κράτησε ο πόλεμος;") == "number"
    assert answer_type("Was ist das?") is None
