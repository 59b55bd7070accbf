"""staff edits to a month's digest themes and quotes

Revision ID: 0005c
Revises: 0004a
Create Date: 2026-12-07 11:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005c"
down_revision: str | None = "0005e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('digest_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('merge_into', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('english', sa.Text(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month', 'kind', 'key')
    )
    with op.batch_alter_table('digest_edit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_edit_month'), ['month'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('digest_edit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_edit_month'))
    op.drop_table('digest_edit')
