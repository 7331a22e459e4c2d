"""The update claims become a durable inbox: each update's chat and JSON payload are kept until it
is finished, a claim carries a short lease its worker renews, and `started_at` marks the one
update of a chat being handled (so a chat's updates are handled in order across workers).

Revision ID: 0005_update_inbox
Revises: 0004_last_briefing
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_update_inbox"
down_revision = "0004_last_briefing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_updates") as table:
        table.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("payload", sa.Text(), nullable=True))
        table.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_processed_updates_chat", "processed_updates", ["chat_id", "update_id"])


def downgrade() -> None:
    op.drop_index("ix_processed_updates_chat", "processed_updates")
    with op.batch_alter_table("processed_updates") as table:
        table.drop_column("started_at")
        table.drop_column("lease_until")
        table.drop_column("payload")
        table.drop_column("chat_id")
