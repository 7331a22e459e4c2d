"""Which rules made the stored search terms: one row, `terms_version`; 1 for every library before this.

Briefbot's index terms (`sentences.terms` and the full-text index over them) come from its stemmers
and term rules; when a release changes them (version 2: PyStemmer's Snowball instead of NLTK's),
the stored terms are recomputed (`briefbot db reindex`, or the bot itself when it starts) and the
row says so. A library created by this migration is empty: its first reindex is instant.

Revision ID: 0009_index_state
Revises: 0008_chat_language
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_index_state"
down_revision = "0008_chat_language"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "index_state",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("terms_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.bulk_insert(table, [{"id": 1, "terms_version": 1, "updated_at": None}])


def downgrade() -> None:
    op.drop_table("index_state")
