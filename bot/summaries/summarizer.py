"""Extractive summaries with Sumy's algorithms (stock or vectorised engine), plus a lead baseline."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.errors import InputError
from bot.i18n import Text, lazy
from bot.summaries.algorithms import DEFAULT, DEFAULT_ALGORITHM, ENGINES, resolve_algorithm
from bot.text.article import ArticleParser, ParsedArticle, ParsedSentence, to_sumy_document
from bot.text.language import LanguageProfile

if TYPE_CHECKING:  # Sumy's document model and summarizers load with the first summary (`ask` makes none)
    from sumy.models.dom import ObjectDocumentModel

logger = logging.getLogger(__name__)



def stock_summarizers() -> dict[str, type]:
    """Sumy's own summarizer classes by algorithm name.

    Imported when first asked for, not with this module: three of them import numpy, which a
    process that only answers questions (`briefbot ask`) does not need.
    """
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    return {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
        "kl": KLSummarizer,
        "sumbasic": SumBasicSummarizer,
        "reduction": ReductionSummarizer,
        "edmundson": EdmundsonSummarizer,
    }

LENGTH_PRIOR = 0.2
# Words that mark a sentence as less central in news prose (Edmundson's stigma words).
_STIGMA_WORDS = ("hardly", "impossible", "perhaps", "maybe", "reportedly", "allegedly", "rumour", "rumor")
# The time budget: beyond this many sentences an algorithm would stall the bot (seconds of
# CPU) or swell its memory, so it hands over to Luhn (linear). Stock Sumy's quadratic
# algorithms stall early; the fast engine's similarity graphs are dense n×n matrices, which
# at 14,000 sentences take 1.4-5 GB (5,000 sentences: ~0.3 s and ~100 MB). Measured in
# docs/benchmarks.md (bench/speed.py).
_STOCK_LIMITS = {"lexrank": 600, "textrank": 600, "kl": 150, "sumbasic": 1500, "reduction": 600, "lsa": 1500,
                 DEFAULT_ALGORITHM: 600, "luhn": 3000, "edmundson": 3000}
_FAST_LIMITS = {"lexrank": 5000, "textrank": 5000, "reduction": 5000, DEFAULT_ALGORITHM: 5000, "lsa": 6000}


@dataclass(frozen=True)
class Summary:
    # The algorithm that ran (never the symbolic `default`).
    algorithm: str
    sentences: tuple[ParsedSentence, ...]
    requested: int
    note: str = ""  # why the summary is not what was asked, in English (logs, scripts)
    # The same note untranslated, for front ends to render in the reader's language.
    note_text: Text | None = None
    # What was asked for: an algorithm name or `default`; buttons keep asking for it.
    asked: str = DEFAULT


def auto_length(content_sentences: int) -> int:
    """Summary length when none is asked for, by article size."""
    if content_sentences <= 6:
        return 2
    if content_sentences <= 25:
        return 3
    if content_sentences <= 60:
        return 4
    if content_sentences <= 150:
        return 5
    return 7


class Summarizer:
    """Summarizes parsed articles; one instance is built at start-up and shared."""

    def __init__(
        self,
        parser: ArticleParser,
        *,
        engine: str = "fast",
        default_algorithm: str = DEFAULT,
        default_sentences: int = 0,
        time_budget: bool = True,
    ) -> None:
        """`time_budget=False` runs every algorithm as asked however long it takes (`--engine` on the CLI)."""
        if engine not in ENGINES:
            raise ValueError(f"Unknown summary engine '{engine}'; use one of {', '.join(ENGINES)}.")
        self._parser = parser
        self._engine = engine
        self._default_algorithm = resolve_algorithm(default_algorithm)
        self._default_sentences = default_sentences
        self._time_budget = time_budget

    @property
    def engine(self) -> str:
        return self._engine

    def length_for(self, article: ParsedArticle, sentences: int | None = None, ratio: float | None = None) -> int:
        total = len(article.content_sentences)
        if sentences is not None:
            if sentences < 1:
                raise InputError(lazy("The summary needs at least one sentence."))
            return min(sentences, total)
        if ratio is not None:
            if not 0 < ratio <= 1:
                raise InputError(lazy("The ratio must be between 0 and 1 (for example 0.2)."))
            return max(1, min(total, round(total * ratio)))
        if self._default_sentences:
            return min(self._default_sentences, total)
        return min(auto_length(total), total)

    def summarize(
        self,
        article: ParsedArticle,
        *,
        algorithm: str | None = None,
        sentences: int | None = None,
        ratio: float | None = None,
        engine: str | None = None,
    ) -> Summary:
        name = resolve_algorithm(algorithm, self._default_algorithm)
        engine = engine or self._engine
        if engine not in ENGINES:
            raise InputError(lazy("Unknown engine '%(name)s'; use one of %(names)s.", name=engine,
                                  names=", ".join(ENGINES)))
        count = self.length_for(article, sentences, ratio)
        concrete = DEFAULT_ALGORITHM if name == DEFAULT else name
        note: Text | None = None
        total = len(article.content_sentences)
        limit = _sentence_limit(concrete, engine) if self._time_budget else None
        if limit is not None and total > limit:
            # The time budget: past its limit an algorithm would stall the bot, so a
            # cheaper one takes over (Luhn is linear; the lead baseline costs nothing).
            fallback = next(name for name in ("luhn", "lead") if (_sentence_limit(name, engine) or total) >= total)
            note = lazy("%(algorithm)s is too slow for %(count)s sentences; used %(fallback)s instead.",
                        algorithm=concrete, count=total, fallback=fallback)
            concrete = fallback
        started = time.perf_counter()
        chosen = self._run(article, concrete, count, engine)
        logger.debug("summary %s/%s of %d sentences took %.3f s", engine, concrete,
                     len(article.content_sentences), time.perf_counter() - started)
        return Summary(algorithm=concrete, sentences=chosen, requested=count, note=str(note) if note else "",
                       note_text=note, asked=name)

    def _run(self, article: ParsedArticle, algorithm: str, count: int, engine: str) -> tuple[ParsedSentence, ...]:
        if algorithm == "lead":
            return article.content_sentences[:count]
        profile = self._parser.profile(article.language)
        tokenizer = self._parser.tokenizer(article.language)
        document, by_object = to_sumy_document(article, tokenizer)
        document = _with_title(document, article.title, tokenizer)
        summarizer = self._build(algorithm, engine, profile, article.title)
        picked = summarizer(document, count)
        return tuple(sorted((by_object[id(sentence)] for sentence in picked), key=lambda s: s.position))

    @staticmethod
    def _build(algorithm: str, engine: str, profile: LanguageProfile, title: str) -> Callable[..., Any]:
        classes = _engine_classes(engine)
        if algorithm == DEFAULT_ALGORITHM:
            base = classes["reduction"](profile.stem)
            base.stop_words = profile.stop_words
            from bot.summaries.length_prior import LengthPriorSummarizer

            return LengthPriorSummarizer(base, LENGTH_PRIOR)
        summarizer = classes[algorithm](profile.stem)
        summarizer.stop_words = profile.stop_words
        if algorithm == "edmundson":
            title_words = [word for word in title.lower().split() if word not in profile.stop_words]
            summarizer.bonus_words = title_words or ["the"]
            summarizer.stigma_words = _STIGMA_WORDS
            summarizer.null_words = profile.stop_words
        return summarizer


def _sentence_limit(algorithm: str, engine: str) -> int | None:
    """Most sentences `algorithm` may take on `engine` before a cheaper one takes over."""
    base = "reduction" if algorithm == DEFAULT_ALGORITHM else algorithm
    classes = _engine_classes(engine)
    if classes.get(base) is stock_summarizers().get(base):
        return _STOCK_LIMITS.get(algorithm)
    return _FAST_LIMITS.get(algorithm)


def _engine_classes(engine: str) -> dict[str, type]:
    if engine == "fast":
        from bot.summaries.fast import FAST_SUMMARIZERS

        return {**stock_summarizers(), **FAST_SUMMARIZERS}
    return stock_summarizers()


def _with_title(document: ObjectDocumentModel, title: str, tokenizer: Any) -> ObjectDocumentModel:
    """Add the title as a heading: Edmundson's title method reads headings; others ignore them."""
    if not title:
        return document
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    heading = Paragraph([Sentence(title, tokenizer, is_heading=True)])
    return ObjectDocumentModel((heading, *document.paragraphs))
