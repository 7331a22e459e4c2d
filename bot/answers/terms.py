"""Index terms: what the full-text index holds for each sentence, the same terms questions are cut into."""

from __future__ import annotations

from bot.text.article import ParsedArticle
from bot.text.language import LanguageProfile
from storage.records import NewSentence


def indexed_sentences(parsed: ParsedArticle, profile: LanguageProfile) -> tuple[NewSentence, ...]:
    """The article's sentences as the store keeps them, each with its stemmed content words."""
    return tuple(
        NewSentence(
            position=s.position,
            paragraph=s.paragraph,
            start=s.start,
            end=s.end,
            text=s.text,
            heading=s.heading,
            terms=" ".join(profile.keywords(s.text)),
        )
        for s in parsed.sentences
    )
