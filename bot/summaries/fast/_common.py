"""Shared pieces of the fast summarizers: cached word normalisation, count matrices, exact selection.

Every fast summarizer computes its ratings with numpy/scipy in an order that can differ from
stock Sumy's in the last bits. `pick` reproduces Sumy's `_get_best_sentences` (stable sort by
rating, best first, then document order) and, where sentences near the cut are within a relative
tolerance of each other, asks the algorithm for the ratings Sumy itself would compute for just
those sentences, so ties and near-ties fall exactly as in Sumy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

import numpy as np
from scipy import sparse
from sumy.summarizers._summarizer import SentenceInfo
from sumy.utils import ItemsCount

# Ratings closer than this (relative) may be ordered differently by Sumy's own arithmetic.
RELATIVE_TOLERANCE = 1e-9


class WordCache:
    """Sumy's word normalisation for one summarizer call, computed once per distinct word."""

    def __init__(self, summarizer, stop_words: frozenset[str]) -> None:
        self._summarizer = summarizer
        self._stop_words = stop_words
        self._content: dict[str, str | None] = {}
        self._stems: dict[str, str] = {}
        self._lower: dict[str, str] = {}

    def content_stem(self, word: str) -> str | None:
        """`stem_word(normalize_word(word))`, or None for a stop word (LexRank, TextRank, Reduction, SumBasic)."""
        try:
            return self._content[word]
        except KeyError:
            normalized = self._summarizer.normalize_word(word)
            stem = None if normalized in self._stop_words else self._summarizer.stem_word(normalized)
            self._content[word] = stem
            return stem

    def stem(self, word: str) -> str:
        """`stem_word(word)`."""
        try:
            return self._stems[word]
        except KeyError:
            stem = self._stems[word] = self._summarizer.stem_word(word)
            return stem

    def lower(self, word: str) -> str:
        """`normalize_word(word)`."""
        try:
            return self._lower[word]
        except KeyError:
            lowered = self._lower[word] = self._summarizer.normalize_word(word)
            return lowered

    def content_stems(self, sentence) -> list[str]:
        content = self.content_stem
        return [stem for stem in map(content, sentence.words) if stem is not None]


def count_matrix(token_lists: Sequence[Sequence[str]]) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """Sentences × terms matrix of term counts (int64, canonical CSR) and the term → column map."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for row, tokens in enumerate(token_lists):
        for token in tokens:
            column = vocabulary.get(token)
            if column is None:
                column = vocabulary[token] = len(vocabulary)
            rows.append(row)
            cols.append(column)
    data = np.ones(len(rows), dtype=np.int64)
    matrix = sparse.csr_matrix(
        (data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(len(token_lists), len(vocabulary)),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix, vocabulary


def items_count(count, total: int) -> int | None:
    """How many sentences Sumy's `ItemsCount` keeps of `total`; None for a callable count."""
    if callable(count):
        return None
    return len(ItemsCount(count)(list(range(total))))


def best_sentences(sentences: Sequence, count, ratings: Sequence[float]) -> tuple:
    """Sumy's `_get_best_sentences` for ratings given per position."""
    infos = sorted(
        (SentenceInfo(s, o, r) for o, (s, r) in enumerate(zip(sentences, ratings, strict=True))),
        key=attrgetter("rating"),
        reverse=True,
    )
    if not callable(count):
        count = ItemsCount(count)
    infos = sorted(count(infos), key=attrgetter("order"))
    return tuple(i.sentence for i in infos)


def pick(
    sentences: Sequence,
    count,
    approx: np.ndarray,
    exact: Callable[[np.ndarray], Sequence[float]] | None,
    tolerance: float = RELATIVE_TOLERANCE,
) -> tuple:
    """Sumy's choice of `count` sentences, from approximate per-position ratings.

    `exact(positions)` returns Sumy's own ratings for the given positions; it is called only
    when ratings straddling the cut are within `tolerance` (relative) of each other.
    """
    total = len(sentences)
    wanted = items_count(count, total)
    approx = np.asarray(approx, dtype=np.float64)
    if wanted is None or exact is None:
        return best_sentences(sentences, count, approx.tolist())
    if wanted <= 0:
        return ()
    if wanted >= total:
        return tuple(sentences)
    order = np.argsort(-approx, kind="stable")
    ranked = approx[order]
    gaps = ranked[:-1] - ranked[1:]
    limits = tolerance * np.maximum(np.abs(ranked[:-1]), np.abs(ranked[1:]))
    close = gaps <= limits  # close[i]: ranked[i] and ranked[i + 1] may swap in Sumy's arithmetic
    boundary = wanted - 1
    if not close[boundary]:
        chosen = order[:wanted]
    else:
        low = boundary
        while low > 0 and close[low - 1]:
            low -= 1
        high = boundary + 1
        while high < total - 1 and close[high]:
            high += 1
        group = np.sort(order[low : high + 1])
        values = np.asarray(exact(group), dtype=np.float64)
        within = group[np.argsort(-values, kind="stable")]
        chosen = np.concatenate([order[:low], within[: wanted - low]])
    chosen.sort()
    return tuple(sentences[i] for i in chosen)


def key_ratings(sentences: Sequence, scores: Sequence[float]) -> np.ndarray:
    """Per-position ratings after Sumy's `dict(zip(sentences, scores))`: equal sentences share the last score."""
    by_key = dict(zip(sentences, scores, strict=True))
    return np.fromiter((by_key[s] for s in sentences), dtype=np.float64, count=len(sentences))


def greedy_order(
    sentences: Sequence,
    count,
    choose: Callable[[np.ndarray], int],
    update: Callable[[int], None],
) -> tuple:
    """The selection loop shared by KL-Sum and SumBasic, stopped as soon as the best sentences are certain.

    Sumy removes one sentence per pass and rates it `-len(ratings)` in a dict keyed by sentence
    (equal sentences share a key, a later pick overwrites the rating). `choose(remaining)` returns
    the position picked among the remaining positions, `update(position)` adds it to the summary.
    """
    total = len(sentences)
    wanted = items_count(count, total)
    copies: dict = {}
    for sentence in sentences:
        copies[sentence] = copies.get(sentence, 0) + 1
    left = dict(copies)
    ratings: dict = {}
    remaining = np.arange(total)
    certain = 0  # sentences whose key is fully picked with a rating no later pick can reach
    pending: list = []  # fully picked keys rated -len(ratings): a later pick of a new key settles them
    while len(remaining) and (wanted is None or certain < wanted):
        index = choose(remaining)
        position = int(remaining[index])
        remaining = np.delete(remaining, index)
        sentence = sentences[position]
        grew = sentence not in ratings
        ratings[sentence] = -1 * len(ratings)
        update(position)
        if grew and pending:
            certain += sum(copies[key] for key in pending)
            pending = []
        left[sentence] -= 1
        if left[sentence] == 0:
            if grew:
                certain += copies[sentence]
            else:
                pending.append(sentence)
    if len(remaining):
        # Everything not yet certain rates below every certain sentence.
        floor = float("-inf")
        settled = {key for key, n in left.items() if n == 0 and key not in pending}
        rated = [ratings[s] if s in settled else floor for s in sentences]
        return best_sentences(sentences, count, rated)
    return best_sentences(sentences, count, [ratings[s] for s in sentences])
