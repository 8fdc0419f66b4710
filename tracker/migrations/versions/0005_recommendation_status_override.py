"""recommendation.status_override and its reason

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 01:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_override', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('status_override_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_column('status_override_reason')
        batch_op.drop_column('status_override')
