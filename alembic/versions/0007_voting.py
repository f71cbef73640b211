"""voting: polls, options, eligible voters, delegations, named votes, secret turnout and ballots;
the body's voting rules

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import meetings.db
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("min_choices", sa.Integer(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("majority_base", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("majority_numerator", sa.Integer(), nullable=False),
        sa.Column("majority_denominator", sa.Integer(), nullable=False),
        sa.Column("majority_strict", sa.Boolean(), nullable=False),
        sa.Column("abstentions_count", sa.Boolean(), nullable=False),
        sa.Column("quorum_numerator", sa.Integer(), nullable=True),
        sa.Column("quorum_denominator", sa.Integer(), nullable=True),
        sa.Column("chair_breaks_ties", sa.Boolean(), nullable=False),
        sa.Column("allow_change", sa.Boolean(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("deadline", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("opened_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
        ),
        sa.ForeignKeyConstraint(
            ["chair_id"],
            ["user.id"],
        ),
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
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_poll_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_poll_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_poll_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_poll_state"), ["state"], unique=False)

    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegate_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "principal_id"),
    )
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delegation_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "eligible",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("in_place_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["in_place_of"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "user_id"),
    )
    with op.batch_alter_table("eligible", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_eligible_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "polloption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("meaning", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("comment_required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("polloption", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_polloption_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "secretballot",
        sa.Column("receipt", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("choices", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.PrimaryKeyConstraint("receipt"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("secretballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_secretballot_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "turnout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("cast_by", sa.Integer(), nullable=False),
        sa.Column("at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cast_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "voter_id"),
    )
    with op.batch_alter_table("turnout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_turnout_poll_id"), ["poll_id"], unique=False)

    op.create_table(
        "vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.Integer(), nullable=False),
        sa.Column("cast_by", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("choices", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("cast_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cast_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["poll.id"],
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "voter_id"),
    )
    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_poll_id"), ["poll_id"], unique=False)

    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "majority",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="cast_half",
            )
        )
        batch_op.add_column(
            sa.Column("chair_breaks_ties", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("remote_may_vote", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("delegation_allowed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("body", schema=None) as batch_op:
        batch_op.drop_column("delegation_allowed")
        batch_op.drop_column("remote_may_vote")
        batch_op.drop_column("chair_breaks_ties")
        batch_op.drop_column("majority")

    with op.batch_alter_table("vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_poll_id"))

    op.drop_table("vote")
    with op.batch_alter_table("turnout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_turnout_poll_id"))

    op.drop_table("turnout")
    with op.batch_alter_table("secretballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_secretballot_poll_id"))

    op.drop_table("secretballot")
    with op.batch_alter_table("polloption", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_polloption_poll_id"))

    op.drop_table("polloption")
    with op.batch_alter_table("eligible", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_eligible_poll_id"))

    op.drop_table("eligible")
    with op.batch_alter_table("delegation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegation_poll_id"))

    op.drop_table("delegation")
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_poll_state"))
        batch_op.drop_index(batch_op.f("ix_poll_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_poll_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_poll_body_id"))

    op.drop_table("poll")
