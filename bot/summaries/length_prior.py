"""The default summary: Sumy's Reduction ranking with a prior for longer sentences."""

from __future__ import annotations

from typing import Any

from sumy.models.dom import ObjectDocumentModel, Sentence
from sumy.summarizers._summarizer import AbstractSummarizer


class LengthPriorSummarizer(AbstractSummarizer):
    """A Sumy ranking plus a prior for longer sentences: rating/max + weight * words/max words.

    News summaries keep the sentences that carry the most; Sumy's rankings ignore length
    and position. Measured on the summaries dev set (docs/benchmarks.md).
    """

    def __init__(self, base: Any, weight: float) -> None:
        if weight < 0:
            raise ValueError("The length prior's weight must not be negative.")
        super().__init__(base._stemmer)
        self._base = base
        self._weight = weight

    def __call__(self, document: ObjectDocumentModel, sentences_count: int) -> tuple[Sentence, ...]:
        sentences = document.sentences
        if not sentences:
            return ()
        ratings = self._base.rate_sentences(document)
        top_rating = max(ratings.values(), default=0.0) or 1.0
        top_length = max(len(sentence.words) for sentence in sentences) or 1
        combined = {
            sentence: ratings.get(sentence, 0.0) / top_rating + self._weight * len(sentence.words) / top_length
            for sentence in sentences
        }
        return self._get_best_sentences(sentences, sentences_count, combined)
