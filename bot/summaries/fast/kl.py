"""KL-Sum with incremental summary counts: every candidate's divergence in a few vector operations.

For a candidate s and the summary S, Sumy computes sum over w in joint(s, S) that the document
knows of p_w * log(p_w / q_w), with q_w = (c_s(w) + c_S(w)) / (|s| + |S|). Split by whether w is
already in the summary, that is

    A_S + a_s - (B_S + b_s) + log(|s| + |S|) * (P_S + p_s)

where A_S, B_S, P_S sum over the summary's words and a_s, b_s, p_s over the candidate's own words.
Candidates within rounding of the best one are rated again with Sumy's own functions.
"""

from __future__ import annotations

import numpy as np
from sumy.summarizers.kl import KLSummarizer

from bot.summaries.fast._common import RELATIVE_TOLERANCE, WordCache, count_matrix, greedy_order


class FastKLSummarizer(KLSummarizer):
    def __call__(self, document, sentences_count):
        sentences = document.sentences
        if not sentences:
            return ()
        cache = WordCache(self, frozenset())
        stop_words = self.stop_words
        lower = cache.lower
        word_freq = self.compute_tf(sentences)
        # Sumy's content words: normalised, then stop words dropped.
        words = [[w for w in map(lower, s.words) if w not in stop_words] for s in sentences]
        counts, vocabulary = count_matrix(words)
        for word in word_freq:
            if word not in vocabulary:
                vocabulary[word] = len(vocabulary)
        size = len(vocabulary)
        doc_p = np.zeros(size)
        for word, frequency in word_freq.items():
            doc_p[vocabulary[word]] = frequency
        known = doc_p > 0
        doc_plogp = np.zeros(size)
        doc_plogp[known] = doc_p[known] * np.log(doc_p[known])
        columns = counts.indices
        rows = np.repeat(np.arange(len(sentences)), np.diff(counts.indptr))
        entry_count = counts.data.astype(np.float64)
        entry_p = doc_p[columns]
        entry_known = known[columns]
        entry_plogc = entry_p * np.log(entry_count)
        lengths = np.array([len(w) for w in words], dtype=np.float64)
        summary_counts = np.zeros(size)
        state = {"length": 0.0, "words": []}

        def choose(remaining):
            in_summary = summary_counts[columns] > 0
            new = entry_known & ~in_summary
            old = entry_known & in_summary
            entry_c_summary = summary_counts[columns]
            with np.errstate(divide="ignore", invalid="ignore"):
                shared = np.where(
                    old, entry_p * (np.log(entry_count + entry_c_summary) - np.log(entry_c_summary)), 0.0
                )
            a = np.bincount(rows, weights=np.where(new, doc_plogp[columns], 0.0), minlength=len(sentences))
            p = np.bincount(rows, weights=np.where(new, entry_p, 0.0), minlength=len(sentences))
            b = np.bincount(rows, weights=np.where(new, entry_plogc, 0.0) + shared, minlength=len(sentences))
            summary_known = known & (summary_counts > 0)
            a_summary = doc_plogp[summary_known].sum()
            p_summary = doc_p[summary_known].sum()
            b_summary = (doc_p[summary_known] * np.log(summary_counts[summary_known])).sum()
            totals = lengths[remaining] + state["length"]
            with np.errstate(divide="ignore", invalid="ignore"):
                kls = (
                    a_summary + a[remaining] - (b_summary + b[remaining])
                    + np.log(totals) * (p_summary + p[remaining])
                )
            kls = np.where(totals > 0, kls, 0.0)
            best = kls.min()
            close = np.flatnonzero(kls <= best + RELATIVE_TOLERANCE * max(abs(best), 1.0))
            if len(close) == 1:
                return int(close[0])
            summary_words = state["words"]
            exact = [
                self._kl_divergence(self._joint_freq(words[remaining[i]], summary_words), word_freq) for i in close
            ]
            return int(close[exact.index(min(exact))])

        def update(position):
            raw = sentences[position].words
            state["words"].extend(raw)
            state["length"] += len(raw)
            for word in raw:
                column = vocabulary.get(word)
                if column is not None:
                    summary_counts[column] += 1

        return greedy_order(sentences, sentences_count, choose, update)


