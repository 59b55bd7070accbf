"""language fallback chains edited by admins; community translations of polls and updates

Revision ID: 0005a
Revises: 0004a
Create Date: 2026-12-07 12:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005a"
down_revision: str | None = "0004a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "language_fallback",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("chain", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "text_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("source_language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["reviewed_by"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "item_id", "language"),
    )
    with op.batch_alter_table("text_translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_translation_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("text_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_translation_item_id"))
    op.drop_table("text_translation")
    op.drop_table("language_fallback")
