"""SumBasic with Sumy's exact greedy choices: incremental averages, Sumy's float order."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sumy.summarizers.sum_basic import SumBasicSummarizer

from bot.fast.kl import _needed, _PickTracker

# Python 3.12 made sum() of floats compensated; the vectorised left-to-right sum mirrors the plain one.
_PLAIN_SUM = sum([1.0, 1e100, 1.0, -1e100]) == 0.0


class FastSumBasicSummarizer(SumBasicSummarizer):
    """Sumy's SumBasic.

    Words are normalised and stemmed once; each step only re-averages the sentences that
    share a word with the sentence just picked, and the loop stops once the top picks are
    settled. Averages are left-to-right sums over the sentence's words, as Sumy's `sum`.
    """

    def __call__(self, document, sentences_count):
        sentences = document.sentences
        ratings = self._fast_ratings(sentences, _needed(len(sentences), sentences_count))
        return self._get_best_sentences(sentences, sentences_count, ratings)

    def _fast_ratings(self, sentences, needed):
        n = len(sentences)
        if n == 0:
            return {}
        stop_words = self._stop_words
        cache: dict[str, str | None] = {}
        vocabulary: dict[str, int] = {}
        sentences_ids = []
        for sentence in sentences:
            ids = []
            for word in sentence.words:
                stem = cache.get(word, False)
                if stem is False:
                    normalized = self.normalize_word(word)
                    stem = cache[word] = None if normalized in stop_words else self.stem_word(normalized)
                if stem is not None:
                    ids.append(vocabulary.setdefault(stem, len(vocabulary)))
            sentences_ids.append(ids)
        pad = len(vocabulary)
        counts = np.bincount([i for ids in sentences_ids for i in ids], minlength=pad + 1)
        total = int(counts.sum())
        # Sumy: {word: count / total}; the pad "word" has probability 0.0 and adds nothing.
        probabilities = np.array([int(c) / total for c in counts[:pad].tolist()] + [0.0])

        width = max(map(len, sentences_ids))
        ids_matrix = np.full((n, width), pad, dtype=np.int64)
        lengths = np.zeros(n, dtype=np.int64)
        rows, cols = [], []
        for index, ids in enumerate(sentences_ids):
            ids_matrix[index, : len(ids)] = ids
            lengths[index] = len(ids)
            rows += [index] * len(ids)
            cols += ids
        incidence = sp.csc_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, pad + 1))

        averages = np.zeros(n)
        self._average(np.arange(n), ids_matrix, lengths, probabilities, sentences_ids, averages)
        alive = np.ones(n, dtype=bool)
        ratings: dict = {}
        tracker = _PickTracker(sentences, needed)
        while alive.any():
            candidates = np.flatnonzero(alive)
            best = int(candidates[int(np.argmax(averages[candidates]))])
            alive[best] = False
            ratings[sentences[best]] = -len(ratings)
            if tracker.settled(best, ratings):
                return tracker.fill(ratings)
            # Sumy squares a word's probability once per occurrence in the picked sentence.
            words, times = np.unique(np.asarray(sentences_ids[best], dtype=np.int64), return_counts=True)
            for step in range(int(times.max()) if len(times) else 0):
                squared = words[times > step]
                probabilities[squared] = probabilities[squared] * probabilities[squared]
            if len(words):
                touched = np.unique(incidence[:, words].indices)
                touched = touched[alive[touched]]
                self._average(touched, ids_matrix, lengths, probabilities, sentences_ids, averages)
        return ratings

    @staticmethod
    def _average(rows, ids_matrix, lengths, probabilities, sentences_ids, out):
        if not len(rows):
            return
        if _PLAIN_SUM:
            sums = np.zeros(len(rows))
            for column in np.ascontiguousarray(ids_matrix[rows].T):
                sums += probabilities[column]
        else:
            table = probabilities.tolist()
            sums = np.array([sum([table[i] for i in sentences_ids[row]]) for row in rows.tolist()])
        lengths = lengths[rows]
        out[rows] = np.where(lengths > 0, sums / np.maximum(lengths, 1), 0.0)
