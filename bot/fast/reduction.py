"""Reduction with Sumy's exact ratings: word-match counts from a sparse product, Sumy's summation order."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import scipy.sparse as sp
from sumy.summarizers.reduction import ReductionSummarizer

from bot.fast.lex_rank import _sentences_words
from bot.fast.text_rank import _log_lengths, _overlap_edges


class FastReductionSummarizer(ReductionSummarizer):
    """Sumy's Reduction; the O(n²·words²) Python pair loop becomes one sparse product.

    Sumy adds each pair's rank to both sentences while walking `combinations(sentences, 2)`,
    so a sentence's rating is a left-to-right float sum over the other sentences in document
    order; the sums here are done in that order, so ratings (and ties) are Sumy's to the bit.
    """

    def rate_sentences(self, document):
        sentences = document.sentences
        ratings = defaultdict(float)
        n = len(sentences)
        if n < 2:
            return ratings
        edges = self._edges(_sentences_words(self, sentences))
        keys: dict = {}
        groups: dict[int, list[int]] = {}
        for index, sentence in enumerate(sentences):
            first = keys.setdefault(sentence, index)
            groups.setdefault(first, []).append(index)
        sums = _row_sums_in_order(edges)
        for first, members in groups.items():
            value = sums[first] if len(members) == 1 else _group_sum(edges, members)
            ratings[sentences[first]] = value
        return ratings

    @staticmethod
    def _edges(sentences_words):
        """Symmetric CSR matrix of Sumy's pair ranks (no diagonal), columns sorted in each row."""
        n = len(sentences_words)
        rows, cols, values = _overlap_edges(sentences_words)
        off_diagonal = rows != cols
        rows, cols, values = rows[off_diagonal], cols[off_diagonal], values[off_diagonal]
        norms = _log_lengths(sentences_words)
        norm = norms[rows] + norms[cols]
        # Sumy: 0.0 if norm == 0.0 else rank / norm
        ranks = np.where(norm == 0.0, 0.0, values / np.where(norm == 0.0, 1.0, norm))
        matrix = sp.csr_matrix((ranks, (rows, cols)), shape=(n, n))
        matrix.sort_indices()
        return matrix


def _row_sums_in_order(matrix):
    """Each row's sum, added left to right (as Python does), vectorised across rows."""
    n = matrix.shape[0]
    indptr, data = matrix.indptr, matrix.data
    lengths = np.diff(indptr)
    order = np.argsort(-lengths, kind="stable")
    sorted_lengths = lengths[order]
    sums = np.zeros(n)
    starts = indptr[order]
    for step in range(int(sorted_lengths[0]) if n else 0):
        # rows order[:active] have more than `step` entries
        active = int(np.count_nonzero(sorted_lengths > step))
        chosen = order[:active]
        sums[chosen] += data[starts[:active] + step]
    return sums.tolist()


def _group_sum(matrix, members):
    """Rating of sentences sharing one text (one dict key in Sumy): replay Sumy's pair order."""
    member_set = set(members)
    rows = {m: dict(zip(matrix.indices[matrix.indptr[m]:matrix.indptr[m + 1]].tolist(),
                        matrix.data[matrix.indptr[m]:matrix.indptr[m + 1]].tolist(), strict=True)) for m in members}
    total = 0.0
    n = matrix.shape[0]
    for i in range(n):
        if i in member_set:
            row = rows[i]
            for j in sorted(j for j in row if j > i):
                total += row[j]
                if j in member_set:
                    total += row[j]
        else:
            for j in members:
                if j > i:
                    value = rows[j].get(i)
                    if value:
                        total += value
    return total
