"""ballots: answers drafted by assistants, files sent with a ballot; running counts of a named
live vote

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import meetings.db
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("poll") as batch_op:
        batch_op.add_column(
            sa.Column("show_running", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "answerdraft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("drafted_by", sa.Integer(), nullable=False),
        sa.Column("choices", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("updated_at", meetings.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["drafted_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "member_id"),
    )
    op.create_index(op.f("ix_answerdraft_poll_id"), "answerdraft", ["poll_id"])
    op.create_table(
        "pollattachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("blob", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=220), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", meetings.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_pollattachment_poll_id"), "pollattachment", ["poll_id"])


def downgrade() -> None:
    with op.batch_alter_table("poll") as batch_op:
        batch_op.drop_column("show_running")
    op.drop_index(op.f("ix_pollattachment_poll_id"), table_name="pollattachment")
    op.drop_table("pollattachment")
    op.drop_index(op.f("ix_answerdraft_poll_id"), table_name="answerdraft")
    op.drop_table("answerdraft")
