"""anonymous replies: a thread of staff replies and writers' answers per message

Revision ID: 0003b
Revises: 0003a
Create Date: 2026-12-10 10:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0003b"
down_revision: str | None = "0003a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('thread_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('answer_feedback_id', sa.Integer(), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_feedback_id'], ['feedback.id'], ),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('thread_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_message_answer_feedback_id'), ['answer_feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_message_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_message_feedback_id'), ['feedback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_message_outbox_id'), ['outbox_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('thread_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_message_outbox_id'))
        batch_op.drop_index(batch_op.f('ix_thread_message_feedback_id'))
        batch_op.drop_index(batch_op.f('ix_thread_message_created_at'))
        batch_op.drop_index(batch_op.f('ix_thread_message_answer_feedback_id'))
    op.drop_table('thread_message')
