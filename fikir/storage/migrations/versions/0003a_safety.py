"""safety: categories of flagged messages, the staff safety queue, edited referral contacts,
duty officers

Revision ID: 0003a
Revises: 0002
Create Date: 2026-12-07 09:46:18.589119
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0003a"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('referral_config',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('feedback_safety',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('feedback_id', 'category')
    )
    with op.batch_alter_table('feedback_safety', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_safety_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_safety_feedback_id'), ['feedback_id'], unique=False)

    op.create_table('safety_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seen_by', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ),
    sa.ForeignKeyConstraint(['handled_by'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['seen_by'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('safety_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_case_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_safety_case_feedback_id'), ['feedback_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_safety_case_status'), ['status'], unique=False)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('duty', sa.Boolean(), nullable=False, server_default=sa.false())
        )



def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('duty')

    with op.batch_alter_table('safety_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_case_status'))
        batch_op.drop_index(batch_op.f('ix_safety_case_feedback_id'))
        batch_op.drop_index(batch_op.f('ix_safety_case_created_at'))

    op.drop_table('safety_case')
    with op.batch_alter_table('feedback_safety', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_safety_feedback_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_safety_category'))

    op.drop_table('feedback_safety')
    op.drop_table('referral_config')
