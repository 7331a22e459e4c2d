"""The library service: ingest, summarize, ask, list, open, delete, export, forget — per chat.

Knows nothing of Telegram or terminals. Every method is blocking (database, Sumy):
async front ends call it on a thread (questions on the answers' lane, bot/lanes.py; the rest
through `asyncio.to_thread`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.answers.answerer import Answer, Answerer
from bot.answers.terms import article_terms, indexed_sentences
from bot.errors import InputError, NotFound
from bot.i18n import ENGLISH, Translator, lazy
from bot.sources.urls import site_prefixes
from bot.summaries.algorithms import resolve_algorithm
from bot.summaries.summarizer import Summarizer, Summary
from bot.text.article import ArticleParser, ParsedArticle, ParsedSentence, content_hash
from storage.records import ArticleInfo, LibraryOverview, NewArticle, StoredArticle

if TYPE_CHECKING:  # SQLAlchemy loads when the store is built, not when this module is imported
    from storage.store import ArticleStore

CHAT_SETTING_KEYS = ("algorithm", "sentences")
# How many of the chat's earlier pages of a site are compared to find the lines the site repeats.
SITE_PAGES = 20


@dataclass(frozen=True)
class Ingested:
    article: ArticleInfo
    duplicate: bool
    offers: tuple[str, ...] = ()  # links the source points to (a Telegram post's article), offered to the user


@dataclass(frozen=True)
class ArticleSummary:
    article: ArticleInfo
    summary: Summary


class Library:
    def __init__(self, store: ArticleStore, parser: ArticleParser, summarizer: Summarizer, answerer: Answerer, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock
        self._store = store
        self._parser = parser
        self._summarizer = summarizer
        self._answerer = answerer

    @property
    def store(self) -> ArticleStore:
        return self._store

    # -- ingest --------------------------------------------------------------------------

    def parse(self, text: str, *, title: str | None = None, language: str | None = None) -> ParsedArticle:
        return self._parser.parse(text, title=title, language=language)

    def ingest_text(
        self,
        chat_id: int,
        text: str,
        *,
        title: str | None = None,
        language: str | None = None,
        url: str | None = None,
        final_url: str | None = None,
        site_name: str = "",
        author: str = "",
        published: str = "",
    ) -> Ingested:
        """Parse and save an article in one transaction; the same text again is recognised.

        A page from a site the chat has saved before loses the short lines that site repeats
        on every page (bot/sources/cleaning.py: drop_site_boilerplate).
        """
        if url or final_url:
            from bot.sources.cleaning import drop_site_boilerplate  # pages only; its rules cost `ask` ~5 ms to load

            earlier = self._store.site_texts(chat_id, site_prefixes(final_url or url or ""), limit=SITE_PAGES)
            text = drop_site_boilerplate(text, earlier)
        parsed = self._parser.parse(text, title=title or None, language=language)
        return self.save(chat_id, parsed, url=url, final_url=final_url, site_name=site_name, author=author,
                         published=published)

    def ingest_and_summarize(self, chat_id: int, text: str, *, title: str | None = None,
                             created_at: datetime | None = None) -> tuple[Ingested, ArticleSummary]:
        """Parse, save and summarize an article as the chat's settings ask (the reply to a pasted text or a file).

        The summary is made from the parse in hand, not from the sentences read back: they are
        the same, and a long article would be read again for nothing. A text the chat sent
        before is summarized as it was stored.
        """
        parsed = self._parser.parse(text, title=title or None)
        ingested = self.save(chat_id, parsed, created_at=created_at)
        if ingested.duplicate:
            return ingested, self.summarize(chat_id, article_id=ingested.article.id)
        stored = ParsedArticle(ingested.article.title, parsed.text, parsed.language, parsed.sentences)
        return ingested, self._summary_for_chat(chat_id, ingested.article, stored)

    def save(self, chat_id: int, parsed: ParsedArticle, *, url: str | None = None,
             final_url: str | None = None, site_name: str = "", author: str = "", published: str = "",
             created_at: datetime | None = None) -> Ingested:
        """Save a parsed article (its index terms computed here); `created_at` is the services' clock's by default."""
        if created_at is None and self._clock is not None:
            created_at = self._clock()
        sentences = indexed_sentences(parsed, self._parser.profile(parsed.language))
        new = NewArticle(
            title=parsed.title,
            text=parsed.text,
            language=parsed.language,
            content_hash=content_hash(parsed.text),
            sentences=sentences,
            url=url,
            final_url=final_url,
            site_name=site_name,
            author=author,
            published=published,
            created_at=created_at,
        )
        info, duplicate = self._store.add_article(chat_id, new)
        if duplicate:
            self._store.set_current_article(chat_id, info.number)
        return Ingested(info, duplicate)

    def find_by_url(self, chat_id: int, url: str) -> ArticleInfo | None:
        return self._store.find_by_url(chat_id, url)

    # -- reading -------------------------------------------------------------------------

    def article(self, chat_id: int, number: int | None = None) -> StoredArticle:
        """Article `number`, or the one being talked about, or the newest."""
        if number is None:
            number = self._store.current_article(chat_id)
        if number is None:
            latest, _total = self._store.list_articles(chat_id, limit=1)
            if not latest:
                raise NotFound(lazy("Your library is empty. Send me an article (text, a link or a file) first."))
            number = latest[0].number
        found = self._store.get_article(chat_id, number)
        if found is None:
            raise NotFound(lazy("There is no article #%(number)s in this chat. /list shows what there is.",
                                number=number))
        return found

    def article_by_id(self, chat_id: int, article_id: int) -> StoredArticle:
        found = self._store.get_article_by_id(chat_id, article_id)
        if found is None:
            raise NotFound(lazy("That article is no longer available."))
        return found

    def parsed(self, chat_id: int, stored: StoredArticle) -> ParsedArticle:
        """The stored article as a parsed article, from its stored sentences."""
        rows = self._store.article_sentences(chat_id, stored.info.id)
        sentences = tuple(
            ParsedSentence(position=r.position, paragraph=r.paragraph, start=0, end=0, text=r.text, heading=r.heading)
            for r in rows
        )
        return ParsedArticle(stored.info.title, stored.text, stored.info.language, sentences)

    def open(self, chat_id: int, number: int) -> StoredArticle:
        found = self.article(chat_id, number)
        self._store.set_current_article(chat_id, found.info.number)
        return found

    def list(self, chat_id: int, *, page: int = 0, per_page: int = 10) -> tuple[tuple[ArticleInfo, ...], int]:
        return self._store.list_articles(chat_id, offset=max(page, 0) * per_page, limit=per_page)

    # -- summaries -----------------------------------------------------------------------

    def chat_settings(self, chat_id: int) -> dict[str, Any]:
        return self._store.chat_settings(chat_id)

    def chat_language(self, chat_id: int) -> str | None:
        """The language the chat chose with /language (None: each user's own)."""
        return self._store.chat_language(chat_id)

    def set_chat_language(self, chat_id: int, code: str | None) -> None:
        self._store.set_chat_language(chat_id, code)

    def update_settings(self, chat_id: int, *, algorithm: str | None = None, sentences: int | None = None,
                        reset: bool = False) -> dict[str, Any]:
        if reset:
            return self._store.update_chat_settings(chat_id, dict.fromkeys(CHAT_SETTING_KEYS))
        changes: dict[str, Any] = {}
        if algorithm is not None:
            changes["algorithm"] = resolve_algorithm(algorithm)
        if sentences is not None:
            if not 0 <= sentences <= 50:
                raise InputError(lazy("The summary length must be between 1 and 50 sentences (0 for automatic)."))
            changes["sentences"] = sentences or None
        return self._store.update_chat_settings(chat_id, changes)

    def summarize_parsed(
        self,
        parsed: ParsedArticle,
        *,
        algorithm: str | None = None,
        sentences: int | None = None,
        ratio: float | None = None,
        engine: str | None = None,
    ) -> Summary:
        return self._summarizer.summarize(parsed, algorithm=algorithm, sentences=sentences, ratio=ratio, engine=engine)

    def summarize(
        self,
        chat_id: int,
        number: int | None = None,
        *,
        article_id: int | None = None,
        algorithm: str | None = None,
        sentences: int | None = None,
        ratio: float | None = None,
    ) -> ArticleSummary:
        stored = self.article_by_id(chat_id, article_id) if article_id is not None else self.article(chat_id, number)
        return self._summary_for_chat(chat_id, stored.info, self.parsed(chat_id, stored), algorithm=algorithm,
                                      sentences=sentences, ratio=ratio)

    def _summary_for_chat(self, chat_id: int, info: ArticleInfo, parsed: ParsedArticle, *,
                          algorithm: str | None = None, sentences: int | None = None,
                          ratio: float | None = None) -> ArticleSummary:
        """The summary of an article with the chat's algorithm and length, where none is asked for."""
        settings = self._store.chat_settings(chat_id)
        algorithm = algorithm or settings.get("algorithm")
        if sentences is None and ratio is None and settings.get("sentences"):
            sentences = int(settings["sentences"])
        summary = self.summarize_parsed(parsed, algorithm=algorithm, sentences=sentences, ratio=ratio)
        return ArticleSummary(info, summary)

    # -- answers -------------------------------------------------------------------------

    def overview(self, chat_id: int) -> LibraryOverview:
        """The chat at a glance: its articles' languages, current article, totals and chosen language."""
        return self._store.overview(chat_id)

    def ask(
        self,
        chat_id: int,
        question: str,
        *,
        top: int = 3,
        article_number: int | None = None,
        context: bool = False,
        prefer_article: int | None = None,
        overview: LibraryOverview | None = None,
    ) -> Answer:
        """The best sentences for `question`; `overview` is the chat's, when the caller read it already."""
        if not question.strip():
            raise InputError(lazy("Ask a question, for example: Who visited Israel?"))
        article_id = None
        overview = overview or self._store.overview(chat_id)
        if article_number is not None:
            article_id = self.article(chat_id, article_number).info.id
        elif not overview.languages:
            raise NotFound(lazy("Your library is empty, so I cannot answer yet. Send me an article first."))
        prefer = prefer_article if prefer_article is not None else overview.current_article
        return self._answerer.ask(chat_id, question, top=top, article_id=article_id, prefer_article=prefer,
                                  context=context, overview=overview)

    # -- changes -------------------------------------------------------------------------

    def reindex(self, *, batch: int = 100, stop: Callable[[], bool] | None = None) -> tuple[int, int]:
        """Recompute every stored sentence's index terms (after the term rules changed); (articles, sentences) changed.

        Articles saved before German compound parts or a language's extra stop words were indexed
        get today's terms. Each article is one transaction; running it twice changes nothing.
        `stop` is asked before each article (the bot's background reindex stops with the bot).
        """
        articles = sentences = 0
        last = 0
        while keys := self._store.article_keys(after=last, limit=batch):
            for chat_id, article_id in keys:
                if stop is not None and stop():
                    return articles, sentences
                stored = self._store.article_sentences(chat_id, article_id)
                if not stored:
                    continue
                profile = self._parser.profile(stored[0].language)
                fresh = article_terms(profile, [s.text for s in stored])
                changed = self._store.replace_terms(
                    chat_id, article_id, {s.position: terms for s, terms in zip(stored, fresh, strict=True)})
                articles += changed > 0
                sentences += changed
            last = keys[-1][1]
        return articles, sentences


    def delete(self, chat_id: int, number: int) -> ArticleInfo:
        deleted = self._store.delete_article(chat_id, number)
        if deleted is None:
            raise NotFound(lazy("There is no article #%(number)s in this chat.", number=number))
        return deleted

    def delete_by_id(self, chat_id: int, article_id: int) -> ArticleInfo:
        return self.delete(chat_id, self.article_by_id(chat_id, article_id).info.number)

    def forget(self, chat_id: int) -> int:
        return self._store.forget_chat(chat_id)

    def export_markdown(self, chat_id: int, tr: Translator = ENGLISH) -> str:
        """The whole library as one Markdown document, its headings in `tr`'s language (the text as it is)."""
        parts = ["# " + tr.gettext("Briefbot library"), ""]
        count = 0
        for stored in self._store.iter_articles(chat_id):
            count += 1
            info = stored.info
            parts.append(f"## #{info.number} {info.title}")
            parts.append("")
            meta = [tr.gettext("language: %(language)s", language=info.language),
                    tr.gettext("saved: %(date)s", date=info.created_at.strftime("%Y-%m-%d %H:%M"))]
            if info.site_name:
                meta.append(tr.gettext("site: %(site)s", site=info.site_name))
            if info.author:
                meta.append(tr.gettext("author: %(author)s", author=info.author))
            if info.published:
                meta.append(tr.gettext("published: %(date)s", date=info.published))
            if info.url:
                meta.append(tr.gettext("source: %(url)s", url=info.final_url or info.url))
            parts.append("*" + " · ".join(meta) + "*")
            parts.append("")
            parts.append(stored.text.strip())
            parts.append("")
        if count == 0:
            raise NotFound(lazy("Your library is empty: there is nothing to export."))
        return "\n".join(parts)

