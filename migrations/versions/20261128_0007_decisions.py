"""Decisions with amendments and motion votes, ministry responses, action items
with progress updates; the per-user choice of a daily mail digest.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 23:45:21.882438
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decision_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_decision_counters'))
    )
    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('overnemen', 'deels', 'niet', 'nader_onderzoek')", name=op.f('ck_responses_outcome_known')),
    sa.CheckConstraint("status IN ('concept', 'ter_review', 'gepubliceerd')", name=op.f('ck_responses_status_known')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_responses_drafted_by_id_users')),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_responses_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_responses_published_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_responses_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('submission_id', name=op.f('uq_responses_submission_id'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_due_date'), ['due_date'], unique=False)
        batch_op.create_index('ix_responses_ministry_status_due', ['ministry_id', 'status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_published_at'), ['published_at'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('overnemen', 'deels', 'niet', 'nader_onderzoek')", name=op.f('ck_decisions_outcome_known')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_decisions_agenda_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_decisions_created_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_decisions_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_decisions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('number', name=op.f('uq_decisions_number')),
    sa.UniqueConstraint('year', 'sequence', name=op.f('uq_decisions_year_sequence'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_ministry_id'), ['ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_public'), ['public'], unique=False)

    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('response_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_ministry_id', sa.Integer(), nullable=True),
    sa.Column('owner_organisation_id', sa.Integer(), nullable=True),
    sa.Column('owner_user_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('gepland', 'in_uitvoering', 'gerealiseerd', 'vervallen')", name=op.f('ck_action_items_status_known')),
    sa.CheckConstraint('decision_id IS NOT NULL OR response_id IS NOT NULL', name=op.f('ck_action_items_has_origin')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_action_items_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_action_items_decision_id_decisions')),
    sa.ForeignKeyConstraint(['owner_ministry_id'], ['ministries.id'], name=op.f('fk_action_items_owner_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_action_items_owner_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_action_items_owner_user_id_users')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_action_items_response_id_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_owner_ministry_id'), ['owner_ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_owner_organisation_id'), ['owner_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_owner_user_id'), ['owner_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_response_id'), ['response_id'], unique=False)
        batch_op.create_index('ix_action_items_status_due', ['status', 'due_date'], unique=False)

    op.create_table('decision_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_decision_amendments_author_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_amendments_decision_id_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_amendments'))
    )
    with op.batch_alter_table('decision_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_amendments_decision_id'), ['decision_id'], unique=False)

    op.create_table('decision_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_links_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_decision_links_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_links')),
    sa.UniqueConstraint('decision_id', 'submission_id', name=op.f('uq_decision_links_decision_id_submission_id'))
    )
    with op.batch_alter_table('decision_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_links_submission_id'), ['submission_id'], unique=False)

    op.create_table('motions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('majority', sa.String(length=12), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('abstentions', sa.Integer(), nullable=True),
    sa.Column('quorum_met', sa.Boolean(), nullable=True),
    sa.Column('adopted', sa.Boolean(), nullable=True),
    sa.CheckConstraint("majority IN ('simple', 'two_thirds')", name=op.f('ck_motions_majority_known')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_motions_decision_id_decisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motions')),
    sa.UniqueConstraint('decision_id', name=op.f('uq_motions_decision_id'))
    )
    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action_items.id'], name=op.f('fk_action_updates_action_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_action_updates_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)

    op.create_table('motion_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choice IN ('voor', 'tegen', 'onthouding')", name=op.f('ck_motion_votes_choice_known')),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_motion_votes_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_motion_votes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_motion_votes')),
    sa.UniqueConstraint('motion_id', 'user_id', name=op.f('uq_motion_votes_motion_id_user_id'))
    )
    with op.batch_alter_table('motion_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_motion_votes_user_id'), ['user_id'], unique=False)

    op.create_table('recusals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('motion_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['motion_id'], ['motions.id'], name=op.f('fk_recusals_motion_id_motions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recusals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recusals')),
    sa.UniqueConstraint('motion_id', 'user_id', name=op.f('uq_recusals_motion_id_user_id'))
    )
    with op.batch_alter_table('recusals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recusals_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_pending', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_notifications_mail_pending', ['mail_pending', 'user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_digest', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('digest_sent_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('digest_sent_at')
        batch_op.drop_column('mail_digest')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_mail_pending')
        batch_op.drop_column('mail_pending')

    with op.batch_alter_table('recusals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recusals_user_id'))

    op.drop_table('recusals')
    with op.batch_alter_table('motion_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_motion_votes_user_id'))

    op.drop_table('motion_votes')
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))

    op.drop_table('action_updates')
    op.drop_table('motions')
    with op.batch_alter_table('decision_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_links_submission_id'))

    op.drop_table('decision_links')
    with op.batch_alter_table('decision_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_amendments_decision_id'))

    op.drop_table('decision_amendments')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_status_due')
        batch_op.drop_index(batch_op.f('ix_action_items_response_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_owner_user_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_owner_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_decision_id'))

    op.drop_table('action_items')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_public'))
        batch_op.drop_index(batch_op.f('ix_decisions_outcome'))
        batch_op.drop_index(batch_op.f('ix_decisions_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_created_at'))
        batch_op.drop_index(batch_op.f('ix_decisions_agenda_item_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_published_at'))
        batch_op.drop_index('ix_responses_ministry_status_due')
        batch_op.drop_index(batch_op.f('ix_responses_due_date'))

    op.drop_table('responses')
    op.drop_table('decision_counters')
