"""Deciding is the conversation's; this turns its results into Replies (plain data front ends render)."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.answers.answerer import Answer
from bot.conversation.actions import ChooseAlgorithm, DeleteArticle, ListPage, OpenArticle, Summarize
from bot.conversation.replies import Block, Button, Reply, Span, marked_spans, text_reply
from bot.i18n import Translator
from bot.library import ArticleSummary
from bot.summaries.algorithms import DEFAULT, algorithm_names
from bot.userinput import excerpt
from storage.records import ArticleInfo

PER_PAGE = 8
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
    blocks = [article_heading(info, lead), article_meta(tr, info, note)]
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
    for item in answer.sentences:
        spans: list[Span] = []
        if item.context:
            spans.append(Span(item.context + " ", "italic"))
        spans.extend(marked_spans(item.text, item.marks))
        blocks.append(Block(tuple(spans), kind="quote"))
        blocks.append(Block((Span(f"— #{item.article_number} "), Span(item.article_title, "italic"))))
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
