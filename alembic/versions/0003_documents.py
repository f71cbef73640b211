"""documents, versions, read receipts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import meetings.db
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("classification", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("original_download", sa.Boolean(), nullable=False),
        sa.Column("published_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("publish_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agendaitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "documentversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("blob", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("file_kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=220), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("has_text", sa.Boolean(), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number"),
    )
    with op.batch_alter_table("documentversion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documentversion_blob"), ["blob"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_documentversion_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "readreceipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_read_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["documentversion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version_id", "user_id"),
    )
    with op.batch_alter_table("readreceipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_readreceipt_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_readreceipt_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("readreceipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readreceipt_version_id"))
        batch_op.drop_index(batch_op.f("ix_readreceipt_user_id"))

    op.drop_table("readreceipt")
    with op.batch_alter_table("documentversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documentversion_document_id"))
        batch_op.drop_index(batch_op.f("ix_documentversion_blob"))

    op.drop_table("documentversion")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_document_meeting_id"))

    op.drop_table("document")
