"""A room's version counter (what pages poll) and removing a participant.

Existing rooms start at version 0 and existing participants are not removed:
both are what these rooms were before the columns existed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rooms", sa.Column("version", sa.Integer, nullable=False, server_default="0"))
    op.add_column(
        "participants",
        sa.Column("removed", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("removed")
    with op.batch_alter_table("rooms") as batch:
        batch.drop_column("version")
