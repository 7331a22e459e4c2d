"""Full-text sentence search in the database: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Terms arrive already stemmed. Each is quoted as a literal, so words such as
NEAR, AND, OR, NOT and characters such as * " ( ) - are searched as plain text
and can never be read as query syntax.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.records import SearchHit, StoredSentence

# Document frequencies are counted up to this many sentences: beyond it a word is
# common enough that its exact count hardly changes the ranking.
DF_CAP = 20_000

_COLUMNS = (
    "s.article_id, a.number, a.title, a.language, s.position, s.paragraph, s.heading, s.text, s.terms"
)


# CROSS JOIN keeps SQLite's planner from probing the FTS table once per sentence row:
# the index is read first, then each hit is looked up by rowid.


def fts5_query(terms: Sequence[str]) -> str:
    """An FTS5 MATCH expression: any of the terms, each a quoted string literal."""
    unique = dict.fromkeys(term for term in terms if term.strip())
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in unique)


def tsquery_terms(terms: Sequence[str]) -> list[str]:
    """Terms for PostgreSQL's to_tsquery, reduced to word characters (no operators)."""
    cleaned = []
    for term in dict.fromkeys(terms):
        parts = "".join(ch if ch.isalnum() else " " for ch in term).split()
        cleaned.extend(parts)
    return list(dict.fromkeys(cleaned))


def search_sentences(
    session: Session, chat_id: int, terms: Sequence[str], *, limit: int, article_id: int | None
) -> list[SearchHit]:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _search_postgresql(session, chat_id, terms, limit=limit, article_id=article_id)
    return _search_sqlite(session, chat_id, terms, limit=limit, article_id=article_id)


def _hits(rows: Sequence[Sequence[object]]) -> list[SearchHit]:
    hits = []
    for row in rows:
        article_id, number, title, language, position, paragraph, heading, sentence_text, terms, score = row
        hits.append(
            SearchHit(
                StoredSentence(
                    article_id=int(article_id),  # type: ignore[call-overload]
                    article_number=int(number),  # type: ignore[call-overload]
                    article_title=str(title),
                    language=str(language),
                    position=int(position),  # type: ignore[call-overload]
                    paragraph=int(paragraph),  # type: ignore[call-overload]
                    heading=bool(heading),
                    text=str(sentence_text),
                    terms=str(terms),
                ),
                float(score),  # type: ignore[arg-type]
            )
        )
    return hits


def _search_sqlite(
    session: Session, chat_id: int, terms: Sequence[str], *, limit: int, article_id: int | None
) -> list[SearchHit]:
    query = fts5_query(terms)
    if not query:
        return []
    article_filter = "AND s.article_id = :article_id" if article_id is not None else ""
    # bm25() is lower-is-better; negate it so every backend returns higher-is-better.
    sql = text(
        f"SELECT {_COLUMNS}, -bm25(sentence_fts) AS score "
        "FROM sentence_fts "
        "CROSS JOIN sentences s ON s.id = sentence_fts.rowid "
        "JOIN articles a ON a.id = s.article_id "
        f"WHERE sentence_fts MATCH :query AND s.chat_id = :chat_id {article_filter} "
        "ORDER BY bm25(sentence_fts) LIMIT :limit"
    )
    params: dict[str, object] = {"query": query, "chat_id": chat_id, "limit": limit}
    if article_id is not None:
        params["article_id"] = article_id
    return _hits(list(session.execute(sql, params)))


def _search_postgresql(
    session: Session, chat_id: int, terms: Sequence[str], *, limit: int, article_id: int | None
) -> list[SearchHit]:
    words = tsquery_terms(terms)
    if not words:
        return []
    article_filter = "AND s.article_id = :article_id" if article_id is not None else ""
    # Each word is bound as a parameter and cast to a lexeme with plainto_tsquery,
    # then the lexemes are OR-ed: no user text is ever parsed as tsquery syntax.
    ors = " || ".join(f"plainto_tsquery('simple', :w{i})" for i in range(len(words)))
    sql = text(
        f"WITH q AS (SELECT ({ors}) AS query) "
        f"SELECT {_COLUMNS}, ts_rank(s.tsv, q.query, 1) AS score "
        "FROM sentences s JOIN articles a ON a.id = s.article_id, q "
        f"WHERE s.tsv @@ q.query AND s.chat_id = :chat_id {article_filter} "
        "ORDER BY score DESC, s.article_id, s.position LIMIT :limit"
    )
    params: dict[str, object] = {f"w{i}": word for i, word in enumerate(words)}
    params.update({"chat_id": chat_id, "limit": limit})
    if article_id is not None:
        params["article_id"] = article_id
    return _hits(list(session.execute(sql, params)))


def document_frequencies(session: Session, chat_id: int, terms: Sequence[str], *, cap: int) -> dict[str, int]:
    """How many of the chat's sentences hold each term (counted up to `cap`)."""
    dialect = session.get_bind().dialect.name
    frequencies: dict[str, int] = {}
    for term in dict.fromkeys(terms):
        if dialect == "postgresql":
            words = tsquery_terms([term])
            if not words:
                continue
            ands = " && ".join(f"plainto_tsquery('simple', :w{i})" for i in range(len(words)))
            sql = text(
                f"SELECT count(*) FROM (SELECT 1 FROM sentences s WHERE s.tsv @@ ({ands}) "
                "AND s.chat_id = :chat_id LIMIT :cap) AS hits"
            )
            params: dict[str, object] = {f"w{i}": word for i, word in enumerate(words)}
        else:
            sql = text(
                "SELECT count(*) FROM (SELECT 1 FROM sentence_fts CROSS JOIN sentences s ON s.id = sentence_fts.rowid "
                "WHERE sentence_fts MATCH :query AND s.chat_id = :chat_id LIMIT :cap)"
            )
            params = {"query": fts5_query([term])}
        params.update({"chat_id": chat_id, "cap": cap})
        frequencies[term] = int(session.execute(sql, params).scalar() or 0)
    return frequencies
