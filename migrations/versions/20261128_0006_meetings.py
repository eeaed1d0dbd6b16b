"""Meetings, agenda items and their links, documents, attendance, minutes
with revisions and addenda, calendar feeds; one text attachment per queued mail.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 23:27:23.897633
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes_approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes_approved_in_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('concept', 'gepubliceerd', 'gehouden', 'notulen_vastgesteld')", name=op.f('ck_meetings_status_known')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_meetings_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users')),
    sa.ForeignKeyConstraint(['minutes_approved_in_id'], ['meetings.id'], name=op.f('fk_meetings_minutes_approved_in_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_meetings_starts', ['starts_at'], unique=False)
        batch_op.create_index('ix_meetings_status_starts', ['status', 'starts_at'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('standard', sa.String(length=10), nullable=True),
    sa.Column('approves_meeting_id', sa.Integer(), nullable=True),
    sa.Column('discussed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('informatie', 'bespreking', 'besluitvorming')", name=op.f('ck_agenda_items_kind_known')),
    sa.CheckConstraint('duration_minutes > 0', name=op.f('ck_agenda_items_duration_positive')),
    sa.ForeignKeyConstraint(['approves_meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_approves_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_approves_meeting_id'), ['approves_meeting_id'], unique=False)
        batch_op.create_index('ix_agenda_items_meeting_position', ['meeting_id', 'position'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rsvp', sa.String(length=10), nullable=True),
    sa.Column('rsvp_substitute', sa.String(length=200), nullable=False),
    sa.Column('rsvp_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('presence', sa.String(length=10), nullable=True),
    sa.Column('substitute', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("presence IN ('aanwezig', 'afwezig', 'vervanger')", name=op.f('ck_attendance_presence_known')),
    sa.CheckConstraint("rsvp IN ('aanwezig', 'afwezig', 'vervanger')", name=op.f('ck_attendance_rsvp_known')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_attendance_meeting_id_user_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('agenda_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_agenda_links_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_agenda_links_submission_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_links')),
    sa.UniqueConstraint('agenda_item_id', 'submission_id', name=op.f('uq_agenda_links_agenda_item_id_submission_id'))
    )
    with op.batch_alter_table('agenda_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_links_submission_id'), ['submission_id'], unique=False)

    op.create_table('meeting_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("visibility IN ('openbaar', 'tafel')", name=op.f('ck_meeting_documents_vis_known')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_meeting_documents_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_documents_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_meeting_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_meeting_documents_stored_name'))
    )
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_documents_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_documents_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minutes_addenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_minutes_addenda_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_minutes_addenda_author_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_addenda_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_addenda'))
    )
    with op.batch_alter_table('minutes_addenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_addenda_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minutes_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_minutes_revisions_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_minutes_revisions_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_revisions')),
    sa.UniqueConstraint('agenda_item_id', 'number', name=op.f('uq_minutes_revisions_agenda_item_id_number'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attachment_text', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('attachment_text')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')

    op.drop_table('minutes_revisions')
    with op.batch_alter_table('minutes_addenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_addenda_meeting_id'))

    op.drop_table('minutes_addenda')
    with op.batch_alter_table('meeting_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_documents_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_documents_agenda_item_id'))

    op.drop_table('meeting_documents')
    with op.batch_alter_table('agenda_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_links_submission_id'))

    op.drop_table('agenda_links')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_user_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_items_meeting_position')
        batch_op.drop_index(batch_op.f('ix_agenda_items_approves_meeting_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_status_starts')
        batch_op.drop_index('ix_meetings_starts')
        batch_op.drop_index(batch_op.f('ix_meetings_created_by_id'))

    op.drop_table('meetings')
    op.drop_table('calendar_feeds')
