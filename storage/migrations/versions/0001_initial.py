"""Initial schema: chats, articles, sentences, processed updates and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("settings", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("next_number", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("current_article", sa.Integer(), nullable=True),
        sa.Column("sentence_total", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("term_total", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), sa.ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("sentence_count", sa.Integer(), nullable=False),
        sa.Column("term_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("char_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("chat_id", "number", name="uq_articles_chat_number"),
        sa.UniqueConstraint("chat_id", "content_hash", name="uq_articles_chat_hash"),
    )
    op.create_index("ix_articles_chat_url", "articles", ["chat_id", "url"])
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("char_start", sa.Integer(), nullable=False),
        sa.Column("char_end", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
    )
    op.create_index("ix_sentences_article_position", "sentences", ["article_id", "position"])
    op.create_index("ix_sentences_chat_id", "sentences", ["chat_id"])
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # External-content FTS5 over sentences.terms, kept in step by triggers.
        op.execute(
            "CREATE VIRTUAL TABLE sentence_fts USING fts5("
            "terms, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN "
            "INSERT INTO sentence_fts(rowid, terms) VALUES (new.id, new.terms); END"
        )
        op.execute(
            "CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN "
            "INSERT INTO sentence_fts(sentence_fts, rowid, terms) VALUES ('delete', old.id, old.terms); END"
        )
    elif dialect == "postgresql":
        # Terms are already stemmed per article language, so the 'simple' configuration
        # indexes them as they are and both backends rank the same words.
        op.execute(
            "ALTER TABLE sentences ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED"
        )
        op.execute("CREATE INDEX ix_sentences_tsv ON sentences USING GIN (tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS sentences_ad")
        op.execute("DROP TRIGGER IF EXISTS sentences_ai")
        op.execute("DROP TABLE IF EXISTS sentence_fts")
    op.drop_table("processed_updates")
    op.drop_table("sentences")
    op.drop_table("articles")
    op.drop_table("chats")
