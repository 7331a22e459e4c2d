"""Luhn with each distinct word stemmed once and Sumy's chunk ratings computed on 0/1 flags.

Sumy stems every word of the document twice (once for the significant words, once per sentence
while rating it), through two method calls each. Here each distinct word is normalised and
stemmed once per call, and a sentence with fewer than two significant words is rated 0 without
walking it (Sumy rates every chunk of one significant word 0). The chunks and their ratings
(`significant ** 2 / length`) are Sumy's own, in the same arithmetic, so the ratings are equal
and the same sentences come out.
"""

from __future__ import annotations

from functools import lru_cache

from sumy.models import TfDocumentModel
from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.luhn import LuhnSummarizer

from bot.summaries.fast._common import WordCache, best_sentences

STEM_CACHE_SIZE = 200_000


def cached_stemmer(stemmer):
    """The stemmer, remembering its answers (stemmers are pure functions of the word)."""
    return lru_cache(maxsize=STEM_CACHE_SIZE)(stemmer)


class FastLuhnSummarizer(LuhnSummarizer):
    def __init__(self, stemmer=null_stemmer):
        super().__init__(stemmer)
        self._stemmer = cached_stemmer(self._stemmer)

    def __call__(self, document, sentences_count):
        cache = WordCache(self, self._stop_words)
        significant = frozenset(self._significant_stems(document.words, cache))
        ratings = [self._rating([cache.stem(word) for word in sentence.words], significant)
                   for sentence in document.sentences]
        return best_sentences(document.sentences, sentences_count, ratings)

    def _significant_stems(self, words, cache: WordCache):
        """Sumy's `_get_significant_words`, each distinct word normalised and stemmed once."""
        lowered = [cache.lower(word) for word in words]
        stems = tuple(cache.stem(word) for word in lowered if word not in self._stop_words)
        model = TfDocumentModel(stems)
        best = model.most_frequent_terms(int(len(stems) * self.significant_percentage))
        return tuple(term for term in best if model.term_frequency(term) > 1)

    def _rating(self, stems: list[str], significant: frozenset[str]):
        """Sumy's `rate_sentence` from the sentence's stems: the best chunk's rating, 0 without a chunk."""
        flags = [stem in significant for stem in stems]
        if sum(flags) < 2:
            # No chunk can hold two significant words: Sumy rates each chunk (or none) 0.
            return 0
        gap = self.max_gap_size
        best = None
        chunk_significant = chunk_length = zeros = 0
        in_chunk = False
        for flag in flags:
            if flag and not in_chunk:
                in_chunk = True
                chunk_significant, chunk_length, zeros = 1, 1, 0
            elif in_chunk:
                chunk_length += 1
                if flag:
                    chunk_significant += 1
                    zeros = 0
                else:
                    zeros += 1
            if in_chunk and zeros >= gap:
                # A chunk ends after `gap` non-significant words; its trailing zeros do not count.
                best = self._better(best, chunk_significant, chunk_length - zeros)
                in_chunk = False
        if in_chunk:
            best = self._better(best, chunk_significant, chunk_length - zeros)
        return best if best is not None else 0

    @staticmethod
    def _better(best, significant: int, length: int):
        """The larger of `best` and the rating of a chunk: Sumy's `_get_chunk_rating`, then `max`."""
        rating = 0 if significant == 1 else significant**2 / length
        return rating if best is None or rating > best else best
