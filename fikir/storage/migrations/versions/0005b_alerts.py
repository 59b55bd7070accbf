"""alerts between digests: staff subscriptions to a goal or region, and the confirmed cost plan
of a scheduled poll

Revision ID: 0005b
Revises: 0004a
Create Date: 2026-12-07 12:20:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005b"
down_revision: str | None = "0005a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Integer(), nullable=True),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("frequency", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("to_chat", sa.Boolean(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_alert_subscription_staff_user_id"), ["staff_user_id"], unique=False
        )
    op.create_table(
        "poll_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("sms_recipients", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_cost", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["confirmed_by"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("poll_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_plan_poll_id"), ["poll_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("poll_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_plan_poll_id"))
    op.drop_table("poll_plan")
    with op.batch_alter_table("alert_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_subscription_staff_user_id"))
    op.drop_table("alert_subscription")
