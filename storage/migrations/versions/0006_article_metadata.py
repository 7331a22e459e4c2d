"""Article metadata from the page: site name, author and publication date.

Revision ID: 0006_article_metadata
Revises: 0005_update_inbox
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_article_metadata"
down_revision = "0005_update_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("site_name", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("author", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("published", sa.String(40), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published")
        batch.drop_column("author")
        batch.drop_column("site_name")
