"""SQLAlchemy 2 typed models of the library: chats, articles, sentences, processed updates, feeds, index state.

The full-text index lives beside these tables and is created by the migrations:
an FTS5 table over `sentences.terms` on SQLite, a GIN-indexed tsvector on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.clock import utcnow

__all__ = ["Article", "Base", "BriefingSlot", "Chat", "Feed", "FeedEntry", "IndexStateRow", "ProcessedUpdate",
           "SentenceRow", "utcnow"]


class Base(DeclarativeBase):
    pass


class Chat(Base):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    settings: Mapped[str] = mapped_column(Text, default="{}")
    next_number: Mapped[int] = mapped_column(Integer, default=1)
    current_article: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The language Briefbot speaks in the chat (/language); None: each user's Telegram language.
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # Totals over the chat's sentences, kept in step with every save and delete: the
    # collection statistics (N, average length) of the answer ranking.
    sentence_total: Mapped[int] = mapped_column(BigInteger, default=0)
    term_total: Mapped[int] = mapped_column(BigInteger, default=0)
    # When the chat was last briefed: a briefing with no selection covers what was saved since.
    last_briefing_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Scheduled briefings: the chat's IANA time zone, the local time ("08:00") or none, and
    # since when the next briefing collects articles (the last one sent, or the schedule's start).
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    briefing_time: Mapped[str | None] = mapped_column(String(5), nullable=True)
    briefing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    articles: Mapped[list[Article]] = relationship(back_populates="chat", passive_deletes=True)


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("chat_id", "number", name="uq_articles_chat_number"),
        UniqueConstraint("chat_id", "content_hash", name="uq_articles_chat_hash"),
        Index("ix_articles_chat_url", "chat_id", "url"),
        Index("ix_articles_chat_language", "chat_id", "language"),
        Index("ix_articles_chat_created", "chat_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("chats.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    final_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the page says about itself (empty when it does not say, or for pasted text).
    site_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    author: Mapped[str] = mapped_column(String(200), default="", server_default="")
    published: Mapped[str] = mapped_column(String(40), default="", server_default="")
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    sentence_count: Mapped[int] = mapped_column(Integer)
    term_count: Mapped[int] = mapped_column(Integer, default=0)
    char_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    chat: Mapped[Chat] = relationship(back_populates="articles")


class SentenceRow(Base):
    __tablename__ = "sentences"
    __table_args__ = (Index("ix_sentences_article_position", "article_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, ForeignKey("articles.id", ondelete="CASCADE"))
    # Denormalised so that every search is scoped to its chat without a join first.
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    position: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)
    char_start: Mapped[int] = mapped_column(Integer)
    char_end: Mapped[int] = mapped_column(Integer)
    heading: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    # Stems of the sentence's content words in the article's language, space-separated:
    # what the full-text index searches.
    terms: Mapped[str] = mapped_column(Text)


class ProcessedUpdate(Base):
    """The inbox: each Telegram update, recorded before it is confirmed, until it is finished.

    A re-delivered update is not handled twice, and one whose worker died is handled again.
    """

    __tablename__ = "processed_updates"
    __table_args__ = (Index("ix_processed_updates_chat", "chat_id", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # When the update was first recorded (received, or claimed by a worker of an older version).
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The update's chat (None: an inline query and the like) and its JSON, to handle it again.
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A worker holds the update until then (it renews the lease while it works); None: nobody yet.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When a worker began handling it: the chat's turn is taken until it is finished.
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Feed(Base):
    """An RSS/Atom feed a chat follows, with what polling it needs to remember."""

    __tablename__ = "feeds"
    __table_args__ = (
        UniqueConstraint("chat_id", "url", name="uq_feeds_chat_url"),
        Index("ix_feeds_next_check", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(200))
    # Validators of the last answer, sent back for a conditional GET (304 when unchanged).
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)
    interval_minutes: Mapped[int] = mapped_column(Integer, default=30)
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    next_check_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Failures in a row (they back the feed off) and the last reason; `reported`: the chat was told.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    reported: Mapped[bool] = mapped_column(Boolean, default=False)
    # The worker polling it now holds it until then, so several workers never poll it at once.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    lease_owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedEntry(Base):
    """An entry of a feed already seen (saved, skipped or failed): never fetched again."""

    __tablename__ = "feed_entries"
    __table_args__ = (
        UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_feed_key"),
        Index("ix_feed_entries_chat_url", "chat_id", "url"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(Integer, ForeignKey("feeds.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    entry_key: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    article_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("articles.id", ondelete="SET NULL"),
                                                   nullable=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BriefingSlot(Base):
    """A scheduled briefing claimed for (chat, local date): the first worker to insert it sends it."""

    __tablename__ = "briefing_slots"

    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD in the chat's time zone
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IndexStateRow(Base):
    """One row: the version of the rules that made the stored search terms (see storage/index_state.py)."""

    __tablename__ = "index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    terms_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
