"""Priority rounds, candidates, eligible voters and ballots.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 22:46:05.436995
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('priority_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('quorum_percent', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('approval', 'dot', 'ranked', 'score')", name=op.f('ck_priority_rounds_method_known')),
    sa.CheckConstraint("status IN ('concept', 'open', 'gesloten')", name=op.f('ck_priority_rounds_status_known')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_priority_rounds_closes_after_opening')),
    sa.CheckConstraint('quorum_percent BETWEEN 0 AND 100', name=op.f('ck_priority_rounds_quorum_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_priority_rounds_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_rounds'))
    )
    with op.batch_alter_table('priority_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_rounds_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_priority_rounds_status_closes', ['status', 'closes_at'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('constituency_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['constituency_id'], ['constituencies.id'], name=op.f('fk_ballots_constituency_id_constituencies')),
    sa.ForeignKeyConstraint(['round_id'], ['priority_rounds.id'], name=op.f('fk_ballots_round_id_priority_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_ballots_voter_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots')),
    sa.UniqueConstraint('round_id', 'voter_id', name=op.f('uq_ballots_round_id_voter_id'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballots_voter_id'), ['voter_id'], unique=False)

    op.create_table('round_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('final_position', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['priority_rounds.id'], name=op.f('fk_round_candidates_round_id_priority_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_round_candidates_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_candidates')),
    sa.UniqueConstraint('round_id', 'submission_id', name=op.f('uq_round_candidates_round_id_submission_id'))
    )
    with op.batch_alter_table('round_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_candidates_submission_id'), ['submission_id'], unique=False)

    op.create_table('eligible_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('constituency_id', sa.Integer(), nullable=True),
    sa.Column('voted', sa.Boolean(), nullable=False),
    sa.Column('ballot_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_eligible_voters_ballot_id_ballots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['constituency_id'], ['constituencies.id'], name=op.f('fk_eligible_voters_constituency_id_constituencies')),
    sa.ForeignKeyConstraint(['round_id'], ['priority_rounds.id'], name=op.f('fk_eligible_voters_round_id_priority_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_eligible_voters_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligible_voters')),
    sa.UniqueConstraint('ballot_id', name=op.f('uq_eligible_voters_ballot_id')),
    sa.UniqueConstraint('round_id', 'user_id', name=op.f('uq_eligible_voters_round_id_user_id'))
    )
    with op.batch_alter_table('eligible_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eligible_voters_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('eligible_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eligible_voters_user_id'))

    op.drop_table('eligible_voters')
    with op.batch_alter_table('round_candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_candidates_submission_id'))

    op.drop_table('round_candidates')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_voter_id'))
        batch_op.drop_index(batch_op.f('ix_ballots_round_id'))

    op.drop_table('ballots')
    with op.batch_alter_table('priority_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_priority_rounds_status_closes')
        batch_op.drop_index(batch_op.f('ix_priority_rounds_created_by_id'))

    op.drop_table('priority_rounds')
