"""Indexes for pages that read one review in a database of many: a recommendation's actions, the
dashboard's overdue actions and its count of statuses to check

Revision ID: 0018_review_led_indexes
Revises: 0017_data_version
Create Date: 2026-11-30 20:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_review_led_indexes'
down_revision = '0017_data_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_action_recommendation_recommendation_id', 'action_recommendation', ['recommendation_id'])
    op.create_index('ix_action_review_target', 'action', ['review_id', 'target_date'])
    op.create_index('ix_measure_to_check', 'measure', ['action_id'], postgresql_where=sa.text('status_to_check IS true'),
                    sqlite_where=sa.text('status_to_check IS 1'))


def downgrade():
    op.drop_index('ix_measure_to_check', table_name='measure')
    op.drop_index('ix_action_review_target', table_name='action')
    op.drop_index('ix_action_recommendation_recommendation_id', table_name='action_recommendation')
