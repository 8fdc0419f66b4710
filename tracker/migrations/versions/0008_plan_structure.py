"""Plan structure edited in the pages: retired actions and measures, measure order, action detail,
version counters on review and theme

Revision ID: 0008_plan_structure
Revises: 0006_sessions
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_plan_structure'
down_revision = '0006_sessions'
branch_labels = None
depends_on = None


def upgrade():
    # server_default fills the rows that exist; the models set the value for new rows.
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retired_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retired_reason', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_column('retired_reason')
        batch_op.drop_column('retired_on')
        batch_op.drop_column('position')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_column('retired_reason')
        batch_op.drop_column('retired_on')
        batch_op.drop_column('detail')
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('version')
