"""Keyword answers: question -> stemmed keywords -> full-text candidates -> re-ranked sentences."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answers.ranking import RankingWeights, Signals, answer_type, holds_answer_type
from bot.answers.terms import COMPOUNDING, compound_candidates, compound_parts
from bot.text.language import ALL_QUESTION_WORDS, Languages
from storage.records import SearchHit, TermStatistics

if TYPE_CHECKING:
    from storage.store import ArticleStore

# How many candidates the index hands over for re-ranking; the index does the heavy part.
CANDIDATES = 200
_RAW_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Candidate:
    """A sentence sharing a question term, with what the re-ranker measured of it."""

    hit: SearchHit
    signals: Signals
    # In the article being talked about (wins ties); its place in the index's order (breaks the rest).
    preferred: bool
    order: int


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
    # A weak match: it shares the question's keywords but too little of their weight
    # (below RankingWeights.min_coverage); returned only after every strong match.
    weak: bool = False


@dataclass(frozen=True)
class Answer:
    question: str
    keywords: tuple[str, ...]
    sentences: tuple[AnswerSentence, ...]


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
            if code in COMPOUNDING:
                stems += [part for part in self._known_compound_parts(chat_id, profile, question, stems)
                          if part not in stems]
            if stems:
                terms[code] = stems
        return terms

    def _known_compound_parts(self, chat_id: int, profile, question: str, stems: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
        """Parts of the question's compounds that the library knows, for compounds it does not know."""
        candidates = compound_candidates(profile, question)
        if not candidates:
            return []
        frequency = self._store.term_statistics(chat_id, [*stems, *candidates]).document_frequency
        known = {term for term, count in frequency.items() if count > 0}
        parts: list[str] = []
        for start, end, term in profile.term_spans(question, drop_question_words=True):
            if term not in known:
                parts += compound_parts(profile, question[start:end], known)
        return parts

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
        per_language, found = self.candidates(chat_id, question, article_id=article_id, prefer_article=prefer_article)
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        keywords = tuple(dict.fromkeys(
            question[start:end]
            for code in per_language
            for start, end, _term in self._languages.profile(code).term_spans(question, drop_question_words=True)
        ))
        if not found:
            return Answer(question, keywords, ())
        # The same sentence twice (a repeated passage, a quote in two articles) is shown once.
        seen: set[str] = set()
        chosen = []
        for candidate, score, weak in self.rank(found):
            key = " ".join(candidate.hit.sentence.text.lower().split())
            if key in seen:
                continue
            seen.add(key)
            chosen.append((candidate.hit, score, weak))
            if len(chosen) == top:
                break
        sentences = []
        for hit, score, weak in chosen:
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
                    weak=weak,
                )
            )
        return Answer(question, keywords, tuple(sentences))

    def candidates(
        self,
        chat_id: int,
        question: str,
        *,
        article_id: int | None = None,
        prefer_article: int | None = None,
    ) -> tuple[dict[str, list[str]], list[Candidate]]:
        """The question's terms per language and every sentence sharing one, with what the re-ranker measured."""
        per_language = self.question_terms(chat_id, question)
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        if not all_terms:
            return per_language, []
        stats = self._store.term_statistics(chat_id, all_terms)
        hits = self._store.search(chat_id, all_terms, limit=CANDIDATES, article_id=article_id,
                                  frequencies=stats.document_frequency)
        return per_language, self._measure(stats, hits, per_language, prefer_article, question)

    def rank(self, found: list[Candidate]) -> list[tuple[Candidate, float, bool]]:
        """Candidates best first, each with its score and whether it is weak: strong matches, then weak ones."""
        scored = [(self._weights.score(c.signals), c) for c in found]
        scored.sort(key=lambda item: self._best_first(*item), reverse=True)
        return [(c, score, self._weights.weak(c.signals)) for score, c in scored]

    def _best_first(self, score: float, candidate: Candidate) -> tuple[bool, float, bool, int]:
        """Strong matches before weak ones, then by score; the preferred article, then the index's order, on ties."""
        return (not self._weights.weak(candidate.signals), round(score, 6), candidate.preferred, -candidate.order)

    def _measure(
        self,
        stats: TermStatistics,
        hits: list[SearchHit],
        per_language: dict[str, list[str]],
        prefer_article: int | None,
        question: str,
    ) -> list[Candidate]:
        """The signals of every hit sharing a question term, in the index's order."""
        weights = self._weights
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        total = max(stats.sentences, 1)
        average = max(stats.average_terms, 1.0)
        idf = {
            term: math.log(1 + (total - df + 0.5) / (df + 0.5))
            for term, df in ((t, min(stats.document_frequency.get(t, 0), total)) for t in all_terms)
        }
        kind = answer_type(question)
        question_words = [w for w in _RAW_WORD.findall(question.lower()) if w not in ALL_QUESTION_WORDS]
        question_pairs = set(itertools.pairwise(question_words))
        titles: dict[int, set[str]] = {}
        # The terms of each candidate's place and of each article's candidates (the candidates stand for
        # the article and for the sentences before them: no extra query).
        split = [hit.sentence.terms.split() for hit in hits]
        at_place: dict[tuple[int, int], list[str]] = {}
        held_by: dict[int, set[str]] = {}
        for hit, terms in zip(hits, split, strict=True):
            at_place[hit.sentence.article_id, hit.sentence.position] = terms
            held_by.setdefault(hit.sentence.article_id, set()).update(terms)
        article_mass: dict[tuple[int, str], float] = {}
        found: list[Candidate] = []
        for order, (hit, terms) in enumerate(zip(hits, split, strict=True)):
            sentence = hit.sentence
            query = per_language.get(sentence.language) or all_terms
            counts: dict[str, int] = {}
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
            matched = [term for term in query if term in counts]
            if not matched:
                continue
            query_mass = sum(idf.get(term, 0.0) for term in query) or 1.0
            length_norm = weights.k1 * (1 - weights.b + weights.b * len(terms) / average)
            if sentence.article_id not in titles:
                profile = self._languages.profile(sentence.language)
                titles[sentence.article_id] = set(profile.keywords(sentence.article_title))
            # Across the library: the article holding more of the question's terms is more likely its subject.
            key = (sentence.article_id, sentence.language)
            if key not in article_mass:
                article_mass[key] = sum(idf.get(term, 0.0) for term in query if term in held_by[sentence.article_id])
            places = [i for i, term in enumerate(terms) if term in set(matched)]
            # Passage context: what the question names and this sentence calls "he" or "the city"
            # often stands in the sentence before.
            before = at_place.get((sentence.article_id, sentence.position - 1))
            signals = Signals(
                bm25=sum(idf.get(term, 0.0) * counts[term] * (weights.k1 + 1) / (counts[term] + length_norm)
                         for term in matched),
                coverage=sum(idf.get(term, 0.0) for term in matched) / query_mass,
                title=len(set(query) & titles[sentence.article_id]) / len(query),
                article=article_mass[key],
                answer_type=kind is not None and holds_answer_type(kind, sentence.text, question),
                stem_pairs=len(set(itertools.pairwise(query)) & set(itertools.pairwise(terms))),
                proximity=len(set(matched)) / (places[-1] - places[0] + 1) if len(set(matched)) > 1 else 0.0,
                word_pairs=len(question_pairs & set(itertools.pairwise(_RAW_WORD.findall(sentence.text.lower())))),
                context=sum(idf.get(term, 0.0) for term in query if term not in counts and term in before)
                if before is not None else 0.0,
                query_terms=len(query),
            )
            # The article being talked about wins ties, and nothing more than ties.
            preferred = prefer_article is not None and sentence.article_number == prefer_article
            found.append(Candidate(hit, signals, preferred, order))
        return found


