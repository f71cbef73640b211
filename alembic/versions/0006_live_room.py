"""live room: floor requests, opinions, presence, speaking time per meeting

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import meetings.db
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "livepresence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("socket", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("view", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("connected_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("socket"),
    )
    with op.batch_alter_table("livepresence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_livepresence_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            "ix_livepresence_meeting_user", ["meeting_id", "user_id"], unique=False
        )

    op.create_table(
        "floorrequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("requested_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("allotted_seconds", sa.Integer(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["granted_by"],
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
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("floorrequest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_floorrequest_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agendaitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opinion_meeting_id"), ["meeting_id"], unique=False)

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("speaking_seconds", sa.Integer(), server_default="180", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("speaking_seconds")

    with op.batch_alter_table("opinion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opinion_meeting_id"))

    op.drop_table("opinion")
    with op.batch_alter_table("floorrequest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_floorrequest_meeting_id"))

    op.drop_table("floorrequest")
    with op.batch_alter_table("livepresence", schema=None) as batch_op:
        batch_op.drop_index("ix_livepresence_meeting_user")
        batch_op.drop_index(batch_op.f("ix_livepresence_meeting_id"))

    op.drop_table("livepresence")
