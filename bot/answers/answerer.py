"""Keyword answers: question -> stemmed keywords -> full-text candidates -> re-ranked sentences."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from bot.text.language import QUESTION_WORDS, Languages
from storage.records import SearchHit, TermStatistics
from storage.store import ArticleStore

# How many candidates the index hands over for re-ranking; the index does the heavy part.
CANDIDATES = 200
_RAW_WORD = re.compile(r"\w+")
_QUESTION_SKIP = frozenset(word for words in QUESTION_WORDS.values() for word in words)


@dataclass(frozen=True)
class AnswerSentence:
    article_id: int
    article_number: int
    article_title: str
    position: int
    text: str
    score: float
    # (start, end) of the words in `text` that match the question.
    marks: tuple[tuple[int, int], ...]
    context: str | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    keywords: tuple[str, ...]
    sentences: tuple[AnswerSentence, ...]


@dataclass(frozen=True)
class RankingWeights:
    """Knobs of the re-ranker, tuned on the answers dev set (see docs/benchmarks.md)."""

    # BM25 over the chat's sentences. A low b: long sentences are not punished much,
    # since the sentence that answers often carries more than the question asks.
    k1: float = 1.2
    b: float = 0.3
    # Multipliers: share of the question's IDF mass matched; the answer type present
    # (a number for "how many", a year for "when", a name for "who"); title words.
    coverage: float = 0.5
    answer_type: float = 0.4
    title: float = 0.3
    # Additive: stemmed question bigrams found in the sentence; matched words close
    # together; consecutive question words (as written, function words included).
    stem_bigram: float = 0.9
    proximity: float = 3.0
    word_bigram: float = 3.0
    # A long question matching on less than this share of its IDF mass is no answer.
    min_coverage: float = 0.25


_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|dozen|half|percent)\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|"
                    r"december|century|centuries)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=[\w,;:] )[A-Z][\w'-]+")


def answer_type(question: str) -> str | None:
    """What kind of answer an English question wants: number, time, name, or None."""
    lowered = question.lower()
    if re.search(r"\bhow (many|much|long|old|far|large|big|tall|high)\b|\bwhat (percentage|percent|number)\b",
                 lowered):
        return "number"
    if re.search(r"^\s*when\b|\b(what|which) (year|decade|century|month|day|date|time)\b", lowered):
        return "time"
    if re.search(r"^\s*(who|whom|whose)\b|\bwho\b", lowered):
        return "name"
    return None


def holds_answer_type(kind: str | None, text: str, question: str) -> bool:
    if kind == "number":
        return bool(_NUMBER.search(text))
    if kind == "time":
        return bool(_YEAR.search(text) or _MONTH.search(text))
    if kind == "name":
        asked = {word.lower() for word in re.findall(r"\w+", question)}
        return any(name.lower() not in asked for name in _CAPITALISED.findall(text))
    return False


class Answerer:
    """Answers questions from one chat's library; built once and shared."""

    def __init__(self, store: ArticleStore, languages: Languages, weights: RankingWeights | None = None) -> None:
        self._store = store
        self._languages = languages
        self._weights = weights or RankingWeights()

    def question_terms(self, chat_id: int, question: str) -> dict[str, list[str]]:
        """Query terms per language of the chat's library: {language: [stem, ...]}."""
        languages = self._store.article_languages(chat_id)
        terms: dict[str, list[str]] = {}
        for code in languages:
            profile = self._languages.profile(code)
            stems = list(dict.fromkeys(profile.keywords(question, drop_question_words=True)))
            if stems:
                terms[code] = stems
        return terms

    def ask(
        self,
        chat_id: int,
        question: str,
        *,
        top: int = 3,
        article_id: int | None = None,
        prefer_article: int | None = None,
        context: bool = False,
    ) -> Answer:
        per_language = self.question_terms(chat_id, question)
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        keywords = tuple(dict.fromkeys(
            question[start:end]
            for code in per_language
            for start, end, _term in self._languages.profile(code).term_spans(question, drop_question_words=True)
        ))
        if not all_terms:
            return Answer(question, keywords, ())
        stats = self._store.term_statistics(chat_id, all_terms)
        hits = self._store.search(chat_id, all_terms, limit=CANDIDATES, article_id=article_id,
                                  frequencies=stats.document_frequency)
        ranked = self._rank(stats, hits, per_language, prefer_article, question)
        # The same sentence twice (a repeated passage, a quote in two articles) is shown once.
        seen: set[str] = set()
        chosen = []
        for hit, score in ranked:
            key = " ".join(hit.sentence.text.lower().split())
            if key in seen:
                continue
            seen.add(key)
            chosen.append((hit, score))
            if len(chosen) == top:
                break
        sentences = []
        for hit, score in chosen:
            sentence = hit.sentence
            profile = self._languages.profile(sentence.language)
            wanted = set(per_language.get(sentence.language, all_terms))
            marks = tuple(
                (start, end) for start, end, term in profile.term_spans(sentence.text) if term in wanted
            )
            before = None
            if context and sentence.position > 0:
                found = self._store.sentences_at(chat_id, sentence.article_id, [sentence.position - 1])
                previous = found.get(sentence.position - 1)
                before = previous.text if previous is not None and not previous.heading else None
            sentences.append(
                AnswerSentence(
                    article_id=sentence.article_id,
                    article_number=sentence.article_number,
                    article_title=sentence.article_title,
                    position=sentence.position,
                    text=sentence.text,
                    score=round(score, 4),
                    marks=marks,
                    context=before,
                )
            )
        return Answer(question, keywords, tuple(sentences))

    def _rank(
        self,
        stats: TermStatistics,
        hits: list[SearchHit],
        per_language: dict[str, list[str]],
        prefer_article: int | None,
        question: str,
    ) -> list[tuple[SearchHit, float]]:
        weights = self._weights
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        total = max(stats.sentences, 1)
        average = max(stats.average_terms, 1.0)
        idf = {
            term: math.log(1 + (total - df + 0.5) / (df + 0.5))
            for term, df in ((t, min(stats.document_frequency.get(t, 0), total)) for t in all_terms)
        }
        kind = answer_type(question)
        question_words = [w for w in _RAW_WORD.findall(question.lower()) if w not in _QUESTION_SKIP]
        question_pairs = set(itertools.pairwise(question_words))
        titles: dict[int, set[str]] = {}
        scored = []
        for order, hit in enumerate(hits):
            sentence = hit.sentence
            query = per_language.get(sentence.language) or all_terms
            terms = sentence.terms.split()
            counts: dict[str, int] = {}
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
            matched = [term for term in query if term in counts]
            if not matched:
                continue
            query_mass = sum(idf.get(term, 0.0) for term in query) or 1.0
            coverage = sum(idf.get(term, 0.0) for term in matched) / query_mass
            if len(query) >= 3 and coverage < weights.min_coverage:
                # One common word out of a long question is not an answer.
                continue
            length_norm = weights.k1 * (1 - weights.b + weights.b * len(terms) / average)
            bm25 = sum(
                idf.get(term, 0.0) * counts[term] * (weights.k1 + 1) / (counts[term] + length_norm) for term in matched
            )
            if sentence.article_id not in titles:
                profile = self._languages.profile(sentence.language)
                titles[sentence.article_id] = set(profile.keywords(sentence.article_title))
            title_share = len(set(query) & titles[sentence.article_id]) / len(query)
            score = bm25 * (1 + weights.coverage * coverage) * (1 + weights.title * title_share)
            if kind is not None and holds_answer_type(kind, sentence.text, question):
                score *= 1 + weights.answer_type
            stem_pairs = len(set(itertools.pairwise(query)) & set(itertools.pairwise(terms)))
            places = [i for i, term in enumerate(terms) if term in set(matched)]
            proximity = len(set(matched)) / (places[-1] - places[0] + 1) if len(set(matched)) > 1 else 0.0
            words = _RAW_WORD.findall(sentence.text.lower())
            word_pairs = len(question_pairs & set(itertools.pairwise(words)))
            score += (weights.stem_bigram * stem_pairs + weights.proximity * proximity
                      + weights.word_bigram * word_pairs)
            preferred = prefer_article is not None and sentence.article_number == prefer_article
            # The article being talked about wins ties, and nothing more than ties.
            scored.append((score, preferred, -order, hit))
        scored.sort(key=lambda item: (round(item[0], 6), item[1], item[2]), reverse=True)
        return [(hit, score) for score, _preferred, _order, hit in scored]
