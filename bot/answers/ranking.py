"""How sentences are scored against a question: the tuned weights and the answer types questions ask for."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RankingWeights:
    """Knobs of the re-ranker, tuned on the answers dev set (see docs/benchmarks.md)."""

    # BM25 over the chat's sentences. A low b: long sentences are not punished much,
    # since the sentence that answers often carries more than the question asks.
    k1: float = 1.2
    b: float = 0.3
    # Multipliers: share of the question's IDF mass matched; the answer type present
    # (a number for "how many", a year for "when", a name for "who"); title words.
    coverage: float = 0.5
    answer_type: float = 0.4
    title: float = 0.3
    # Additive: stemmed question bigrams found in the sentence; matched words close
    # together; consecutive question words (as written, function words included). Word bigrams
    # were 3.0; with the passage context and article terms below 2.5 is better in en, ru, es (2.0:
    # en and es better still, ru and el worse).
    stem_bigram: float = 0.9
    proximity: float = 3.0
    word_bigram: float = 2.5
    # Additive: this share of the IDF of question terms the candidate lacks that the sentence before
    # it holds ("He wrote..." after "Shelley..."): answering sentences often refer back to what the
    # question names. The sentence before counts when it is a candidate itself (it holds a question
    # term), so this costs no query. 0.2-1.0 measured (docs/benchmarks.md); the next sentence as
    # well, or instead, lost top-1 in most languages.
    context: float = 0.7
    # Additive: this share of the IDF of the question terms the candidate's article holds (in any of
    # its candidate sentences), so a sentence of the article the question is about beats a lookalike
    # of another. The same for every sentence of one article: it decides between articles only.
    # 0.2-0.4 measured; 0.3 best in every language (a multiplier by the share lost top-1 in ru and el).
    article: float = 0.3
    # A long question matching on less than this share of its IDF mass is no answer.
    min_coverage: float = 0.25

    def score(self, signals: Signals) -> float:
        """One candidate's score: BM25 scaled by coverage, title and answer type, plus the additive signals."""
        score = signals.bm25 * (1 + self.coverage * signals.coverage) * (1 + self.title * signals.title)
        score += self.article * signals.article
        if signals.answer_type:
            score *= 1 + self.answer_type
        return (score + self.stem_bigram * signals.stem_pairs + self.proximity * signals.proximity
                + self.word_bigram * signals.word_pairs + self.context * signals.context)

    def weak(self, signals: Signals) -> bool:
        """One common word out of a long question is a weak answer: it comes after the strong ones."""
        return signals.query_terms >= 3 and signals.coverage < self.min_coverage


@dataclass(frozen=True)
class Signals:
    """What the re-ranker measured of one candidate sentence; `RankingWeights.score` weighs it."""

    # BM25 of the matched question terms (the weights' k1 and b).
    bm25: float
    # Share of the question's IDF mass the sentence matches; share of its terms in the article's title.
    coverage: float
    title: float
    # IDF of the question terms the sentence's article holds (in any of its candidate sentences).
    article: float
    # The sentence holds what the question asks for (a number, a year, a name).
    answer_type: bool
    # Stemmed question bigrams in the sentence; matched terms per term of their span; question
    # bigrams as written.
    stem_pairs: int
    proximity: float
    word_pairs: int
    # IDF of the question terms the sentence lacks and the sentence before it holds.
    context: float
    # How many terms the question has in the sentence's language.
    query_terms: int


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


def _without_asked(text: str, question: str) -> str:
    """The words of `text` the question does not have: its own "2015" is not the answer's number or year."""
    asked = {word.lower() for word in re.findall(r"\w+", question)}
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
        asked = {word.lower() for word in re.findall(r"\w+", question)}
        return any(name.lower() not in asked for name in _CAPITALISED.findall(text))
    return False
