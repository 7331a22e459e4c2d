"""Deciding is the conversation's; this turns its results into Replies (plain data front ends render)."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.answers.answerer import Answer, AnswerSentence
from bot.briefings import (
    Briefing,
    LastN,
    Matching,
    MessageRoom,
    Recent,
    SinceLast,
    SinceTime,
    describe_period,
)
from bot.conversation.actions import ChooseAlgorithm, DeleteArticle, ListPage, OpenArticle, Summarize
from bot.conversation.replies import Block, Button, Reply, Span, marked_spans, text_reply
from bot.i18n import Translator, lazy
from bot.library import ArticleSummary
from bot.summaries.algorithms import DEFAULT, algorithm_names
from bot.summaries.briefing import BriefSentence
from bot.userinput import excerpt
from storage.records import ArticleInfo

PER_PAGE = 8
# The heading above weak answers (sharing few of the question's keywords).
ALSO_MENTIONED = lazy("Also mentioned")
# Stands in for a bold value while a translated template is split around it.
MARKER = "\x00"


def _size(tr: Translator, chars: int) -> str:
    if chars >= 1000:
        return tr.gettext("%(size)s KB", size=format_decimal(chars / 1000, "0.0", locale=tr.code))
    return tr.ngettext("%(count)s character", "%(count)s characters", chars, count=chars)


def language_label(tr: Translator, code: str) -> str:
    """An article's language named in the reader's language ("English", "Английский")."""
    name = tr.language_name(code) or tr.gettext("unknown language")
    return name[:1].upper() + name[1:]


def article_heading(info: ArticleInfo, lead: str = "") -> Block:
    """`#3 Title`, or a translated lead before the title ("Saved as #3")."""
    spans = [Span(f"{lead or '#' + str(info.number)} "), Span(info.title, "bold")]
    return Block(tuple(spans))


def bold_value(template: str, value: str) -> tuple[Span, ...]:
    """The spans of a translated `… <b>%(words)s</b> …` (rendered with a marker) around a bold value."""
    before, _, after = template.partition(MARKER)
    return tuple(span for span in (Span(before.removesuffix("<b>")), Span(value, "bold"),
                                   Span(after.removeprefix("</b>"))) if span.text)


def article_meta(tr: Translator, info: ArticleInfo, summary_note: str) -> Block:
    parts = [language_label(tr, info.language),
             tr.ngettext("%(count)s sentence", "%(count)s sentences", info.sentence_count,
                         count=info.sentence_count),
             _size(tr, info.char_count)]
    if info.final_url or info.url:
        return Block((Span(" · ".join(parts) + " · "),
                      Span(tr.gettext("source"), "link", info.final_url or info.url or ""),
                      Span(" · " + summary_note)))
    return Block((Span(" · ".join([*parts, summary_note])),))


def article_byline(tr: Translator, info: ArticleInfo) -> Block | None:
    """Site, author and date of the page, where it gave them."""
    author = tr.gettext("by %(author)s", author=info.author) if info.author else ""
    parts = [part for part in (info.site_name, author, info.published[:10]) if part]
    return Block((Span(" · ".join(parts), "italic"),)) if parts else None


def offered_links(tr: Translator, links: tuple[str, ...]) -> list[Block]:
    """A line per article a saved source links (a Telegram post's article), to send next."""
    template = tr.gettext("This post links an article: <a>%(link)s</a> — send me the link to save it too.",
                          link=MARKER)
    before, _, after = template.partition(MARKER)
    return [Block(tuple(span for span in (Span(before.removesuffix("<a>")), Span(excerpt(link), "link", link),
                                          Span(after.removeprefix("</a>"))) if span.text))
            for link in links[:3]]


def summary_buttons(tr: Translator, info: ArticleInfo, count: int,
                    algorithm: str = "") -> tuple[tuple[Button, ...], ...]:
    alg = "" if algorithm in ("", "default") else algorithm
    row = []
    if count > 1:
        row.append(Button(tr.gettext("➖ Shorter"), Summarize(info.id, count - 1, alg)))
    row.append(Button(tr.gettext("➕ Longer"), Summarize(info.id, max(count, 1) + 1, alg)))
    return (tuple(row), (Button(tr.gettext("Algorithm…"), ChooseAlgorithm(info.id, max(count, 1))),
                       Button(tr.gettext("🗑 Delete"), DeleteArticle(info.id))))


def render_summary(tr: Translator, result: ArticleSummary, *, lead: str = "") -> Reply:
    """An article's heading, its facts and its summary (the sentences stay in the article's language)."""
    info, summary = result.article, result.summary
    count = len(summary.sentences)
    note = tr.ngettext("%(algorithm)s, %(count)s sentence", "%(algorithm)s, %(count)s sentences", count,
                       algorithm=summary.algorithm, count=count)
    byline = article_byline(tr, info)
    blocks = [article_heading(info, lead), *([byline] if byline else []), article_meta(tr, info, note)]
    for sentence in summary.sentences:
        blocks.append(Block((Span("• " + sentence.text),), kind="quote"))
    if summary.note:
        blocks.append(Block((Span(tr.render(summary.note_text or summary.note), "italic"),)))
    return Reply(tuple(blocks), buttons=summary_buttons(tr, info, count, summary.asked),
                 article_number=info.number)


def algorithm_menu(tr: Translator, info: ArticleInfo, count: int) -> Reply:
    names = algorithm_names()
    rows = tuple(
        tuple(Button(name, Summarize(info.id, count, "" if name == DEFAULT else name)) for name in names[i : i + 3])
        for i in range(0, len(names), 3)
    )
    return Reply((article_heading(info), Block((Span(tr.gettext("Summarize with which algorithm?")),))), buttons=rows,
                 article_number=info.number)


def _answer_blocks(item: AnswerSentence) -> tuple[Block, Block]:
    """One answer: the sentence (its context before it, the matched words marked) and its article."""
    spans: list[Span] = []
    if item.context:
        spans.append(Span(item.context + " ", "italic"))
    spans.extend(marked_spans(item.text, item.marks))
    return (Block(tuple(spans), kind="quote"),
            Block((Span(f"— #{item.article_number} "), Span(item.article_title, "italic"))))


def render_answer(tr: Translator, answer: Answer, *, heading: str = "") -> Reply:
    """The best sentences, matched words marked; `heading` is a template rendered with `words=MARKER`."""
    if not answer.keywords:
        return text_reply(tr.gettext("Ask about something specific: your question has no words I can search for."),
                          error=True)
    if not answer.sentences:
        template = tr.gettext("I found nothing about <b>%(words)s</b> in your library.", words=MARKER)
        return Reply((Block(bold_value(template, excerpt(" ".join(answer.keywords)))),), error=False)
    blocks = []
    if heading:
        blocks.append(Block(bold_value(heading, excerpt(" ".join(answer.keywords)))))
    # The best answer stays first whatever it is; weak ones after it go under one heading.
    best, *rest = answer.sentences
    strong = [best, *(item for item in rest if not item.weak)]
    weak = [item for item in rest if item.weak]
    for item in strong:
        blocks.extend(_answer_blocks(item))
    if weak:
        blocks.append(Block((Span(tr.render(ALSO_MENTIONED), "bold"),)))
        for item in weak:
            blocks.extend(_answer_blocks(item))
    return Reply(tuple(blocks), article_number=answer.sentences[0].article_number)


def render_list(tr: Translator, articles: tuple[ArticleInfo, ...], total: int, page: int) -> Reply:
    if total == 0:
        return text_reply(tr.gettext("Your library is empty. Send me an article, a link or a file."))
    pages = (total + PER_PAGE - 1) // PER_PAGE
    blocks = [Block((Span(tr.ngettext("Your articles (%(total)s), page %(page)s of %(pages)s:",
                                      "Your articles (%(total)s), page %(page)s of %(pages)s:", total,
                                      total=total, page=page + 1, pages=pages)),))]
    for info in articles:
        blocks.append(Block((Span(f"#{info.number} "), Span(info.title, "bold"),
                             Span(f" · {info.created_at:%Y-%m-%d} · {_size(tr, info.char_count)}"))))
    nav = []
    if page > 0:
        nav.append(Button(tr.gettext("◀ Newer"), ListPage(page - 1)))
    if page + 1 < pages:
        nav.append(Button(tr.gettext("Older ▶"), ListPage(page + 1)))
    open_row = tuple(Button(f"#{info.number}", OpenArticle(info.id)) for info in articles[:8])
    buttons = tuple(row for row in (open_row[:4], open_row[4:], tuple(nav)) if row)
    return Reply(tuple(blocks), buttons=buttons)


# -- briefings ---------------------------------------------------------------------------

# The longest message a front end sends in one piece: Telegram's, in UTF-16 code units.
MESSAGE_UNITS = 4096
# Room kept for the briefing's first line (what it covers), in any language.
_BRIEF_INTRO_UNITS = 200


def utf16_units(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def _brief_tag(tr: Translator, number: int, also: tuple[int, ...] = ()) -> str:
    if not also:
        return f" #{number}"
    return f" #{number} " + tr.gettext("(also %(numbers)s)", numbers=", ".join(f"#{n}" for n in also))


def briefing_room(tr: Translator, limit: int = MESSAGE_UNITS) -> MessageRoom:
    """What render_briefing's layout needs per sentence and per article, so the briefing fits one message."""
    return MessageRoom(
        limit=limit - _BRIEF_INTRO_UNITS,
        measure=utf16_units,
        # "• ", the tag (up to three citations beside it) and the line break.
        per_sentence=2 + 1 + utf16_units(_brief_tag(tr, MAX_ID_DIGITS, (MAX_ID_DIGITS,) * 3)),
        per_article=lambda info: utf16_units(f"#{info.number} {info.title}") + 2,
    )


MAX_ID_DIGITS = 99999  # a tag's width is budgeted as if the numbers had five digits


def _what_briefing_covers(tr: Translator, briefing: Briefing) -> str:
    count = len(briefing.articles)
    match briefing.selection:
        case SinceLast() if briefing.since is not None:
            what = tr.ngettext("%(count)s article since %(time)s UTC", "%(count)s articles since %(time)s UTC",
                               count, count=count, time=briefing.since.strftime("%Y-%m-%d %H:%M"))
        case Recent(period):
            what = tr.ngettext("%(count)s article from the last %(period)s",
                               "%(count)s articles from the last %(period)s", count, count=count,
                               period=describe_period(period))
        case SinceTime(start):
            what = tr.ngettext("%(count)s article since %(time)s UTC", "%(count)s articles since %(time)s UTC",
                               count, count=count, time=start.strftime("%Y-%m-%d %H:%M"))
        case LastN():
            what = tr.ngettext("the last %(count)s article", "the last %(count)s articles", count, count=count)
        case Matching(words):
            what = tr.ngettext("%(count)s article matching “%(words)s”", "%(count)s articles matching “%(words)s”",
                               count, count=count, words=excerpt(words, 40))
        case _:
            what = ", ".join(f"#{info.number}" for info in briefing.articles)
    if briefing.matched > count:
        what += " " + tr.ngettext("(the newest %(count)s of %(matched)s)", "(the newest %(count)s of %(matched)s)",
                                  briefing.matched, count=count, matched=briefing.matched)
    return what


def briefing_heading(tr: Translator, briefing: Briefing) -> Block:
    """"Briefing: 3 articles since …", what it covers in bold."""
    template = tr.gettext("Briefing: <b>%(what)s</b>", what=MARKER)
    return Block(bold_value(template, _what_briefing_covers(tr, briefing)))


def render_briefing(tr: Translator, briefing: Briefing) -> Reply:
    """The briefing grouped by article, in article order; each sentence cited by its article."""
    blocks = [briefing_heading(tr, briefing)]
    by_article: dict[int, list[BriefSentence]] = {}
    for sentence in briefing.sentences:
        by_article.setdefault(sentence.article, []).append(sentence)
    for info in briefing.articles:
        chosen = by_article.get(info.number)
        if not chosen:
            continue
        blocks.append(Block((Span(f"#{info.number} "), Span(info.title, "bold"))))
        for sentence in chosen:
            blocks.append(Block((Span("• " + sentence.text), Span(_brief_tag(tr, sentence.article, sentence.also),
                                                                   "italic")), kind="quote"))
    left_out = [info for info in briefing.articles if info.number not in by_article]
    if left_out:
        numbers = ", ".join(f"#{info.number}" for info in left_out)
        blocks.append(Block((Span(tr.ngettext("Covered too, without a sentence of its own: %(numbers)s",
                                              "Covered too, without a sentence of their own: %(numbers)s",
                                              len(left_out), numbers=numbers), "italic"),)))
    return Reply(tuple(blocks))
