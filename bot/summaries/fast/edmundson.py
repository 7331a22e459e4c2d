"""Edmundson with each word stemmed once: Sumy's cue, key, title and location methods stem every word again."""

from __future__ import annotations

from sumy.nlp.stemmers import null_stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer

from bot.summaries.fast.luhn import cached_stemmer


class FastEdmundsonSummarizer(EdmundsonSummarizer):
    """Sumy's Edmundson; its methods get the remembering stemmer, their ratings are integers as in Sumy."""

    def __init__(self, stemmer=null_stemmer, cue_weight=1.0, key_weight=0.0, title_weight=1.0, location_weight=1.0):
        super().__init__(stemmer, cue_weight, key_weight, title_weight, location_weight)
        self._stemmer = cached_stemmer(self._stemmer)

