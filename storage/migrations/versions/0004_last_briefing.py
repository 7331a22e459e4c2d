"""Briefings: when each chat was last briefed (`/brief` with no arguments starts there), and an
index to find a chat's articles saved since a time.

Revision ID: 0004_last_briefing
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_last_briefing"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chats", sa.Column("last_briefing_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_articles_chat_created", "articles", ["chat_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_chat_created", "articles")
    with op.batch_alter_table("chats") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("last_briefing_at")
