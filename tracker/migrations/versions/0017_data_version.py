"""A counter that moves with every write to the plan, so drawn pages can be kept until it moves

Revision ID: 0017_data_version
Revises: 0016_owner_email
Create Date: 2026-11-30 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_data_version'
down_revision = '0016_owner_email'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('n', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(table, [{'id': 1, 'n': 0}])


def downgrade():
    op.drop_table('data_version')
