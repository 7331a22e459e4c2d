"""Search helpers: an fts5vocab table (SQLite) for document frequencies of common words,
and an index of each chat's article languages.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_articles_chat_language", "articles", ["chat_id", "language"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS sentence_vocab USING fts5vocab(sentence_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS sentence_vocab")
    op.drop_index("ix_articles_chat_language", "articles")
