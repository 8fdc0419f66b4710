"""review.is_main: the authority's main review, the default for everyone

Revision ID: 0011_main_review
Revises: 0010_mapping_why
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_main_review'
down_revision = '0010_mapping_why'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_main', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Existing installs keep landing on a stable review: each authority's earliest created one.
    review = sa.table('review', sa.column('id', sa.Integer), sa.column('authority_id', sa.Integer),
                      sa.column('is_main', sa.Boolean))
    earliest = sa.select(sa.func.min(review.c.id)).group_by(review.c.authority_id)
    op.execute(review.update().where(review.c.id.in_(earliest)).values(is_main=True))


def downgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('is_main')
