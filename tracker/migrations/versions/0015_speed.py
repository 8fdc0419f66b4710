"""speed: background jobs, the full-text index over the plan, indexes led by the review

- job: long work (a large Appendix B as PDF, later committee packs and imports) run off the
  request path (tracker/jobs).
- Full-text search over actions and measures (tracker/models/search_index.py): PostgreSQL gets a
  stored tsvector column with a GIN index on each table; SQLite gets FTS5 tables kept by triggers.
- change(review_id, at, id): /changes and the dashboard's recent changes, newest first, for one
  review; action(review_id, updated_at): the stale-actions lists.

Revision ID: 0015_speed
Revises: 0011_main_review
Create Date: 2026-11-30 16:30:00

"""
from alembic import op
import sqlalchemy as sa

from tracker.models.search_index import FTS_TABLES, SEARCH_COLUMN, create_sqlite_search, postgres_statements


revision = '0015_speed'
down_revision = '0014_committee_pack'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress_done', sa.Integer(), nullable=False),
    sa.Column('progress_total', sa.Integer(), nullable=True),
    sa.Column('progress_message', sa.String(length=300), nullable=True),
    sa.Column('result_path', sa.String(length=300), nullable=True),
    sa.Column('result_filename', sa.String(length=300), nullable=True),
    sa.Column('result_mimetype', sa.String(length=200), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_job_created_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_created_by'), ['created_by'], unique=False)

    # Plain CREATE INDEX, not batch: on SQLite a batch operation may copy the table, and the FTS
    # triggers made below would go with the old one.
    op.create_index('ix_change_review_at', 'change', ['review_id', 'at', 'id'], unique=False)
    op.create_index('ix_action_review_updated', 'action', ['review_id', 'updated_at'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in ('action', 'measure'):
            for statement in postgres_statements(table):
                op.execute(statement)
    elif dialect == 'sqlite':
        create_sqlite_search(op)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in ('action', 'measure'):
            op.execute(f'DROP INDEX IF EXISTS ix_{table}_search')
            op.execute(f'ALTER TABLE {table} DROP COLUMN IF EXISTS {SEARCH_COLUMN}')
    elif dialect == 'sqlite':
        for fts in FTS_TABLES:
            for suffix in ('insert', 'delete', 'update'):
                op.execute(f'DROP TRIGGER IF EXISTS {fts}_{suffix}')
            op.execute(f'DROP TABLE IF EXISTS {fts}')
    op.drop_index('ix_action_review_updated', table_name='action')
    op.drop_index('ix_change_review_at', table_name='change')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_created_by'))
    op.drop_table('job')
