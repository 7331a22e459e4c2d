"""Saved pages served by a real local server, read through the real fetch path: text, metadata, non-articles."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import NotAnArticle
from bot.services import build_services
from bot.sources.cleaning import words
from bot.sources.htmlpage import ReadingChoice, TextChoice, choose_text, parse_html, read_article, read_page
from bot.sources.limits import FetchLimits
from bot.sources.loading import Loaded, Sources
from bot.sources.readability_text import readability_paragraphs
from tests.helpers import data_file, make_settings
from tests.webserver import WebServer

PAGES = ("news-article", "blog-post", "home-page", "login-wall", "jsonld-article", "story-with-teasers",
         "news-with-short-paragraphs", "brief-with-login-box", "paywalled-teaser", "short-post-with-blogroll",
         "chinese-story-with-links", "headlines-page", "poem-with-links", "teaser-beside-cookie-notice")


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    with WebServer() as server:
        for name in PAGES:
            server.add(f"/{name}", data_file(f"pages/{name}.html").read_bytes())
        yield server


def sources() -> Sources:
    return Sources(FetchLimits(timeout=5.0, allow_private_networks=True), max_file_bytes=1_000_000)


async def load(web: WebServer, name: str) -> Loaded:
    """The saved page `name`, fetched from the local server through the real fetch path."""
    pipeline = sources()
    try:
        return await pipeline.from_url(web.url(f"/{name}"))
    finally:
        await pipeline.aclose()


def page_paragraphs(name: str, story: str) -> list[str]:
    """The story's own <p> (no class) under the `story` XPath, read with lxml, not with the code under test."""
    import lxml.html

    tree = lxml.html.fromstring(data_file(f"pages/{name}.html").read_bytes())
    return [" ".join(p.text_content().split()) for p in tree.xpath(f"{story}//p[not(@class)]")]


@pytest.mark.parametrize(
    ("name", "story", "title", "site_name", "author", "date", "left_out"),
    [
        ("news-article", "//article", "Harbour ferry service to resume after six-month repair", "The Coastal Herald",
         "Maria Lindqvist", "2026-11-24",
         ("Sign up for our morning newsletter", "Photo: Coastal Herald archive", "Most read", "Storm closes",
          "Updated: Tue", "Copyright", "cookies")),
        ("blog-post", '//*[@class="entry-content"]', "Why I switched my sourdough to a cold proof", "", "",
         "2025-03-03", ("Read more recipes", "Great tip", "Categories")),
        ("jsonld-article", '//*[@class="story"]', "Lighthouse keepers' logbooks go online", "North Sea Review",
         "Aino Virtanen", "2026-10-05", ()),
        # Teasers of other stories inside the article (a linked headline and its summary): trafilatura's
        # balanced reading keeps them, its favor_precision reading does not.
        ("story-with-teasers", '//*[@class="story"]', "Night trains return to the coast line", "The Coastal Herald",
         "Erik Sandberg", "2026-10-12", ("Harbour ferry service", "Storm closes", "Drivers are asked")),
    ],
)
async def test_articles_keep_their_text_and_metadata(web: WebServer, name: str, story: str, title: str,
                                                     site_name: str, author: str, date: str,
                                                     left_out: tuple[str, ...]) -> None:
    loaded = await load(web, name)
    paragraphs = loaded.text.split("\n\n")
    body = [p for p in page_paragraphs(name, story) if len(words(p)) >= 20]
    assert body and paragraphs == body, "exactly the story's own paragraphs, in order"
    assert loaded.title == title
    if site_name:
        assert loaded.site_name == site_name
    assert loaded.author == author
    assert loaded.published.startswith(date)
    for words_left_out in left_out:
        assert words_left_out not in loaded.text


async def test_a_story_keeps_its_short_paragraphs_about_what_furniture_names(web: WebServer) -> None:
    """One-sentence paragraphs about a copyright claim, a photo agency, a newsletter, figures: kept; furniture: not."""
    loaded = await load(web, "news-with-short-paragraphs")
    story = page_paragraphs("news-with-short-paragraphs", "//article")
    assert sum(len(words(paragraph)) < 20 for paragraph in story) >= 8
    assert loaded.text.split("\n\n") == story
    for furniture in ("Sign up for our morning newsletter", "Photo: Coastal Herald archive", "All rights reserved",
                      "Updated: Mon", "Filed under", "You might also like"):
        assert furniture not in loaded.text


async def test_a_brief_on_a_site_with_a_login_box_is_kept(web: WebServer) -> None:
    """One long paragraph and a password field in the header: an article, as the page declares, not a wall."""
    loaded = await load(web, "brief-with-login-box")
    assert loaded.text.split("\n\n") == page_paragraphs("brief-with-login-box", "//article")
    assert loaded.title == "Ferry timetable changes on Sunday"


@pytest.mark.parametrize(("name", "story"), [("short-post-with-blogroll", '//div[@class="post"]'),
                                             ("chinese-story-with-links", '//div[@class="content"]')])
async def test_a_short_story_on_a_page_of_links_is_kept(web: WebServer, name: str, story: str) -> None:
    """Most of the page is links (an archive, a blogroll), but its text is one story's paragraphs, not headlines.

    The Chinese one is written without spaces: its long paragraphs are long by their characters.
    """
    loaded = await load(web, name)
    assert loaded.text.split("\n\n") == page_paragraphs(name, story)
    assert read_page(data_file(f"pages/{name}.html").read_text("utf-8")).page_link_share > 0.5


async def test_a_poem_beside_a_list_of_links_is_kept(web: WebServer) -> None:
    """Its text is short lines, as a page of headlines is, but they are its own lines, not the page's links."""
    import lxml.html

    tree = lxml.html.fromstring(data_file("pages/poem-with-links.html").read_bytes())
    verses = [line.strip() for stanza in tree.xpath('//div[@class="poem"]/p') for line in stanza.itertext()]
    loaded = await load(web, "poem-with-links")
    assert len(verses) == 20
    assert all(verse in loaded.text.splitlines() for verse in verses)
    assert "Poem 1: verses from the harbour" not in loaded.text
    assert read_page(data_file("pages/poem-with-links.html").read_text("utf-8")).page_link_share > 0.5


def test_a_page_of_cards_each_wrapped_in_one_link_is_refused() -> None:
    """A card's title and teaser are two short lines of the reading, and both are text of the one link around them."""
    teaser = "The council met on Monday and agreed to repair the quay before the winter storms."
    cards = "".join(f'<a class="card" href="/news/{number}"><h3>Harbour story number {number} about the ferry</h3>'
                    f"<p>{teaser} Story {number}.</p></a>" for number in range(20))
    html = f"<html><head><title>Herald</title></head><body><main>{cards}</main></body></html>"
    reading, paragraphs, refused = read_article(html, min_chars=200)
    assert len(paragraphs) == 40 and reading.page_link_share > 0.5 and not reading.declared_types
    assert refused


def test_readability_is_asked_when_the_reading_lost_the_story_but_its_teaser_lists_are_not_taken() -> None:
    """trafilatura kept one paragraph of a page full of <p> text: readability's longer story is taken, a column of
    teasers ("mehr..." after each) that readability scored high is not."""
    sentence = "The harbour council met on Monday and agreed to repair the ferry before the winter storms."
    html = ("<html><body><article><p>" + sentence + "</p></article>"
            + "".join(f"<div class='other'><p>{sentence} Story {number}.</p></div>" for number in range(12))
            + "</body></html>")
    reading = replace(read_page(html), paragraphs=(sentence,))  # as if trafilatura had stopped after one
    story = [f"{sentence} Part {number}." for number in range(6)]
    teasers = [line for number in range(6) for line in (f"{sentence} Teaser {number}.", "mehr...")]
    assert reading.page_paragraph_chars > 2 * len(sentence)
    assert choose_text(reading, second_opinion=lambda page: story) == story
    assert choose_text(reading, second_opinion=lambda page: teasers) == [sentence]


def test_readabilitys_text_is_taken_when_it_holds_a_third_more_than_the_reading() -> None:
    """trafilatura kept three paragraphs of a page with twice as much <p> text: readability's four are taken,
    its three and a heading are not (a line more is not a story trafilatura lost)."""
    sentences = [f"The harbour council met on Monday {day} and agreed to repair the ferry before the storms."
                 for day in ("morning", "noon", "evening", "night")]
    html = ("<html><body><article>" + "".join(f"<p>{sentence}</p>" for sentence in sentences[:3]) + "</article>"
            + "".join(f"<div class='other'><p>{sentences[0]} Story {number}.</p></div>" for number in range(6))
            + "</body></html>")
    reading = replace(read_page(html), paragraphs=tuple(sentences[:3]))
    assert reading.page_paragraph_chars > 2 * sum(map(len, sentences[:3]))
    assert choose_text(reading, second_opinion=lambda page: sentences) == sentences
    with_heading = ["The ferry", *sentences[:3]]
    assert choose_text(reading, second_opinion=lambda page: with_heading) == sentences[:3]


def test_readabilitys_other_part_of_the_page_is_not_taken_for_a_short_story_unless_far_longer() -> None:
    """A paywalled story's teaser beside a cookie notice: readability scored the notice higher, a third longer than
    the teaser and holding none of it. The teaser stays. Where trafilatura kept only a reprint notice and
    readability found the story, its text is far longer, and is taken."""
    teaser = ["When the harbour ferry broke down in March, the island's two schools closed for a week.",
              "The council says a second boat would cost less than the lost days of school and work.",
              "A survey of more than 1,100 islanders found that most would pay a higher fare for it."]
    notice = ["We and our 18 partners use cookies or similar technologies for technical purposes and, with your "
              "consent, for functionality, experience, measurement and marketing, as our cookie policy says.",
              "You can give, deny or withdraw your consent at any time in the preferences panel.",
              "Use the Accept all button to consent, or close this notice to continue without accepting."]
    html = ("<html><body><div id='notice'>" + "".join(f"<p>{line}</p>" for line in notice) + "</div><article>"
            + "".join(f"<p>{line}</p>" for line in teaser) + "</article><p>" + " ".join(notice) + "</p></body></html>")
    reading = replace(read_page(html), paragraphs=tuple(teaser))
    assert reading.page_paragraph_chars > 2 * sum(map(len, teaser))
    assert 1.3 * sum(map(len, teaser)) < sum(map(len, notice)) < 1.8 * sum(map(len, teaser))
    assert choose_text(reading, second_opinion=lambda page: notice) == teaser
    # the same notice, were it the story at full length (holding the teaser), would be taken
    assert choose_text(reading, second_opinion=lambda page: [*teaser, *notice]) == [*teaser, *notice]
    reprint = "This copy is for your personal, non-commercial use only. Order reprints at the syndication desk."
    lost = replace(reading, paragraphs=(reprint,))
    story = [f"{line} The harbour master spoke on Tuesday." for line in teaser * 2]
    assert choose_text(lost, second_opinion=lambda page: story) == story


async def test_a_teaser_beside_a_longer_cookie_notice_is_the_article(web: WebServer) -> None:
    """A story behind a free sign-up shows its first paragraphs; the consent banner beside it is longer, and is
    what readability scores highest. The link gives the teaser, not the banner (a third longer than the teaser
    and holding none of it, it was taken until the second opinion asked that of another part of the page)."""
    html = data_file("pages/teaser-beside-cookie-notice.html").read_text("utf-8")
    banner = readability_paragraphs(html)
    assert banner and all("consent" in line or "advertising" in line for line in banner)
    assert choose_text(read_page(html), TextChoice(other_text_gain=1.3)) == banner  # as the threshold was
    loaded = await load(web, "teaser-beside-cookie-notice")
    assert loaded.text.startswith("Estimated reading time: 5 minutes\n\nWhen the harbour ferry broke down in March")
    assert "Anna Berg" in loaded.text
    assert "cookies" not in loaded.text and "consent" not in loaded.text


def test_a_paragraph_that_is_one_link_of_a_lines_length_is_kept_and_the_pages_links_are_left_as_they_were() -> None:
    """trafilatura's precise reading drops a paragraph that is one link of more than 10 characters: a podcast's
    question that links to the episode is text, and is kept; a short "All episodes" link still goes. The
    links are the page's again after the reading: the byline search finds the author in one."""
    import trafilatura

    story = [f"The health ministry said on Monday that {what} would be ready before the winter, after months "
             "of delay in the regions." for what in ("the vaccine centres", "the extra staff", "the booking system")]
    question = "One question listeners ask most: what does Professor Drosten say about it?"
    html = ("<html><head><title>Vaccine centres ready by winter</title></head><body><article>"
            "<h1>Vaccine centres ready by winter</h1>"
            "<p class='meta'><a rel='author' href='/authors/anna-becker'>Anna Becker, health correspondent</a></p>"
            + "".join(f"<p>{sentence}</p>" for sentence in story[:2]) + f"<p><a href='/podcast/140'>{question}</a></p>"
            + f"<p>{story[2]}</p><p><a href='/podcast'>All episodes</a></p></article></body></html>")
    reading = read_page(html)
    assert [line for line in reading.paragraphs if line in (*story, question)] == [*story[:2], question, story[2]]
    assert "All episodes" not in reading.paragraphs
    assert reading.metadata.author == trafilatura.extract_metadata(html).author != ""
    # trafilatura's precise reading on its own drops the question: the step this choice leaves out
    assert question not in read_page(html, choice=ReadingChoice(linked_paragraphs=False)).paragraphs


def test_a_block_of_related_stories_each_a_linked_paragraph_still_goes() -> None:
    """Inside the article, a block whose paragraphs are each one linked headline is mostly links: trafilatura's
    test of the block drops it, in the balanced reading and in Briefbot's (its links are not hidden)."""
    story = [f"The harbour council said on Monday that {what} would be ready before the winter storms, after months "
             "of delay." for what in ("the ferry pier", "the extra crew", "the booking office", "the night service")]
    related = ["Storm closes the coastal bridge for a second night running",
               "Island school reopens after the flood repairs are done",
               "New fish market opens in the north harbour with twelve stalls"]
    html = ("<html><body><article><h1>Ferry pier ready by winter</h1>" + "".join(f"<p>{line}</p>" for line in story)
            + "<div class='more'>" + "".join(f"<p><a href='/news/{number}'>{headline}</a></p>"
                                             for number, headline in enumerate(related))
            + "</div></article></body></html>")
    for choice in (ReadingChoice(), ReadingChoice(focus="balanced")):
        paragraphs = read_page(html, choice=choice).paragraphs
        assert [line for line in paragraphs if line in story] == story
        assert not set(related) & set(paragraphs), choice


def test_the_reading_finds_the_paywall_mark() -> None:
    wall = read_page(data_file("pages/paywalled-teaser.html").read_text("utf-8"))
    brief = read_page(data_file("pages/brief-with-login-box.html").read_text("utf-8"))
    assert wall.declared_paywalled and wall.has_password_field and "newsarticle" in wall.declared_types
    assert not brief.declared_paywalled and brief.has_password_field and "newsarticle" in brief.declared_types


@pytest.mark.parametrize("name", ["home-page", "login-wall", "paywalled-teaser", "headlines-page"])
async def test_pages_that_are_not_articles_are_refused(web: WebServer, name: str) -> None:
    pipeline = sources()
    try:
        with pytest.raises(NotAnArticle, match="does not look like an article"):
            await pipeline.from_url(web.url(f"/{name}"))
    finally:
        await pipeline.aclose()


def test_a_story_laid_out_in_a_table_keeps_its_paragraphs() -> None:
    reading = read_page(data_file("pages/table-layout.html").read_text("utf-8"))
    text = choose_text(reading)
    story = page_paragraphs("table-layout", "//td[h1]")
    assert [paragraph for paragraph in text if paragraph in story] == story, "each its own paragraph, in order"
    # A table of data inside the story keeps its rows (trafilatura puts a nested table after its parent).
    assert "| Old burner | 1,000 watts | 18 nautical miles |" in text
    assert reading.metadata.date == "", "a copyright year in the footer is not the story's date"


def test_a_page_the_precise_reading_finds_empty_is_judged_on_the_balanced_one() -> None:
    home = data_file("pages/home-page.html").read_text("utf-8")
    # favor_precision keeps little of a home page's cards: less than the 200 characters a refusal is judged on
    assert sum(map(len, read_page(home).paragraphs)) < 200
    assert read_page(home, choice=ReadingChoice(focus="balanced")).paragraphs
    assert read_article(home, min_chars=200)[2], "refused on the balanced reading"
    article = data_file("pages/news-article.html").read_text("utf-8")
    assert not read_article(article, min_chars=200)[2]


def test_a_reading_names_one_of_trafilaturas_focuses() -> None:
    with pytest.raises(ValueError, match="focus must be one of balanced, precision, recall"):
        ReadingChoice(focus="fast")


def test_the_reading_measures_what_the_rule_uses() -> None:
    home = read_page(data_file("pages/home-page.html").read_text("utf-8"), url="https://herald.example/")
    article = read_page(data_file("pages/news-article.html").read_text("utf-8"), url="https://herald.example/a")
    wall = read_page(data_file("pages/login-wall.html").read_text("utf-8"), url="https://herald.example/l")
    assert "website" in home.declared_types and "article" in article.declared_types
    assert home.page_link_share > 0.5 > article.page_link_share
    assert wall.has_password_field and not article.has_password_field


def test_links_are_kept_only_for_the_rule_that_measures_them() -> None:
    sentence = "The harbour council met on Monday and agreed to repair the ferry before the winter storms."
    html = ("<html><body><article>" + f"<p>{sentence}</p>" * 4
            + f'<p>{sentence} The <a href="/minutes">full minutes of the meeting</a> are online.</p>'
            + "</article></body></html>")
    plain, linked = read_page(html), read_page(html, link_blocks=True)
    assert plain.link_blocks == ()
    assert [chars for _, chars in linked.link_blocks if chars] == [len("full minutes of the meeting")]
    # The same text either way: the links' words stay, their markup does not.
    assert words(" ".join(plain.paragraphs)) == words(" ".join(linked.paragraphs))
    assert any("full minutes of the meeting are online" in paragraph for paragraph in plain.paragraphs)


async def test_the_saved_reply_and_the_export_show_the_metadata(web: WebServer, tmp_path: Path) -> None:
    services = build_services(make_settings(tmp_path, allow_private_networks=True))
    try:
        [reply] = await services.conversation.handle_message(1, web.url("/news-article"))
        lines = [block.plain for block in reply.blocks]
        assert lines[0] == "Saved as #1 Harbour ferry service to resume after six-month repair"
        assert lines[1] == "The Coastal Herald · by Maria Lindqvist · 2026-11-24"
        [refused] = await services.conversation.handle_message(1, web.url("/home-page"))
        assert refused.error and "does not look like an article" in refused.plain
        exported = services.library.export_markdown(1)
        assert "site: The Coastal Herald" in exported and "author: Maria Lindqvist" in exported
        assert "published: 2026-11-24" in exported
        assert len(services.library.list(1, page=0, per_page=10)[0]) == 1  # the home page left nothing behind
    finally:
        await services.aclose()
        services.close()


SAVED_PAGES = sorted(path.name for path in data_file("pages").glob("*.html"))
ODD_INPUTS = ("", "just some words", "<p>a fragment</p>", "<div><p>one</p><p>two</p></div>",
              '<?xml version="1.0" encoding="utf-8"?><html><body><p>declared</p></body></html>',
              "<!DOCTYPE html>\n<html/>\n<body><p>self-closed</p></body>",
              "<html><body>\x00\x0b<p>nul</p></body></html>")


@pytest.mark.parametrize("html", [data_file(f"pages/{name}").read_text("utf-8") for name in SAVED_PAGES]
                         + list(ODD_INPUTS))
def test_a_page_parses_as_trafilatura_parses_it_with_plain_elements(html: str) -> None:
    import trafilatura
    from lxml import etree
    from lxml.html import HtmlComment, HtmlElement

    ours, theirs = parse_html(html), trafilatura.load_html(html)
    assert (ours is None) is (theirs is None)
    if ours is not None:
        assert etree.tostring(ours, encoding="unicode") == etree.tostring(theirs, encoding="unicode")
        assert {type(element) for element in ours.iter()} <= {HtmlElement, HtmlComment}

