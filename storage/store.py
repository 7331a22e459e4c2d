"""The article store: every public method is one transaction scoped to one chat.

Writes and the rarer reads go through the ORM session (`self._sessions.begin()`). The reads
that every question and every update make (the chat's current article, language, settings and
languages, term statistics, the search, context sentences) run as Core statements on a plain
connection instead: on SQLite a read in an ORM session cost about five times the read itself
(234 against 46 µs, docs/benchmarks.md "Fast again"), and an answer made eight of them. Those
reads are plain SQL, so the ORM itself (sqlalchemy.orm and storage.models, ~80 ms to import) is
imported by the methods that use it, with the first of them: `briefbot ask` never needs it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from storage.db import upsert_insert
from storage.records import (
    ArticleInfo,
    LibraryOverview,
    NewArticle,
    SearchHit,
    StoredArticle,
    StoredSentence,
    TermStatistics,
)
from storage.search import DF_CAP, document_frequencies, search_sentences, union_all

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from storage.models import Article, Chat


def _info(article: Article) -> ArticleInfo:
    return ArticleInfo(
        id=article.id,
        chat_id=article.chat_id,
        number=article.number,
        title=article.title,
        url=article.url,
        final_url=article.final_url,
        language=article.language,
        content_hash=article.content_hash,
        sentence_count=article.sentence_count,
        char_count=article.char_count,
        created_at=_aware(article.created_at) or article.created_at,
        site_name=article.site_name or "",
        author=article.author or "",
        published=article.published or "",
    )


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time the store writes is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


# A sentence with its article's number, title and language, for Core reads.
_SENTENCE_COLUMNS = "s.article_id, a.number, a.title, a.language, s.position, s.paragraph, s.heading, s.text, s.terms"
# The hot reads, built once (a statement costs more to build than to run).
_CURRENT_ARTICLE = text("SELECT current_article FROM chats WHERE id = :chat_id")
_CHAT_LANGUAGE = text("SELECT language FROM chats WHERE id = :chat_id")
_CHAT_SETTINGS = text("SELECT settings FROM chats WHERE id = :chat_id")
_CHAT_TOTALS = text("SELECT sentence_total, term_total FROM chats WHERE id = :chat_id")
_LANGUAGES = text("SELECT DISTINCT language FROM articles WHERE chat_id = :chat_id")
_ARTICLE_SENTENCES = text(
    f"SELECT {_SENTENCE_COLUMNS} FROM sentences s JOIN articles a ON a.id = s.article_id "
    "WHERE s.article_id = :article_id AND a.chat_id = :chat_id ORDER BY s.position"
)
# The chat's row with each language of its articles (one row with no language: an empty library).
_OVERVIEW = text(
    "SELECT c.current_article, c.sentence_total, c.term_total, c.language AS chosen_language, "
    "a.language AS article_language FROM chats c "
    "LEFT JOIN (SELECT DISTINCT chat_id, language FROM articles WHERE chat_id = :chat_id) a ON a.chat_id = c.id "
    "WHERE c.id = :chat_id"
)
# One place: a UNION ALL of these reads both columns of the (article, position) index for each
# place (an OR of the places let SQLite's planner use the article's half only, reading every
# sentence of a long article).
_SENTENCE_AT = (
    f"SELECT {_SENTENCE_COLUMNS} FROM sentences s JOIN articles a ON a.id = s.article_id "
    "WHERE a.chat_id = :chat_id AND s.article_id = :a{i} AND s.position = :p{i}"
)


def _sentence_of(row: Sequence[Any]) -> StoredSentence:
    article_id, number, title, language, position, paragraph, heading, sentence_text, terms = row
    return StoredSentence(article_id=article_id, article_number=number, article_title=title, language=language,
                          position=position, paragraph=paragraph, heading=bool(heading), text=sentence_text,
                          terms=terms)


class ArticleStore:
    """Owns its sessionmaker; returns frozen records; knows nothing of Sumy or Telegram."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @functools.cached_property
    def _sessions(self) -> sessionmaker[Session]:
        """The ORM's sessions, made at the first method that uses them (the ORM loads then)."""
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self._engine, expire_on_commit=False)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def close(self) -> None:
        self._engine.dispose()

    # -- chats ---------------------------------------------------------------------------

    def _ensure_chat(self, session: Session, chat_id: int, *, lock: bool = False) -> Chat:
        from storage.models import Chat

        if self.dialect in ("postgresql", "sqlite"):
            statement = upsert_insert(self.dialect)(Chat).values(id=chat_id, settings="{}", next_number=1)
            session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
        elif session.get(Chat, chat_id) is None:
            session.add(Chat(id=chat_id))
            session.flush()
        query = select(Chat).where(Chat.id == chat_id)
        if lock:
            query = query.with_for_update()
        chat = session.scalars(query).one()
        return chat

    def chat_settings(self, chat_id: int) -> dict[str, Any]:
        with self._engine.connect() as connection:
            settings = connection.execute(_CHAT_SETTINGS, {"chat_id": chat_id}).scalar()
            return json.loads(settings) if settings is not None else {}

    def update_chat_settings(self, chat_id: int, changes: dict[str, Any]) -> dict[str, Any]:
        """Merge `changes` into the chat's settings (a None value removes a key)."""
        with self._sessions.begin() as session:
            chat = self._ensure_chat(session, chat_id, lock=True)
            current = json.loads(chat.settings)
            for key, value in changes.items():
                if value is None:
                    current.pop(key, None)
                else:
                    current[key] = value
            chat.settings = json.dumps(current, sort_keys=True)
            return current

    def chat_language(self, chat_id: int) -> str | None:
        with self._engine.connect() as connection:
            return connection.execute(_CHAT_LANGUAGE, {"chat_id": chat_id}).scalar()

    def set_chat_language(self, chat_id: int, code: str | None) -> None:
        """The chat's language (an ISO 639-1 code), or None to follow each user's own."""
        from storage.models import Chat

        with self._sessions.begin() as session:
            self._ensure_chat(session, chat_id)
            session.execute(update(Chat).where(Chat.id == chat_id).values(language=code))

    def current_article(self, chat_id: int) -> int | None:
        with self._engine.connect() as connection:
            return connection.execute(_CURRENT_ARTICLE, {"chat_id": chat_id}).scalar()

    def last_briefing(self, chat_id: int) -> datetime | None:
        """When the chat was last briefed (UTC), or None."""
        from storage.models import Chat

        with self._sessions.begin() as session:
            chat = session.get(Chat, chat_id)
            return _aware(chat.last_briefing_at) if chat is not None else None

    def set_last_briefing(self, chat_id: int, when: datetime) -> None:
        from storage.models import Chat

        with self._sessions.begin() as session:
            self._ensure_chat(session, chat_id)
            session.execute(update(Chat).where(Chat.id == chat_id).values(last_briefing_at=when))

    def set_current_article(self, chat_id: int, number: int | None) -> None:
        from storage.models import Chat

        with self._sessions.begin() as session:
            self._ensure_chat(session, chat_id)
            session.execute(update(Chat).where(Chat.id == chat_id).values(current_article=number))

    # -- articles ------------------------------------------------------------------------

    def add_article(self, chat_id: int, new: NewArticle) -> tuple[ArticleInfo, bool]:
        """Save an article with its sentences in one transaction.

        Returns (article, duplicate): when the chat already has the same text or URL,
        nothing is written and the stored article comes back with duplicate=True.
        """
        from storage.models import Article, SentenceRow

        try:
            with self._sessions.begin() as session:
                existing = self._find_duplicate(session, chat_id, new)
                if existing is not None:
                    return _info(existing), True
                chat = self._ensure_chat(session, chat_id, lock=True)
                number = chat.next_number
                chat.next_number = number + 1
                chat.current_article = number
                term_count = sum(len(s.terms.split()) for s in new.sentences)
                chat.sentence_total = (chat.sentence_total or 0) + len(new.sentences)
                chat.term_total = (chat.term_total or 0) + term_count
                article = Article(
                    chat_id=chat_id,
                    number=number,
                    title=new.title[:300],
                    url=new.url,
                    final_url=new.final_url,
                    site_name=new.site_name[:200],
                    author=new.author[:200],
                    published=new.published[:40],
                    language=new.language,
                    text=new.text,
                    content_hash=new.content_hash,
                    sentence_count=len(new.sentences),
                    term_count=term_count,
                    char_count=len(new.text),
                )
                if new.created_at is not None:
                    article.created_at = new.created_at
                session.add(article)
                session.flush()
                if new.sentences:
                    # A Core executemany: the ORM's bulk insert spent as long again as SQLite on a big article.
                    session.connection().execute(
                        SentenceRow.__table__.insert(),
                        [
                            {
                                "article_id": article.id,
                                "chat_id": chat_id,
                                "position": s.position,
                                "paragraph": s.paragraph,
                                "char_start": s.start,
                                "char_end": s.end,
                                "heading": s.heading,
                                "text": s.text,
                                "terms": s.terms,
                            }
                            for s in new.sentences
                        ],
                    )
                return _info(article), False
        except IntegrityError:
            # Another worker saved the same article between our check and our insert.
            with self._sessions.begin() as session:
                existing = self._find_duplicate(session, chat_id, new)
                if existing is None:
                    raise
                return _info(existing), True

    @staticmethod
    def _find_duplicate(session: Session, chat_id: int, new: NewArticle) -> Article | None:
        from storage.models import Article

        found = session.scalars(
            select(Article).where(Article.chat_id == chat_id, Article.content_hash == new.content_hash)
        ).first()
        if found is None and new.url:
            found = session.scalars(
                select(Article).where(Article.chat_id == chat_id, Article.url == new.url)
            ).first()
        return found

    def find_by_url(self, chat_id: int, url: str) -> ArticleInfo | None:
        """The chat's article first fetched from `url` (normalised), or whose final URL it is."""
        from storage.models import Article

        with self._sessions.begin() as session:
            found = session.scalars(
                select(Article)
                .where(Article.chat_id == chat_id, (Article.url == url) | (Article.final_url == url))
                .order_by(Article.number)
            ).first()
            return _info(found) if found is not None else None

    def site_texts(self, chat_id: int, prefixes: Sequence[str], *, limit: int) -> list[str]:
        """Texts of the chat's newest `limit` articles whose link starts with one of `prefixes` (one site)."""
        from storage.models import Article

        if not prefixes:
            return []
        matches = [column.startswith(prefix, autoescape=True)  # `_` and `%` in a link are literal
                   for prefix in prefixes for column in (Article.url, Article.final_url)]
        with self._sessions.begin() as session:
            rows = session.scalars(
                select(Article.text).where(Article.chat_id == chat_id, or_(*matches))
                .order_by(Article.number.desc()).limit(limit)
            )
            return list(rows)

    def get_article(self, chat_id: int, number: int) -> StoredArticle | None:
        from storage.models import Article

        with self._sessions.begin() as session:
            found = session.scalars(
                select(Article).where(Article.chat_id == chat_id, Article.number == number)
            ).first()
            return StoredArticle(_info(found), found.text) if found is not None else None

    def get_article_by_id(self, chat_id: int, article_id: int) -> StoredArticle | None:
        """By global id, but only if it belongs to `chat_id` (buttons carry ids)."""
        from storage.models import Article

        with self._sessions.begin() as session:
            found = session.get(Article, article_id)
            if found is None or found.chat_id != chat_id:
                return None
            return StoredArticle(_info(found), found.text)

    def article_sentences(self, chat_id: int, article_id: int) -> tuple[StoredSentence, ...]:
        with self._engine.connect() as connection:
            rows = connection.execute(_ARTICLE_SENTENCES, {"article_id": article_id, "chat_id": chat_id})
            return tuple(_sentence_of(row) for row in rows)

    def sentences_at(self, chat_id: int, places: Sequence[tuple[int, int]]) -> dict[tuple[int, int], StoredSentence]:
        """The chat's sentences at (article id, position) places, in one read; missing places are left out."""
        if not places:
            return {}
        unique = list(dict.fromkeys(places))
        params: dict[str, int] = {"chat_id": chat_id}
        for i, (article_id, position) in enumerate(unique):
            params[f"a{i}"], params[f"p{i}"] = article_id, position
        with self._engine.connect() as connection:
            rows = connection.execute(union_all(_SENTENCE_AT, len(unique)), params)
            found = (_sentence_of(row) for row in rows)
            return {(sentence.article_id, sentence.position): sentence for sentence in found}

    def list_articles(self, chat_id: int, *, offset: int = 0, limit: int = 10) -> tuple[tuple[ArticleInfo, ...], int]:
        """A page of the chat's articles, newest first, and how many there are in all."""
        from storage.models import Article

        with self._sessions.begin() as session:
            total = session.scalar(select(func.count()).select_from(Article).where(Article.chat_id == chat_id))
            rows = session.scalars(
                select(Article)
                .where(Article.chat_id == chat_id)
                .order_by(Article.number.desc())
                .offset(offset)
                .limit(limit)
            )
            return tuple(_info(row) for row in rows), int(total or 0)

    def articles_since(self, chat_id: int, start: datetime, *, limit: int) -> tuple[tuple[ArticleInfo, ...], int]:
        """The chat's newest `limit` articles saved at or after `start`, newest first, and how many there are."""
        from storage.models import Article

        with self._sessions.begin() as session:
            where = (Article.chat_id == chat_id, Article.created_at >= start)
            total = session.scalar(select(func.count()).select_from(Article).where(*where))
            rows = session.scalars(select(Article).where(*where).order_by(Article.number.desc()).limit(limit))
            return tuple(_info(row) for row in rows), int(total or 0)

    def iter_articles(self, chat_id: int, batch: int = 50) -> Iterator[StoredArticle]:
        """Every article of the chat in number order, a batch per transaction."""
        from storage.models import Article

        last = 0
        while True:
            with self._sessions.begin() as session:
                rows = list(
                    session.scalars(
                        select(Article)
                        .where(Article.chat_id == chat_id, Article.number > last)
                        .order_by(Article.number)
                        .limit(batch)
                    )
                )
                page = [StoredArticle(_info(row), row.text) for row in rows]
            if not page:
                return
            yield from page
            last = page[-1].info.number

    def article_keys(self, *, after: int = 0, limit: int = 100) -> list[tuple[int, int]]:
        """(chat id, article id) of articles of every chat past id `after`, by id (for maintenance)."""
        from storage.models import Article

        with self._sessions.begin() as session:
            rows = session.execute(
                select(Article.chat_id, Article.id).where(Article.id > after).order_by(Article.id).limit(limit)
            )
            return [(int(chat), int(article)) for chat, article in rows]

    def replace_terms(self, chat_id: int, article_id: int, terms: dict[int, str]) -> int:
        """Set the index terms of the article's sentences by position; returns how many changed.

        One transaction: the sentence rows, the full-text index (SQLite's external-content FTS5
        has no update trigger; PostgreSQL's tsvector is generated) and the term counts stay in step.
        """
        from storage.models import Article, Chat, SentenceRow

        with self._sessions.begin() as session:
            article = session.get(Article, article_id, with_for_update=self.dialect == "postgresql")
            if article is None or article.chat_id != chat_id:
                return 0
            rows = session.scalars(select(SentenceRow).where(SentenceRow.article_id == article_id))
            changed = [(row, terms[row.position]) for row in rows
                       if row.position in terms and terms[row.position] != row.terms]
            delta = 0
            for row, new_terms in changed:
                delta += len(new_terms.split()) - len(row.terms.split())
                if self.dialect == "sqlite":
                    session.execute(text("INSERT INTO sentence_fts(sentence_fts, rowid, terms) "
                                         "VALUES ('delete', :id, :terms)"), {"id": row.id, "terms": row.terms})
                    session.execute(text("INSERT INTO sentence_fts(rowid, terms) VALUES (:id, :terms)"),
                                    {"id": row.id, "terms": new_terms})
                row.terms = new_terms
            if delta:
                article.term_count = (article.term_count or 0) + delta
                session.execute(update(Chat).where(Chat.id == chat_id).values(term_total=Chat.term_total + delta))
            return len(changed)

    def article_languages(self, chat_id: int) -> list[str]:
        """The languages of the chat's articles (read from an index, not the articles)."""
        with self._engine.connect() as connection:
            return sorted(connection.execute(_LANGUAGES, {"chat_id": chat_id}).scalars())

    def overview(self, chat_id: int) -> LibraryOverview:
        """What answering a question needs first, in one read: the languages, the current article, the totals
        and the chat's own language."""
        with self._engine.connect() as connection:
            rows = connection.execute(_OVERVIEW, {"chat_id": chat_id}).all()
        if not rows:
            return LibraryOverview((), None)
        first = rows[0]
        languages = tuple(sorted(str(row.article_language) for row in rows if row.article_language is not None))
        return LibraryOverview(languages, first.current_article, int(first.sentence_total or 0),
                               int(first.term_total or 0), first.chosen_language)

    def delete_article(self, chat_id: int, number: int) -> ArticleInfo | None:
        from storage.models import Article, Chat, SentenceRow

        with self._sessions.begin() as session:
            found = session.scalars(
                select(Article).where(Article.chat_id == chat_id, Article.number == number)
            ).first()
            if found is None:
                return None
            info = _info(found)
            # Explicit, so the full-text triggers see every deleted sentence.
            session.execute(delete(SentenceRow).where(SentenceRow.article_id == found.id))
            session.delete(found)
            session.execute(
                update(Chat)
                .where(Chat.id == chat_id)
                .values(
                    sentence_total=Chat.sentence_total - found.sentence_count,
                    term_total=Chat.term_total - found.term_count,
                )
            )
            session.execute(
                update(Chat)
                .where(Chat.id == chat_id, Chat.current_article == number)
                .values(current_article=None)
            )
            return info

    def forget_chat(self, chat_id: int) -> int:
        """Delete the chat's whole library and summary settings; returns how many articles went.

        The chat's language stays: forgetting the articles is not asking to be spoken to in English.
        """
        from storage.models import Article, Chat, SentenceRow

        with self._sessions.begin() as session:
            count = session.scalar(select(func.count()).select_from(Article).where(Article.chat_id == chat_id))
            language = session.scalar(select(Chat.language).where(Chat.id == chat_id))
            session.execute(delete(SentenceRow).where(SentenceRow.chat_id == chat_id))
            session.execute(delete(Article).where(Article.chat_id == chat_id))
            session.execute(delete(Chat).where(Chat.id == chat_id))
            if language is not None:
                session.add(Chat(id=chat_id, language=language))
            return int(count or 0)

    # -- search --------------------------------------------------------------------------

    def search(
        self,
        chat_id: int,
        terms: Sequence[str],
        *,
        limit: int = 50,
        article_id: int | None = None,
        frequencies: dict[str, int] | None = None,
    ) -> list[SearchHit]:
        """Sentences of the chat that contain any of `terms` (already stemmed), best first.

        `frequencies` (from term_statistics) let a huge library skip ranking common words.
        """
        if not terms:
            return []
        with self._engine.connect() as connection:
            return search_sentences(connection, chat_id, terms, limit=limit, article_id=article_id,
                                    frequencies=frequencies)

    def term_statistics(self, chat_id: int, terms: Sequence[str], *, cap: int = DF_CAP,
                        overview: LibraryOverview | None = None) -> TermStatistics:
        """Collection statistics of the chat for BM25: sentences, average terms, document frequencies.

        Each frequency is counted in the full-text index and capped at `cap`, so a very
        common word costs a bounded amount of work in a huge library. The totals come from
        `overview` when the caller has read it (else from the chat's row).
        """
        with self._engine.connect() as connection:
            if overview is None:
                totals = connection.execute(_CHAT_TOTALS, {"chat_id": chat_id}).first()
                sentences = int(totals.sentence_total or 0) if totals is not None else 0
                term_total = int(totals.term_total or 0) if totals is not None else 0
            else:
                sentences, term_total = overview.sentences, overview.terms
            if not sentences:
                return TermStatistics(0, 0.0, {})
            frequencies = document_frequencies(connection, chat_id, terms, cap=cap, chat_sentences=sentences)
            return TermStatistics(sentences, term_total / sentences, frequencies)
