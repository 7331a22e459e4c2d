"""The vectorised engine (bot.summaries.fast) picks exactly the sentences stock Sumy picks, ties included.

Both are given Briefbot's stemmer (PyStemmer's Snowball, bot/text/stemming.py), as the stock engine is
in the bot: Sumy's summarizers take any stemmer callable.
"""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.reduction import ReductionSummarizer

from bot.summaries.fast import FAST_SUMMARIZERS
from bot.summaries.summarizer import stock_summarizers
from bot.text.article import ArticleParser, to_sumy_document
from bot.text.language import LanguageProfile, Languages
from bot.text.stemming import SNOWBALL_ALGORITHMS, SnowballStemmer
from bot.text.tokenizer import PunktModels
from tests.helpers import data_file

# Sumy's own classes, as the stock engine runs them.
STOCK = stock_summarizers()
# Stock KL-Sum is roughly cubic: keep its documents small.
STOCK_LIMIT = {"kl": 150}
STIGMA = ("hardly", "perhaps", "maybe", "reportedly", "allegedly", "impossible")

RUSSIAN = """Новая библиотека в центре города

Городская библиотека открылась после долгого ремонта. В новом здании есть читальный зал, детский отдел и кафе.
Директор библиотеки сказала, что ремонт занял три года. Читатели давно ждали открытия библиотеки.

В первый день библиотеку посетили больше тысячи человек. Многие читатели пришли с детьми.
Детский отдел получил новые книги и игры. Городские власти обещали поддерживать библиотеку и дальше.

Ремонт оплатил городской бюджет. Часть книг подарили жители города. Библиотека будет работать каждый день.
Вечером в читальном зале прошла встреча с писателем. Писатель рассказал о своей новой книге о городе."""

GERMAN = """Neue Brücke über den Fluss eröffnet

Die neue Brücke über den Fluss wurde am Montag eröffnet. Der Bau der Brücke dauerte vier Jahre.
Der Bürgermeister sagte, die Brücke verbinde endlich beide Teile der Stadt. Viele Bürger kamen zur Eröffnung.

Die alte Brücke war seit Jahren gesperrt. Pendler mussten einen langen Umweg fahren.
Mit der neuen Brücke sparen Pendler jeden Tag viel Zeit. Auch Radfahrer dürfen die Brücke nutzen.

Die Kosten der Brücke lagen über dem Plan. Der Stadtrat will die Kosten prüfen lassen.
Trotzdem sind die meisten Bürger mit der Brücke zufrieden. Am Abend gab es ein Fest am Fluss."""

FRENCH = """Le marché du village retrouve ses clients

Le marché du village a repris samedi après deux mois de travaux. Les commerçants
étaient heureux de revoir leurs clients.
La mairie a rénové la place du marché et ajouté des bancs. Les clients trouvent la place plus agréable.

Les producteurs locaux vendent des fruits, des légumes et du fromage. Les prix restent stables selon les commerçants.
Certains clients regrettent le manque de places pour les voitures. La mairie promet un nouveau parking au printemps.

Le marché attire aussi des touristes en été. Les commerçants espèrent une bonne saison.
Le maire a visité le marché samedi matin. Il a acheté du fromage et des légumes aux producteurs du village."""


@dataclass(frozen=True)
class Case:
    label: str
    document: ObjectDocumentModel
    profile: LanguageProfile
    title: str


@cache
def _parser() -> ArticleParser:
    return ArticleParser(Languages(), PunktModels(), max_chars=5_000_000, min_sentences=1)


def _case(label: str, text: str, max_sentences: int | None = None) -> Case:
    parser = _parser()
    article = parser.parse(text)
    tokenizer = parser.tokenizer(article.language)
    document, _by_object = to_sumy_document(article, tokenizer)
    paragraphs = [Paragraph([Sentence(article.title, tokenizer, is_heading=True)])] if article.title else []
    kept = 0
    for paragraph in document.paragraphs:
        sentences = []
        for sentence in paragraph._sentences:
            if max_sentences is not None and not sentence.is_heading:
                if kept >= max_sentences:
                    break
                kept += 1
            sentences.append(sentence)
        if sentences:
            paragraphs.append(Paragraph(sentences))
    return Case(label, ObjectDocumentModel(paragraphs), parser.profile(article.language), article.title)


def _generated(seed: int, sentences: int, vocabulary: int) -> str:
    """A text over a tiny vocabulary: repeated, permuted and one-word sentences make ties."""
    rng = random.Random(seed)
    pool = ["market", "price", "bank", "rate", "growth", "city", "river", "house", "vote", "power", "trade",
            "school", "the", "of", "and", "is"]
    words = [*pool[:vocabulary], "the", "of"]
    lines: list[str] = []
    previous: list[str] = []
    for index in range(sentences):
        roll = rng.random()
        if previous and roll < 0.15:
            chosen = list(previous)  # the same sentence again
        elif previous and roll < 0.3:
            chosen = rng.sample(previous, len(previous))  # the same words in another order
        elif roll < 0.4:
            chosen = [rng.choice(words)]
        else:
            chosen = [rng.choice(words) for _ in range(rng.randint(2, 9))]
        previous = chosen
        text = " ".join(chosen)
        lines.append(text[0].upper() + text[1:] + ".")
        if index % 5 == 4:
            lines.append("\n\n")
    return "Market price of the city bank\n\n" + " ".join(lines).replace(" \n\n ", "\n\n")


@cache
def corpus() -> tuple[Case, ...]:
    cases = [_case("seed", data_file("seed-article.txt").read_text("utf-8"))]
    long_text = data_file("long-article.txt").read_text("utf-8")
    cases += [_case(f"long-{size}", long_text, size) for size in (40, 150, 300)]
    # Short news articles written for these tests (title, blank line, text), English and a few other languages.
    articles = sorted(data_file("articles").glob("*.txt"))
    assert len(articles) >= 10, f"tests/data/articles/ holds {len(articles)} articles"
    cases += [_case(f"article-{path.stem}", path.read_text("utf-8")) for path in articles]
    cases += [_case(f"generated-{seed}", _generated(seed, size, vocabulary))
              for seed, size, vocabulary in ((1, 12, 4), (2, 40, 5), (3, 80, 8), (4, 150, 12), (5, 30, 3))]
    cases += [_case(language, text) for language, text in (("ru", RUSSIAN), ("de", GERMAN), ("fr", FRENCH))]
    return tuple(cases)


def _configure(summarizer: Any, name: str, case: Case) -> Any:
    summarizer.stop_words = case.profile.stop_words
    if name == "edmundson":
        title_words = [word for word in case.title.lower().split() if word not in case.profile.stop_words]
        summarizer.bonus_words = title_words or ["the"]
        summarizer.stigma_words = STIGMA
        summarizer.null_words = case.profile.stop_words
    return summarizer


def _run(summarizer: Any, document: ObjectDocumentModel, count: Any) -> tuple[tuple[Sentence, ...], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        picked = summarizer(document, count)
    return picked, [str(warning.message) for warning in caught]


class _Picker:
    """Stock `__call__` from ratings computed once: `_get_best_sentences(sentences, count, ratings)`."""

    def __init__(self, summarizer: Any, ratings: dict[Sentence, Any]) -> None:
        self._summarizer = summarizer
        self._ratings = ratings

    def __call__(self, document: ObjectDocumentModel, count: Any) -> tuple[Sentence, ...]:
        return self._summarizer._get_best_sentences(document.sentences, count, self._ratings)


def _counts(case: Case) -> tuple[Any, ...]:
    total = len(case.document.sentences)
    if total > 100:
        return (1, 5, 12)
    return (1, 2, 3, 5, 10, "30%")


def test_every_algorithm_has_a_fast_class() -> None:
    assert set(FAST_SUMMARIZERS) == set(STOCK)
    assert all(stock.__module__.startswith("sumy.summarizers.") for stock in STOCK.values())
    for name, fast in FAST_SUMMARIZERS.items():
        assert issubclass(fast, STOCK[name]) and fast is not STOCK[name]


@pytest.mark.parametrize("name", sorted(STOCK))
def test_same_sentences_as_stock(name: str) -> None:
    checked = 0
    for case in corpus():
        if len(case.document.sentences) > STOCK_LIMIT.get(name, 10**9):
            continue
        stemmer = case.profile.stem
        stock = _configure(STOCK[name](stemmer), name, case)
        fast = _configure(FAST_SUMMARIZERS[name](stemmer), name, case)
        if name == "kl":
            # Stock KL-Sum rates every sentence whatever the count (its __call__ is these two steps):
            # rate once, pick per count.
            ratings = stock._compute_ratings(case.document.sentences)
            stock = _Picker(stock, ratings)
        for count in _counts(case):
            expected, expected_warnings = _run(stock, case.document, count)
            got, got_warnings = _run(fast, case.document, count)
            assert isinstance(got, tuple), case.label
            assert [str(s) for s in got] == [str(s) for s in expected], (case.label, count)
            # The document's own objects, in document order.
            assert all(a is b for a, b in zip(got, expected, strict=True)), (case.label, count)
            assert got_warnings == expected_warnings, (case.label, count)
            checked += 1
    assert checked >= 150


@pytest.mark.parametrize("name", ["reduction", "textrank"])
def test_same_ratings_as_stock(name: str) -> None:
    for case in corpus():
        stock = _configure(STOCK[name](case.profile.stem), name, case)
        fast = _configure(FAST_SUMMARIZERS[name](case.profile.stem), name, case)
        expected = stock.rate_sentences(case.document)
        got = fast.rate_sentences(case.document)
        assert type(got) is type(expected), case.label
        assert list(got.items()) == list(expected.items()), case.label


def test_both_engines_stem_with_pystemmer() -> None:
    """The stemmer both engines get is PyStemmer's Snowball (behind Briefbot's cache), not NLTK's."""
    for case in corpus():
        stemmer = case.profile.stem
        assert case.profile.name in SNOWBALL_ALGORITHMS, case.label
        assert isinstance(stemmer.__wrapped__, SnowballStemmer), case.label  # type: ignore[attr-defined]
        for name in sorted(STOCK):
            assert STOCK[name](stemmer)._stemmer is stemmer
            assert FAST_SUMMARIZERS[name](stemmer).stem_word("Visited") == stemmer("visited")


def test_corpus_covers_several_languages() -> None:
    """Not only English: other languages' stemmers and stop words go through the parity checks too."""
    assert {"en", "de", "fr", "ru", "es", "it", "pt"} <= {case.profile.code for case in corpus()}


def test_generated_texts_have_ties() -> None:
    """The small-vocabulary texts do exercise tied ratings."""
    case = next(case for case in corpus() if case.label == "generated-2")
    ratings = ReductionSummarizer(case.profile.stem).rate_sentences(case.document)
    values = [ratings[sentence] for sentence in case.document.sentences]
    assert len(set(values)) < len(values)


@pytest.mark.parametrize("name", sorted(STOCK))
def test_empty_and_tiny_documents(name: str) -> None:
    case = corpus()[0]
    tokenizer = _parser().tokenizer("en")
    one = ObjectDocumentModel([Paragraph([Sentence("Only one sentence here.", tokenizer)])])
    empty = ObjectDocumentModel([])
    for document in (one, empty):
        stock = _configure(STOCK[name](case.profile.stem), name, case)
        fast = _configure(FAST_SUMMARIZERS[name](case.profile.stem), name, case)
        try:
            expected = _run(stock, document, 3)
        except Exception as error:  # the fast class must fail the same way
            with pytest.raises(type(error)):
                _run(fast, document, 3)
            continue
        assert _run(fast, document, 3) == expected
