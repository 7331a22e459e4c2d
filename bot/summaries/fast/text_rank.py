"""TextRank on a sparse similarity graph; Sumy's dense computation only to settle near-ties."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sumy.summarizers.text_rank import TextRankSummarizer

from bot.summaries.fast._common import RELATIVE_TOLERANCE, WordCache, count_matrix, key_ratings, pick
from bot.summaries.fast.reduction import edge_matrix


class FastTextRankSummarizer(TextRankSummarizer):
    """Sumy's TextRank: PageRank with damping over `shared words / (log|s1| + log|s2|)` edges."""

    def __call__(self, document, sentences_count):
        sentences = document.sentences
        if not sentences:
            return ()
        weights = self._weights(sentences)
        scores = self._sparse_scores(weights)
        if scores is None:
            return self._get_best_sentences(sentences, sentences_count, self._exact_ratings(sentences, weights))

        def exact(group):
            ratings = self._exact_ratings(sentences, weights)
            return [ratings[sentences[i]] for i in group]

        return pick(sentences, sentences_count, key_ratings(sentences, scores), exact)

    def rate_sentences(self, document):
        """Ratings as Sumy computes them (dense, exact)."""
        sentences = document.sentences
        return self._exact_ratings(sentences, self._weights(sentences))

    def _weights(self, sentences) -> sparse.csr_matrix:
        cache = WordCache(self, self._stop_words)
        words = [cache.content_stems(s) for s in sentences]
        counts, _ = count_matrix(words)
        return edge_matrix(counts, np.array([len(w) for w in words]), zero_norm="rank")

    def _sparse_scores(self, weights: sparse.csr_matrix) -> np.ndarray | None:
        """The stationary vector by Sumy's power method on full + damping × weights, without the dense matrix.

        None when the iteration count itself might differ from Sumy's (a step within rounding of epsilon).
        """
        count = weights.shape[0]
        sums = np.asarray(weights.sum(axis=1)).ravel() + self._ZERO_DIVISION_PREVENTION
        normalized = sparse.diags(1.0 / sums) @ weights
        transposed = (self.damping * normalized).T.tocsr()
        base = (1.0 - self.damping) / count
        p_vector = np.array([1.0 / count] * count)
        lambda_val = 1.0
        while lambda_val > self.epsilon:
            next_p = base * p_vector.sum() + transposed @ p_vector
            lambda_val = np.linalg.norm(next_p - p_vector)
            if abs(lambda_val - self.epsilon) <= RELATIVE_TOLERANCE * self.epsilon:
                return None
            p_vector = next_p
        return p_vector

    def _exact_ratings(self, sentences, weights: sparse.csr_matrix) -> dict:
        """Sumy's `rate_sentences`, from the same edge values in a dense matrix."""
        count = len(sentences)
        dense = weights.toarray()
        dense /= dense.sum(axis=1)[:, np.newaxis] + self._ZERO_DIVISION_PREVENTION
        matrix = np.full((count, count), (1.0 - self.damping) / count) + self.damping * dense
        ranks = self.power_method(matrix, self.epsilon)
        return dict(zip(sentences, ranks, strict=True))
