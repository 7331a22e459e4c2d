"""The conversation: what a message, a command or a button means, answered as Replies.

Shared by the terminal chat and the Telegram handlers. Blocking work goes to a thread
so that an async front end's event loop stays free.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.answers.answerer import Answer
from bot.errors import BriefbotError, InputError, NotAnArticle, NotFound
from bot.text.language import QUESTION_WORDS
from bot.library import ArticleSummary, Ingested, Library, algorithm_names
from bot.replies import Block, Button, Reply, Span, marked_spans, text_reply
from bot.summaries.summarizer import ALGORITHMS
from storage.records import ArticleInfo

T = TypeVar("T")

URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_TRAILING = ".,;:!?)]}»”'\""
PER_PAGE = 8
MAX_OPEN_CHARS = 3500
_QUESTION_STARTS = frozenset(word for words in QUESTION_WORDS.values() for word in words)

HELP = (
    "I keep the articles you send me, summarize them and answer questions about them.",
    "• Paste an article (a few sentences or more) — I save it and send a summary.\n"
    "• Send a link or a .txt/.md/.html/.pdf file — the same.\n"
    "• Ask a question or send a few words — I find the sentences that answer it.",
    "/summary [N] [sentences] [algorithm] — summary of article N (default: the current one)\n"
    "/ask QUESTION — answer from your library\n"
    "/search WORDS — every sentence that matches\n"
    "/list — your articles\n"
    "/open N — show article N and make it the current one\n"
    "/delete N — delete article N\n"
    "/settings [algorithm NAME] [sentences N] [reset] — summary defaults for this chat\n"
    "/export — your library as a Markdown file\n"
    "/forget — delete your whole library",
)


def find_urls(text: str) -> list[str]:
    """Links in a message, trailing punctuation trimmed; `www.` links get https://."""
    urls = []
    for match in URL_RE.finditer(text):
        url = match.group().rstrip(_TRAILING)
        if url.lower().startswith("www."):
            url = "https://" + url
        urls.append(url)
    return list(dict.fromkeys(urls))


def looks_like_question(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True
    first = stripped.split(maxsplit=1)[0].lower() if stripped else ""
    return first in _QUESTION_STARTS


@dataclass(frozen=True)
class ActionResult:
    """What a button press does: a notice (toast) and/or a reply that replaces the message."""

    reply: Reply | None = None
    notice: str = ""
    # True: replace the message the button was under; False: send `reply` as a new message.
    edit: bool = True


@dataclass(frozen=True)
class Found:
    """One search result offered outside a conversation (Telegram's inline mode): what to show, what to send."""

    key: str  # stable and unique within one search, at most 64 bytes
    title: str
    description: str
    reply: Reply


LinkHandler = Callable[[int, str, int | None], Awaitable[Ingested]]


class Conversation:
    def __init__(self, library: Library, *, min_article_chars: int = 200, link_handler: LinkHandler | None = None,
                 ) -> None:
        self._library = library
        self._min_article_chars = min_article_chars
        self._link_handler = link_handler

    @property
    def library(self) -> Library:
        return self._library

    async def _run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)

    # -- messages ------------------------------------------------------------------------

    async def handle_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        reply_to_article: int | None = None,
        links: tuple[str, ...] = (),
    ) -> list[Reply]:
        """A plain message: links, a new article, or a question."""
        try:
            stripped = text.strip()
            urls = list(dict.fromkeys([*links, *find_urls(stripped)]))
            prose = URL_RE.sub(" ", stripped).strip()
            if urls and len(prose) < self._min_article_chars:
                return await self.handle_links(chat_id, urls, user_id=user_id)
            if not stripped:
                return [text_reply("Send me an article, a link or a question.", error=True)]
            if len(stripped) >= self._min_article_chars and not (
                looks_like_question(stripped) and len(stripped) < 2 * self._min_article_chars
            ):
                try:
                    return [await self.ingest(chat_id, stripped)]
                except NotAnArticle:
                    if len(stripped) > 1000:
                        raise
            return [await self.ask(chat_id, stripped, prefer=reply_to_article)]
        except BriefbotError as error:
            return [text_reply(str(error), error=True)]

    async def ingest(self, chat_id: int, text: str, *, title: str | None = None) -> Reply:
        ingested = await self._run(self._library.ingest_text, chat_id, text, title=title)
        return await self.summary_reply_for(chat_id, ingested)

    async def summary_reply_for(self, chat_id: int, ingested: Ingested) -> Reply:
        result = await self._run(self._library.summarize, chat_id, article_id=ingested.article.id)
        prefix = "You sent this one before: " if ingested.duplicate else "Saved as "
        return render_summary(result, prefix=prefix)

    async def handle_links(self, chat_id: int, urls: list[str], *, user_id: int | None = None) -> list[Reply]:
        if self._link_handler is None:
            return [text_reply(f"I see a link ({urls[0]}), but this Briefbot cannot fetch links.", error=True)]
        handler = self._link_handler

        async def one(url: str) -> Reply:
            try:
                ingested = await handler(chat_id, url, user_id)
                return await self.summary_reply_for(chat_id, ingested)
            except BriefbotError as error:
                return text_reply(f"{url}: {error}", error=True)

        # A few at once: a message with twenty links must not open twenty connections.
        semaphore = asyncio.Semaphore(3)

        async def bounded(url: str) -> Reply:
            async with semaphore:
                return await one(url)

        return list(await asyncio.gather(*(bounded(url) for url in urls[:10])))

    async def handle_document(self, chat_id: int, text: str, *, title: str | None) -> list[Reply]:
        try:
            return [await self.ingest(chat_id, text, title=title)]
        except BriefbotError as error:
            return [text_reply(str(error), error=True)]

    async def ask(self, chat_id: int, question: str, *, prefer: int | None = None, top: int = 3) -> Reply:
        answer = await self._run(self._library.ask, chat_id, question, top=top, context=True, prefer_article=prefer)
        return render_answer(answer)

    async def search(self, chat_id: int, query: str, *, limit: int = 10) -> list[Found]:
        """Sentences of the chat's library matching `query`; with no query, the latest summaries."""
        query = query.strip()
        try:
            if not query:
                articles, _total = await self._run(self._library.list, chat_id, page=0, per_page=min(limit, 3))
                found = []
                for info in articles:
                    result = await self._run(self._library.summarize, chat_id, article_id=info.id)
                    summary = " ".join(sentence.text for sentence in result.summary.sentences)
                    reply = render_summary(result)
                    found.append(Found(f"a{info.id}", f"#{info.number} {info.title}", summary[:300],
                                       Reply(reply.blocks, article_number=info.number)))
                return found
            answer = await self._run(self._library.ask, chat_id, query, top=limit)
        except BriefbotError:
            return []
        return [
            Found(
                f"s{item.article_id}:{item.position}",
                f"#{item.article_number} {item.article_title}",
                item.text[:300],
                Reply((Block(marked_spans(item.text, item.marks), kind="quote"),
                       Block((Span(f"— #{item.article_number} "), Span(item.article_title, "italic")))),
                      article_number=item.article_number),
            )
            for item in answer.sentences
        ]

    # -- commands ------------------------------------------------------------------------

    async def handle_command(self, chat_id: int, command: str, args: str = "", *,
                             user_id: int | None = None, reply_to_article: int | None = None) -> list[Reply]:
        command = command.lower().lstrip("/").split("@", 1)[0]
        handler = {
            "start": self._cmd_help,
            "help": self._cmd_help,
            "summary": self._cmd_summary,
            "ask": self._cmd_ask,
            "search": self._cmd_search,
            "list": self._cmd_list,
            "open": self._cmd_open,
            "delete": self._cmd_delete,
            "settings": self._cmd_settings,
            "export": self._cmd_export,
            "forget": self._cmd_forget,
        }.get(command)
        if handler is None:
            return [text_reply(f"I don't know /{command}. /help lists what I can do.", error=True)]
        try:
            return [await handler(chat_id, args.strip(), reply_to_article)]
        except BriefbotError as error:
            return [text_reply(str(error), error=True)]

    async def _cmd_help(self, chat_id: int, args: str, current: int | None) -> Reply:
        return text_reply(*HELP)

    async def _cmd_summary(self, chat_id: int, args: str, current: int | None) -> Reply:
        number, sentences, algorithm = parse_summary_args(args)
        result = await self._run(self._library.summarize, chat_id, number if number is not None else current,
                                 algorithm=algorithm, sentences=sentences)
        return render_summary(result)

    async def _cmd_ask(self, chat_id: int, args: str, current: int | None) -> Reply:
        if not args:
            return text_reply("Ask like this: /ask Who visited Israel?", error=True)
        return await self.ask(chat_id, args, prefer=current)

    async def _cmd_search(self, chat_id: int, args: str, current: int | None) -> Reply:
        if not args:
            return text_reply("Search like this: /search drone deal", error=True)
        answer = await self._run(self._library.ask, chat_id, args, top=10)
        return render_answer(answer, heading="Search")

    async def _cmd_list(self, chat_id: int, args: str, current: int | None) -> Reply:
        page = int(args) - 1 if args.isdigit() and int(args) > 0 else 0
        return await self.list_page(chat_id, page)

    async def list_page(self, chat_id: int, page: int) -> Reply:
        articles, total = await self._run(self._library.list, chat_id, page=page, per_page=PER_PAGE)
        return render_list(articles, total, page)

    async def _cmd_open(self, chat_id: int, args: str, current: int | None) -> Reply:
        number = _parse_number(args) if args else current
        if number is None:
            raise InputError("Which article? For example: /open 2")
        stored = await self._run(self._library.open, chat_id, number)
        info = stored.info
        body = stored.text if len(stored.text) <= MAX_OPEN_CHARS else stored.text[:MAX_OPEN_CHARS].rsplit(" ", 1)[0]
        blocks = [article_heading(info), Block((Span(body + ("…" if body != stored.text else "")),), kind="quote")]
        if body != stored.text:
            blocks.append(Block((Span("(shortened; /export gives the whole text)", "italic"),)))
        return Reply(tuple(blocks), buttons=summary_buttons(info, 0), article_number=info.number)

    async def _cmd_delete(self, chat_id: int, args: str, current: int | None) -> Reply:
        if not args:
            raise InputError("Which article? For example: /delete 2")
        deleted = await self._run(self._library.delete, chat_id, _parse_number(args))
        return text_reply(f"Deleted #{deleted.number} {deleted.title}.")

    async def _cmd_settings(self, chat_id: int, args: str, current: int | None) -> Reply:
        words = args.lower().split()
        if words:
            changes: dict[str, object] = {}
            if words[0] == "reset":
                changes["reset"] = True
            elif len(words) == 2 and words[0] in {"algorithm", "alg"}:
                changes["algorithm"] = words[1]
            elif len(words) == 2 and words[0] in {"sentences", "length"} and words[1].isdigit():
                changes["sentences"] = int(words[1])
            else:
                raise InputError("Use /settings algorithm NAME, /settings sentences N, or /settings reset.")
            await self._run(self._library.update_settings, chat_id, **changes)
        current_settings = await self._run(self._library.chat_settings, chat_id)
        return text_reply(
            "Summary settings for this chat:",
            f"algorithm: {current_settings.get('algorithm', 'default')}\n"
            f"sentences: {current_settings.get('sentences') or 'automatic'}",
            "Algorithms: " + ", ".join(algorithm_names()),
        )

    async def _cmd_export(self, chat_id: int, args: str, current: int | None) -> Reply:
        markdown = await self._run(self._library.export_markdown, chat_id)
        return Reply((Block((Span("Your library as Markdown."),)),),
                     files=(("briefbot-library.md", markdown.encode("utf-8")),))

    async def _cmd_forget(self, chat_id: int, args: str, current: int | None) -> Reply:
        if args.lower() == "yes":
            count = await self._run(self._library.forget, chat_id)
            return text_reply(f"Done: your library is empty ({count} articles deleted).")
        return Reply(
            (Block((Span("Delete your whole library? This cannot be undone."),)),),
            buttons=((Button("Yes, delete everything", "forget"), Button("No", "noop")),),
        )

    # -- buttons -------------------------------------------------------------------------

    async def handle_action(self, chat_id: int, action: str) -> ActionResult:
        """A button press; its action string came from a Reply this conversation made."""
        try:
            return await self._action(chat_id, action)
        except NotFound:
            return ActionResult(notice="That article is no longer available.")
        except BriefbotError as error:
            return ActionResult(notice=str(error))

    async def _action(self, chat_id: int, action: str) -> ActionResult:
        kind, _, rest = action.partition(":")
        parts = rest.split(":") if rest else []
        if kind == "s" and len(parts) == 3:
            article_id, count, algorithm = int(parts[0]), int(parts[1]), parts[2] or None
            result = await self._run(self._library.summarize, chat_id, article_id=article_id,
                                     sentences=max(count, 1), algorithm=algorithm)
            return ActionResult(render_summary(result))
        if kind == "a" and len(parts) == 2:
            stored = await self._run(self._library.article_by_id, chat_id, int(parts[0]))
            return ActionResult(algorithm_menu(stored.info, int(parts[1])))
        if kind == "d" and len(parts) == 1:
            deleted = await self._run(self._library.delete_by_id, chat_id, int(parts[0]))
            return ActionResult(text_reply(f"Deleted #{deleted.number} {deleted.title}."), notice="Deleted.")
        if kind == "l" and len(parts) == 1:
            return ActionResult(await self.list_page(chat_id, int(parts[0])))
        if kind == "o" and len(parts) == 1:
            stored = await self._run(self._library.article_by_id, chat_id, int(parts[0]))
            result = await self._run(self._library.summarize, chat_id, article_id=stored.info.id)
            await self._run(self._library.open, chat_id, stored.info.number)
            return ActionResult(render_summary(result), edit=False)
        if kind == "forget":
            count = await self._run(self._library.forget, chat_id)
            return ActionResult(text_reply(f"Done: your library is empty ({count} articles deleted)."))
        if kind == "noop":
            return ActionResult(text_reply("Nothing was deleted."))
        return ActionResult(notice="That button is no longer available.")


def _parse_number(text: str) -> int:
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit():
        raise InputError(f"'{text}' is not an article number. /list shows the numbers.")
    return int(cleaned)


def parse_summary_args(args: str) -> tuple[int | None, int | None, str | None]:
    """`/summary [#N] [sentences] [algorithm]` in any order: numbers are N, then length."""
    number = sentences = None
    algorithm = None
    numbers = []
    for word in args.split():
        lowered = word.lower()
        if lowered.lstrip("#").isdigit():
            numbers.append(int(lowered.lstrip("#")))
        elif lowered in algorithm_names():
            algorithm = lowered
        else:
            raise InputError(
                f"I don't understand '{word}'. Use /summary [article] [sentences] [algorithm], "
                "for example /summary 2 5 lexrank."
            )
    if numbers:
        number = numbers[0]
    if len(numbers) > 1:
        sentences = numbers[1]
    return number, sentences, algorithm


# -- rendering to Replies ------------------------------------------------------------------


def _size(chars: int) -> str:
    return f"{chars / 1000:.1f} KB" if chars >= 1000 else f"{chars} characters"


def article_heading(info: ArticleInfo, prefix: str = "") -> Block:
    spans = [Span(f"{prefix}#{info.number} "), Span(info.title, "bold")]
    return Block(tuple(spans))


def article_meta(info: ArticleInfo, summary_note: str) -> Block:
    from bot.text.language import LANGUAGE_NAMES

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
        row.append(Button("➖ Shorter", f"s:{info.id}:{count - 1}:{alg}"))
    row.append(Button("➕ Longer", f"s:{info.id}:{max(count, 1) + 1}:{alg}"))
    return (tuple(row), (Button("Algorithm…", f"a:{info.id}:{max(count, 1)}"), Button("🗑 Delete", f"d:{info.id}")))


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
    names = ["default", *ALGORITHMS]
    rows = tuple(
        tuple(Button(name, f"s:{info.id}:{count}:{'' if name == 'default' else name}") for name in names[i : i + 3])
        for i in range(0, len(names), 3)
    )
    return Reply((article_heading(info), Block((Span("Summarize with which algorithm?"),))), buttons=rows,
                 article_number=info.number)


def render_answer(answer: Answer, *, heading: str = "") -> Reply:
    if not answer.keywords:
        return text_reply("Ask about something specific: your question has no words I can search for.", error=True)
    if not answer.sentences:
        return Reply(
            (Block((Span("I found nothing about "), Span(" ".join(answer.keywords), "bold"),
                    Span(" in your library."))),),
            error=False,
        )
    blocks = []
    if heading:
        blocks.append(Block((Span(f"{heading}: "), Span(" ".join(answer.keywords), "bold"))))
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
        nav.append(Button("◀ Newer", f"l:{page - 1}"))
    if page + 1 < pages:
        nav.append(Button("Older ▶", f"l:{page + 1}"))
    open_row = tuple(Button(f"#{info.number}", f"o:{info.id}") for info in articles[:8])
    buttons = tuple(row for row in (open_row[:4], open_row[4:], tuple(nav)) if row)
    return Reply(tuple(blocks), buttons=buttons)
