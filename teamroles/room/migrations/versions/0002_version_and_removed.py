"""A room's version counter (what pages poll) and removing a participant.

Existing rooms start at version 0 and existing participants are not removed:
both are what these rooms were before the columns existed. The downgrade keeps
every room, participant and answer (removed people count again at 0001).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlite3

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
    # Drop the columns in place (SQLite has ALTER TABLE DROP COLUMN since 3.35), never
    # by a batch rebuild: on SQLite that copies and drops each table with foreign keys
    # on, and dropping `participants` cascades to every answer. Neither column is in
    # an index or a constraint, so the in-place drop keeps every row.
    if op.get_bind().dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        raise RuntimeError(
            "Downgrading the room schema to 0001 needs SQLite 3.35 or newer (ALTER TABLE "
            f"DROP COLUMN); this Python has SQLite {sqlite3.sqlite_version}. Nothing was "
            "changed: the other way would delete every participant and answer."
        )
    op.drop_column("participants", "removed")
    op.drop_column("rooms", "version")
