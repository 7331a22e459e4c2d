"""SumBasic with sparse counts: sentence averages re-summed only where a picked word's probability changed."""

from __future__ import annotations

import numpy as np
from sumy.summarizers.sum_basic import SumBasicSummarizer

from bot.summaries.fast._common import RELATIVE_TOLERANCE, WordCache, count_matrix, greedy_order


class FastSumBasicSummarizer(SumBasicSummarizer):
    """Sumy's SumBasic: pick the sentence of highest average word probability, square its words' probabilities."""

    def __call__(self, document, sentences_count):
        sentences = document.sentences
        if not sentences:
            return ()
        cache = WordCache(self, self.stop_words)
        words = [cache.content_stems(s) for s in sentences]
        # Sumy's probabilities, kept exactly as Sumy updates them.
        word_freq = self._compute_word_freq([w for sentence in words for w in sentence])
        total = sum(len(w) for w in words)
        word_freq = {k: v / total for k, v in word_freq.items()}
        counts, vocabulary = count_matrix(words)
        by_word = counts.tocsc()
        probability = np.zeros(len(vocabulary))
        for word, column in vocabulary.items():
            probability[column] = word_freq[word]
        lengths = np.array([len(w) for w in words], dtype=np.float64)
        sums = counts @ probability

        def average(rows):
            return np.divide(sums[rows], lengths[rows], out=np.zeros(len(rows)), where=lengths[rows] > 0)

        def choose(remaining):
            values = average(remaining)
            best = values.max()
            close = np.flatnonzero(values >= best - RELATIVE_TOLERANCE * best)
            if len(close) == 1:
                return int(close[0])
            exact = [self._compute_average_probability_of_words(word_freq, words[remaining[i]]) for i in close]
            return int(close[int(np.argmax(exact))])

        def update(position):
            picked = words[position]
            self._update_tf(word_freq, picked)
            columns = np.unique([vocabulary[w] for w in picked]) if picked else np.zeros(0, dtype=np.int64)
            if not len(columns):
                return
            probability[columns] = [word_freq[w] for w in (words_of_column[c] for c in columns)]
            touched = np.unique(by_word[:, columns].indices)
            sums[touched] = counts[touched] @ probability

        words_of_column = list(vocabulary)
        return greedy_order(sentences, sentences_count, choose, update)
