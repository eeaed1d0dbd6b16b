"""Market programmes, economic progress and international files: programmes
with goals and actions (impact per dimension, money, duration, parties,
milestones, RAG updates, numbered versions, linked reports), the lists of
programmes.json they choose from; indicators, targets and observations (one
current value per period, revisions kept); international files with markets,
key dates and links; sector leads; and agenda items of the new kind
"voortgang" with their subject and frozen snapshot (agenda_snapshots).
Only new tables and one widened check; the reference rows are loaded by
`flask --app tafel init-db`, not here.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('informatie', 'bespreking', 'besluitvorming')"
NEW_KINDS = "kind IN ('informatie', 'bespreking', 'besluitvorming', 'voortgang')"


def upgrade() -> None:
    op.create_table('funding_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_sources')),
    sa.UniqueConstraint('slug', name=op.f('uq_funding_sources_slug'))
    )
    op.create_table('funding_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_statuses')),
    sa.UniqueConstraint('slug', name=op.f('uq_funding_statuses_slug'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('frequency', sa.String(length=10), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('datasets', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('up', 'down')", name=op.f('ck_indicators_direction_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('slug', name=op.f('uq_indicators_slug'))
    )
    op.create_table('instruments',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruments')),
    sa.UniqueConstraint('slug', name=op.f('uq_instruments_slug'))
    )
    op.create_table('programme_dimensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_dimensions')),
    sa.UniqueConstraint('slug', name=op.f('uq_programme_dimensions_slug'))
    )
    op.create_table('international_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('celex', sa.String(length=20), nullable=True),
    sa.Column('com_number', sa.String(length=30), nullable=True),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('lead_ministry_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('visibility', sa.String(length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind <> 'strategische-afhankelijkheid' OR visibility = 'vertrouwelijk'", name=op.f('ck_international_files_dependency_confidential')),
    sa.CheckConstraint("kind IN ('eu-wetgeving', 'eu-financiering', 'handelsmaatregel', 'exportkans', 'acquisitie', 'strategische-afhankelijkheid', 'samenwerking')", name=op.f('ck_international_files_kind_known')),
    sa.CheckConstraint("status IN ('lopend', 'onderhandeling', 'besloten', 'afgerond')", name=op.f('ck_international_files_status_known')),
    sa.CheckConstraint("visibility IN ('openbaar', 'tafel', 'vertrouwelijk')", name=op.f('ck_international_files_visibility_known')),
    sa.ForeignKeyConstraint(['lead_ministry_id'], ['ministries.id'], name=op.f('fk_international_files_lead_ministry_id_ministries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_international_files')),
    sa.UniqueConstraint('slug', name=op.f('uq_international_files_slug'))
    )
    with op.batch_alter_table('international_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_files_celex'), ['celex'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('label_nl', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=True),
    sa.Column('operator', sa.String(length=2), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.CheckConstraint("operator IN ('>=', '<=')", name=op.f('ck_targets_operator_known')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_targets_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('slug', name=op.f('uq_targets_slug'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('international_dates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['international_files.id'], name=op.f('fk_international_dates_file_id_international_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_international_dates'))
    )
    with op.batch_alter_table('international_dates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_dates_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_international_dates_file_id'), ['file_id'], unique=False)

    op.create_table('international_file_markets',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['international_files.id'], name=op.f('fk_international_file_markets_file_id_international_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_international_file_markets_market_id_markets')),
    sa.PrimaryKeyConstraint('file_id', 'market_id', name=op.f('pk_international_file_markets'))
    )
    with op.batch_alter_table('international_file_markets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_file_markets_market_id'), ['market_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('retrieved_on', sa.Date(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_observations_imported_by_id_users')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_observations_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_current', ['indicator_id', 'replaced_at', 'period'], unique=False)
        batch_op.create_index('uq_observations_current_period', ['indicator_id', 'period'], unique=True, sqlite_where=sa.text('replaced_at IS NULL'), postgresql_where=sa.text('replaced_at IS NULL'))

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('market_id', sa.Integer(), nullable=True),
    sa.Column('name_nl', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('lead_ministry_id', sa.Integer(), nullable=True),
    sa.Column('ez_lead_id', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('visibility', sa.String(length=15), nullable=False),
    sa.Column('initiatives', sa.JSON(), nullable=False),
    sa.Column('forecasts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('in_voorbereiding', 'actief', 'afgerond')", name=op.f('ck_programmes_status_known')),
    sa.CheckConstraint("visibility IN ('openbaar', 'tafel', 'vertrouwelijk')", name=op.f('ck_programmes_visibility_known')),
    sa.ForeignKeyConstraint(['ez_lead_id'], ['users.id'], name=op.f('fk_programmes_ez_lead_id_users')),
    sa.ForeignKeyConstraint(['lead_ministry_id'], ['ministries.id'], name=op.f('fk_programmes_lead_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['market_id'], ['markets.id'], name=op.f('fk_programmes_market_id_markets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('slug', name=op.f('uq_programmes_slug'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_market_id'), ['market_id'], unique=False)

    op.create_table('sector_leads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_sector_leads_sector_id_sectors')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sector_leads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'sector_id', name=op.f('pk_sector_leads'))
    )
    with op.batch_alter_table('sector_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sector_leads_sector_id'), ['sector_id'], unique=False)

    op.create_table('international_file_submissions',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['international_files.id'], name=op.f('fk_international_file_submissions_file_id_international_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_international_file_submissions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'submission_id', name=op.f('pk_international_file_submissions'))
    )
    with op.batch_alter_table('international_file_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_file_submissions_submission_id'), ['submission_id'], unique=False)

    op.create_table('programme_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('action_line_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('visibility', sa.String(length=15), nullable=False),
    sa.Column('amount_eur', sa.BigInteger(), nullable=True),
    sa.Column('funding_source_id', sa.Integer(), nullable=True),
    sa.Column('funding_status_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=True),
    sa.Column('lead_ministry_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'in_uitvoering' OR (end_date IS NOT NULL AND (lead_organisation_id IS NOT NULL OR lead_ministry_id IS NOT NULL))", name=op.f('ck_programme_actions_running_has_lead_and_end')),
    sa.CheckConstraint("status <> 'vervallen' OR reason <> ''", name=op.f('ck_programme_actions_lapsed_has_reason')),
    sa.CheckConstraint("status IN ('gepland', 'in_uitvoering', 'gerealiseerd', 'vervallen')", name=op.f('ck_programme_actions_status_known')),
    sa.CheckConstraint("visibility IN ('openbaar', 'tafel', 'vertrouwelijk')", name=op.f('ck_programme_actions_visibility_known')),
    sa.CheckConstraint('amount_eur IS NULL OR amount_eur >= 0', name=op.f('ck_programme_actions_amount_positive')),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_programme_actions_period_order')),
    sa.ForeignKeyConstraint(['action_line_id'], ['action_lines.id'], name=op.f('fk_programme_actions_action_line_id_action_lines')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programme_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_sources.id'], name=op.f('fk_programme_actions_funding_source_id_funding_sources')),
    sa.ForeignKeyConstraint(['funding_status_id'], ['funding_statuses.id'], name=op.f('fk_programme_actions_funding_status_id_funding_statuses')),
    sa.ForeignKeyConstraint(['lead_ministry_id'], ['ministries.id'], name=op.f('fk_programme_actions_lead_ministry_id_ministries')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_programme_actions_lead_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_actions_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_actions'))
    )
    with op.batch_alter_table('programme_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_actions_action_line_id'), ['action_line_id'], unique=False)
        batch_op.create_index('ix_programme_actions_programme_line', ['programme_id', 'action_line_id'], unique=False)

    op.create_table('programme_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Double(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('target_value', sa.Double(), nullable=True),
    sa.Column('target_year', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=15), nullable=False),
    sa.CheckConstraint("status IN ('open', 'op_koers', 'achter', 'bereikt')", name=op.f('ck_programme_goals_status_known')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_programme_goals_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_goals_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_goals'))
    )
    with op.batch_alter_table('programme_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_goals_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_goals_programme_id'), ['programme_id'], unique=False)

    op.create_table('agenda_snapshots',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_agenda_snapshots_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', name=op.f('pk_agenda_snapshots'))
    )
    op.create_table('international_file_actions',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_international_file_actions_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['international_files.id'], name=op.f('fk_international_file_actions_file_id_international_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'action_id', name=op.f('pk_international_file_actions'))
    )
    with op.batch_alter_table('international_file_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_file_actions_action_id'), ['action_id'], unique=False)

    op.create_table('programme_action_impacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('dimension_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint("level IN ('laag', 'middel', 'hoog')", name=op.f('ck_programme_action_impacts_level_known')),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_impacts_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dimension_id'], ['programme_dimensions.id'], name=op.f('fk_programme_action_impacts_dimension_id_programme_dimensions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_action_impacts')),
    sa.UniqueConstraint('action_id', 'dimension_id', name=op.f('uq_programme_action_impacts_action_id_dimension_id'))
    )
    with op.batch_alter_table('programme_action_impacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_impacts_action_id'), ['action_id'], unique=False)

    op.create_table('programme_action_instruments',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_instruments_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_programme_action_instruments_instrument_id_instruments')),
    sa.PrimaryKeyConstraint('action_id', 'instrument_id', name=op.f('pk_programme_action_instruments'))
    )
    with op.batch_alter_table('programme_action_instruments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_instruments_instrument_id'), ['instrument_id'], unique=False)

    op.create_table('programme_action_ministries',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_ministries_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministries.id'], name=op.f('fk_programme_action_ministries_ministry_id_ministries')),
    sa.PrimaryKeyConstraint('action_id', 'ministry_id', name=op.f('pk_programme_action_ministries'))
    )
    with op.batch_alter_table('programme_action_ministries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_ministries_ministry_id'), ['ministry_id'], unique=False)

    op.create_table('programme_action_missions',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('mission_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_missions_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mission_id'], ['missions.id'], name=op.f('fk_programme_action_missions_mission_id_missions')),
    sa.PrimaryKeyConstraint('action_id', 'mission_id', name=op.f('pk_programme_action_missions'))
    )
    with op.batch_alter_table('programme_action_missions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_missions_mission_id'), ['mission_id'], unique=False)

    op.create_table('programme_action_organisations',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_organisations_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_action_organisations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('action_id', 'organisation_id', name=op.f('pk_programme_action_organisations'))
    )
    with op.batch_alter_table('programme_action_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_organisations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('programme_action_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_submissions_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_programme_action_submissions_created_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_programme_action_submissions_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_action_submissions')),
    sa.UniqueConstraint('action_id', 'submission_id', name=op.f('uq_programme_action_submissions_action_id_submission_id'))
    )
    with op.batch_alter_table('programme_action_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_submissions_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_action_submissions_submission_id'), ['submission_id'], unique=False)

    op.create_table('programme_action_technologies',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('technology_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_technologies_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['technology_id'], ['technologies.id'], name=op.f('fk_programme_action_technologies_technology_id_technologies')),
    sa.PrimaryKeyConstraint('action_id', 'technology_id', name=op.f('pk_programme_action_technologies'))
    )
    with op.batch_alter_table('programme_action_technologies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_action_technologies_technology_id'), ['technology_id'], unique=False)

    op.create_table('programme_action_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_action_versions_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_programme_action_versions_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_action_versions')),
    sa.UniqueConstraint('action_id', 'version', name=op.f('uq_programme_action_versions_action_id_version'))
    )
    op.create_table('programme_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_milestones_action_id_programme_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_milestones'))
    )
    with op.batch_alter_table('programme_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_milestones_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_milestones_due_date'), ['due_date'], unique=False)

    op.create_table('programme_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rag', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rag IN ('groen', 'oranje', 'rood')", name=op.f('ck_programme_updates_rag_known')),
    sa.ForeignKeyConstraint(['action_id'], ['programme_actions.id'], name=op.f('fk_programme_updates_action_id_programme_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_programme_updates_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_updates'))
    )
    with op.batch_alter_table('programme_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_updates_action_id'), ['action_id'], unique=False)

    op.create_table('international_file_decisions',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_international_file_decisions_decision_id_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['international_files.id'], name=op.f('fk_international_file_decisions_file_id_international_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'decision_id', name=op.f('pk_international_file_decisions'))
    )
    with op.batch_alter_table('international_file_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_international_file_decisions_decision_id'), ['decision_id'], unique=False)
    op.create_table(
        "programme_action_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["programme_actions.id"],
            name=op.f("fk_programme_action_decisions_action_id_programme_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"],
            name=op.f("fk_programme_action_decisions_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"],
            name=op.f("fk_programme_action_decisions_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_action_decisions")),
        sa.UniqueConstraint(
            "action_id", "decision_id", name=op.f("uq_programme_action_decisions_action_id_decision_id")
        ),
    )
    with op.batch_alter_table("programme_action_decisions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_action_decisions_action_id"), ["action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_programme_action_decisions_decision_id"), ["decision_id"], unique=False
        )
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.drop_constraint(op.f("ck_agenda_items_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_agenda_items_kind_known"), NEW_KINDS)


def downgrade() -> None:
    op.drop_table("programme_action_decisions")
    # A "voortgang" item becomes "informatie"; its snapshot goes with its table.
    op.execute("UPDATE agenda_items SET kind = 'informatie' WHERE kind = 'voortgang'")
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.drop_constraint(op.f("ck_agenda_items_kind_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_agenda_items_kind_known"), OLD_KINDS)
    with op.batch_alter_table('international_file_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_file_decisions_decision_id'))

    op.drop_table('international_file_decisions')
    with op.batch_alter_table('programme_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_updates_action_id'))

    op.drop_table('programme_updates')
    with op.batch_alter_table('programme_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_milestones_due_date'))
        batch_op.drop_index(batch_op.f('ix_programme_milestones_action_id'))

    op.drop_table('programme_milestones')
    op.drop_table('programme_action_versions')
    with op.batch_alter_table('programme_action_technologies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_technologies_technology_id'))

    op.drop_table('programme_action_technologies')
    with op.batch_alter_table('programme_action_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_submissions_submission_id'))
        batch_op.drop_index(batch_op.f('ix_programme_action_submissions_action_id'))

    op.drop_table('programme_action_submissions')
    with op.batch_alter_table('programme_action_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_organisations_organisation_id'))

    op.drop_table('programme_action_organisations')
    with op.batch_alter_table('programme_action_missions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_missions_mission_id'))

    op.drop_table('programme_action_missions')
    with op.batch_alter_table('programme_action_ministries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_ministries_ministry_id'))

    op.drop_table('programme_action_ministries')
    with op.batch_alter_table('programme_action_instruments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_instruments_instrument_id'))

    op.drop_table('programme_action_instruments')
    with op.batch_alter_table('programme_action_impacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_action_impacts_action_id'))

    op.drop_table('programme_action_impacts')
    with op.batch_alter_table('international_file_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_file_actions_action_id'))

    op.drop_table('international_file_actions')
    op.drop_table('agenda_snapshots')
    with op.batch_alter_table('programme_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_goals_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_goals_indicator_id'))

    op.drop_table('programme_goals')
    with op.batch_alter_table('programme_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_programme_actions_programme_line')
        batch_op.drop_index(batch_op.f('ix_programme_actions_action_line_id'))

    op.drop_table('programme_actions')
    with op.batch_alter_table('international_file_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_file_submissions_submission_id'))

    op.drop_table('international_file_submissions')
    with op.batch_alter_table('sector_leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sector_leads_sector_id'))

    op.drop_table('sector_leads')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_market_id'))

    op.drop_table('programmes')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('uq_observations_current_period', sqlite_where=sa.text('replaced_at IS NULL'), postgresql_where=sa.text('replaced_at IS NULL'))
        batch_op.drop_index('ix_observations_current')

    op.drop_table('observations')
    with op.batch_alter_table('international_file_markets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_file_markets_market_id'))

    op.drop_table('international_file_markets')
    with op.batch_alter_table('international_dates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_dates_file_id'))
        batch_op.drop_index(batch_op.f('ix_international_dates_day'))

    op.drop_table('international_dates')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_indicator_id'))

    op.drop_table('targets')
    with op.batch_alter_table('international_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_international_files_celex'))

    op.drop_table('international_files')
    op.drop_table('programme_dimensions')
    op.drop_table('instruments')
    op.drop_table('indicators')
    op.drop_table('funding_statuses')
    op.drop_table('funding_sources')
