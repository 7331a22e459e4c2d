"""The multi-document briefing method: no near-duplicates, coverage, citations, order, budget, languages."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest

from bot.summaries.briefing import Briefer, BriefingWeights, BriefSentence, BriefSource
from bot.text.article import ArticleParser, ParsedArticle
from bot.text.language import Languages
from bot.text.tokenizer import PunktModels
from tests.helpers import data_file

LANGUAGES = Languages()
PARSER = ArticleParser(LANGUAGES, PunktModels(), max_chars=2_000_000, min_sentences=3)
BRIEFER = Briefer(PARSER)


def article(name: str) -> ParsedArticle:
    return PARSER.parse(data_file(name).read_text("utf-8"))


FERRY = (article("briefing/en-ferry-wire.txt"), article("briefing/en-ferry-local.txt"))
RADWEG = (article("articles/de-radweg.txt"), article("briefing/de-radweg-zeitung.txt"))
OTHERS = tuple(article(f"articles/{name}.txt") for name in ("en-bakery-prices", "fr-boulangerie", "en-rail-fares"))


def sources(*articles: ParsedArticle, first: int = 1) -> list[BriefSource]:
    return [BriefSource(first + index, parsed) for index, parsed in enumerate(articles)]


def stemmed_cosine(one: str, one_language: str, two: str, two_language: str) -> float:
    """The issue's measure, written out here: cosine of stemmed content-word counts, each text by its language."""

    def bag(text: str, code: str) -> Counter[str]:
        profile = LANGUAGES.profile(code)
        words = [w.lower() for w in "".join(c if c.isalpha() else " " for c in text).split()]
        return Counter(profile.stem(w) for w in words if w not in profile.stop_words)

    a, b = bag(one, one_language), bag(two, two_language)
    dot = sum(a[k] * b[k] for k in a)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def languages_of(items: list[BriefSource]) -> dict[int, str]:
    return {source.key: source.article.language for source in items}


def redundant_pairs(chosen: tuple[BriefSentence, ...], language: dict[int, str]) -> list[tuple[str, str]]:
    return [(a.text, b.text) for a, b in itertools.combinations(chosen, 2)
            if stemmed_cosine(a.text, language[a.article], b.text, language[b.article]) > 0.5]


@pytest.mark.parametrize("pair", [FERRY, RADWEG], ids=["english", "german"])
@pytest.mark.parametrize("count", [2, 4, 6, 10])
def test_two_articles_about_the_same_event_give_no_sentence_twice(pair: tuple[ParsedArticle, ...],
                                                                   count: int) -> None:
    items = sources(*pair)
    # The test data do repeat themselves: some cross-article pair is above the bar.
    assert any(stemmed_cosine(a.text, pair[0].language, b.text, pair[1].language) > 0.5
               for a in pair[0].content_sentences for b in pair[1].content_sentences)
    chosen = BRIEFER.brief(items, count)
    assert len(chosen) == count
    assert redundant_pairs(chosen, languages_of(items)) == []


def test_a_repeated_sentence_is_cited_with_the_other_article_that_says_it() -> None:
    wire, local = FERRY
    chosen = BRIEFER.brief(sources(wire, local), 6)
    repeated = [s for s in chosen if s.also]
    assert repeated, "the wire sentence both reports carry is in the briefing, citing both"
    for sentence in repeated:
        other = local if sentence.article == 1 else wire
        assert sentence.also == (2 if sentence.article == 1 else 1,)
        assert max(stemmed_cosine(sentence.text, "en", s.text, "en") for s in other.content_sentences) > 0.5


@pytest.mark.parametrize("extra", [0, 1, 3, 5])
def test_every_article_is_represented_when_there_are_enough_sentences(extra: int) -> None:
    articles = (*FERRY, *RADWEG, *OTHERS)
    items = sources(*articles)
    chosen = BRIEFER.brief(items, len(articles) + extra)
    assert {s.article for s in chosen} == {item.key for item in items}
    assert redundant_pairs(chosen, languages_of(items)) == []


def test_each_sentence_is_tagged_with_its_article_and_position_and_grouped_in_article_order() -> None:
    articles = (OTHERS[2], *FERRY, OTHERS[0])
    items = sources(*articles, first=10)
    chosen = BRIEFER.brief(items, 8)
    by_key = {item.key: item.article for item in items}
    for sentence in chosen:
        [source] = [s for s in by_key[sentence.article].sentences if s.position == sentence.position]
        assert source.text == sentence.text and not source.heading
    keys = [item.key for item in items]
    order = [(keys.index(s.article), s.position) for s in chosen]
    assert order == sorted(order)


def test_a_budget_is_kept_and_coverage_kept_within_it() -> None:
    items = sources(*FERRY, *OTHERS)

    def cost(text: str) -> int:
        return len(text) + 5

    chosen = BRIEFER.brief(items, 20, budget=900, cost=cost)
    assert sum(cost(s.text) for s in chosen) <= 900
    assert {s.article for s in chosen} == {item.key for item in items}
    assert len(BRIEFER.brief(items, 20)) > len(chosen)


def test_default_length_grows_with_the_articles_and_covers_them() -> None:
    one = BRIEFER.brief(sources(FERRY[0]))
    many = BRIEFER.brief(sources(*FERRY, *RADWEG, *OTHERS))
    assert 1 <= len(one) < len(many)
    assert len({s.article for s in many}) == 7


def test_repeated_sentences_inside_one_article_appear_once() -> None:
    text = data_file("briefing/en-ferry-wire.txt").read_text("utf-8")
    paragraphs = text.split("\n\n")
    doubled = PARSER.parse("\n\n".join([*paragraphs, *paragraphs[1:4]]))
    chosen = BRIEFER.brief(sources(doubled), 12)
    assert len({s.text for s in chosen}) == len(chosen)


def test_nothing_in_nothing_out_and_bad_arguments() -> None:
    assert BRIEFER.brief([]) == ()
    with pytest.raises(ValueError, match="at least one sentence"):
        BRIEFER.brief(sources(FERRY[0]), 0)
    with pytest.raises(ValueError):
        BriefingWeights(mmr_lambda=0)
