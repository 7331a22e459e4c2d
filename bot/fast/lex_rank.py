"""LexRank with Sumy's exact ratings: tf-idf cosines from sparse products, Sumy's own power method."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sumy.summarizers.lex_rank import LexRankSummarizer

# Cosines this close (relatively) to the threshold are recomputed with Sumy's own formula,
# so that the edge decision is the same even where float sums land on either side.
_BOUNDARY = 1e-9


class FastLexRankSummarizer(LexRankSummarizer):
    """Sumy's LexRank; the O(n²) Python cosine loop becomes one sparse product."""

    def __call__(self, document, sentences_count):
        self._ensure_dependencies_installed()
        sentences = document.sentences
        if not sentences:
            return ()
        if self.threshold < 0:
            # Every pair is an edge: nothing to gain, keep Sumy's path.
            return super().__call__(document, sentences_count)

        sentences_words = _sentences_words(self, sentences)
        matrix = self._fast_matrix(sentences_words, self.threshold)
        scores = self.power_method(matrix, self.epsilon)
        ratings = dict(zip(sentences, scores, strict=True))
        return self._get_best_sentences(sentences, sentences_count, ratings)

    def _fast_matrix(self, sentences_words, threshold):
        n = len(sentences_words)
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for row, words in enumerate(sentences_words):
            for term, count in Counter(words).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        rows_a = np.asarray(rows, dtype=np.int64)
        cols_a = np.asarray(cols, dtype=np.int64)
        counts_a = np.asarray(counts, dtype=np.float64)
        max_tf = np.ones(n)
        np.maximum.at(max_tf, rows_a, counts_a)
        tf = counts_a / max_tf[rows_a]
        df = np.bincount(cols_a, minlength=len(vocabulary)).astype(np.float64)
        # math.log, as Sumy: numpy's vectorised log may differ in the last bit.
        idf_table = np.array([math.log(value) for value in (n / (1.0 + df)).tolist()])
        weights = sp.csr_matrix((tf * idf_table[cols_a], (rows_a, cols_a)), shape=(n, len(vocabulary)))
        norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
        products = (weights @ weights.T).tocoo()
        r, c, numerators = products.row, products.col, products.data
        denominators = norms[r] * norms[c]
        valid = denominators > 0
        cosine = np.zeros_like(numerators)
        cosine[valid] = numerators[valid] / denominators[valid]
        edges = cosine > threshold
        near = valid & (np.abs(cosine - threshold) <= _BOUNDARY * max(abs(threshold), 1e-300))
        if near.any():
            tf_metrics = self._compute_tf(sentences_words)
            idf_metrics = _idf_dict(sentences_words, vocabulary, idf_table)
            for index in np.flatnonzero(near):
                i, j = int(r[index]), int(c[index])
                exact = self.cosine_similarity(sentences_words[i], sentences_words[j], tf_metrics[i], tf_metrics[j],
                                               idf_metrics)
                edges[index] = exact > threshold
        r, c = r[edges], c[edges]
        degrees = np.bincount(r, minlength=n).astype(np.float64)
        degrees[degrees == 0] = 1.0
        matrix = np.zeros((n, n))
        # Sumy divides 1.0 by the row's degree: the same float.
        matrix[r, c] = 1.0 / degrees[r]
        return matrix


def _idf_dict(sentences_words, vocabulary, idf_table):
    return {term: float(idf_table[index]) for term, index in vocabulary.items()}


def _sentences_words(summarizer, sentences):
    """Each sentence's normalised, stop-word-free, stemmed words (Sumy's `_to_words_set`), stems cached."""
    stop_words = summarizer._stop_words
    cache: dict[str, str | None] = {}
    result = []
    for sentence in sentences:
        words = []
        for word in sentence.words:
            stem = cache.get(word, False)
            if stem is False:
                normalized = summarizer.normalize_word(word)
                stem = None if normalized in stop_words else summarizer.stem_word(normalized)
                cache[word] = stem
            if stem is not None:
                words.append(stem)
        result.append(words)
    return result
