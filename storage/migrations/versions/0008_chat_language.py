"""The language Briefbot speaks in a chat (/language); NULL: each user's Telegram language.

Revision ID: 0008_chat_language
Revises: 0007_feeds
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_chat_language"
down_revision = "0007_feeds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("language")
