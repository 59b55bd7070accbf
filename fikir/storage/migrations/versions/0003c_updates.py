"""'you said, we did' updates; respondents' opt-in to them

Revision ID: 0003c
Revises: 0003b
Create Date: 2026-12-08 10:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op



revision: str = "0003c"
down_revision: str | None = "0003b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # None: not asked yet. Everyone stored before this release is asked after their next message.
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updates_opt_in', sa.Boolean(), nullable=True))

    op.create_table('staff_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('regions', sa.Text(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_update_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_update_sent_at'), ['sent_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_update_sent_at'))
        batch_op.drop_index(batch_op.f('ix_staff_update_status'))
    op.drop_table('staff_update')
    with op.batch_alter_table('respondent', schema=None) as batch_op:
        batch_op.drop_column('updates_opt_in')
