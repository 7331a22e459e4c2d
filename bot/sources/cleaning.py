"""Cleaning extracted paragraphs: what extractors keep but readers skip.

Rules that hold across sites rather than for one page: the headline repeated in the text,
a bare link, a date line, credit and caption lines, "subscribe to our newsletter" and
"read more" lines, and blocks that are all link text (related stories, "most read").
Every pattern rule applies only to short paragraphs, and a word that prose uses too
("copyright", "newsletter", "photo by", a photo agency's name) only where furniture puts it, so
a story's paragraph that mentions a newsletter or a copyright claim stays, however short. What no
pattern knows — a site's own sign-off, its promotion lines — is found across the site's pages:
`drop_site_boilerplate` removes the short lines a chat's earlier articles from the same site all
share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_URL_LINE = re.compile(r"^\W*(https?://|www\.)\S+\W*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
# What makes a stamp of a line with numbers: a time, or a whole date (day, month and year), in
# figures ("2018-08-25", "08.04.2015", "11/19/2019") or words ("18 November 2019", "Nov. 19, 2019",
# "22 de janeiro de 2018"; a month's name has three letters at least, "48 in 2024" is no date). A
# short sentence of figures ("Unemployment fell to 3.9% in March 2024.") has neither.
_STAMP = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[-./]\d{1,2}[-./]\d{2,4}\b"
    r"|\b\d{1,2}(st|nd|rd|th)?\.?\s+(de\s+)?[^\W\d_]{3,}\.?,?\s+(de\s+)?\d{4}\b"
    r"|\b[^\W\d_]{3,}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}\b"
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*\s*$")
# The words in lower case a date stamp has around its date and time ("posted on …, at 11:29 a.m.",
# "Aktualisiert am …", "… às 0:13"): any other two, in a line that ends as a sentence does, make it one.
_STAMP_WORDS = frozenset({"updated", "published", "posted", "modified", "last", "on", "at", "by", "am", "pm", "a",
                          "p", "m", "de", "às", "à", "le", "el", "del", "aktualisiert", "veröffentlicht", "um",
                          "uhr", "gmt", "utc", "et", "est", "edt", "pst", "pdt", "bst", "cet", "cest"})
# Page furniture says what it is where it starts ("Subscribe to …", "Photo: …", "Tags: …", "Most
# read", "Copyright 2026 …"), is a label standing alone ("You might also like", "Related articles")
# or carries a mark prose does not (©, "all rights reserved", "our newsletter"). A news story's
# short paragraphs mention newsletters, copyright claims, advertisements, photos and photo agencies
# too ("The judge ruled that the copyright claim was filed too late."), so a word that prose uses is
# furniture only at the start of the line (or of a sentence, for the imperatives), the labels a
# sentence could begin with only in a short line or alone, and a photo "by" someone only when a
# name follows ("Photo by Jane Doe", not "Photos by pupils hang in the hall.").
# The furniture that says what it is where the line starts is matched at the start only (re.match),
# each alternative tried once a line instead of at every character; the marks are searched anywhere.
_FURNITURE_START = re.compile(
    r"\W*thank(s| you) for (reading|subscribing|signing up|visiting)"
    r"|\W*subscribe\b|\W*sign up\b|\W*read more\b|related:"
    r"|\W*most (read|popular|viewed|shared)\b(\W+\w+){0,4}\W*$"
    r"|\W*follow (him|her|them) (on|at)\b|\W*(have|got) a (news )?tip\b"
    r"|\W*share this\b"
    r"|\W*copyright\W+(\w+\W+)?(\d{4}|notice\b)"
    r"|\W*(image|photo|photograph|picture|media) copyright(\W+(?-i:[A-Z©])|\W*$)"
    r"|\W*advertisements?\W*([-–—:|].*)?$|comments?$"
    r"|\W*(tags?|topics|filed under|categor(y|ies)|keywords)\W*(:|$)"
    r"|\W*if you (enjoyed|liked|value) (this|our) (article|story|post|piece|journalism|reporting)\b"
    r"|\W*(you (might|may) (also )?(like|enjoy)|(more|other|related) (\w+ ){0,2}(stories|articles|posts|reads)"
    r"|recommended( (for you|reading|stories))?|read (next|also)|see also|also read)\W*$"
    r"|\W*(auch interessant|mehr zum thema|lesen sie (auch|mehr)|weitere artikel|ähnliche (beiträge|artikel)"
    r"|(das|dies) (thema )?könnte (sie|dich|euch) (auch )?interessieren|te puede interesar|lee también"
    r"|noticias relacionadas|читайте также|смотрите также|похожие (новости|статьи)|διαβάστε (επίσης|ακόμη)"
    r"|δείτε επίσης|à lire aussi|lire aussi|sur le même sujet|leggi anche|potrebbe interessarti)\W*$"
    r"|\(?(additional )?(reporting|writing|editing)\b[^.!?]*? by\W+(?-i:[A-Z])|\(?(reporting|writing|editing) by\b"
    r"|\W*(photo|image|picture|credit|photograph|video|source)s?( by| credit)?\s*[:|]"
    r"|(foto|fotos|bild|bilder|beitragsbild|titelbild|quelle|fuente|imagen|fonte|crédito|фото|источник|πηγή"
    r"|φωτογραφία)\s*[:|]"
    r"|\W*(\w+ )?(photo|image|picture)s? (courtesy|credit)\b|\W*(\w+ )?(photo|image|picture)s? by\W+(?-i:[A-Z])"
    r"|\W*(getty images|shutterstock)\b[^.!?]*$|\W*ap photos?\W*$",
    re.IGNORECASE,
)
_FURNITURE_ANYWHERE = re.compile(
    r"©|ⓒ|\(c\) ?\d{4}|all rights reserved|\bour (\w+ ){0,2}newsletters?\b"
    r"|thanks for subscribing|subscribing to our|[.!?]\s+(subscribe|sign up)\b"
    r"|follow (us|me) (on|at)\b|write to .+@|order reprints|print article|share this (story|article|page|post)"
    r"|(story|article) continues (below|after)|[(/]\s*(getty images|shutterstock)\b|\bap photos?\s*/|\(\s*ap photo\b"
    r"|an error has occurred|this article has been sent",
    re.IGNORECASE,
)
# Each alternative of the two above matches only text holding one of these, in any case: a line of
# ASCII (where ignoring case is lower-casing) holding none is not searched. (The page of 1,257 short
# lines spent 25 ms when one pattern of every alternative was searched at every character.)
# Keep them in step (tests/test_cleaning.py checks a line for each alternative).
_FURNITURE_WORDS = re.compile(
    r"newsletter|subscrib|sign up|read more|related:|most |follow |tip|write to "
    r"|order reprints|print article|share this|all rights reserved|copyright|\(c\)|advertisement|continues|comment|tag"
    r"|topic|filed under|categor|keyword|if you|you might|you may|stories|articles|posts|reads"
    r"|recommended|read next|read also|see also|also read"
    r"|reporting|writing|editing|photo|image|picture|credit|video|source|shutterstock|an error has occurred"
    r"|foto|bild|quelle|fuente|imagen|fonte|interess|mehr zum|lesen sie|weitere artikel|te puede|relacionadas"
    r"|lire aussi|leggi anche"
    r"|thank|this article has been sent"
)


@dataclass(frozen=True)
class CleaningRules:
    """Which rules run, and their thresholds (chosen by cross-validation, see docs/benchmarks.md)."""

    patterns: bool = True
    max_boilerplate_words: int = 50
    dates: bool = True
    max_date_words: int = 10
    links: bool = True
    link_density: float = 0.6
    max_link_words: int = 30
    title: bool = True
    urls: bool = True
    min_link_run: int = 2


def words(text: str) -> list[str]:
    """The `\\w+` words of a text."""
    return _WORD.findall(text)


def normal_form(text: str) -> str:
    """A text as lines are compared: its words, lower-case, one space apart."""
    return " ".join(words(text.lower()))


def is_boilerplate_line(line: str) -> bool:
    """A line with a pattern of boilerplate ("Sign up for our newsletter", "Photo: Reuters", "© 2026 …")."""
    if line.isascii() and not _FURNITURE_WORDS.search(line.lower()):
        return False
    return _FURNITURE_START.match(line) is not None or _FURNITURE_ANYWHERE.search(line) is not None


def is_date_line(paragraph: str, *, max_words: int) -> bool:
    """A short line that is a date stamp ("Updated: Tue., Nov. 19, 2019", "2018-08-25 15:24")."""
    if not _YEAR.search(paragraph):  # first: most lines have no year, and it costs less than the words
        return False
    tokens = words(paragraph)
    if not tokens or len(tokens) > max_words:
        return False
    if "@" in paragraph or any(mark in paragraph for mark in "|~"):
        return False  # a tweet's attribution or a date range belongs to the text
    digits = sum(token.isdigit() for token in tokens)
    if digits < 2 or digits / len(tokens) < 0.3 or _STAMP.search(paragraph) is None:
        return False
    # A sentence that gives a date ("On 3 May 2024 the council voted 7 to 4.") says something
    # besides it: words in lower case that a stamp's "posted on … at …" does not use.
    if _SENTENCE_END.search(paragraph):
        said = [word for word in words(_STAMP.sub(" ", paragraph)) if word.islower() and word not in _STAMP_WORDS]
        return len(said) < 2
    return True


def clean_paragraphs(paragraphs: Iterable[str], *, title: str = "", url: str | None = None,
                     link_dense: frozenset[str] = frozenset(), rules: CleaningRules | None = None) -> list[str]:
    """The paragraphs a reader would keep, in order."""
    rules = rules or CleaningRules()
    headline = normal_form(title)
    own_url = normal_form(url or "")
    candidates = []
    for paragraph in paragraphs:
        tokens = words(paragraph.lower())
        normal, count = " ".join(tokens), len(tokens)  # normal_form(paragraph) and its number of words
        if not normal:
            continue
        if rules.title and headline and normal == headline:
            continue
        # A bare link in the text is often a reference the author gives; the page's own address is not.
        if rules.urls and own_url and normal == own_url and _URL_LINE.match(paragraph.strip()):
            continue
        if rules.patterns and count <= rules.max_boilerplate_words and is_boilerplate_line(paragraph.strip()):
            continue
        if rules.dates and is_date_line(paragraph, max_words=rules.max_date_words):
            continue
        linky = (rules.links and count <= rules.max_link_words and normal in link_dense
                 and not _URL_LINE.match(paragraph.strip()))
        candidates.append((paragraph, linky))
    # Link-dense lines go only in runs (a list of related stories), not one link sentence alone.
    kept: list[str] = []
    index = 0
    while index < len(candidates):
        end = index
        while end < len(candidates) and candidates[end][1]:
            end += 1
        if end > index:
            if end - index < rules.min_link_run:
                kept.extend(paragraph for paragraph, _ in candidates[index:end])
            index = end
        else:
            kept.append(candidates[index][0])
            index += 1
    return kept


def is_teaser_list(paragraphs: Sequence[str], *, min_repeats: int = 3, min_share: float = 0.25) -> bool:
    """Whether the paragraphs are a list of other stories: one short line ("mehr…", "Read more") after each teaser.

    A story does not say the same two or three words on a line of their own again and again; a
    table or a list in it may ("No answer" in four of 250 lines), but not in a quarter of its lines.
    """
    seen: dict[str, int] = {}
    for paragraph in paragraphs:
        tokens = words(paragraph.lower())
        if 0 < len(tokens) <= 4:
            normal = " ".join(tokens)
            seen[normal] = seen.get(normal, 0) + 1
    most = max(seen.values(), default=0)
    return most >= min_repeats and most >= min_share * len(paragraphs)


def link_dense_texts(blocks: Iterable[tuple[str, int]], *, density: float) -> frozenset[str]:
    """Normalised texts of blocks whose share of link characters is at least `density`."""
    return frozenset(normal_form(text) for text, link_chars in blocks
                     if text.strip() and link_chars / max(len(text), 1) >= density)


def drop_site_boilerplate(text: str, earlier: Iterable[str], *, min_pages: int = 2,
                          max_words: int = 50) -> str:
    """`text` without the short paragraphs that stand in at least `min_pages` of the site's `earlier` texts.

    A line a site repeats on every page ("Sign up for the Herald's morning briefing", a sign-off
    naming the desk) is boilerplate however it is worded; a line two stories merely quote alike
    is not, so it takes `min_pages` earlier pages, not one. If the rule would take away more than
    half of the text, the page is a copy of an earlier one, not boilerplate, and is left whole.
    """
    paragraphs = [paragraph for paragraph in _PARAGRAPH_BREAK.split(text) if paragraph.strip()]
    seen: dict[str, int] = {}
    for page in earlier:
        for normal in {normal_form(line) for line in _PARAGRAPH_BREAK.split(page)}:
            if normal and len(normal.split()) <= max_words:
                seen[normal] = seen.get(normal, 0) + 1
    kept = [paragraph for paragraph in paragraphs if seen.get(normal_form(paragraph), 0) < min_pages]
    if len(kept) == len(paragraphs) or sum(map(len, kept)) * 2 < sum(map(len, paragraphs)):
        return text
    return "\n\n".join(paragraph.strip() for paragraph in kept)
