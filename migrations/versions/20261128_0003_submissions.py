"""Submissions, co-signatures, comments, attachments, versions, timeline and notifications.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 22:44:49.048060
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_newest', ['user_id', 'id'], unique=False)
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at', 'id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('proposed_solution', sa.Text(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('province_id', sa.Integer(), nullable=True),
    sa.Column('government_level_id', sa.Integer(), nullable=True),
    sa.Column('regulation_name', sa.String(length=300), nullable=True),
    sa.Column('regulation_identifier', sa.String(length=40), nullable=True),
    sa.Column('regulation_article', sa.String(length=100), nullable=True),
    sa.Column('ministry_id', sa.Integer(), nullable=True),
    sa.Column('impact_type', sa.String(length=20), nullable=True),
    sa.Column('impact_euro', sa.BigInteger(), nullable=True),
    sa.Column('impact_delay_months', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=15), nullable=False),
    sa.Column('show_organisation', sa.Boolean(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_deadline', sa.Date(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('cosign_count', sa.Integer(), nullable=False),
    sa.Column('form_token', sa.String(length=64), nullable=True),
    sa.CheckConstraint("impact_type IS NULL OR impact_type IN ('kosten', 'vertraging', 'belemmering', 'risico')", name=op.f('ck_submissions_impact_known')),
    sa.CheckConstraint("kind IN ('signaal', 'knelpunt')", name=op.f('ck_submissions_kind_known')),
    sa.CheckConstraint("status IN ('concept', 'ingediend', 'in_behandeling', 'aanvulling_gevraagd', 'aanvaard', 'samengevoegd', 'niet_ontvankelijk', 'geagendeerd', 'besproken', 'besloten', 'afgehandeld')", name=op.f('ck_submissions_status_known')),
    sa.CheckConstraint("visibility IN ('openbaar', 'tafel', 'vertrouwelijk')", name=op.f('ck_submissions_visibility_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_submissions_author_id_users')),
    sa.ForeignKeyConstraint(['government_level_id'], ['government_levels.id'], name=op.f('fk_submissions_government_level_id_government_levels')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_submissions_market_id_markets')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['submissions.id'], name=op.f('fk_submissions_merged_into_id_submissions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_submissions_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_submissions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['province_id'], ['provinces.id'], name=op.f('fk_submissions_province_id_provinces')),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_submissions_sector_id_sectors')),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_submissions_theme_id_themes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('form_token', name=op.f('uq_submissions_form_token'))
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_submissions_cosign_count', ['cosign_count', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_government_level_id'), ['government_level_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_submissions_list', ['created_at', 'id', 'visibility', 'status', 'organisation_id', 'ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_market_id'), ['market_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_ministry_id'), ['ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_province_id'), ['province_id'], unique=False)
        batch_op.create_index('ix_submissions_public_list', ['visibility', 'created_at', 'id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_sector_id'), ['sector_id'], unique=False)
        batch_op.create_index('ix_submissions_status_submitted', ['status', 'submitted_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_theme_id'), ['theme_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_attachments_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_comments_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_comments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_comments_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_hidden_by_id'), ['hidden_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_comments_submission_created', ['submission_id', 'created_at'], unique=False)

    op.create_table('cosignatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_cosignatures_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_cosignatures_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cosignatures_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cosignatures')),
    sa.UniqueConstraint('submission_id', 'organisation_id', name=op.f('uq_cosignatures_submission_id_organisation_id'))
    )
    with op.batch_alter_table('cosignatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cosignatures_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cosignatures_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cosignatures_user_id'), ['user_id'], unique=False)

    op.create_table('submission_action_lines',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('action_line_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_line_id'], ['action_lines.id'], name=op.f('fk_submission_action_lines_action_line_id_action_lines')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_action_lines_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'action_line_id', name=op.f('pk_submission_action_lines'))
    )
    with op.batch_alter_table('submission_action_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_action_lines_action_line_id'), ['action_line_id'], unique=False)

    op.create_table('submission_missions',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_submission_missions_mission_id_missions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_missions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', 'mission_id', name=op.f('pk_submission_missions'))
    )
    with op.batch_alter_table('submission_missions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_missions_mission_id'), ['mission_id'], unique=False)

    op.create_table('submission_technologies',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('technology_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_technologies_submission_id_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technology_id'], ['technologies.id'], name=op.f('fk_submission_technologies_technology_id_technologies')),
    sa.PrimaryKeyConstraint('submission_id', 'technology_id', name=op.f('pk_submission_technologies'))
    )
    with op.batch_alter_table('submission_technologies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_technologies_technology_id'), ['technology_id'], unique=False)

    op.create_table('submission_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_submission_versions_actor_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_submission_versions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_versions')),
    sa.UniqueConstraint('submission_id', 'number', name=op.f('uq_submission_versions_submission_id_number'))
    )
    with op.batch_alter_table('submission_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_versions_actor_id'), ['actor_id'], unique=False)

    op.create_table('timeline_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_timeline_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_timeline_events_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_timeline_events_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_events'))
    )
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_timeline_events_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_timeline_events_submission', ['submission_id', 'created_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('timeline_events', schema=None) as batch_op:
        batch_op.drop_index('ix_timeline_events_submission')
        batch_op.drop_index(batch_op.f('ix_timeline_events_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_timeline_events_actor_id'))

    op.drop_table('timeline_events')
    with op.batch_alter_table('submission_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_versions_actor_id'))

    op.drop_table('submission_versions')
    with op.batch_alter_table('submission_technologies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_technologies_technology_id'))

    op.drop_table('submission_technologies')
    with op.batch_alter_table('submission_missions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_missions_mission_id'))

    op.drop_table('submission_missions')
    with op.batch_alter_table('submission_action_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_action_lines_action_line_id'))

    op.drop_table('submission_action_lines')
    with op.batch_alter_table('cosignatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cosignatures_user_id'))
        batch_op.drop_index(batch_op.f('ix_cosignatures_submission_id'))
        batch_op.drop_index(batch_op.f('ix_cosignatures_organisation_id'))

    op.drop_table('cosignatures')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_submission_created')
        batch_op.drop_index(batch_op.f('ix_comments_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_comments_hidden_by_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_submission_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_theme_id'))
        batch_op.drop_index('ix_submissions_status_submitted')
        batch_op.drop_index(batch_op.f('ix_submissions_sector_id'))
        batch_op.drop_index('ix_submissions_public_list')
        batch_op.drop_index(batch_op.f('ix_submissions_province_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_submissions_market_id'))
        batch_op.drop_index('ix_submissions_list')
        batch_op.drop_index(batch_op.f('ix_submissions_kind'))
        batch_op.drop_index(batch_op.f('ix_submissions_government_level_id'))
        batch_op.drop_index('ix_submissions_cosign_count')
        batch_op.drop_index(batch_op.f('ix_submissions_author_id'))

    op.drop_table('submissions')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')
        batch_op.drop_index('ix_notifications_user_newest')

    op.drop_table('notifications')
