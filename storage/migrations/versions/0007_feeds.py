"""Feeds a chat follows, the entries already seen, and scheduled briefings (time zone, time, slots).

Revision ID: 0007_feeds
Revises: 0006_article_metadata
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_feeds"
down_revision = "0006_article_metadata"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chats", sa.Column("timezone", sa.String(64), nullable=True))
    op.add_column("chats", sa.Column("briefing_time", sa.String(5), nullable=True))
    op.add_column("chats", sa.Column("briefing_since", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("chat_id", sa.BigInteger, sa.ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("etag", sa.Text, nullable=True),
        sa.Column("last_modified", sa.Text, nullable=True),
        sa.Column("interval_minutes", sa.Integer, nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("reported", sa.Boolean, nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("chat_id", "url", name="uq_feeds_chat_url"),
    )
    op.create_index("ix_feeds_chat_id", "feeds", ["chat_id"])
    op.create_index("ix_feeds_next_check", "feeds", ["next_check_at"])
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("entry_key", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="SET NULL"), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("feed_id", "entry_key", name="uq_feed_entries_feed_key"),
    )
    op.create_index("ix_feed_entries_chat_url", "feed_entries", ["chat_id", "url"])
    op.create_table(
        "briefing_slots",
        sa.Column("chat_id", sa.BigInteger, sa.ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("briefing_slots")
    op.drop_index("ix_feed_entries_chat_url", "feed_entries")
    op.drop_table("feed_entries")
    op.drop_index("ix_feeds_next_check", "feeds")
    op.drop_index("ix_feeds_chat_id", "feeds")
    op.drop_table("feeds")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("briefing_since")
        batch.drop_column("briefing_time")
        batch.drop_column("timezone")
