"""Update claims with a finish time: a re-delivered webhook update is handled once across workers,
and one whose worker died mid-way can be taken over after a lease.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("processed_updates", sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_processed_updates_processed_at", "processed_updates", ["processed_at"])


def downgrade() -> None:
    op.drop_index("ix_processed_updates_processed_at", "processed_updates")
    op.drop_column("processed_updates", "finished_at")
