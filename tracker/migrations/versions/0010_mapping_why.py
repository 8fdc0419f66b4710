"""action_element.why: the reason an action is evidence for a standard element

Revision ID: 0010_mapping_why
Revises: 0009_status_to_check
Create Date: 2026-11-30 13:25:00

Existing links get no reason; `flask seed` fills it in from seeds/mappings for the links it names.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_mapping_why'
down_revision = '0009_status_to_check'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_element', schema=None) as batch_op:
        batch_op.add_column(sa.Column('why', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('action_element', schema=None) as batch_op:
        batch_op.drop_column('why')
