from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage.db import current_revision, head_revision, make_engine, upgrade
from storage.records import LibraryOverview, NewArticle, NewSentence
from storage.store import ArticleStore


def sentence(position: int, words: str) -> NewSentence:
    return NewSentence(position, 0, 0, len(words), words.capitalize() + ".", False, words)


def article(hash_: str, *terms: str, url: str | None = None) -> NewArticle:
    return NewArticle(
        title=f"Article {hash_}",
        text=" ".join(terms),
        language="en",
        content_hash=hash_,
        sentences=tuple(sentence(i, words) for i, words in enumerate(terms)),
        url=url,
    )


@pytest.fixture
def store(database_url: str) -> ArticleStore:
    engine = make_engine(database_url)
    upgrade(engine)
    built = ArticleStore(engine)
    yield built
    built.close()


def test_migrations_create_the_schema_and_are_idempotent(store: ArticleStore) -> None:
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {"chats", "articles", "sentences", "processed_updates"} <= tables
    if store.dialect == "sqlite":
        assert "sentence_fts" in tables
    else:
        indexes = {index["name"]: index for index in inspect(store.engine).get_indexes("sentences")}
        assert "ix_sentences_tsv" in indexes
        with store.engine.connect() as connection:
            method = connection.execute(text(
                "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
                "WHERE c.relname = 'ix_sentences_tsv'"
            )).scalar()
        assert method == "gin"


def test_sqlite_file_lands_in_a_new_folder_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'library.sqlite3'}")
    upgrade(engine)
    assert (tmp_path / "nested" / "library.sqlite3").exists()
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_articles_are_numbered_per_chat(store: ArticleStore) -> None:
    first, _ = store.add_article(1, article("a", "alpha beta"))
    second, _ = store.add_article(1, article("b", "gamma delta"))
    other, _ = store.add_article(2, article("c", "epsilon"))
    assert (first.number, second.number, other.number) == (1, 2, 1)


def test_numbers_are_not_reused_after_a_delete(store: ArticleStore) -> None:
    store.add_article(1, article("a", "alpha"))
    store.delete_article(1, 1)
    again, _ = store.add_article(1, article("b", "beta"))
    assert again.number == 2


def test_same_text_or_url_is_recognised_not_duplicated(store: ArticleStore) -> None:
    first, duplicate = store.add_article(1, article("same", "alpha", url="https://example.com/a"))
    assert not duplicate
    again, duplicate = store.add_article(1, article("same", "alpha"))
    assert duplicate and again.id == first.id
    by_url, duplicate = store.add_article(1, article("other-hash", "beta", url="https://example.com/a"))
    assert duplicate and by_url.id == first.id
    _, total = store.list_articles(1)
    assert total == 1
    # Another chat may keep the same text.
    _, duplicate = store.add_article(2, article("same", "alpha"))
    assert not duplicate


def test_a_failed_save_leaves_nothing_behind(store: ArticleStore) -> None:
    broken = NewArticle("T", "x", "en", "h", (sentence(0, "alpha"), NewSentence(1, 0, 0, 1, None, False, "b")))  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        store.add_article(1, broken)
    assert store.list_articles(1) == ((), 0)
    assert store.search(1, ["alpha"]) == []
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sentences")).scalar() == 0


def test_search_is_scoped_to_the_chat(store: ArticleStore) -> None:
    store.add_article(1, article("a", "reznikov visit israel"))
    store.add_article(2, article("b", "israel secret plan"))
    hits = store.search(1, ["israel"])
    assert [hit.sentence.text for hit in hits] == ["Reznikov visit israel."]
    assert store.search(3, ["israel"]) == []


@pytest.mark.parametrize(
    "terms",
    [['"'], ["*"], ["near"], ["and", "or", "not"], ["(", ")"], ["-israel"], ['x" OR "y'], ["NEAR(a b)"], ["^"]],
)
def test_fts_syntax_in_terms_is_plain_text(store: ArticleStore, terms: list[str]) -> None:
    store.add_article(1, article("a", "near and or not stuff", "israel visit"))
    hits = store.search(1, terms)
    assert all(hit.sentence.article_number == 1 for hit in hits)


def test_search_within_one_article(store: ArticleStore) -> None:
    first, _ = store.add_article(1, article("a", "israel visit"))
    store.add_article(1, article("b", "israel deal"))
    hits = store.search(1, ["israel"], article_id=first.id)
    assert [hit.sentence.article_number for hit in hits] == [1]


def test_delete_removes_sentences_from_the_index(store: ArticleStore) -> None:
    store.add_article(1, article("a", "israel visit"))
    assert store.delete_article(1, 1) is not None
    assert store.search(1, ["israel"]) == []
    assert store.delete_article(1, 1) is None


def test_forget_deletes_only_that_chat(store: ArticleStore) -> None:
    store.add_article(1, article("a", "israel visit"))
    store.add_article(2, article("b", "israel deal"))
    store.update_chat_settings(1, {"algorithm": "lexrank"})
    assert store.forget_chat(1) == 1
    assert store.list_articles(1) == ((), 0)
    assert store.chat_settings(1) == {}
    assert len(store.search(2, ["israel"])) == 1


def test_other_chats_cannot_reach_an_article_by_id(store: ArticleStore) -> None:
    info, _ = store.add_article(1, article("a", "israel visit"))
    assert store.get_article_by_id(1, info.id) is not None
    assert store.get_article_by_id(2, info.id) is None
    assert store.article_sentences(2, info.id) == ()


def test_chat_settings_merge_and_remove(store: ArticleStore) -> None:
    assert store.update_chat_settings(5, {"algorithm": "lsa", "sentences": 4}) == {"algorithm": "lsa", "sentences": 4}
    assert store.update_chat_settings(5, {"sentences": None}) == {"algorithm": "lsa"}


def test_current_article_follows_saves_and_deletes(store: ArticleStore) -> None:
    store.add_article(1, article("a", "alpha"))
    store.add_article(1, article("b", "beta"))
    assert store.current_article(1) == 2
    store.delete_article(1, 2)
    assert store.current_article(1) is None


def test_list_pages_newest_first(store: ArticleStore) -> None:
    for index in range(5):
        store.add_article(1, article(str(index), f"word{index}"))
    page, total = store.list_articles(1, offset=0, limit=2)
    assert total == 5
    assert [info.number for info in page] == [5, 4]
    assert [stored.info.number for stored in store.iter_articles(1, batch=2)] == [1, 2, 3, 4, 5]


def test_term_statistics_count_rare_terms_and_estimate_common_ones(store: ArticleStore) -> None:
    store.add_article(1, article("a", *[f"harbour ship{i}" for i in range(30)], "lighthouse keeper", "lighthouse"))
    store.add_article(2, article("b", *["lighthouse harbour"] * 5))
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as connection:  # the planner statistics, as autovacuum keeps them
            connection.execute(text("ANALYZE sentences"))
    stats = store.term_statistics(1, ["harbour", "lighthouse", "absent"], cap=10)
    assert stats.sentences == 32
    assert stats.document_frequency["lighthouse"] == 2  # rarer than the cap: counted within the chat
    assert stats.document_frequency["absent"] == 0
    # Past the cap: estimated from the index's vocabulary (SQLite) or the planner's statistics
    # (PostgreSQL), scaled to the chat's share of all sentences (35 * 32 / 37 = 30), not stuck at the cap.
    assert 20 <= stats.document_frequency["harbour"] <= 35


def test_last_briefing_and_articles_since(store: ArticleStore) -> None:
    from datetime import UTC, datetime, timedelta

    info, _ = store.add_article(5, article("b1", "ferry aground"))
    store.add_article(6, article("b2", "other chat"))
    assert store.last_briefing(5) is None
    moment = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    store.set_last_briefing(5, moment)
    assert store.last_briefing(5) == moment and store.last_briefing(6) is None
    found, total = store.articles_since(5, info.created_at - timedelta(seconds=1), limit=10)
    assert [a.number for a in found] == [1] and total == 1 and found[0].created_at.tzinfo is not None
    assert store.articles_since(5, info.created_at + timedelta(seconds=1), limit=10) == ((), 0)


def test_the_last_briefing_migration_goes_down_and_up_keeping_chats(database_url: str) -> None:
    from alembic import command

    from storage.db import alembic_config

    engine = make_engine(database_url)
    try:
        upgrade(engine, "0003")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO chats (id, settings, next_number, sentence_total, term_total, "
                                    "created_at) VALUES (9, '{}', 1, 0, 0, CURRENT_TIMESTAMP)"))
        upgrade(engine)
        assert "last_briefing_at" in {c["name"] for c in inspect(engine).get_columns("chats")}
        assert ArticleStore(engine).last_briefing(9) is None
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
        assert "last_briefing_at" not in {c["name"] for c in inspect(engine).get_columns("chats")}
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM chats")).scalar() == 1
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_page_metadata_is_stored_and_old_rows_upgrade_empty(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0003")  # the schema before page metadata, with one article saved in it
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO chats (id, next_number, settings, current_article, sentence_total, term_total, "
            "created_at) VALUES (5, 2, '{}', NULL, 0, 0, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO articles (chat_id, number, title, language, text, content_hash, sentence_count, "
            "term_count, char_count, created_at) VALUES (5, 1, 'Old', 'en', 'old text', 'old', 0, 0, 8, "
            "CURRENT_TIMESTAMP)"))
    upgrade(engine)
    store = ArticleStore(engine)
    try:
        [old], _total = store.list_articles(5)
        assert (old.site_name, old.author, old.published) == ("", "", "")
        new = NewArticle(title="Ferry", text="ferry back", language="en", content_hash="new",
                         sentences=(sentence(0, "ferry back"),), site_name="The Coastal Herald",
                         author="Maria Lindqvist", published="2026-11-24")
        info, duplicate = store.add_article(5, new)
        assert not duplicate
        stored = store.get_article(5, info.number)
        assert stored is not None
        assert (stored.info.site_name, stored.info.author, stored.info.published) == (
            "The Coastal Herald", "Maria Lindqvist", "2026-11-24")
    finally:
        store.close()


def test_chat_language_is_kept_per_chat_and_survives_forget(store: ArticleStore) -> None:
    assert store.chat_language(7) is None
    store.set_chat_language(7, "de")
    store.add_article(7, article("h1", "alpha beta gamma"))
    assert (store.chat_language(7), store.chat_language(8)) == ("de", None)
    store.update_chat_settings(7, {"algorithm": "lexrank"})
    assert store.forget_chat(7) == 1
    # The library and summary settings are gone; the language the chat chose is not.
    assert store.chat_language(7) == "de"
    assert store.chat_settings(7) == {}
    assert store.list_articles(7) == ((), 0)
    store.set_chat_language(7, None)
    assert store.chat_language(7) is None


def test_the_overview_carries_the_chats_language(store: ArticleStore) -> None:
    # A question reads the language to answer in with its first statement (Conversation.ask).
    assert store.overview(7).chat_language is None
    store.set_chat_language(7, "uk")
    assert store.overview(7) == LibraryOverview((), None, chat_language="uk")  # no article: empty, but chosen
    store.add_article(7, article("h1", "alpha beta gamma"))
    store.add_article(7, article("h2", "delta epsilon"))
    overview = store.overview(7)
    assert (overview.languages, overview.chat_language, overview.sentences) == (("en",), "uk", 2)
    assert store.overview(8).chat_language is None
