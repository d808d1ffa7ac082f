"""Create the workshop rooms: rooms, participants and their answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rooms",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("quiz_id", sa.String(100), nullable=False),
        sa.Column("quiz_title", sa.String(300), nullable=False),
        sa.Column("choices", sa.JSON, nullable=False),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("question_count", sa.Integer, nullable=False),
        sa.Column("host_token_hash", sa.String(64), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False, server_default="lobby"),
        sa.Column("current_index", sa.Integer, nullable=False, server_default="-1"),
        sa.Column("question_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("countdown_seconds", sa.Integer, nullable=True),
        sa.Column("leaderboard", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("speed_bonus", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("max_participants", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_rooms"),
        sa.UniqueConstraint("host_token_hash", name="uq_rooms_host_token_hash"),
        sa.CheckConstraint(
            "phase IN ('lobby', 'question', 'revealed', 'ended')", name="ck_rooms_phase_known"
        ),
        sa.CheckConstraint(
            "current_index >= -1 AND current_index < question_count", name="ck_rooms_index"
        ),
    )
    op.create_index("ix_rooms_created_at", "rooms", ["created_at"])
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("room_code", sa.String(8), nullable=False),
        sa.Column("nickname", sa.String(100), nullable=False),
        sa.Column("nickname_key", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.ForeignKeyConstraint(
            ["room_code"],
            ["rooms.code"],
            name="fk_participants_room_code_rooms",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name="uq_participants_token_hash"),
        sa.UniqueConstraint(
            "room_code", "nickname_key", name="uq_participants_room_code_nickname_key"
        ),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("room_code", sa.String(8), nullable=False),
        sa.Column("question_index", sa.Integer, nullable=False),
        sa.Column("question_id", sa.String(100), nullable=False),
        sa.Column("choice", sa.String(200), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("elapsed_ms", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_answers"),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_answers_participant_id_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_code"], ["rooms.code"], name="fk_answers_room_code_rooms", ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "participant_id", "question_index", name="uq_answers_participant_id_question_index"
        ),
    )
    op.create_index(
        "ix_answers_room_code_question_index", "answers", ["room_code", "question_index"]
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_table("participants")
    op.drop_table("rooms")
