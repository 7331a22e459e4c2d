"""KL-Sum with Sumy's exact greedy choices: incremental, vectorised KL divergences, Sumy's float order."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sumy.summarizers.kl import KLSummarizer
from sumy.utils import ItemsCount


class FastKLSummarizer(KLSummarizer):
    """Sumy's KL-Sum.

    Sumy re-runs the greedy step until every sentence is in the "summary" (cubic time);
    only the first picks decide the summary, so the loop stops once they are settled
    (see `_picks_settled`). Each step computes every remaining sentence's KL divergence at
    once. The terms are Sumy's (same divisions, `math.log`, which numpy's log does not always
    match to the last bit) and are added in Sumy's dict order: the sentence's own content
    words, then the summary's words; so the minimum, and ties, are Sumy's.
    """

    def __call__(self, document, sentences_count):
        sentences = document.sentences
        ratings = self._fast_ratings(sentences, _needed(len(sentences), sentences_count))
        return self._get_best_sentences(sentences, sentences_count, ratings)

    def _fast_ratings(self, sentences, needed):
        n = len(sentences)
        if n == 0:
            return {}
        stop_words = self.stop_words
        normalize = self.normalize_word
        vocabulary: dict[str, int] = {}

        def word_id(word):
            return vocabulary.setdefault(word, len(vocabulary))

        # Sumy's compute_tf: stop words are filtered before lower-casing here (a Sumy quirk).
        content = [normalize(w) for s in sentences for w in s.words if w not in stop_words]
        total = len(content)
        doc_tf = {w: c / total for w, c in Counter(content).items()}
        # Each sentence's content words (lower-cased, then filtered), counted in first-occurrence order.
        own = []
        for sentence in sentences:
            words = [w for w in map(normalize, sentence.words) if w not in stop_words]
            counts = Counter(words)
            own.append((len(words), [word_id(w) for w in counts], list(counts.values())))
        raw = [[word_id(w) for w in sentence.words] for sentence in sentences]
        pad = word_id("\0pad")
        frequencies = np.zeros(len(vocabulary))
        for word, index in vocabulary.items():
            frequencies[index] = doc_tf.get(word, 0.0)
        frequencies[pad] = 0.0

        width = max(len(ids) for _, ids, _ in own)
        own_ids = np.full((n, width), pad, dtype=np.int64)
        own_counts = np.zeros((n, width), dtype=np.int64)
        lengths = np.zeros(n, dtype=np.int64)
        rows, cols = [], []
        for index, (length, ids, counts) in enumerate(own):
            own_ids[index, : len(ids)] = ids
            own_counts[index, : len(ids)] = counts
            lengths[index] = length
            rows += [index] * len(ids)
            cols += ids
        incidence = sp.csr_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, len(vocabulary)))

        summary_counts = np.zeros(len(vocabulary), dtype=np.int64)
        summary_words: list[int] = []  # summary words with a document frequency, first occurrence first
        summary_length = 0
        remaining = np.arange(n)
        ratings: dict = {}
        tracker = _PickTracker(sentences, needed)

        while len(remaining):
            kls = self._divergences(remaining, lengths[remaining] + summary_length, own_ids, own_counts,
                                    frequencies, summary_counts, summary_words, incidence)
            best = int(remaining[int(np.argmin(kls))])
            remaining = remaining[remaining != best]
            ratings[sentences[best]] = -1 * len(ratings)
            for word in raw[best]:
                if summary_counts[word] == 0 and frequencies[word] > 0:
                    summary_words.append(word)
                summary_counts[word] += 1
            summary_length += len(raw[best])
            if tracker.settled(best, ratings):
                return tracker.fill(ratings)
        return ratings

    @staticmethod
    def _divergences(rows, totals, own_ids, own_counts, frequencies, summary_counts, summary_words, incidence):
        ids = own_ids[rows]
        f = frequencies[ids]
        # a sentence with no words and an empty summary has nothing to divide (and no terms)
        q = (own_counts[rows] + summary_counts[ids]) / np.maximum(totals, 1)[:, np.newaxis]
        terms = np.zeros(f.shape)
        valid = f > 0
        terms[valid] = f[valid] * _logs(f[valid] / q[valid])
        sums = np.zeros(len(rows))
        for column in np.ascontiguousarray(terms.T):
            sums += column
        if summary_words:
            words = np.asarray(summary_words)
            distinct, inverse = np.unique(totals, return_inverse=True)
            f_summary = frequencies[words]
            q_summary = summary_counts[words][np.newaxis, :] / distinct[:, np.newaxis]
            table = f_summary * _logs(f_summary / q_summary)
            extra = table[inverse]
            # words already counted among the sentence's own come first in Sumy's dict
            extra[incidence[rows][:, words].toarray()] = 0.0
            for column in np.ascontiguousarray(extra.T):
                sums += column
        return sums


def _logs(values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    return np.fromiter(map(math.log, flat.tolist()), dtype=np.float64, count=len(flat)).reshape(np.shape(values))


def _needed(total, sentences_count):
    """How many sentences Sumy's `_get_best_sentences` will return, or None when it cannot be told."""
    if callable(sentences_count):
        return None
    try:
        return len(ItemsCount(sentences_count)(list(range(total))))
    except (TypeError, ValueError):
        return None


class _PickTracker:
    """Tells when the greedy order has settled the top `needed` ratings (Sumy rates pick t as -t).

    Sentences with equal text are one dict key in Sumy: a later pick of a twin re-rates the key
    with the then current -len(ratings). A key is settled once all its sentences are picked; once
    settled keys rated above anything still to come cover `needed` sentences, the rest can only
    rank below them.
    """

    def __init__(self, sentences, needed):
        self._sentences = sentences
        self._needed = needed
        self._left = Counter(sentences)
        self._size = Counter(sentences)
        self._covered = 0
        self._settled: dict = {}

    def settled(self, picked, ratings):
        if self._needed is None:
            return False
        key = self._sentences[picked]
        self._left[key] -= 1
        if self._left[key] == 0:
            self._settled[key] = ratings[key]
        floor = -len(ratings)  # every later rating is at most this
        covered = sum(self._size[k] for k, rating in self._settled.items() if rating > floor)
        return covered >= self._needed

    def fill(self, ratings):
        low = -(len(self._size) + 2)
        result = dict(ratings)
        for key in self._size:
            if key not in self._settled:
                result[key] = low
        return result
