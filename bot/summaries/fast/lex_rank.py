"""LexRank on a sparse idf-cosine graph; Sumy's dense power method only to settle near-ties."""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from sumy.summarizers.lex_rank import LexRankSummarizer

from bot.summaries.fast._common import RELATIVE_TOLERANCE, WordCache, count_matrix, key_ratings, pick


class FastLexRankSummarizer(LexRankSummarizer):
    """Sumy's LexRank: tf (by the sentence's top count) × idf `log(N / (1 + df))`, cosine > threshold."""

    def __call__(self, document, sentences_count):
        self._ensure_dependencies_installed()
        sentences = document.sentences
        if not sentences:
            return ()
        cache = WordCache(self, self._stop_words)
        words = [cache.content_stems(s) for s in sentences]
        adjacency = self._adjacency(words)
        degrees = np.asarray(adjacency.sum(axis=1)).ravel().astype(np.float64)
        degrees[degrees == 0] = 1.0
        scores = self._sparse_scores(adjacency, degrees)

        def exact_scores():
            matrix = adjacency.toarray().astype(np.float64)
            matrix /= degrees[:, np.newaxis]
            return self.power_method(matrix, self.epsilon)

        if scores is None:
            ratings = dict(zip(sentences, exact_scores(), strict=True))
            return self._get_best_sentences(sentences, sentences_count, ratings)
        isolated = self._isolated(adjacency)
        unlinked = np.diff(adjacency.tocsc().indptr) == 0

        def exact(group):
            # Sentences linked to nothing but themselves keep the same score in any summation order,
            # and so do sentences nothing links to (score 0).
            keys = {sentences[i] for i in group}
            if len(keys) == 1 or all(isolated[i] for i in group) or all(unlinked[i] for i in group):
                return [scores[group[-1]]] * len(group)
            ratings = dict(zip(sentences, exact_scores(), strict=True))
            return [ratings[sentences[i]] for i in group]

        return pick(sentences, sentences_count, key_ratings(sentences, scores), exact)

    def _adjacency(self, words: list[list[str]]) -> sparse.csr_matrix:
        """Boolean matrix of `cosine > threshold`, exactly as Sumy decides it."""
        count = len(words)
        counts, vocabulary = count_matrix(words)
        counts = counts.astype(np.float64)
        maxima = np.ones(count)
        nonempty = np.diff(counts.indptr) > 0
        maxima[nonempty] = np.maximum.reduceat(counts.data, counts.indptr[:-1][nonempty])
        document_frequency = np.diff(counts.tocsc().indptr)
        idf = np.array([math.log(count / (1 + int(n))) for n in document_frequency])
        rows = np.repeat(np.arange(count), np.diff(counts.indptr))
        tf = counts.data / maxima[rows]
        weighted = sparse.csr_matrix((tf * idf[counts.indices], counts.indices, counts.indptr), shape=counts.shape)
        squares = np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel()
        roots = np.sqrt(squares)
        products = (weighted @ weighted.T).tocoo()
        left, right = products.row, products.col
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = products.data / (roots[left] * roots[right])
        valid = (squares[left] > 0) & (squares[right] > 0)
        cosine = np.where(valid, cosine, 0.0)
        near = np.abs(cosine - self.threshold) <= RELATIVE_TOLERANCE * max(abs(self.threshold), 1e-300)
        if near.any():
            tf_metrics = self._compute_tf(words)
            idf_metrics = {term: float(idf[column]) for term, column in vocabulary.items()}
            for index in np.flatnonzero(near):
                i, j = int(left[index]), int(right[index])
                cosine[index] = self.cosine_similarity(words[i], words[j], tf_metrics[i], tf_metrics[j], idf_metrics)
        linked = cosine > self.threshold
        adjacency = sparse.csr_matrix(
            (np.ones(int(linked.sum())), (left[linked], right[linked])), shape=(count, count)
        )
        adjacency.sort_indices()
        return adjacency

    @staticmethod
    def _isolated(adjacency: sparse.csr_matrix) -> np.ndarray:
        """Sentences whose only link, in and out, is to themselves."""
        out_degree = np.diff(adjacency.indptr)
        in_degree = np.diff(adjacency.tocsc().indptr)
        diagonal = adjacency.diagonal() > 0
        return diagonal & (out_degree == 1) & (in_degree == 1)

    def _sparse_scores(self, adjacency: sparse.csr_matrix, degrees: np.ndarray) -> np.ndarray | None:
        """Sumy's power method on the sparse matrix; None when it may not match Sumy's iteration count."""
        count = adjacency.shape[0]
        transposed = (sparse.diags(1.0 / degrees) @ adjacency).T.tocsr()
        p_vector = np.array([1.0 / count] * count)
        lambda_val = 1.0
        while lambda_val > self.epsilon:
            next_p = transposed @ p_vector
            norm = np.linalg.norm(next_p)
            if norm == 0.0:
                return None
            next_p /= norm
            lambda_val = np.linalg.norm(next_p - p_vector)
            if abs(lambda_val - self.epsilon) <= RELATIVE_TOLERANCE * self.epsilon:
                return None
            p_vector = next_p
        return p_vector
