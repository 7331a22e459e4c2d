"""Snowball stemmers from PyStemmer (the Snowball project's C stemmers) for the languages Sumy stems with NLTK's.

Sumy's `Stemmer` stems these languages with NLTK's pure-Python Snowball, whose import alone costs a
second (bot/text/sumy_imports.py). PyStemmer stems a word 5-60 times faster and imports in
milliseconds; its stems are Snowball 3's, which differ from NLTK's on a few words (German on more:
Snowball 3 rewrote its German stemmer), measured in docs/benchmarks.md. Stored libraries are
reindexed when the stems change (bot/answers/terms.py TERMS_VERSION).
"""

from __future__ import annotations

import threading
from typing import Any

import Stemmer

# Sumy's language name -> PyStemmer's algorithm, for every language Sumy stems with NLTK's Snowball
# (NLTK's SnowballStemmer.languages less "porter"). Dutch keeps the algorithm NLTK implements:
# Snowball 3's new "dutch" cuts far more ("gemeente" -> "meen", "mogelijkheden" -> "molijk") and
# there is no Dutch dev set to measure it on; "dutch_porter" gives NLTK's stems.
SNOWBALL_ALGORITHMS: dict[str, str] = {
    "arabic": "arabic",
    "danish": "danish",
    "dutch": "dutch_porter",
    "english": "english",
    "finnish": "finnish",
    "french": "french",
    "german": "german",
    "hungarian": "hungarian",
    "italian": "italian",
    "norwegian": "norwegian",
    "portuguese": "portuguese",
    "romanian": "romanian",
    "russian": "russian",
    "spanish": "spanish",
    "swedish": "swedish",
}


class SnowballStemmer:
    """One language's Snowball stemmer: lower-cases, then stems, as NLTK's `stem` does.

    A PyStemmer stemmer holds state while it stems and must not be used by two threads at once,
    so each thread gets its own (made at its first word).
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.algorithm = SNOWBALL_ALGORITHMS[language]
        self._local = threading.local()

    def __call__(self, word: str) -> str:
        try:
            stem = self._local.stem
        except AttributeError:
            # Briefbot caches stems itself (one cache for all threads): PyStemmer's own cache is off.
            stem = self._local.stem = Stemmer.Stemmer(self.algorithm, 0).stemWord
        return stem(word.lower())  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[Any, ...]:
        return (SnowballStemmer, (self.language,))  # to other processes: made anew there

    def __repr__(self) -> str:
        return f"SnowballStemmer({self.language!r})"
