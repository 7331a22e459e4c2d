"""LSA without the SVD when it cannot matter.

Sumy keeps every dimension (REDUCTION_RATIO = 1), so a sentence's rank sqrt(sum s_i^2 v_ij^2) is
the norm of its column of the term matrix. The SVD only decides the order of sentences whose
norms are equal, through its rounding; for those Sumy's SVD is run on the identical matrix, up to
EXACT_TIES_MAX_SENTENCES sentences. Beyond that the SVD alone takes seconds to minutes (35 s at
5,000 sentences), so the time budget wins: tied sentences keep document order.
"""

from __future__ import annotations

from warnings import warn

import numpy as np
from scipy import sparse
from sumy.summarizers.lsa import LsaSummarizer, singular_value_decomposition

from bot.summaries.fast._common import WordCache, pick

SMOOTH = 0.4
# Sumy's ranks carry the SVD's rounding, which scales with the whole matrix, not one column.
LSA_TOLERANCE = 1e-7
EXACT_TIES_MAX_SENTENCES = 1000


class FastLsaSummarizer(LsaSummarizer):
    def __call__(self, document, sentences_count):
        self._ensure_dependecies_installed()
        cache = WordCache(self, self._stop_words)
        stems = [cache.content_stem(w) for w in document.words]
        dictionary_words = [s for s in stems if s is not None]
        columns: dict[str, int] = {}
        for stem in dictionary_words:
            if stem not in columns:
                columns[stem] = len(columns)
        if not columns:
            return ()
        sentences = document.sentences
        words_count, sentences_count_ = len(columns), len(sentences)
        if words_count < sentences_count_:
            message = (
                "Number of words (%d) is lower than number of sentences (%d). "
                "LSA algorithm may not work properly."
            )
            warn(message % (words_count, sentences_count_), stacklevel=2)
        rows, cols = [], []
        for col, sentence in enumerate(sentences):
            for word in sentence.words:
                row = columns.get(cache.stem(word))
                if row is not None:
                    rows.append(row)
                    cols.append(col)
        counts = sparse.csr_matrix(
            (np.ones(len(rows)), (np.asarray(cols, dtype=np.int64), np.asarray(rows, dtype=np.int64))),
            shape=(sentences_count_, words_count),
        )
        counts.sum_duplicates()
        maxima = np.zeros(sentences_count_)
        present = np.diff(counts.indptr)
        nonempty = present > 0
        maxima[nonempty] = np.maximum.reduceat(counts.data, counts.indptr[:-1][nonempty])
        per_row = np.repeat(np.arange(sentences_count_), present)
        values = SMOOTH + (1.0 - SMOOTH) * (counts.data / maxima[per_row])
        squares = np.bincount(per_row, weights=values * values, minlength=sentences_count_)
        squares += (words_count - present) * SMOOTH * SMOOTH
        approx = np.where(nonempty, np.sqrt(squares), 0.0)

        def exact(group):
            return self._exact_ranks(document, cache, group)

        settle = exact if sentences_count_ <= EXACT_TIES_MAX_SENTENCES else _document_order
        return pick(sentences, sentences_count, approx, settle, LSA_TOLERANCE)

    def _exact_ranks(self, document, cache: WordCache, group) -> list[float]:
        """Sumy's ranks of the sentences at `group`: the same matrix, the same SVD, the same sums."""
        words = map(self.normalize_word, document.words)
        unique_words = frozenset(cache.stem(w) for w in words if w not in self._stop_words)
        dictionary = {w: i for i, w in enumerate(unique_words)}
        sentences = document.sentences
        matrix = np.zeros((len(dictionary), len(sentences)))
        rows, cols = [], []
        for col, sentence in enumerate(sentences):
            for word in sentence.words:
                row = dictionary.get(cache.stem(word))
                if row is not None:
                    rows.append(row)
                    cols.append(col)
        np.add.at(matrix, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)), 1.0)
        maxima = np.max(matrix, axis=0)
        nonzero = maxima != 0
        matrix[:, nonzero] = SMOOTH + (1.0 - SMOOTH) * (matrix[:, nonzero] / maxima[nonzero])
        _u, sigma, v = singular_value_decomposition(matrix, full_matrices=False)
        return self._compute_ranks(sigma, v[:, np.asarray(group)])


def _document_order(group) -> list[float]:
    """Equal ranks for a tied group: `pick` then keeps them in document order."""
    return [0.0] * len(group)
