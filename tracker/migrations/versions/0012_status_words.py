"""status_word: the status words each authority has told us the meaning of

Revision ID: 0012_status_words
Revises: 0011_main_review
Create Date: 2026-12-01 10:00:00

A new table; nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_status_words'
down_revision = '0011_main_review'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'status_word',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('authority_id', sa.Integer(), nullable=False),
        sa.Column('word', sa.String(length=200), nullable=False),
        sa.Column('written', sa.String(length=200), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('authority_id', 'word'),
    )
    with op.batch_alter_table('status_word', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_word_authority_id'), ['authority_id'], unique=False)


def downgrade():
    with op.batch_alter_table('status_word', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_word_authority_id'))
    op.drop_table('status_word')
