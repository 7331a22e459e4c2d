"""The conversation: what a message, a command or a button means, answered as Replies.

Shared by the terminal chat and the Telegram handlers. Blocking work goes to a thread
so that an async front end's event loop stays free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Literal, TypeVar

from bot.answers.answerer import Answer
from bot.briefings import Briefings, Selection
from bot.conversation.actions import (
    STALE_BUTTON,
    Action,
    ChooseAlgorithm,
    DeleteArticle,
    ForgetLibrary,
    KeepLibrary,
    ListPage,
    OpenArticle,
    SetLanguage,
    Summarize,
    decode_action,
)
from bot.conversation.commands import COMMAND_NAMES, help_paragraphs
from bot.conversation.feeds import FeedTalk, is_schedule_args
from bot.conversation.messages import (
    MAX_SUMMARY_SENTENCES,
    URL_RE,
    find_other_links,
    find_urls,
    looks_like_question,
    parse_brief_args,
    parse_summary_args,
)
from bot.conversation.rendering import (
    MARKER,
    PER_PAGE,
    algorithm_menu,
    article_heading,
    briefing_room,
    language_label,
    offered_links,
    render_answer,
    render_briefing,
    render_list,
    render_summary,
    summary_buttons,
)
from bot.conversation.replies import Block, Button, Reply, Span, marked_spans, text_reply
from bot.errors import BriefbotError, InputError, NotAnArticle, NotFound
from bot.i18n import LANGUAGES, Catalogs, Translator, lazy, normalize
from bot.lanes import Lane, run_on
from bot.library import ArticleSummary, Ingested, Library
from bot.summaries.algorithms import algorithm_names
from bot.text.article import MIN_ARTICLE_CHARS
from bot.userinput import excerpt, parse_article_number, parse_number
from bot.workers import ArticleWorkers

T = TypeVar("T")
MessageKind = Literal["links", "other links", "empty", "article", "question"]

MAX_OPEN_CHARS = 3500
# Past this page nobody pages by hand; it keeps OFFSET far from the 63 bits the database holds.
MAX_PAGE = 1_000_000
ONLY_WEB_LINKS = lazy("I can only read http and https links.")


@dataclass(frozen=True)
class ActionResult:
    """What a button press does: a notice (toast) and/or a reply that replaces the message."""

    reply: Reply | None = None
    notice: str = ""  # already in the chat's language
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
    """Every method answers in the language of the Translator it is given (default: English).

    Blocking work runs on asyncio's default pool, questions on the `answers` lane (bot/lanes.py).

    `handle_message` and `ask` without one answer in the chat's language, read with the question's
    first statement (the chat's overview): a question is the bot's commonest update, and
    each hop to a thread costs more under load than the read itself.
    """

    def __init__(self, library: Library, *, min_article_chars: int = MIN_ARTICLE_CHARS,
                 link_handler: LinkHandler | None = None, briefings: Briefings | None = None,
                 feeds: FeedTalk | None = None, catalogs: Catalogs | None = None,
                 workers: ArticleWorkers | None = None, answers: Lane | None = None) -> None:
        self._library = library
        # Questions (and the chat's language) on a lane of their own; the rest on asyncio's default pool.
        self._answers = answers
        self._workers = workers
        self._briefings = briefings
        self._min_article_chars = min_article_chars
        self._link_handler = link_handler
        self._catalogs = catalogs or Catalogs.load()
        self._feeds = feeds

    @property
    def library(self) -> Library:
        return self._library

    @property
    def catalogs(self) -> Catalogs:
        return self._catalogs

    def _tr(self, tr: Translator | None) -> Translator:
        return tr or self._catalogs.default

    def _error(self, tr: Translator, error: BriefbotError) -> Reply:
        return text_reply(tr.render(error.message), error=True)

    async def translator_for(self, chat_id: int, user_language: str | None = None) -> Translator:
        """The chat's chosen language, else the user's (Telegram's language_code), else English."""
        chosen = await self._read(self._library.chat_language, chat_id)
        return self._catalogs.choose(chosen, user_language)

    async def _run(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        return await asyncio.to_thread(function, *args, **kwargs)

    async def _read(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """A quick read that answers a question: on the answers' lane when there is one."""
        return await run_on(self._answers, function, *args, **kwargs)

    # -- messages ------------------------------------------------------------------------

    async def handle_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        reply_to_article: int | None = None,
        links: tuple[str, ...] = (),
        tr: Translator | None = None,
        user_language: str | None = None,
    ) -> list[Reply]:
        """A plain message: links, a new article, or a question.

        Without `tr` the reply is in the chat's language, else `user_language` (Telegram's language_code).
        """
        try:
            stripped = text.strip()
            urls = list(dict.fromkeys([*links, *find_urls(stripped)]))
            prose = URL_RE.sub(" ", stripped).strip()
            kind = self._message_kind(stripped, urls, prose)
            if kind == "question":
                return [await self.ask(chat_id, stripped, prefer=reply_to_article, tr=tr,
                                       user_language=user_language)]
            tr = tr or await self.translator_for(chat_id, user_language)
            if kind == "links":
                return await self.handle_links(chat_id, urls, user_id=user_id, tr=tr)
            if kind == "other links":
                # javascript:, file:, data:, ftp: ... are never fetched, nor searched as words.
                return [text_reply(tr.render(ONLY_WEB_LINKS), error=True)]
            if kind == "empty":
                return [text_reply(tr.gettext("Send me an article, a link or a question."), error=True)]
            try:
                return [await self.ingest(chat_id, stripped, tr=tr)]
            except NotAnArticle:
                if len(stripped) > 1000:
                    raise
            return [await self.ask(chat_id, stripped, prefer=reply_to_article, tr=tr)]
        except BriefbotError as error:
            return [self._error(tr or await self.translator_for(chat_id, user_language), error)]

    def _message_kind(self, stripped: str, urls: list[str], prose: str) -> MessageKind:
        """What a message is: links to fetch, other links, nothing, an article to save or a question."""
        if urls and len(prose) < self._min_article_chars:
            return "links"
        if find_other_links(prose) and len(prose) < self._min_article_chars:
            return "other links"
        if not stripped:
            return "empty"
        if len(stripped) >= self._min_article_chars and not (
            looks_like_question(stripped) and len(stripped) < 2 * self._min_article_chars
        ):
            return "article"  # or a long question, when it is not an article
        return "question"

    async def ingest(self, chat_id: int, text: str, *, title: str | None = None,
                     tr: Translator | None = None) -> Reply:
        """Save a pasted text or a file's and reply with its summary; a long one is read in a worker process."""
        if self._workers is not None and self._workers.takes(text):
            ingested, result = await self._workers.ingest(chat_id, text, title=title)
        else:
            ingested, result = await self._run(self._library.ingest_and_summarize, chat_id, text, title=title)
        return self._summary_reply(self._tr(tr), ingested, result)

    async def summary_reply_for(self, chat_id: int, ingested: Ingested, *, tr: Translator | None = None) -> Reply:
        result = await self._run(self._library.summarize, chat_id, article_id=ingested.article.id)
        return self._summary_reply(self._tr(tr), ingested, result)

    @staticmethod
    def _summary_reply(tr: Translator, ingested: Ingested, result: ArticleSummary) -> Reply:
        number = ingested.article.number
        lead = (tr.gettext("You sent this one before: #%(number)s", number=number) if ingested.duplicate
                else tr.gettext("Saved as #%(number)s", number=number))
        reply = render_summary(tr, result, lead=lead)
        if ingested.offers:
            reply = replace(reply, blocks=(*reply.blocks, *offered_links(tr, ingested.offers)))
        return reply

    async def handle_links(self, chat_id: int, urls: list[str], *, user_id: int | None = None,
                           tr: Translator | None = None) -> list[Reply]:
        tr = self._tr(tr)
        if self._link_handler is None:
            return [text_reply(tr.gettext("I see a link (%(link)s), but this Briefbot cannot fetch links.",
                                          link=excerpt(urls[0])), error=True)]
        handler = self._link_handler

        async def one(url: str) -> Reply:
            try:
                ingested = await handler(chat_id, url, user_id)
                return await self.summary_reply_for(chat_id, ingested, tr=tr)
            except BriefbotError as error:
                return text_reply(f"{excerpt(url)}: {tr.render(error.message)}", error=True)

        # A few at once: a message with twenty links must not open twenty connections.
        semaphore = asyncio.Semaphore(3)

        async def bounded(url: str) -> Reply:
            async with semaphore:
                return await one(url)

        return list(await asyncio.gather(*(bounded(url) for url in urls[:10])))

    async def handle_document(self, chat_id: int, text: str, *, title: str | None,
                              tr: Translator | None = None) -> list[Reply]:
        tr = self._tr(tr)
        try:
            return [await self.ingest(chat_id, text, title=title, tr=tr)]
        except BriefbotError as error:
            return [self._error(tr, error)]

    async def ask(self, chat_id: int, question: str, *, prefer: int | None = None, top: int = 3,
                  tr: Translator | None = None, user_language: str | None = None) -> Reply:
        """The answer to `question`; without `tr` in the chat's language, else `user_language`."""
        if tr is not None:
            return render_answer(tr, await self._read(self._library.ask, chat_id, question, top=top, context=True,
                                                      prefer_article=prefer))

        def in_chat_language() -> tuple[str | None, Answer]:
            # The chat's overview (the question's first statement) carries the language it chose.
            overview = self._library.overview(chat_id)
            return overview.chat_language, self._library.ask(chat_id, question, top=top, context=True,
                                                             prefer_article=prefer, overview=overview)

        chosen, answer = await self._read(in_chat_language)
        return render_answer(self._catalogs.choose(chosen, user_language), answer)

    async def search(self, chat_id: int, query: str, *, limit: int = 10, tr: Translator | None = None) -> list[Found]:
        """Sentences of the chat's library matching `query`; with no query, the latest summaries."""
        tr = self._tr(tr)
        query = query.strip()
        try:
            if not query:
                articles, _total = await self._run(self._library.list, chat_id, page=0, per_page=min(limit, 3))
                found = []
                for info in articles:
                    result = await self._run(self._library.summarize, chat_id, article_id=info.id)
                    summary = " ".join(sentence.text for sentence in result.summary.sentences)
                    reply = render_summary(tr, result)
                    found.append(Found(f"a{info.id}", f"#{info.number} {info.title}", summary[:300],
                                       Reply(reply.blocks, article_number=info.number)))
                return found
            answer = await self._read(self._library.ask, chat_id, query, top=limit)
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
                             user_id: int | None = None, reply_to_article: int | None = None,
                             tr: Translator | None = None) -> list[Reply]:
        tr = self._tr(tr)
        command = command.lower().lstrip("/").split("@", 1)[0]
        if command not in COMMAND_NAMES:
            return [text_reply(tr.gettext("I don't know /%(command)s. /help lists what I can do.",
                                          command=excerpt(command, 30)), error=True)]
        # /start is /help; every other command has a method of its name.
        handler: Callable[[int, str, int | None, Translator], Awaitable[Reply]] | None = getattr(
            self, f"_cmd_{'help' if command == 'start' else command}", None)
        if handler is None:  # pragma: no cover - a table entry without its method
            return [text_reply(tr.gettext("I don't know /%(command)s. /help lists what I can do.",
                                          command=command), error=True)]
        try:
            return [await handler(chat_id, args.strip(), reply_to_article, tr)]
        except BriefbotError as error:
            return [self._error(tr, error)]

    async def _cmd_help(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        return text_reply(*help_paragraphs(tr))

    async def _cmd_summary(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        number, sentences, algorithm = parse_summary_args(args)
        result = await self._run(self._library.summarize, chat_id, number if number is not None else current,
                                 algorithm=algorithm, sentences=sentences)
        return render_summary(tr, result)

    async def _cmd_brief(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        # `/brief at 08:00` and `/brief off` set the daily schedule; the rest ask for a briefing now.
        if is_schedule_args(args):
            return await self._feed_talk().schedule(chat_id, args, tr)
        return await self.brief(chat_id, *parse_brief_args(args), tr=tr)

    async def brief(self, chat_id: int, selection: Selection | None = None, sentences: int | None = None, *,
                    tr: Translator | None = None) -> Reply:
        """A briefing as a reply; with no length asked for, it fits one message."""
        tr = self._tr(tr)
        if self._briefings is None:
            return text_reply(tr.gettext("Briefings are not available here."), error=True)
        room = briefing_room(tr) if sentences is None else None
        briefing = await self._run(self._briefings.brief, chat_id, selection, sentences, room=room)
        return render_briefing(tr, briefing)

    async def _cmd_ask(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        if not args:
            return text_reply(tr.gettext("Ask like this: /ask Who visited Israel?"), error=True)
        return await self.ask(chat_id, args, prefer=current, tr=tr)

    async def _cmd_search(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        if not args:
            return text_reply(tr.gettext("Search like this: /search drone deal"), error=True)
        answer = await self._read(self._library.ask, chat_id, args, top=10)
        return render_answer(tr, answer, heading=tr.gettext("Search: <b>%(words)s</b>", words=MARKER))

    async def _cmd_list(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        page = parse_number(args, lazy("a page number"), minimum=1, maximum=MAX_PAGE) - 1 if args else 0
        return await self.list_page(chat_id, page, tr=tr)

    async def list_page(self, chat_id: int, page: int, *, tr: Translator | None = None) -> Reply:
        page = min(max(page, 0), MAX_PAGE - 1)  # a forged button may carry any 63-bit page
        articles, total = await self._run(self._library.list, chat_id, page=page, per_page=PER_PAGE)
        return render_list(self._tr(tr), articles, total, page)

    async def _cmd_open(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        number = parse_article_number(args) if args else current
        if number is None:
            raise InputError(lazy("Which article? For example: /open 2"))
        stored = await self._run(self._library.open, chat_id, number)
        info = stored.info
        body = stored.text if len(stored.text) <= MAX_OPEN_CHARS else stored.text[:MAX_OPEN_CHARS].rsplit(" ", 1)[0]
        blocks = [article_heading(info), Block((Span(body + ("…" if body != stored.text else "")),), kind="quote")]
        if body != stored.text:
            blocks.append(Block((Span(tr.gettext("(shortened; /export gives the whole text)"), "italic"),)))
        return Reply(tuple(blocks), buttons=summary_buttons(tr, info, 0), article_number=info.number)

    async def _cmd_delete(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        if not args:
            raise InputError(lazy("Which article? For example: /delete 2"))
        deleted = await self._run(self._library.delete, chat_id, parse_article_number(args))
        return text_reply(tr.gettext("Deleted #%(number)s %(title)s.", number=deleted.number, title=deleted.title))

    async def _cmd_settings(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        words = args.lower().split()
        if words:
            changes: dict[str, object] = {}
            if words[0] == "reset":
                changes["reset"] = True
            elif len(words) == 2 and words[0] in {"algorithm", "alg"}:
                changes["algorithm"] = words[1]
            elif len(words) == 2 and words[0] in {"sentences", "length"}:
                changes["sentences"] = parse_number(words[1], lazy("a summary length"),
                                                    hint=lazy("0 is automatic."), minimum=0,
                                                    maximum=MAX_SUMMARY_SENTENCES)
            else:
                raise InputError(lazy("Use /settings algorithm NAME, /settings sentences N, or /settings reset."))
            await self._run(self._library.update_settings, chat_id, **changes)
        current_settings = await self._run(self._library.chat_settings, chat_id)
        # Algorithm names are names (lexrank, lead), not words to translate.
        return text_reply(
            tr.gettext("Summary settings for this chat:"),
            tr.gettext("algorithm: %(algorithm)s", algorithm=current_settings.get("algorithm", "default")) + "\n"
            + tr.gettext("sentences: %(sentences)s",
                         sentences=current_settings.get("sentences") or tr.gettext("automatic")),
            tr.gettext("Algorithms: %(names)s", names=", ".join(algorithm_names())),
        )

    def _feed_talk(self) -> FeedTalk:
        if self._feeds is None:
            raise InputError(lazy("This Briefbot does not follow feeds."))
        return self._feeds

    async def _cmd_follow(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        return await self._feed_talk().follow(chat_id, args, tr)

    async def _cmd_feeds(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        return await self._feed_talk().list(chat_id, tr)

    async def _cmd_unfollow(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        return await self._feed_talk().unfollow(chat_id, args, tr)

    async def _cmd_timezone(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        return await self._feed_talk().timezone(chat_id, args, tr)

    async def _cmd_language(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        if not args:
            return self._language_menu(tr)
        word = args.strip().lower()
        if word in {"auto", "reset"}:
            return await self._set_language(chat_id, "", tr)
        code = normalize(word)
        if code is None:
            raise InputError(lazy("I don't speak '%(code)s'. Choose one of: %(codes)s, or auto.",
                                  code=excerpt(word, 20), codes=", ".join(LANGUAGES)))
        return await self._set_language(chat_id, code, tr)

    def _language_menu(self, tr: Translator) -> Reply:
        """One button per shipped language, each named in itself ("Deutsch"), and one for automatic."""
        buttons = [Button(language_label(self._catalogs.get(code), code), SetLanguage(code))
                   for code in self._catalogs.languages]
        rows = tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3))
        return Reply((Block((Span(tr.gettext("Which language shall I speak in this chat?")),)),),
                     buttons=(*rows, (Button(tr.gettext("Automatic (your Telegram language)"), SetLanguage("")),)))

    async def _set_language(self, chat_id: int, code: str, tr: Translator) -> Reply:
        await self._run(self._library.set_chat_language, chat_id, code or None)
        if not code:
            return text_reply(tr.gettext("I will speak each person's Telegram language in this chat."))
        new = self._catalogs.get(code)  # the confirmation is already in the new language
        name = new.language_name(code) or code  # lower case inside a sentence ("русский", "français")
        return text_reply(new.gettext("From now on I speak %(language)s in this chat.", language=name))

    async def _cmd_export(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        markdown = await self._run(self._library.export_markdown, chat_id, tr)
        return Reply((Block((Span(tr.gettext("Your library as Markdown.")),)),),
                     files=(("briefbot-library.md", markdown.encode("utf-8")),))

    async def _cmd_forget(self, chat_id: int, args: str, current: int | None, tr: Translator) -> Reply:
        if args.lower() == "yes":
            count = await self._run(self._library.forget, chat_id)
            return text_reply(self._forgotten(tr, count))
        return Reply(
            (Block((Span(tr.gettext("Delete your whole library? This cannot be undone.")),)),),
            buttons=((Button(tr.gettext("Yes, delete everything"), ForgetLibrary()),
                      Button(tr.gettext("No"), KeepLibrary())),),
        )

    @staticmethod
    def _forgotten(tr: Translator, count: int) -> str:
        return tr.ngettext("Done: your library is empty (%(count)s article deleted).",
                           "Done: your library is empty (%(count)s articles deleted).", count, count=count)

    # -- buttons -------------------------------------------------------------------------

    async def handle_action(self, chat_id: int, action: Action | str, *,
                            tr: Translator | None = None) -> ActionResult:
        """A button press: a typed action, or callback data as a client sent it (decoded here)."""
        tr = self._tr(tr)
        decoded = decode_action(action) if isinstance(action, str) else action
        if decoded is None:
            return ActionResult(notice=tr.render(STALE_BUTTON))
        try:
            return await self._action(chat_id, decoded, tr)
        except NotFound:
            return ActionResult(notice=tr.gettext("That article is no longer available."))
        except BriefbotError as error:
            return ActionResult(notice=tr.render(error.message))

    async def _action(self, chat_id: int, action: Action, tr: Translator) -> ActionResult:
        match action:
            case Summarize(article_id, sentences, algorithm):
                result = await self._run(self._library.summarize, chat_id, article_id=article_id,
                                         sentences=max(sentences, 1), algorithm=algorithm or None)
                return ActionResult(render_summary(tr, result))
            case ChooseAlgorithm(article_id, sentences):
                stored = await self._run(self._library.article_by_id, chat_id, article_id)
                return ActionResult(algorithm_menu(tr, stored.info, sentences))
            case DeleteArticle(article_id):
                deleted = await self._run(self._library.delete_by_id, chat_id, article_id)
                return ActionResult(text_reply(tr.gettext("Deleted #%(number)s %(title)s.", number=deleted.number,
                                                          title=deleted.title)),
                                    notice=tr.gettext("Deleted."))
            case ListPage(page):
                return ActionResult(await self.list_page(chat_id, page, tr=tr))
            case OpenArticle(article_id):
                stored = await self._run(self._library.article_by_id, chat_id, article_id)
                result = await self._run(self._library.summarize, chat_id, article_id=stored.info.id)
                await self._run(self._library.open, chat_id, stored.info.number)
                return ActionResult(render_summary(tr, result), edit=False)
            case ForgetLibrary():
                count = await self._run(self._library.forget, chat_id)
                return ActionResult(text_reply(self._forgotten(tr, count)))
            case KeepLibrary():
                return ActionResult(text_reply(tr.gettext("Nothing was deleted.")))
            case SetLanguage(code):
                return ActionResult(await self._set_language(chat_id, code, tr))
