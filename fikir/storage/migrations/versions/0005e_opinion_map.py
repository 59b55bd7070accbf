"""opinion map: topics, statements (moderated), one vote per person per statement

Revision ID: 0005e
Revises: 0004a
Create Date: 2026-12-07 12:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005e"
down_revision: str | None = "0005d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('opinion_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('opinion_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opinion_topic_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_opinion_topic_status'), ['status'], unique=False)

    op.create_table('opinion_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('texts', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['respondent.id'], ),
    sa.ForeignKeyConstraint(['topic_id'], ['opinion_topic.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('opinion_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opinion_statement_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opinion_statement_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_opinion_statement_topic_id'), ['topic_id'], unique=False)

    op.create_table('opinion_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('vote', sa.Integer(), nullable=False),
    sa.Column('voted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['respondent_id'], ['respondent.id'], ),
    sa.ForeignKeyConstraint(['statement_id'], ['opinion_statement.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('statement_id', 'respondent_id')
    )
    with op.batch_alter_table('opinion_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opinion_vote_respondent_id'), ['respondent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opinion_vote_statement_id'), ['statement_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('opinion_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opinion_vote_statement_id'))
        batch_op.drop_index(batch_op.f('ix_opinion_vote_respondent_id'))
    op.drop_table('opinion_vote')
    with op.batch_alter_table('opinion_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opinion_statement_topic_id'))
        batch_op.drop_index(batch_op.f('ix_opinion_statement_status'))
        batch_op.drop_index(batch_op.f('ix_opinion_statement_author_id'))
    op.drop_table('opinion_statement')
    with op.batch_alter_table('opinion_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opinion_topic_status'))
        batch_op.drop_index(batch_op.f('ix_opinion_topic_slug'))
    op.drop_table('opinion_topic')
