"""An owner's own email address, for owners with no account; a version for editing owners safely

Revision ID: 0016_owner_email
Revises: 0015_speed
Create Date: 2026-11-30 17:00:00

Existing owners keep no address (messages to them are written to the outbox, as before) and start
at version 1.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_owner_email'
down_revision = '0015_speed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('owner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('owner', schema=None) as batch_op:
        batch_op.drop_column('version')
        batch_op.drop_column('email')
