"""The cleaning rules, one paragraph at a time: what goes and what stays."""

from __future__ import annotations

import re

import pytest

from bot.sources import cleaning
from bot.sources.cleaning import (
    CleaningRules,
    clean_paragraphs,
    is_boilerplate_line,
    is_date_line,
    is_teaser_list,
    link_dense_texts,
)

STORY = ("The ferry between the old town and Holmen will carry passengers again from Monday, the city's "
         "transport office said, ending a six-month break caused by a cracked hull.")


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        ("Sign up for our morning newsletter to get the day's top stories.", False),
        ("Subscribe to the Morning Review newsletter", False),
        ("Copyright © 2026 The Coastal Herald. All rights reserved.", False),
        ("(Reporting by Greg Roumeliotis; editing by Martin Howell)", False),
        ("Photo: Coastal Herald archive", False),
        ("Read more", False),
        ("Updated: Tue., Nov. 24, 2026", False),
        ("기사입력 :[ 2018-08-25 15:24 ]", False),
        ("https://herald.example/news/ferry", False),  # the page's own address
        ("Harbour ferry service to resume", False),  # the headline again
        ("Disney+ reached ten million subscribers on its first day, the company said.", True),
        ("— Jane Doe (@janedoe) November 18, 2019", True),  # a tweet's attribution
        ("http://amzn.to/2iJFhRj", True),  # a link the author gives
        (STORY, True),
    ],
)
def test_one_paragraph(paragraph: str, kept: bool) -> None:
    result = clean_paragraphs([STORY, paragraph], title="Harbour ferry service to resume",
                              url="https://herald.example/news/ferry")
    assert (paragraph in result) is kept
    assert STORY in result


def test_a_long_paragraph_is_kept_whatever_it_mentions() -> None:
    long = " ".join([STORY, "Readers can subscribe to a newsletter about the route."] * 3)
    assert clean_paragraphs([long]) == [long]


def test_a_list_of_teasers_is_told_from_a_story() -> None:
    teasers = [f"{STORY} ({number})" if turn == 0 else "mehr..." for number in range(3) for turn in range(2)]
    assert is_teaser_list(teasers)
    assert not is_teaser_list(teasers[:4]), "twice is not yet a list"
    # A story's short lines differ ("Read more" once, a heading, a quote), and long ones do not count.
    assert not is_teaser_list([STORY, "Read more", STORY, "The crossing", STORY, "'Finally,' she said.", STORY])
    assert not is_teaser_list([STORY, STORY, STORY])
    # A table or a list inside a story repeats a short cell, in far fewer than a quarter of its lines.
    assert not is_teaser_list([*[STORY] * 40, *["No answer"] * 4])
    assert is_teaser_list([*[STORY] * 12, *["No answer"] * 4])


def test_link_dense_lines_go_in_runs_only() -> None:
    related = ["Storm closes coastal bridge", "Island school reopens", "New fish market opens"]
    lonely = "Click for the full results"
    blocks = [(text, len(text)) for text in [*related, lonely]] + [(STORY, 10)]
    dense = link_dense_texts(blocks, density=0.6)
    result = clean_paragraphs([STORY, *related, STORY, lonely], link_dense=dense, rules=CleaningRules(min_link_run=2))
    assert result == [STORY, STORY, lonely]


def test_rules_can_be_switched_off() -> None:
    off = CleaningRules(patterns=False, dates=False, links=False, title=False, urls=False)
    paragraphs = ["Read more", "Updated: Tue., Nov. 24, 2026", STORY]
    assert clean_paragraphs(paragraphs, title="Read more", rules=off) == paragraphs


@pytest.mark.parametrize(
    ("line", "date"),
    [("UPDATED: Tue., Nov. 19, 2019", True), ("- Published 18 November 2019", True),
     ("2018-08-25 15:24", True), ("08.04.2015 12:46", True), ("5:45 AM PST 11/19/2019 by Jane Doe", True),
     ("posted on April 21, 2015, at 11:29 a.m.", True), ("segunda-feira, 22 de janeiro de 2018 às 0:13", True),
     ("24 ноября 2026, 14:05", True), ("Aktualisiert am 24.11.2026", True),
     ("29 November 2018 | 20 January 2019", False), ("The 2019 season had 12 races and 3 winners in all.", False),
     # Short sentences of figures: a year and numbers, but no time and no whole date.
     ("Unemployment fell to 3.9% in March 2024.", False), ("Turnout was 64.2 percent in 2019.", False),
     ("Sales rose 12% to $4.5 billion in 2025.", False), ("The vote was 52 to 48 in 2024.", False),
     ("RFC 3987, January 2005.", False),
     # Sentences that give a whole date and say something besides; stamps that end as a sentence does.
     ("On 3 May 2024 the council voted 7 to 4.", False), ("On 3 May 2024, 1,200 people marched.", False),
     ("Published 3 May 2024.", True), ("Updated on 3 May 2024 at 10:05 a.m.", True)],
)
def test_date_lines(line: str, date: bool) -> None:
    assert is_date_line(line, max_words=10) is date


# One line for each alternative of cleaning._FURNITURE_START and _FURNITURE_ANYWHERE (a test checks each has one).
BOILERPLATE_LINES = (
    "All Rights Reserved.", "© The Herald", "ⓒ The Herald", "(c) 2026 The Herald", "Get our Newsletter",
    "Thanks for subscribing to The Herald", "Get the day's news by subscribing to our newsletter.",
    "Thank you for reading", "Subscribe now", "Sign up for alerts", "News in your inbox. Subscribe to The Herald.",
    "Read more", "Related: the ferry", "Most read", "Most popular this week", "Follow us on Mastodon",
    "Follow her on Twitter @janedoe", "News every hour: follow us on Mastodon", "Have a tip?", "Got a news tip?",
    "Write to Jane at jane@herald.example", "Order Reprints", "Print article", "Share this",
    "Tap here to share this story", "Copyright 2026", "Copyright Notice", "Image copyright Jane Doe",
    "ADVERTISEMENT", "Advertisement - scroll to continue", "Story continues below advertisement", "Comments",
    "Tags:", "Filed under: Harbour news", "Topics: ferries, the island",
    "If you enjoyed this article, share it with a friend.", "You Might Also Like", "More Great Herald Stories",
    "Related articles", "Read next", "Additional reporting by Jane Doe", "(Editing by Jane Doe)",
    "Photograph: Jane Doe", "Foto: dpa", "Beitragsbild: Titelseite der Zeitung", "Quelle: Reuters",
    "Fuente: EFE", "Фото: ТАСС", "Φωτογραφία: Eurokinissi",
    "Auch interessant:", "Das könnte Sie auch interessieren", "Читайте также:", "Lee también", "Διαβάστε επίσης",
    "À lire aussi", "(Credit: Jane Doe / Herald)",
    "Images courtesy of the city", "Top photo by Jane Doe", "Getty Images", "Shutterstock",
    "A gull on the pier (Getty Images)", "AP Photo/Jane Doe", "A gull on the pier (AP Photo)", "AP Photo",
    "An error has occurred",
    "This article has been sent to your friend",
)
# Short paragraphs of news that mention what furniture says: each must stay.
PROSE_LINES = (
    "The judge ruled that the copyright claim was filed too late.",
    "Copyright lawyers said the ruling would be appealed.",
    "Shutterstock shares fell 3 percent after the ruling.",
    "Getty Images, a rival agency, declined to comment.",
    "The deal was struck with Shutterstock.",
    "The blog had run the photo by mistake, its editor said.",
    "Most popular among the blog's readers was a series on local history.",
    "The newsletter the blog sends each week now reaches 12,000 readers.",
    "Millions subscribe to the service, the company said.",
    "The advertisement was pulled after complaints from viewers.",
    "Fans follow him on Instagram, where he posts from the harbour.",
    "Many share this view, the survey found.",
    "I read more books this year than last, she said.",
    "'Thank you for your service,' the mayor told the crew.",
    "The council launched a free newsletter for residents in May.",
    "'Follow me,' the guide said, and walked on along the quay.",
    "Do you have a tip for first-time sailors? The harbour master does.",
    "The story continues in the second book, out in May.",
    "Disney+ reached ten million subscribers on its first day, the company said.",
    "Photos by pupils hang in the hall until June.",
    "Tags on the nets identify each boat.",
    "Topics ranged from fishing quotas to ferry fares.",
    "If you liked this town, you will love the next one, she said.",
    "More stories like this are expected, the editor said.",
    "Recommended by the council, the plan passed easily.",
    "See also the harbour's own figures, the report says.",
    "Bilder aus dem Archiv zeigen den alten Hafen.",
    "Quellen im Rathaus bestätigten den Plan.",
    "Auch interessant ist, dass der Hafen wieder wächst.",
    "Lesen Sie auch die Stellungnahme des Hafens, riet sie.",
    "Читайте также договор целиком, советует юрист.",
    "The AP photo of the rescue won a prize in 2025.",
    "Media copyright rules changed last year.",
    "Image copyright law is older than the camera, she said.",
    "Reporting on the case was restricted by the court.",
    "Writing was done by hand, the archivist said.",
)


@pytest.mark.parametrize("line", PROSE_LINES)
def test_prose_that_mentions_furniture_is_kept(line: str) -> None:
    assert not is_boilerplate_line(line)
    assert clean_paragraphs([STORY, line]) == [STORY, line]


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    return [*parts, pattern[start:]]


def _furniture(line: str) -> bool:
    """Both patterns asked without the words' prefilter."""
    return bool(cleaning._FURNITURE_START.match(line) or cleaning._FURNITURE_ANYWHERE.search(line))


def test_every_boilerplate_alternative_has_a_line() -> None:
    at_start = _alternatives(cleaning._FURNITURE_START.pattern)
    anywhere = _alternatives(cleaning._FURNITURE_ANYWHERE.pattern)
    assert len(at_start) > 20 and len(anywhere) > 10
    for alternative in at_start:
        assert any(re.match(alternative, line, re.IGNORECASE) for line in BOILERPLATE_LINES), alternative
    for alternative in anywhere:
        assert any(re.search(alternative, line, re.IGNORECASE) for line in BOILERPLATE_LINES), alternative


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_the_boilerplate_words_find_every_pattern_in_any_case(line: str) -> None:
    for variant in (line, line.upper(), line.lower(), line.title(), f"{line} ’", f"Ferry: {line}"):
        assert is_boilerplate_line(variant) is _furniture(variant), variant
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [STORY, "Harbour ferry service to resume", "The ſubſcribe button", "Ⓒ 2026",
                                  "The KELVIN scale", "İmage", ""])
def test_lines_without_the_words_are_searched_like_the_rest(line: str) -> None:
    assert is_boilerplate_line(line) is _furniture(line)
