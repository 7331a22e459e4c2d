"""TextRank with Sumy's exact ratings: word-overlap edges from a sparse product, Sumy's own power method."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sumy.summarizers.text_rank import TextRankSummarizer

from bot.fast.lex_rank import _sentences_words


class FastTextRankSummarizer(TextRankSummarizer):
    """Sumy's TextRank; the O(n²·words²) Python edge loop becomes one sparse product.

    The stochastic matrix is built densely with Sumy's very numpy expressions (row sums,
    damping) and handed to Sumy's power method, so the ratings are bit-for-bit Sumy's.
    """

    def rate_sentences(self, document):
        sentences = document.sentences
        matrix = self._fast_matrix(_sentences_words(self, sentences))
        ranks = self.power_method(matrix, self.epsilon)
        return {sentence: rank for sentence, rank in zip(sentences, ranks, strict=True)}

    def _fast_matrix(self, sentences_words):
        n = len(sentences_words)
        weights = np.zeros((n, n))
        rows, cols, values = _overlap_edges(sentences_words)
        if len(values):
            norms = _log_lengths(sentences_words)
            norm = norms[rows] + norms[cols]
            # Sumy: float(rank) where log(len1) + log(len2) is close to 0 (both one word long).
            close = np.isclose(norm, 0.0)
            ratings = np.where(close, values, values / np.where(close, 1.0, norm))
            weights[rows, cols] = ratings
        weights /= (weights.sum(axis=1)[:, np.newaxis] + self._ZERO_DIVISION_PREVENTION)
        # Sumy: full((n, n), (1 - damping) / n) + damping * weights; addition commutes, so in place.
        np.multiply(weights, self.damping, out=weights)
        np.add(weights, (1.0 - self.damping) / n, out=weights)
        return weights


def _overlap_edges(sentences_words):
    """(rows, cols, common word counts as floats) of every pair of sentences sharing a word, both ways."""
    counts = _count_matrix(sentences_words)
    products = (counts @ counts.T).tocoo()
    keep = products.data != 0
    return products.row[keep], products.col[keep], products.data[keep].astype(np.float64)


def _count_matrix(sentences_words):
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, words in enumerate(sentences_words):
        for term, count in Counter(words).items():
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    shape = (len(sentences_words), max(1, len(vocabulary)))
    return sp.csr_matrix((np.asarray(counts, dtype=np.int64), (rows, cols)), shape=shape)


def _log_lengths(sentences_words):
    """math.log(len(words)) per sentence (0 words gives 0, never used: such a sentence has no edge)."""
    table = {}
    result = np.zeros(len(sentences_words))
    for index, words in enumerate(sentences_words):
        length = len(words)
        if length:
            value = table.get(length)
            if value is None:
                value = table[length] = math.log(length)
            result[index] = value
    return result
