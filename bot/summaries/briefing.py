"""Briefings: one extractive summary across several articles, each sentence cited.

The method, in four steps:

1. Relevance. Each article's sentences are rated in the article (the project's default
   ranking: Sumy's Reduction with the length prior, by the article's own stemmer and stop
   words), optionally mixed with closeness to the centroid of all the articles together
   (tf-idf over stems) and lead position (BriefingWeights; measured, the ranking alone does
   best). Each part is scaled to the article's best, so a long article does not crowd out a
   short one.
2. Selection by maximal marginal relevance: the next sentence maximises
   `λ·relevance − (1−λ)·(highest similarity to a sentence already chosen)`; a sentence whose
   stemmed-word cosine with a chosen one is above 0.5 is never taken (two articles about the
   same event do not give the same sentence twice).
3. Coverage: when the slots left are no more than the articles not yet represented, only
   those articles' sentences compete, so with K sentences and N ≤ K articles every article
   is represented (unless all of an article's sentences repeat chosen ones).
4. Order: grouped by article, in the order the articles were given, then by position.

Similarity is the cosine of stemmed content-word counts; each sentence is stemmed by its own
article's language, so a German and an English article are compared by what they share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from bot.summaries.fast._common import count_matrix
from bot.summaries.fast.reduction import FastReductionSummarizer
from bot.text.article import ArticleParser, ParsedArticle, ParsedSentence, to_sumy_document
from bot.text.language import LanguageProfile, words_of

# Two sentences closer than this (stemmed-word cosine) say the same thing: never both.
DUPLICATE_COSINE = 0.5
# Articles longer than this are rated by position and centroid only: Reduction is quadratic.
MAX_RANKED_SENTENCES = 3000
# Sentences per article that compete at all (the best by relevance): bounds the pairwise work.
CANDIDATES_PER_ARTICLE = 40
# Fewer words than this is a fragment (a byline, "Read more."), not a briefing sentence.
MIN_WORDS = 4


@dataclass(frozen=True)
class BriefingWeights:
    """How relevance is made up, and MMR's balance between relevance and novelty."""

    # Chosen on the BBC dev clusters (docs/benchmarks.md, bench/briefing.py): the in-article ranking
    # alone beat every mix with centroid closeness or lead position there, and λ = 0.9 beat 0.7-1.0.
    rank: float = 1.0
    centroid: float = 0.0
    lead: float = 0.0
    mmr_lambda: float = 0.9

    def __post_init__(self) -> None:
        if min(self.rank, self.centroid, self.lead) < 0 or not 0 < self.mmr_lambda <= 1:
            raise ValueError("Briefing weights must not be negative and λ must be in (0, 1].")


@dataclass(frozen=True)
class BriefSource:
    """One article going into a briefing: the number it is cited by, and its text."""

    key: int
    article: ParsedArticle


@dataclass(frozen=True)
class BriefSentence:
    """One sentence of a briefing: the article it comes from, where it stands there, its text."""

    article: int
    position: int
    text: str
    score: float
    # Other articles of the briefing that say the same (a near-duplicate sentence was left out).
    also: tuple[int, ...] = ()


def briefing_length(articles: int) -> int:
    """Briefing length when none is asked for: two sentences an article, 4 to 12, never below one an article."""
    return max(articles, min(max(2 * articles, 4), 12))


def cosine_matrix(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Pairwise cosine of term-count vectors (dense; rows of no terms are all zero)."""
    if not token_lists:
        return np.zeros((0, 0))
    counts, _ = count_matrix(token_lists)
    counts = counts.astype(np.float64)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sparse.diags(1.0 / norms) @ counts
    return np.asarray((unit @ unit.T).todense())


def content_stems(text: str, profile: LanguageProfile) -> list[str]:
    """Stems of the content words of `text` in its language (stop words dropped)."""
    words = (word.lower() for word in words_of(text))
    return [profile.stem(word) for word in words if word not in profile.stop_words]


@dataclass
class _Candidate:
    source: int  # index of the article in the input
    sentence: ParsedSentence
    stems: list[str]
    relevance: float = 0.0


class Briefer:
    """Makes briefings; built once from the article parser (stemmers, stop words, tokenizers)."""

    def __init__(self, parser: ArticleParser, weights: BriefingWeights | None = None) -> None:
        self._parser = parser
        self._weights = weights or BriefingWeights()

    def brief(
        self,
        sources: Sequence[BriefSource],
        sentences: int | None = None,
        *,
        budget: int | None = None,
        cost: Callable[[str], int] = len,
    ) -> tuple[BriefSentence, ...]:
        """The briefing of `sources` in `sentences` sentences (default: by how many articles).

        `budget` caps the summed `cost` of the chosen sentences (the front end's room, e.g. one
        Telegram message in UTF-16 units); a sentence that would not fit is passed over.
        """
        if not sources:
            return ()
        wanted = briefing_length(len(sources)) if sentences is None else sentences
        if wanted < 1:
            raise ValueError("A briefing needs at least one sentence.")
        candidates = self._candidates(sources)
        if not candidates:
            return ()
        similarity = cosine_matrix([c.stems for c in candidates])
        chosen = self._select(candidates, similarity, wanted, budget, cost)
        order = sorted(chosen, key=lambda i: (candidates[i].source, candidates[i].sentence.position))
        result = []
        for index in order:
            candidate = candidates[index]
            also = sorted({
                sources[candidates[j].source].key
                for j in np.flatnonzero(similarity[index] > DUPLICATE_COSINE)
                if candidates[j].source != candidate.source
            })
            result.append(BriefSentence(
                article=sources[candidate.source].key,
                position=candidate.sentence.position,
                text=candidate.sentence.text,
                score=round(float(candidate.relevance), 6),
                also=tuple(key for key in also if key != sources[candidate.source].key),
            ))
        return tuple(result)

    # -- relevance -----------------------------------------------------------------------

    def _candidates(self, sources: Sequence[BriefSource]) -> list[_Candidate]:
        """Each article's best sentences by relevance, with their stems."""
        per_article: list[list[_Candidate]] = []
        for index, source in enumerate(sources):
            profile = self._parser.profile(source.article.language)
            content = [s for s in source.article.content_sentences if len(words_of(s.text)) >= MIN_WORDS]
            if not content:  # an article of fragments only: take what there is
                content = list(source.article.content_sentences)
            per_article.append([_Candidate(index, s, content_stems(s.text, profile)) for s in content])
        weights = self._weights
        centroid = (_centroid_scores([c.stems for group in per_article for c in group]) if weights.centroid
                    else np.zeros(sum(len(group) for group in per_article)))
        offset = 0
        chosen: list[_Candidate] = []
        for source, group in zip(sources, per_article, strict=True):
            ranks = _scaled(self._article_ranks(source.article, [c.sentence for c in group]))
            closeness = _scaled(centroid[offset : offset + len(group)])
            offset += len(group)
            for place, (candidate, rank, close) in enumerate(zip(group, ranks, closeness, strict=True)):
                lead = 1.0 / math.sqrt(1.0 + place)
                candidate.relevance = weights.rank * rank + weights.centroid * close + weights.lead * lead
            group.sort(key=lambda c: -c.relevance)
            chosen.extend(group[:CANDIDATES_PER_ARTICLE])
        return chosen

    def _article_ranks(self, article: ParsedArticle, sentences: Sequence[ParsedSentence]) -> np.ndarray:
        """The default summary ranking (Reduction + length prior) of `sentences` within their article."""
        if len(sentences) < 2 or len(sentences) > MAX_RANKED_SENTENCES:
            return np.zeros(len(sentences))
        profile = self._parser.profile(article.language)
        subset = ParsedArticle(article.title, article.text, article.language, tuple(sentences))
        document, by_object = to_sumy_document(subset, self._parser.tokenizer(article.language))
        ranker = FastReductionSummarizer(profile.stem)
        ranker.stop_words = profile.stop_words
        ratings = ranker.rate_sentences(document)
        by_position = {by_object[id(s)].position: ratings.get(s, 0.0) for s in document.sentences}
        lengths = {by_object[id(s)].position: len(s.words) for s in document.sentences}
        top_rating = max(by_position.values(), default=0.0) or 1.0
        top_length = max(lengths.values(), default=0) or 1
        # The length prior of the default summary (LENGTH_PRIOR in summarizer.py).
        return np.array([by_position[s.position] / top_rating + 0.2 * lengths[s.position] / top_length
                         for s in sentences])

    # -- selection -----------------------------------------------------------------------

    def _select(
        self,
        candidates: Sequence[_Candidate],
        similarity: np.ndarray,
        wanted: int,
        budget: int | None,
        cost: Callable[[str], int],
    ) -> list[int]:
        """Maximal marginal relevance with the duplicate bar, the coverage rule and the budget."""
        lam = self._weights.mmr_lambda
        relevance = np.array([c.relevance for c in candidates])
        sources = np.array([c.source for c in candidates])
        costs = np.array([cost(c.sentence.text) for c in candidates])
        available = np.ones(len(candidates), dtype=bool)
        closest = np.zeros(len(candidates))
        covered: set[int] = set()
        chosen: list[int] = []
        spent = 0
        while len(chosen) < wanted and available.any():
            if budget is not None:
                available &= costs <= budget - spent
                if not available.any():
                    break
            uncovered = {int(s) for s in sources[available]} - covered
            pool = available
            if uncovered and wanted - len(chosen) <= len(uncovered):
                pool = available & np.isin(sources, list(uncovered))
            scores = np.where(pool, lam * relevance - (1 - lam) * closest, -np.inf)
            best = int(np.argmax(scores))
            chosen.append(best)
            covered.add(int(sources[best]))
            spent += int(costs[best])
            available[best] = False
            available &= similarity[best] <= DUPLICATE_COSINE
            closest = np.maximum(closest, similarity[best])
        return chosen


def _scaled(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Values divided by their maximum (all zero stays zero)."""
    array = np.asarray(values, dtype=np.float64)
    top = float(array.max()) if len(array) else 0.0
    return array / top if top > 0 else np.zeros(len(array))


def _centroid_scores(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine of each sentence's tf-idf vector with the centroid of all of them."""
    if not token_lists:
        return np.zeros(0)
    counts, _ = count_matrix(token_lists)
    counts = counts.astype(np.float64)
    total = counts.shape[0]
    document_frequency = np.diff(counts.tocsc().indptr)
    idf = np.log((1 + total) / (1 + document_frequency)) + 1.0
    weighted = (counts @ sparse.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sparse.diags(1.0 / norms) @ weighted
    centroid = np.asarray(unit.mean(axis=0)).ravel()
    length = float(np.linalg.norm(centroid)) or 1.0
    return np.asarray(unit @ (centroid / length)).ravel()
