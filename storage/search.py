"""Full-text sentence search in the database: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

Terms arrive already stemmed. Each is quoted as a literal, so words such as
NEAR, AND, OR, NOT and characters such as * " ( ) - are searched as plain text
and can never be read as query syntax.

Every function runs its SQL on a Core connection (the store's): answering a question reads
the index several times, and an ORM session around each read cost several times the read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, TextClause, text

from storage.records import SearchHit, StoredSentence

# Document frequencies are counted in the index up to this many sentences; a term this
# common is left out of the ranked candidate query (see search_sentences).
DF_CAP = 1_000
# How many postings (sentences per term, summed) the ranked candidate query may read.
POSTINGS_BUDGET = 5_000
_TOKEN = re.compile(r"\w+")

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
    connection: Connection,
    chat_id: int,
    terms: Sequence[str],
    *,
    limit: int,
    article_id: int | None,
    frequencies: dict[str, int] | None = None,
) -> list[SearchHit]:
    """Candidate sentences holding the terms, best first by the database's own relevance.

    Work stays bounded in a huge library: the ranked query runs over the rarest terms
    up to a budget of postings, then (if that found too little) over sentences that
    hold all the terms.
    """
    terms = list(dict.fromkeys(term for term in terms if term.strip()))
    if not terms:
        return []
    if article_id is not None:
        return _article_sentences(connection, chat_id, article_id, terms)
    dialect = connection.dialect.name
    search = _search_postgresql if dialect == "postgresql" else _search_sqlite
    frequencies = frequencies or {}
    # The rarest terms first, as many as fit the budget of postings (at least one):
    # they choose the candidates; the re-ranker still scores every term.
    # A term counted at DF_CAP or more is common: its true count may be far higher (PostgreSQL
    # counts only up to the cap), so it joins the candidate query only when nothing rarer exists.
    by_rarity = sorted(terms, key=lambda term: frequencies.get(term, 0))
    chosen: list[str] = []
    postings = 0
    for term in by_rarity:
        frequency = frequencies.get(term, 0)
        postings += POSTINGS_BUDGET + 1 if frequency >= DF_CAP else frequency
        if chosen and postings > POSTINGS_BUDGET:
            break
        chosen.append(term)
    hits = search(connection, chat_id, chosen, limit=limit, mode="any")
    if len(chosen) < len(terms) and len(hits) < limit:
        seen = {(hit.sentence.article_id, hit.sentence.position) for hit in hits}
        more = search(connection, chat_id, terms, limit=limit, mode="all")
        hits.extend(hit for hit in more if (hit.sentence.article_id, hit.sentence.position) not in seen)
    return hits


def _article_sentences(connection: Connection, chat_id: int, article_id: int,
                       terms: Sequence[str]) -> list[SearchHit]:
    """Within one article the article's own rows are read (by index) and matched here."""
    wanted = set(terms)
    sql = text(
        f"SELECT {_COLUMNS}, 0.0 AS score FROM sentences s JOIN articles a ON a.id = s.article_id "
        "WHERE s.article_id = :article_id AND s.chat_id = :chat_id ORDER BY s.position"
    )
    rows = connection.execute(sql, {"article_id": article_id, "chat_id": chat_id})
    return _hits([row for row in rows if wanted.intersection(str(row[8]).split())])


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


# bm25() is lower-is-better; negated so that every backend returns higher-is-better.
_SEARCH_SQLITE = text(
    f"SELECT {_COLUMNS}, -bm25(sentence_fts) AS score "
    "FROM sentence_fts "
    "CROSS JOIN sentences s ON s.id = sentence_fts.rowid "
    "JOIN articles a ON a.id = s.article_id "
    "WHERE sentence_fts MATCH :query AND s.chat_id = :chat_id ORDER BY bm25(sentence_fts) LIMIT :limit"
)


def _search_sqlite(connection: Connection, chat_id: int, terms: Sequence[str], *, limit: int,
                   mode: str) -> list[SearchHit]:
    joiner = " AND " if mode == "all" else " OR "
    query = joiner.join('"' + term.replace('"', '""') + '"' for term in terms)
    return _hits(list(connection.execute(_SEARCH_SQLITE, {"query": query, "chat_id": chat_id, "limit": limit})))


def _search_postgresql(
    connection: Connection, chat_id: int, terms: Sequence[str], *, limit: int, mode: str
) -> list[SearchHit]:
    words = tsquery_terms(terms)
    if not words:
        return []
    # Each word is bound as a parameter and cast to a lexeme with plainto_tsquery, then
    # the lexemes are combined: no user text is ever parsed as tsquery syntax.
    joiner = " && " if mode == "all" else " || "
    combined = joiner.join(f"plainto_tsquery('simple', :w{i})" for i in range(len(words)))
    order = "ORDER BY score DESC, s.article_id, s.position"
    sql = text(
        f"WITH q AS (SELECT ({combined}) AS query) "
        f"SELECT {_COLUMNS}, ts_rank(s.tsv, q.query, 1) AS score "
        "FROM sentences s JOIN articles a ON a.id = s.article_id, q "
        f"WHERE s.tsv @@ q.query AND s.chat_id = :chat_id {order} LIMIT :limit"
    )
    params: dict[str, object] = {f"w{i}": word for i, word in enumerate(words)}
    params.update({"chat_id": chat_id, "limit": limit})
    return _hits(list(connection.execute(sql, params)))


def document_frequencies(connection: Connection, chat_id: int, terms: Sequence[str], *, cap: int,
                         chat_sentences: int | None = None) -> dict[str, int]:
    """How many of the chat's sentences hold each term, counted in the index up to `cap`.

    On SQLite the index's vocabulary answers first (all chats, in microseconds); only a term
    rarer than `cap` there is counted within the chat. A common term's count is the
    vocabulary's, scaled to the chat's share of all sentences. On PostgreSQL the planner's
    statistics of the tsvector column (`pg_stats.most_common_elems`, kept by ANALYZE and
    autovacuum) play the vocabulary's part; other terms are counted within the chat up to
    `cap`. `chat_sentences` is the chat's sentence total when the caller has read it already.
    """
    if connection.dialect.name == "postgresql":
        return _frequencies_postgresql(connection, chat_id, list(dict.fromkeys(terms)), cap, chat_sentences)
    unique = list(dict.fromkeys(terms))
    # The index splits a term the way its tokenizer does; the vocabulary holds those tokens.
    tokens = {term: [token.lower() for token in _TOKEN.findall(term)] for term in unique}
    vocabulary = _vocabulary_sqlite(connection, list(dict.fromkeys(t for split in tokens.values() for t in split)))
    overall = {term: min((vocabulary.get(token, 0) for token in tokens[term]), default=0) for term in unique}
    rare = [term for term in unique if 0 < overall[term] < cap]
    frequencies = dict.fromkeys(unique, 0)
    frequencies.update(_counts(connection, chat_id, rare, cap, _COUNT_SQLITE, _match_params))
    common = [term for term in unique if overall[term] >= cap]
    if common:
        share = _chat_share(connection, chat_id, chat_sentences)
        frequencies.update({term: max(1, round(overall[term] * share)) for term in common})
    return frequencies


# Per term, the chat's sentences holding it, counted up to the cap: one scalar subquery per term,
# all in one statement (a statement costs more than its subquery in a small library).
_COUNT_SQLITE = (
    "SELECT {i}, (SELECT count(*) FROM (SELECT 1 FROM sentence_fts CROSS JOIN sentences s ON s.id = sentence_fts.rowid "
    "WHERE sentence_fts MATCH :query{i} AND s.chat_id = :chat_id LIMIT :cap))"
)


def _match_params(term: str) -> dict[str, object]:
    return {"query": fts5_query([term])}


@functools.lru_cache(maxsize=256)
def union_all(template: str, count: int) -> TextClause:
    """`count` copies of `template` (its `{i}` numbered 0, 1, …) as one statement; built once per shape."""
    return text(" UNION ALL ".join(template.format(i=i) for i in range(count)))


_VOCABULARY_PROBE = "SELECT {i}, (SELECT doc FROM sentence_vocab WHERE term = :t{i})"


def _vocabulary_sqlite(connection: Connection, tokens: list[str]) -> dict[str, int]:
    """Each token's sentence count in the vocabulary of every chat: one equality probe a token, one statement
    (fts5vocab answers `term = ?` from the index; an IN list could scan it)."""
    if not tokens:
        return {}
    rows = connection.execute(union_all(_VOCABULARY_PROBE, len(tokens)),
                              {f"t{i}": token for i, token in enumerate(tokens)})
    return {tokens[int(i)]: int(doc or 0) for i, doc in rows}


def _counts(connection: Connection, chat_id: int, terms: list[str], cap: int, count_sql: str,
            params_of: Callable[[str], dict[str, object]]) -> dict[str, int]:
    """The chat's sentences holding each term, up to `cap`, in one statement of `count_sql` rows (number, count)."""
    if not terms:
        return {}
    params: dict[str, object] = {"chat_id": chat_id, "cap": cap}
    for i, term in enumerate(terms):
        params.update({f"{name}{i}": value for name, value in params_of(term).items()})
    rows = connection.execute(union_all(count_sql, len(terms)), params)
    return {terms[int(i)]: int(count or 0) for i, count in rows}


def _frequencies_postgresql(connection: Connection, chat_id: int, terms: list[str], cap: int,
                            chat_sentences: int | None) -> dict[str, int]:
    # Heap rows are visited to count (GIN has no index-only scans): a common term costs a
    # thousand row visits, so its count is estimated from the statistics instead.
    common = {
        str(term): float(share)
        for term, share in connection.execute(
            text(
                "SELECT u.term, u.share * greatest(c.reltuples, 0) "
                "FROM pg_stats s "
                "CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) "
                "AS u(term, share) "
                "JOIN pg_class c ON c.relname = s.tablename "
                "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname "
                "WHERE s.schemaname = current_schema() AND s.tablename = 'sentences' AND s.attname = 'tsv' "
                "AND u.term = ANY(:terms)"
            ),
            {"terms": terms},
        )
    }
    frequently = [term for term in terms if common.get(term, 0.0) >= cap]
    # A term of no word characters is in no sentence (and would make an empty tsquery).
    frequencies = dict.fromkeys(terms, 0)
    frequencies.update(_counts(connection, chat_id, [term for term in terms if term not in frequently
                                                     and tsquery_terms([term])], cap, _COUNT_POSTGRESQL,
                               _tsquery_params))
    if frequently:
        share = _chat_share(connection, chat_id, chat_sentences)
        frequencies.update({term: max(1, round(common[term] * share)) for term in frequently})
    return frequencies


def _chat_share(connection: Connection, chat_id: int, mine: int | None = None) -> float:
    """The chat's share of all sentences in the library (`mine`: the chat's total, when known)."""
    if mine is None:
        mine = connection.execute(text("SELECT sentence_total FROM chats WHERE id = :c"), {"c": chat_id}).scalar()
    everyone = connection.execute(text("SELECT sum(sentence_total) FROM chats")).scalar()
    return float(mine or 0) / float(everyone) if everyone else 1.0


# A term's words must all be in the sentence; each word is bound and made a lexeme by plainto_tsquery.
# The words of one term are joined into a single bound string: plainto_tsquery ANDs them itself.
_COUNT_POSTGRESQL = (
    "SELECT {i}, (SELECT count(*) FROM (SELECT 1 FROM sentences s WHERE s.tsv @@ plainto_tsquery('simple', :words{i}) "
    "AND s.chat_id = :chat_id LIMIT :cap) AS hits)"
)


def _tsquery_params(term: str) -> dict[str, object]:
    return {"words": " ".join(tsquery_terms([term]))}
