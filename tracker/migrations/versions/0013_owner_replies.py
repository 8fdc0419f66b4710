"""Owners' replies: update requests sent before a meeting, the replies a manager reviews, every message sent

Revision ID: 0013_owner_replies
Revises: 0012_status_words
Create Date: 2026-12-01 10:00:00

New tables only: nothing existing changes (user.owner_id is in the initial schema).
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_owner_replies'
down_revision = '0012_status_words'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('update_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_name', sa.String(length=200), nullable=True),
    sa.Column('first_reply_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_update_request_owner_id_owner')),
    sa.ForeignKeyConstraint(['report_id'], ['committee_report.id'],
                            name=op.f('fk_update_request_report_id_committee_report')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['user.id'], name=op.f('fk_update_request_sent_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_request')),
    sa.UniqueConstraint('report_id', 'owner_id', name=op.f('uq_update_request_report_id'))
    )
    with op.batch_alter_table('update_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_request_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_update_request_report_id'), ['report_id'], unique=False)

    op.create_table('update_request_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('asked_text', sa.Text(), nullable=False),
    sa.Column('asked_status', sa.String(length=20), nullable=False),
    sa.Column('asked_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_update_request_item_measure_id_measure')),
    sa.ForeignKeyConstraint(['request_id'], ['update_request.id'],
                            name=op.f('fk_update_request_item_request_id_update_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_update_request_item')),
    sa.UniqueConstraint('request_id', 'measure_id', name=op.f('uq_update_request_item_request_id'))
    )
    with op.batch_alter_table('update_request_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_request_item_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_update_request_item_request_id'), ['request_id'], unique=False)

    op.create_table('owner_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('no_change', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('based_on_text', sa.Text(), nullable=False),
    sa.Column('based_on_version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_name', sa.String(length=200), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_owner_reply_measure_id_measure')),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_owner_reply_owner_id_owner')),
    sa.ForeignKeyConstraint(['request_id'], ['update_request.id'],
                            name=op.f('fk_owner_reply_request_id_update_request')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_owner_reply_submitted_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_owner_reply'))
    )
    with op.batch_alter_table('owner_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_owner_reply_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_owner_reply_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_owner_reply_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_owner_reply_state'), ['state'], unique=False)

    op.create_table('sent_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('to_addresses', sa.Text(), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('action_refs', sa.JSON(), nullable=False),
    sa.Column('delivered_by', sa.String(length=10), nullable=False),
    sa.Column('outbox_file', sa.String(length=300), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['owner.id'], name=op.f('fk_sent_message_owner_id_owner')),
    sa.ForeignKeyConstraint(['report_id'], ['committee_report.id'],
                            name=op.f('fk_sent_message_report_id_committee_report')),
    sa.ForeignKeyConstraint(['request_id'], ['update_request.id'],
                            name=op.f('fk_sent_message_request_id_update_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_message'))
    )
    with op.batch_alter_table('sent_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sent_message_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_message_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_message_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_message_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_message_sent_on'), ['sent_on'], unique=False)


def downgrade():
    op.drop_table('sent_message')
    op.drop_table('owner_reply')
    op.drop_table('update_request_item')
    op.drop_table('update_request')
