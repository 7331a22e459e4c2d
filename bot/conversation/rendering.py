"""Deciding is the conversation's; this turns its results into Replies (plain data front ends render)."""

from __future__ import annotations

from bot.answers.answerer import Answer
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
from bot.library import ArticleSummary
from bot.summaries.algorithms import DEFAULT, algorithm_names
from bot.summaries.briefing import BriefSentence
from bot.text.language import LANGUAGE_NAMES
from bot.userinput import excerpt
from storage.records import ArticleInfo

PER_PAGE = 8


def _size(chars: int) -> str:
    return f"{chars / 1000:.1f} KB" if chars >= 1000 else f"{chars} characters"


def article_heading(info: ArticleInfo, prefix: str = "") -> Block:
    spans = [Span(f"{prefix}#{info.number} "), Span(info.title, "bold")]
    return Block(tuple(spans))


def article_meta(info: ArticleInfo, summary_note: str) -> Block:
    language = LANGUAGE_NAMES.get(info.language, "unknown language").capitalize()
    parts = [language, f"{info.sentence_count} sentences", _size(info.char_count)]
    if info.final_url or info.url:
        return Block((Span(" · ".join(parts) + " · "), Span("source", "link", info.final_url or info.url or ""),
                      Span(" · " + summary_note)))
    return Block((Span(" · ".join([*parts, summary_note])),))


def summary_buttons(info: ArticleInfo, count: int, algorithm: str = "") -> tuple[tuple[Button, ...], ...]:
    alg = "" if algorithm in ("", "default") else algorithm
    row = []
    if count > 1:
        row.append(Button("➖ Shorter", Summarize(info.id, count - 1, alg)))
    row.append(Button("➕ Longer", Summarize(info.id, max(count, 1) + 1, alg)))
    return (tuple(row), (Button("Algorithm…", ChooseAlgorithm(info.id, max(count, 1))),
                       Button("🗑 Delete", DeleteArticle(info.id))))


def render_summary(result: ArticleSummary, *, prefix: str = "") -> Reply:
    info, summary = result.article, result.summary
    count = len(summary.sentences)
    note = f"{summary.algorithm}, {count} sentence{'s' if count != 1 else ''}"
    blocks = [article_heading(info, prefix), article_meta(info, note)]
    for sentence in summary.sentences:
        blocks.append(Block((Span("• " + sentence.text),), kind="quote"))
    if summary.note:
        blocks.append(Block((Span(summary.note, "italic"),)))
    return Reply(tuple(blocks), buttons=summary_buttons(info, count, summary.asked), article_number=info.number)


def algorithm_menu(info: ArticleInfo, count: int) -> Reply:
    names = algorithm_names()
    rows = tuple(
        tuple(Button(name, Summarize(info.id, count, "" if name == DEFAULT else name)) for name in names[i : i + 3])
        for i in range(0, len(names), 3)
    )
    return Reply((article_heading(info), Block((Span("Summarize with which algorithm?"),))), buttons=rows,
                 article_number=info.number)


def render_answer(answer: Answer, *, heading: str = "") -> Reply:
    if not answer.keywords:
        return text_reply("Ask about something specific: your question has no words I can search for.", error=True)
    if not answer.sentences:
        return Reply(
            (Block((Span("I found nothing about "), Span(excerpt(" ".join(answer.keywords)), "bold"),
                    Span(" in your library."))),),
            error=False,
        )
    blocks = []
    if heading:
        blocks.append(Block((Span(f"{heading}: "), Span(excerpt(" ".join(answer.keywords)), "bold"))))
    for item in answer.sentences:
        spans: list[Span] = []
        if item.context:
            spans.append(Span(item.context + " ", "italic"))
        spans.extend(marked_spans(item.text, item.marks))
        blocks.append(Block(tuple(spans), kind="quote"))
        blocks.append(Block((Span(f"— #{item.article_number} "), Span(item.article_title, "italic"))))
    return Reply(tuple(blocks), article_number=answer.sentences[0].article_number)


def render_list(articles: tuple[ArticleInfo, ...], total: int, page: int) -> Reply:
    if total == 0:
        return text_reply("Your library is empty. Send me an article, a link or a file.")
    pages = (total + PER_PAGE - 1) // PER_PAGE
    blocks = [Block((Span(f"Your articles ({total}), page {page + 1} of {pages}:"),))]
    for info in articles:
        blocks.append(Block((Span(f"#{info.number} "), Span(info.title, "bold"),
                             Span(f" · {info.created_at:%Y-%m-%d} · {_size(info.char_count)}"))))
    nav = []
    if page > 0:
        nav.append(Button("◀ Newer", ListPage(page - 1)))
    if page + 1 < pages:
        nav.append(Button("Older ▶", ListPage(page + 1)))
    open_row = tuple(Button(f"#{info.number}", OpenArticle(info.id)) for info in articles[:8])
    buttons = tuple(row for row in (open_row[:4], open_row[4:], tuple(nav)) if row)
    return Reply(tuple(blocks), buttons=buttons)


# -- briefings ---------------------------------------------------------------------------

# The longest message a front end sends in one piece: Telegram's, in UTF-16 code units.
MESSAGE_UNITS = 4096
# Room kept for the briefing's first line (what it covers).
_BRIEF_INTRO_UNITS = 160


def utf16_units(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def _brief_tag(number: int, also: tuple[int, ...] = ()) -> str:
    return f" #{number}" + (f" (also {', '.join(f'#{n}' for n in also)})" if also else "")


def briefing_room(limit: int = MESSAGE_UNITS) -> MessageRoom:
    """What render_briefing's layout needs per sentence and per article, so the briefing fits one message."""
    return MessageRoom(
        limit=limit - _BRIEF_INTRO_UNITS,
        measure=utf16_units,
        # "• ", the tag (up to three citations beside it) and the line break.
        per_sentence=2 + 1 + len(_brief_tag(MAX_ID_DIGITS, (MAX_ID_DIGITS,) * 3)),
        per_article=lambda info: utf16_units(f"#{info.number} {info.title}") + 2,
    )


MAX_ID_DIGITS = 99999  # a tag's width is budgeted as if the numbers had five digits


def _what_briefing_covers(briefing: Briefing) -> str:
    count = len(briefing.articles)
    articles = f"{count} article{'s' if count != 1 else ''}"
    match briefing.selection:
        case SinceLast() if briefing.since is not None:
            what = f"{articles} since {briefing.since:%Y-%m-%d %H:%M} UTC"
        case Recent(period):
            what = f"{articles} from the last {describe_period(period)}"
        case SinceTime(start):
            what = f"{articles} since {start:%Y-%m-%d %H:%M} UTC"
        case LastN():
            what = f"the last {articles}"
        case Matching(words):
            what = f"{articles} matching “{excerpt(words, 40)}”"
        case _:
            what = ", ".join(f"#{info.number}" for info in briefing.articles)
    if briefing.matched > count:
        what += f" (the newest {count} of {briefing.matched})"
    return what


def render_briefing(briefing: Briefing) -> Reply:
    """The briefing grouped by article, in article order; each sentence cited by its article."""
    blocks = [Block((Span("Briefing: "), Span(_what_briefing_covers(briefing), "bold")))]
    by_article: dict[int, list[BriefSentence]] = {}
    for sentence in briefing.sentences:
        by_article.setdefault(sentence.article, []).append(sentence)
    for info in briefing.articles:
        chosen = by_article.get(info.number)
        if not chosen:
            continue
        blocks.append(Block((Span(f"#{info.number} "), Span(info.title, "bold"))))
        for sentence in chosen:
            blocks.append(Block((Span("• " + sentence.text), Span(_brief_tag(sentence.article, sentence.also),
                                                                   "italic")), kind="quote"))
    left_out = [info for info in briefing.articles if info.number not in by_article]
    if left_out:
        numbers = ", ".join(f"#{info.number}" for info in left_out)
        blocks.append(Block((Span(f"Covered too, without a sentence of its own: {numbers}", "italic"),)))
    return Reply(tuple(blocks))
