"""Reduction with sparse term counts: the same ratings as Sumy's, summed in Sumy's order."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy import sparse
from sumy.summarizers.reduction import ReductionSummarizer

from bot.summaries.fast._common import WordCache, best_sentences, count_matrix


def edge_matrix(counts: sparse.csr_matrix, lengths: np.ndarray, *, zero_norm: str) -> sparse.csr_matrix:
    """Sumy's sentence-edge ratings `rank / (log|s1| + log|s2|)` for every pair sharing a term.

    `rank` is the number of equal word pairs, i.e. the dot product of the count vectors.
    `zero_norm` says what a norm of 0 (two one-word sentences) gives: "zero" (Reduction) or
    "rank" (TextRank).
    """
    shared = (counts @ counts.T).tocsr()
    shared.eliminate_zeros()
    shared.sort_indices()
    logs = np.array([math.log(n) if n > 0 else 0.0 for n in lengths.tolist()])
    rows = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    norm = logs[rows] + logs[shared.indices]
    rank = shared.data.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = rank / norm
    if zero_norm == "zero":
        values = np.where(norm == 0.0, 0.0, values)
    else:
        values = np.where(np.isclose(norm, 0.0), rank, values)
    return sparse.csr_matrix((values, shared.indices.copy(), shared.indptr.copy()), shape=shared.shape)


class FastReductionSummarizer(ReductionSummarizer):
    """Sumy's Reduction: each sentence rated by the sum of its edges to all others."""

    def __call__(self, document, sentences_count):
        sentences = document.sentences
        ratings = self.rate_sentences(document)
        return best_sentences(sentences, sentences_count, [ratings[s] for s in sentences])

    def rate_sentences(self, document):
        sentences = document.sentences
        ratings = defaultdict(float)
        if len(sentences) < 2:
            return ratings
        cache = WordCache(self, self._stop_words)
        words = [cache.content_stems(s) for s in sentences]
        counts, _ = count_matrix(words)
        lengths = np.array([len(w) for w in words])
        edges = edge_matrix(counts, lengths, zero_norm="zero").tolil()
        edges.setdiag(0.0)
        edges = edges.tocsr()
        edges.eliminate_zeros()
        edges.sort_indices()
        positions: dict = defaultdict(list)
        for position, sentence in enumerate(sentences):
            positions[sentence].append(position)
        indptr, indices, data = edges.indptr, edges.indices, edges.data
        for sentence in sentences:  # document order, as Sumy's first pair (0, 1) inserts in that order
            places = positions[sentence]
            if sentence in ratings:
                continue
            if len(places) == 1:
                # Sumy adds the edges of pairs (i, k) for i < k, then (k, j) for j > k: ascending columns.
                row = places[0]
                values = data[indptr[row] : indptr[row + 1]]
            else:
                # Equal sentences share one dict entry: their edges arrive in the order of the pairs.
                firsts, seconds, parts = [], [], []
                for row in places:
                    cols = indices[indptr[row] : indptr[row + 1]]
                    firsts.append(np.minimum(cols, row))
                    seconds.append(np.maximum(cols, row))
                    parts.append(data[indptr[row] : indptr[row + 1]])
                firsts_all, seconds_all = np.concatenate(firsts), np.concatenate(seconds)
                values = np.concatenate(parts)[np.lexsort((seconds_all, firsts_all))]
            ratings[sentence] = float(np.cumsum(values)[-1]) if len(values) else 0.0
        return ratings
