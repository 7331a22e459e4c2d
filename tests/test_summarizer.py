from __future__ import annotations

import pytest

from bot.errors import InputError, UnknownAlgorithm
from bot.summaries.algorithms import ALGORITHMS, DEFAULT_ALGORITHM
from bot.summaries.summarizer import Summarizer, auto_length
from bot.text.article import ArticleParser
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels
from tests.helpers import data_file, seed_article

PARSER = ArticleParser(Languages(), PunktModels(), max_chars=2_000_000, min_sentences=3)
SEED = PARSER.parse(seed_article())


@pytest.mark.parametrize("engine", ["fast", "sumy"])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_returns_article_sentences_in_order(engine: str, algorithm: str) -> None:
    summary = Summarizer(PARSER, engine=engine).summarize(SEED, algorithm=algorithm, sentences=3)
    assert summary.algorithm == algorithm
    assert len(summary.sentences) == 3
    positions = [s.position for s in summary.sentences]
    assert positions == sorted(positions)
    for sentence in summary.sentences:
        assert not sentence.heading
        assert sentence.text in " ".join(SEED.text.split())
        assert sentence.text != SEED.title


def test_lead_is_the_first_sentences() -> None:
    summary = Summarizer(PARSER).summarize(SEED, algorithm="lead", sentences=2)
    assert summary.sentences == SEED.content_sentences[:2]


def test_default_reports_the_algorithm_that_ran() -> None:
    summary = Summarizer(PARSER).summarize(SEED)
    assert summary.asked == "default"
    assert summary.algorithm == DEFAULT_ALGORITHM
    assert len(summary.sentences) == auto_length(len(SEED.content_sentences))


@pytest.mark.parametrize(("ratio", "expected"), [(0.1, 2), (0.5, 10), (1.0, 20)])
def test_ratio_sets_the_length(ratio: float, expected: int) -> None:
    summary = Summarizer(PARSER).summarize(SEED, algorithm="luhn", ratio=ratio)
    assert len(summary.sentences) == expected


def test_more_sentences_than_the_article_has_returns_them_all() -> None:
    summary = Summarizer(PARSER).summarize(SEED, algorithm="lexrank", sentences=99)
    assert len(summary.sentences) == 20


@pytest.mark.parametrize("name", ["bogus", "lex rank", "random"])
def test_unknown_algorithm_is_refused_with_the_choices(name: str) -> None:
    with pytest.raises(UnknownAlgorithm, match="textrank"):
        Summarizer(PARSER).summarize(SEED, algorithm=name)


@pytest.mark.parametrize(("kwargs"), [{"sentences": 0}, {"ratio": 0.0}, {"ratio": 1.5}])
def test_bad_lengths_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(InputError):
        Summarizer(PARSER).summarize(SEED, **kwargs)  # type: ignore[arg-type]


def test_algorithm_names_are_case_insensitive() -> None:
    assert Summarizer(PARSER).summarize(SEED, algorithm="LexRank", sentences=2).algorithm == "lexrank"


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("ru", "Министр обороны Украины посетил Израиль. Москва выразила сомнение в цели визита. "
               "Израиль не хочет раздражать Кремль. Россия следит за развитием событий. "
               "Киев планирует купить израильские беспилотники."),
        ("de", "Der Minister besuchte Israel. Moskau äußerte Zweifel am Zweck des Besuchs. "
               "Israel will den Kreml nicht verärgern. Russland beobachtet die Entwicklung genau. "
               "Kiew plant den Kauf israelischer Drohnen."),
        ("fr", "Le ministre a visité Israël. Moscou a exprimé des doutes sur le but de la visite. "
               "Israël ne veut pas irriter le Kremlin. La Russie surveille la situation de près. "
               "Kiev prévoit d'acheter des drones israéliens."),
        ("he", "השר ביקר בישראל. מוסקבה הביעה ספק לגבי מטרת הביקור. ישראל לא רוצה להרגיז את הקרמלין. "
               "רוסיה עוקבת אחר ההתפתחויות. קייב מתכננת לרכוש רחפנים."),
    ],
)
def test_summaries_in_other_languages(code: str, text: str) -> None:
    article = PARSER.parse(text)
    assert article.language == code
    for algorithm in ("lexrank", "textrank", "luhn", "edmundson"):
        summary = Summarizer(PARSER).summarize(article, algorithm=algorithm, sentences=2)
        assert len(summary.sentences) == 2


def test_stock_engine_hands_huge_inputs_to_a_linear_algorithm() -> None:
    text = data_file("long-article.txt").read_text("utf-8")
    article = PARSER.parse(text)
    summary = Summarizer(PARSER, engine="sumy").summarize(article, algorithm="kl", sentences=3)
    assert summary.algorithm == "luhn"
    assert "too slow" in summary.note


def test_fast_engine_hands_texts_past_its_budget_to_luhn() -> None:
    # 5,200 distinct sentences: LexRank's dense similarity graph would take gigabytes.
    text = "Budget test\n\n" + "\n\n".join(
        " ".join(f"Reporter {p}-{s} wrote about harbour {p % 37} and market {s * 7 + p % 11}." for s in range(8))
        for p in range(650))
    article = PARSER.parse(text)
    assert len(article.content_sentences) > 5000
    summary = Summarizer(PARSER).summarize(article, algorithm="lexrank", sentences=3)
    assert (summary.algorithm, summary.asked) == ("luhn", "lexrank")
    assert "too slow" in summary.note and len(summary.sentences) == 3
    # Stock Edmundson past its budget: not even Luhn is cheap enough, so the lead; without the
    # budget (an engine named on the command line) it runs as asked.
    bounded = Summarizer(PARSER, engine="sumy").summarize(article, algorithm="edmundson", sentences=3)
    assert bounded.algorithm == "lead"
    unbounded = Summarizer(PARSER, engine="sumy", time_budget=False).summarize(article, algorithm="edmundson",
                                                                               sentences=3)
    assert unbounded.algorithm == "edmundson" and not unbounded.note
