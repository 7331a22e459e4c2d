"""Keyword answers: question -> stemmed keywords -> full-text candidates -> re-ranked sentences."""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from bot.answers.grams import gram_shares, question_grams
from bot.answers.ranking import RankingWeights, Signals, answer_type, holds_answer_type
from bot.answers.terms import COMPOUNDING, compound_candidates, compound_parts
from bot.text.language import ALL_QUESTION_WORDS, Languages
from storage.records import LibraryOverview, SearchHit, TermStatistics

if TYPE_CHECKING:
    from storage.store import ArticleStore

# How many candidates the index hands over for re-ranking; the index does the heavy part.
CANDIDATES = 200
# How many of them, the best by the signals read from the index terms, have the signals read from
# their text measured too (answer type, word bigrams, letter 4-grams).
REFINED = 50
_RAW_WORD = re.compile(r"\w+")


class Candidate(NamedTuple):
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
        # A library's titles recur in every question's candidates: their terms are cut once (bounded, thread-safe).
        self._title_terms = functools.lru_cache(maxsize=8192)(self._cut_title)

    def _cut_title(self, language: str, title: str) -> frozenset[str]:
        return frozenset(self._languages.profile(language).keywords(title))

    def question_terms(self, chat_id: int, question: str,
                       languages: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Query terms per language of the chat's library (`languages`, when the caller has read them)."""
        if languages is None:
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
        overview: LibraryOverview | None = None,
    ) -> Answer:
        """The `top` best sentences for `question`; `overview` is the chat's library as the caller read it."""
        per_language, found = self.candidates(chat_id, question, article_id=article_id, prefer_article=prefer_article,
                                              overview=overview)
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
        # The sentence before each answer, all read at once (a heading is no context).
        before = {}
        if context:
            places = [(hit.sentence.article_id, hit.sentence.position - 1) for hit, _s, _w in chosen
                      if hit.sentence.position > 0]
            before = self._store.sentences_at(chat_id, places)
        sentences = []
        for hit, score, weak in chosen:
            sentence = hit.sentence
            profile = self._languages.profile(sentence.language)
            wanted = set(per_language.get(sentence.language, all_terms))
            marks = tuple(
                (start, end) for start, end, term in profile.term_spans(sentence.text) if term in wanted
            )
            previous = before.get((sentence.article_id, sentence.position - 1))
            sentences.append(
                AnswerSentence(
                    article_id=sentence.article_id,
                    article_number=sentence.article_number,
                    article_title=sentence.article_title,
                    position=sentence.position,
                    text=sentence.text,
                    score=round(score, 4),
                    marks=marks,
                    context=previous.text if previous is not None and not previous.heading else None,
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
        overview: LibraryOverview | None = None,
    ) -> tuple[dict[str, list[str]], list[Candidate]]:
        """The question's terms per language and every sentence sharing one, with what the re-ranker measured."""
        per_language = self.question_terms(chat_id, question, overview.languages if overview is not None else None)
        all_terms = list(dict.fromkeys(term for stems in per_language.values() for term in stems))
        if not all_terms:
            return per_language, []
        stats = self._store.term_statistics(chat_id, all_terms, overview=overview)
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
        # The terms of each candidate's place, of each article's and of each paragraph's candidates (the
        # candidates stand for the article, the paragraph and the sentences before them: no extra query).
        split = [hit.sentence.terms.split() for hit in hits]
        at_place: dict[tuple[int, int], set[str]] = {}
        held_by: dict[int, set[str]] = {}
        in_paragraph: dict[tuple[int, int], set[str]] = {}
        for hit, terms in zip(hits, split, strict=True):
            held = at_place[hit.sentence.article_id, hit.sentence.position] = set(terms)
            held_by.setdefault(hit.sentence.article_id, set()).update(held)
            in_paragraph.setdefault((hit.sentence.article_id, hit.sentence.paragraph), set()).update(held)
        # Per language of the candidates: the question's terms with their IDF, their mass and bigrams.
        weighted: dict[str, tuple[list[str], list[tuple[str, float]], float, set[tuple[str, str]]]] = {}
        article_mass: dict[tuple[int, str], float] = {}
        found: list[Candidate] = []
        for order, (hit, terms) in enumerate(zip(hits, split, strict=True)):
            sentence = hit.sentence
            if sentence.language not in weighted:
                query = per_language.get(sentence.language) or all_terms
                with_idf = [(term, idf.get(term, 0.0)) for term in query]
                weighted[sentence.language] = (query, with_idf, sum(w for _t, w in with_idf) or 1.0,
                                               set(itertools.pairwise(query)))
            query, with_idf, query_mass, query_pairs = weighted[sentence.language]
            counts: dict[str, int] = {}
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
            matched = [(term, w) for term, w in with_idf if term in counts]
            if not matched:
                continue
            unmatched = [(term, w) for term, w in with_idf if term not in counts]
            matched_terms = {term for term, _w in matched}
            length_norm = weights.k1 * (1 - weights.b + weights.b * len(terms) / average)
            # Across the library: the article holding more of the question's terms is more likely its subject.
            key = (sentence.article_id, sentence.language)
            if key not in article_mass:
                held = held_by[sentence.article_id]
                article_mass[key] = sum(w for term, w in with_idf if term in held)
            places = [i for i, term in enumerate(terms) if term in matched_terms]
            # Passage context: what the question names and this sentence calls "he" or "the city"
            # often stands in the sentence before, or elsewhere in its paragraph.
            before = at_place.get((sentence.article_id, sentence.position - 1), frozenset())
            paragraph = in_paragraph[sentence.article_id, sentence.paragraph]
            matched_mass = bm25 = 0.0
            for term, w in matched:
                matched_mass += w
                bm25 += w * counts[term] * (weights.k1 + 1) / (counts[term] + length_norm)
            paragraph_context = sum(w for term, w in unmatched if term in paragraph)
            signals = Signals(
                bm25=bm25,
                coverage=matched_mass / query_mass,
                term_share=len(matched) / len(query),
                title=len(self._title_terms(sentence.language, sentence.article_title).intersection(query))
                / len(query),
                article=article_mass[key],
                answer_type=False,
                stem_pairs=len(query_pairs.intersection(itertools.pairwise(terms))),
                proximity=len(matched) / (places[-1] - places[0] + 1) if len(matched) > 1 else 0.0,
                word_pairs=0,
                context=sum(w for term, w in unmatched if term in before),
                # The sentence's own terms stand in its paragraph too.
                paragraph=matched_mass + paragraph_context,
                paragraph_context=paragraph_context,
                grams=0.0,
                query_terms=len(query),
            )
            # The article being talked about wins ties, and nothing more than ties.
            preferred = prefer_article is not None and sentence.article_number == prefer_article
            found.append(Candidate(hit, signals, preferred, order))
        return self._refine(found, question)

    def _refine(self, found: list[Candidate], question: str) -> list[Candidate]:
        """The signals that read the sentence's text, for the candidates the others rank best.

        Answer type, word bigrams as written and letter 4-grams cost a pass over each text: they
        are measured for the best REFINED candidates only. Below those, a candidate would need
        nearly all three at their highest to reach the answers; the weights are fitted on the
        signals measured this way.
        """
        if not found:
            return found
        best = heapq.nlargest(REFINED, range(len(found)),
                              key=lambda i: self._best_first(self._weights.score(found[i].signals), found[i]))
        kind = answer_type(question)
        question_pairs = set(itertools.pairwise(
            [w for w in _RAW_WORD.findall(question.lower()) if w not in ALL_QUESTION_WORDS]))
        shares = gram_shares(
            {code: question_grams(self._languages.profile(code), question)
             for code in {found[i].hit.sentence.language for i in best}},
            [(found[i].hit.sentence.language, found[i].hit.sentence.text) for i in best],
        )
        measured = list(found)
        for i, share in zip(best, shares, strict=True):
            candidate = found[i]
            text = candidate.hit.sentence.text
            signals = candidate.signals._replace(
                answer_type=kind is not None and holds_answer_type(kind, text, question),
                word_pairs=len(question_pairs.intersection(itertools.pairwise(_RAW_WORD.findall(text.lower())))),
                grams=share,
            )
            measured[i] = candidate._replace(signals=signals)
        return measured


