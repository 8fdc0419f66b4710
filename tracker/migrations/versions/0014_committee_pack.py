"""The committee pack: per-authority report sections and Word template; per-report covering report

Revision ID: 0014_committee_pack
Revises: 0013_owner_replies
Create Date: 2026-11-30 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_committee_pack'
down_revision = '0013_owner_replies'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('covering_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=True),
    sa.Column('word_template', sa.LargeBinary(), nullable=True),
    sa.Column('word_template_name', sa.String(length=255), nullable=True),
    sa.Column('word_template_uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('word_template_uploaded_by', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], name=op.f('fk_covering_settings_authority_id_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_covering_settings')),
    sa.UniqueConstraint('authority_id', name=op.f('uq_covering_settings_authority_id'))
    )
    op.create_table('covering_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('contact_officer', sa.String(length=200), nullable=True),
    sa.Column('extension', sa.String(length=40), nullable=True),
    sa.Column('texts', sa.JSON(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['committee_report.id'], name=op.f('fk_covering_report_report_id_committee_report')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_covering_report')),
    sa.UniqueConstraint('report_id', name=op.f('uq_covering_report_report_id'))
    )


def downgrade():
    op.drop_table('covering_report')
    op.drop_table('covering_settings')
