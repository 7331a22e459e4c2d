"""Luhn with each word stemmed once and significant words in a set (Sumy scans a tuple per word)."""

from __future__ import annotations

from functools import lru_cache

from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.luhn import LuhnSummarizer

STEM_CACHE_SIZE = 200_000


def cached_stemmer(stemmer):
    """The stemmer, remembering its answers (stemmers are pure functions of the word)."""
    return lru_cache(maxsize=STEM_CACHE_SIZE)(stemmer)


class FastLuhnSummarizer(LuhnSummarizer):
    def __init__(self, stemmer=null_stemmer):
        super().__init__(stemmer)
        self._stemmer = cached_stemmer(self._stemmer)

    def __call__(self, document, sentences_count):
        words = frozenset(self._get_significant_words(document.words))
        return self._get_best_sentences(document.sentences, sentences_count, self.rate_sentence, words)
