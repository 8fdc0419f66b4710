"""measure.status_to_check: a progress text no rule recognises is flagged, not silently "Not started"

Revision ID: 0009_status_to_check
Revises: 0008_plan_structure
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_status_to_check'
down_revision = "0008_plan_structure"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_to_check', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_column('status_to_check')
