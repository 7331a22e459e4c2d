"""How sentences are scored against a question: the tuned weights and the answer types questions ask for."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple


class Signals(NamedTuple):
    """What the re-ranker measured of one candidate sentence; `RankingWeights.score` weighs it.

    A named tuple, not a dataclass: one is made for each of up to 200 candidates per question.
    """

    # BM25 of the matched question terms (k1 and b of the weights).
    bm25: float
    # Share of the question's IDF mass the sentence matches; share of its distinct terms it matches;
    # share of the question's terms in the article's title.
    coverage: float
    term_share: float
    title: float
    # IDF of the question terms the sentence's article holds (in any of its candidate sentences): it
    # decides between articles, so a sentence of the article the question is about beats a lookalike.
    article: float
    # The sentence holds what the question asks for (a number, a year, a name). This, word_pairs and
    # grams read the sentence's text: they are measured for the best candidates by the other signals
    # only (answerer.REFINED) and are 0 for the rest.
    answer_type: bool
    # Stemmed question bigrams in the sentence; matched terms per term of their span; question
    # bigrams as written (function words included).
    stem_pairs: int
    proximity: float
    word_pairs: int
    # IDF of the question terms the sentence lacks and the sentence before it holds ("He wrote..."
    # after "Shelley..."); of the question terms its paragraph holds; of those it lacks and its
    # paragraph holds. Answering sentences often refer back to what the question names.
    context: float
    paragraph: float
    paragraph_context: float
    # Share of the question's letter 4-grams (IDF-weighted over the candidates) the sentence holds:
    # word forms the stemmer does not join ("anarchy", "anarchist"; a compound's inflected part).
    grams: float
    # How many terms the question has in the sentence's language.
    query_terms: int


# The signals a score is the weighted sum of, in RankingWeights' field order.
SCORED = ("bm25", "coverage", "term_share", "title", "article", "answer_type", "stem_pairs", "proximity",
          "word_pairs", "context", "paragraph", "paragraph_context", "grams")


@dataclass(frozen=True)
class RankingWeights:
    """The re-ranker: a weighted sum of a candidate's signals.

    The weights of the signals were fitted by `python -m bench.quality answers` (bench/reweighing.py):
    listwise softmax regression of which candidate answers, over the questions of SQuAD dev and XQuAD
    dev in en, ru, de, es and el pooled (one ranking for every language), cross-validated over folds
    of the articles (docs/benchmarks.md). Refit them there after changing a signal.
    """

    # BM25 over the chat's sentences. A low b: long sentences are not punished much,
    # since the sentence that answers often carries more than the question asks.
    k1: float = 1.2
    b: float = 0.3
    # The weight of each signal (see Signals). The signals run on different scales (BM25 and the IDF
    # masses to 20 and more, the shares to 1), so a weight means little alone. stem_pairs is negative:
    # with the term share, proximity and word bigrams in the sum, the fit takes back what a stemmed
    # bigram counts twice.
    bm25: float = 0.2602
    coverage: float = 1.1848
    term_share: float = 1.4205
    title: float = 4.7156
    article: float = 0.1603
    answer_type: float = 1.6042
    stem_pairs: float = -0.376
    proximity: float = 0.4305
    word_pairs: float = 0.2999
    context: float = 0.1402
    paragraph: float = 0.1308
    paragraph_context: float = 0.1536
    grams: float = 4.3528
    # A long question matching on less than this share of its IDF mass is no answer: such a
    # candidate comes after every strong one, whatever its score.
    min_coverage: float = 0.25

    def score(self, signals: Signals) -> float:
        """One candidate's score: the weighted sum of its signals (written out: it runs for every candidate)."""
        s = signals
        return (self.bm25 * s.bm25 + self.coverage * s.coverage + self.term_share * s.term_share
                + self.title * s.title + self.article * s.article + self.answer_type * s.answer_type
                + self.stem_pairs * s.stem_pairs + self.proximity * s.proximity + self.word_pairs * s.word_pairs
                + self.context * s.context + self.paragraph * s.paragraph
                + self.paragraph_context * s.paragraph_context + self.grams * s.grams)

    def weak(self, signals: Signals) -> bool:
        """One common word out of a long question is a weak answer: it comes after the strong ones."""
        return signals.query_terms >= 3 and signals.coverage < self.min_coverage


_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|dozen|half|percent)\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|"
                    r"december|century|centuries)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=[\w,;:] )[A-ZÀ-ÞА-ЯЁΑ-Ω][\w'-]+")


# What a question asks for, by its question words: English, German, Spanish, Russian, Greek.
_ASKS_NUMBER = re.compile(
    r"\bhow (many|much|long|old|far|large|big|tall|high)\b|\bwhat (percentage|percent|number)\b"
    r"|\bwie (viele?|lange|alt|weit|groß|hoch)\b|\bwieviele?\b|\bwelcher? (prozentsatz|anteil|zahl)\b"
    r"|\bcu[aá]nt[oa]s?\b|\bqu[eé] (porcentaje|n[uú]mero)\b"
    r"|\bсколько\b|\bкаков[аоы]? (процент|число|количество|доля)\b|\bкакой процент\b"
    r"|\bπ[οό]σ(α|ο|οι|ες|η|ος|ους|ων)\b|\bποιο ποσοστ[οό]\b")
_ASKS_TIME = re.compile(
    r"^\s*when\b|\b(what|which) (year|decade|century|month|day|date|time)\b"
    r"|^\s*wann\b|\bwann\b|\bin welchem (jahr|jahrhundert|monat|jahrzehnt)\b|\bwelches (jahr|datum)\b"
    r"|\bcu[aá]ndo\b|\bqu[eé] (año|siglo|fecha|mes|d[eé]cada)\b"
    r"|\bкогда\b|\bв каком (году|веке|месяце)\b|\bкакой (год|век)\b"
    r"|\bπ[οό]τε\b|\bποι[οα] (έτος|ετος|χρονι[άα]|αι[ώω]να|ημερομηνία)\b")
_ASKS_NAME = re.compile(r"^\s*(who|whom|whose)\b|\bwho\b|\b(wer|wem|wen|wessen)\b|\bqui[eé]n(es)?\b"
                        r"|\b(кто|кого|кому|кем)\b", re.IGNORECASE)


def answer_type(question: str) -> str | None:
    """What kind of answer a question wants: number, time, name, or None."""
    lowered = question.lower()
    if _ASKS_NUMBER.search(lowered):
        return "number"
    if _ASKS_TIME.search(lowered):
        return "time"
    if _ASKS_NAME.search(lowered):
        return "name"
    return None


@functools.lru_cache(maxsize=1024)
def _asked(question: str) -> frozenset[str]:
    """The question's words, lower-cased (cut once per question, not once per candidate)."""
    return frozenset(word.lower() for word in re.findall(r"\w+", question))


def _without_asked(text: str, question: str) -> str:
    """The words of `text` the question does not have: its own "2015" is not the answer's number or year."""
    asked = _asked(question)
    return " ".join(word for word in re.findall(r"\w+", text) if word.lower() not in asked)


def _holds(kind: str, text: str) -> bool:
    if kind == "number":
        return bool(_NUMBER.search(text))
    return bool(_YEAR.search(text) or _MONTH.search(text))


def holds_answer_type(kind: str | None, text: str, question: str) -> bool:
    if kind in ("number", "time"):
        # Most questions give no number or year of their own: then the text need not be cut.
        if not _holds(kind, text):
            return False
        return not _holds(kind, question) or _holds(kind, _without_asked(text, question))
    if kind == "name":
        asked = _asked(question)
        return any(name.lower() not in asked for name in _CAPITALISED.findall(text))
    return False
