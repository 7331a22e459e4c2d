"""Letter 4-grams shared by a question and a sentence: word forms the stemmer leaves apart still meet."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.text.language import ALL_QUESTION_WORDS, LanguageProfile

_LETTERS = re.compile(r"[^\W\d_]+")
_N = 4
# Words shorter than this give no grams of their own ("of", "in" and most function words).
_SHORTEST = 3


def question_grams(profile: LanguageProfile, question: str) -> frozenset[str]:
    """The 4-grams of the question's content words, each word padded with a space on both sides."""
    skip = profile.search_stop_words | profile.question_words | ALL_QUESTION_WORDS
    grams: set[str] = set()
    for word in _LETTERS.findall(question.lower()):
        if len(word) < _SHORTEST or word in skip:
            continue
        padded = f" {word} "
        grams.update(padded[i : i + _N] for i in range(len(padded) - _N + 1))
    return frozenset(grams)


def gram_shares(grams: dict[str, frozenset[str]], sentences: Sequence[tuple[str, str]]) -> list[float]:
    """Per (language, text): the share of its language's question grams it holds, each weighted by its IDF here.

    The IDF is counted over these sentences, so a gram every candidate holds weighs little.
    """
    texts = [" " + " ".join(_LETTERS.findall(text.lower())) + " " for _language, text in sentences]
    held = [{gram for gram in grams[language] if gram in text}
            for (language, _text), text in zip(sentences, texts, strict=True)]
    count = len(sentences)
    frequency: dict[str, int] = {}
    for found in held:
        for gram in found:
            frequency[gram] = frequency.get(gram, 0) + 1
    weights = {language: {gram: math.log(1 + (count - frequency.get(gram, 0) + 0.5) / (frequency.get(gram, 0) + 0.5))
                          for gram in language_grams} for language, language_grams in grams.items()}
    totals = {language: sum(weight.values()) for language, weight in weights.items()}
    return [sum(weights[language][gram] for gram in found) / totals[language] if totals[language] else 0.0
            for (language, _text), found in zip(sentences, held, strict=True)]
