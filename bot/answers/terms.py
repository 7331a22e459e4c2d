"""Index terms: what the full-text index holds for each sentence, the same terms questions are cut into."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence

from bot.text.article import ParsedArticle
from bot.text.language import LanguageProfile
from storage.records import NewSentence

# The version of the rules that make index terms (stemmers, stop words, compound parts). Bump it when a
# change gives stored sentences other terms: libraries stored before are then reindexed
# (bot/reindexing.py). 1: NLTK's Snowball stemmers; 2: PyStemmer's (Snowball 3, bot/text/stemming.py).
TERMS_VERSION = 2

# Languages that glue nouns into compounds ("Sauerstoffmangel" = "Sauerstoff" + "Mangel").
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no"})
# A compound is at least this long, each part at least _PART letters.
_COMPOUND = 8
_PART = 4
_LETTERS = re.compile(r"[^\W\d_]+")


def compound_parts(profile: LanguageProfile, word: str, known: Container[str]) -> list[str]:
    """Stems of the longest head and the longest tail of `word` that are `known` stems.

    The same split serves the index (known = the article's own words) and questions
    (known = the library's terms), so "Mangel an Sauerstoff" meets "Sauerstoffmangel".
    A German linking s ("Arbeitsmarkt") is dropped from the head.
    """
    lowered = word.lower()
    if profile.code not in COMPOUNDING or len(lowered) < _COMPOUND or not lowered.isalpha():
        return []
    whole = profile.stem(lowered)
    parts: list[str] = []
    for cut in range(_PART, len(lowered) - _PART + 1):  # the longest tail first
        tail = profile.stem(lowered[cut:])
        if tail != whole and tail in known:
            parts.append(tail)
            break
    for cut in range(len(lowered) - _PART, _PART - 1, -1):  # the longest head first
        head = lowered[:cut]
        stems = [profile.stem(head)] + ([profile.stem(head[:-1])] if head.endswith("s") and cut > _PART else [])
        found = next((stem for stem in stems if stem != whole and stem in known), None)
        if found is not None:
            parts.append(found)
            break
    return [part for part in dict.fromkeys(parts) if part not in profile.search_stop_words]


def _article_vocabulary(profile: LanguageProfile, texts: Iterable[str]) -> set[str]:
    return {profile.stem(w.lower()) for text in texts for w in _LETTERS.findall(text) if len(w) >= _PART}


def sentence_terms(profile: LanguageProfile, text: str, known: Container[str] = frozenset()) -> list[str]:
    """A sentence's index terms: its keywords, then the known parts of its compounds."""
    terms = profile.keywords(text)
    if profile.code in COMPOUNDING:
        for word in _LETTERS.findall(text):
            terms += [part for part in compound_parts(profile, word, known) if part not in terms]
    return terms


def compound_candidates(profile: LanguageProfile, text: str) -> list[str]:
    """Every stem `compound_parts` may look up for the words of `text` (to fetch their frequencies at once)."""
    if profile.code not in COMPOUNDING:
        return []
    found: list[str] = []
    for word in _LETTERS.findall(text.lower()):
        if len(word) < _COMPOUND:
            continue
        for cut in range(_PART, len(word) - _PART + 1):
            found += [profile.stem(word[cut:]), profile.stem(word[:cut])]
            if word[:cut].endswith("s") and cut > _PART:
                found.append(profile.stem(word[: cut - 1]))
    return list(dict.fromkeys(found))


def article_terms(profile: LanguageProfile, texts: Sequence[str]) -> list[str]:
    """Index terms of each of an article's sentences (given in order), as `indexed_sentences` makes them."""
    known = _article_vocabulary(profile, texts) if profile.code in COMPOUNDING else set()
    return [" ".join(sentence_terms(profile, text, known)) for text in texts]


def indexed_sentences(parsed: ParsedArticle, profile: LanguageProfile) -> tuple[NewSentence, ...]:
    """The article's sentences as the store keeps them, each with its stemmed content words."""
    terms = article_terms(profile, [s.text for s in parsed.sentences])
    return tuple(
        NewSentence(
            position=s.position,
            paragraph=s.paragraph,
            start=s.start,
            end=s.end,
            text=s.text,
            heading=s.heading,
            terms=sentence_terms,
        )
        for s, sentence_terms in zip(parsed.sentences, terms, strict=True)
    )
