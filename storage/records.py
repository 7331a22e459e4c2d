"""Small frozen values the store hands out (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NewSentence:
    position: int
    paragraph: int
    start: int
    end: int
    text: str
    heading: bool
    terms: str


@dataclass(frozen=True)
class NewArticle:
    title: str
    text: str
    language: str
    content_hash: str
    sentences: tuple[NewSentence, ...]
    url: str | None = None
    final_url: str | None = None
    site_name: str = ""
    author: str = ""
    published: str = ""  # ISO 8601 date as the page gives it
    # When it was saved; None: now. The services pass their clock, so schedules and tests agree on time.
    created_at: datetime | None = None


@dataclass(frozen=True)
class ArticleInfo:
    id: int
    chat_id: int
    number: int
    title: str
    url: str | None
    final_url: str | None
    language: str
    content_hash: str
    sentence_count: int
    char_count: int
    created_at: datetime
    site_name: str = ""
    author: str = ""
    published: str = ""


@dataclass(frozen=True)
class StoredArticle:
    info: ArticleInfo
    text: str


@dataclass(frozen=True)
class StoredSentence:
    article_id: int
    article_number: int
    article_title: str
    language: str
    position: int
    paragraph: int
    heading: bool
    text: str
    terms: str


@dataclass(frozen=True)
class SearchHit:
    sentence: StoredSentence
    # The database's own relevance (BM25 on SQLite FTS5, ts_rank on PostgreSQL); higher is better.
    score: float


@dataclass(frozen=True)
class TermStatistics:
    """Collection statistics of one chat's sentences, for BM25."""

    sentences: int
    average_terms: float
    document_frequency: dict[str, int]


@dataclass(frozen=True)
class LibraryOverview:
    """A chat's library at a glance: its articles' languages (none: it is empty), the current article,
    the totals of its sentences and their index terms (the collection statistics of BM25), and the
    language the chat chose to be answered in (None: each user's own)."""

    languages: tuple[str, ...]
    current_article: int | None
    sentences: int = 0
    terms: int = 0
    chat_language: str | None = None
