"""Keyword answers: question -> stemmed keywords -> full-text candidates -> re-ranked sentences."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language import Languages
from storage.records import SearchHit
from storage.store import ArticleStore

# How many candidates the index hands over for re-ranking; the index does the heavy part.
CANDIDATES = 100


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
    """Knobs of the re-ranker (tuned on the answers dev set; see docs/benchmarks.md)."""

    coverage: float = 0.6
    title: float = 0.15
    min_coverage: float = 0.34


class Answerer:
    """Answers questions from one chat's library; built once and shared."""

    def __init__(self, store: ArticleStore, languages: Languages, weights: RankingWeights | None = None) -> None:
        self._store = store
        self._languages = languages
        self._weights = weights or RankingWeights()

    def question_terms(self, chat_id: int, question: str) -> dict[str, list[str]]:
        """Query terms per language of the chat's library: {language: [stem, ...]}."""
        languages = self._store.article_languages(chat_id)[:3]
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
        hits = self._store.search(chat_id, all_terms, limit=CANDIDATES, article_id=article_id)
        ranked = self._rank(hits, per_language, prefer_article)
        chosen = ranked[:top]
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
        self, hits: list[SearchHit], per_language: dict[str, list[str]], prefer_article: int | None
    ) -> list[tuple[SearchHit, float]]:
        weights = self._weights
        scored = []
        for order, hit in enumerate(hits):
            sentence = hit.sentence
            query = per_language.get(sentence.language) or next(iter(per_language.values()))
            query_set = set(query)
            sentence_terms = set(sentence.terms.split())
            matched = query_set & sentence_terms
            if not matched:
                continue
            coverage = len(matched) / len(query_set)
            if len(query_set) >= 3 and coverage < weights.min_coverage:
                # One common word out of a long question is not an answer.
                continue
            profile = self._languages.profile(sentence.language)
            title_terms = set(profile.keywords(sentence.article_title))
            title_share = len(query_set & title_terms) / len(query_set)
            score = hit.score * (1 + weights.coverage * coverage + weights.title * title_share)
            preferred = prefer_article is not None and sentence.article_number == prefer_article
            # The article being talked about wins ties, and nothing more than ties.
            scored.append((score, preferred, -order, hit))
        scored.sort(key=lambda item: (round(item[0], 6), item[1], item[2]), reverse=True)
        return [(hit, score) for score, _preferred, _order, hit in scored]
