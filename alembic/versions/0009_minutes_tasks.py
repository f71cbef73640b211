"""minutes and tasks: meeting records (minutes, conclusion notices, addenda) with sections,
revisions and comments; follow-up tasks with updates and files; retention per organisation

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import meetings.db
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meetingrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("circulated_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["meetingrecord.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
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
    with op.batch_alter_table("meetingrecord", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetingrecord_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meetingrecord_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meetingrecord_state"), ["state"], unique=False)

    op.create_table(
        "recordsection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("conclusion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agendaitem.id"],
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["meetingrecord.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("record_id", "item_id"),
    )
    with op.batch_alter_table("recordsection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recordsection_record_id"), ["record_id"], unique=False)

    op.create_table(
        "recordcomment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["meetingrecord.id"],
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["recordsection.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recordcomment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recordcomment_record_id"), ["record_id"], unique=False)

    op.create_table(
        "sectionrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("conclusion", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("saved_by", sa.Integer(), nullable=True),
        sa.Column("saved_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_by"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["recordsection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("section_id", "version"),
    )
    with op.batch_alter_table("sectionrevision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sectionrevision_section_id"), ["section_id"], unique=False
        )

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", meetings.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_before", sa.Boolean(), nullable=False),
        sa.Column("reminded_overdue", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
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
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["recordsection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_assignee_id"), ["assignee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_task_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_task_state"), ["state"], unique=False)

    op.create_table(
        "taskupdate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=True),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("taskupdate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taskupdate_task_id"), ["task_id"], unique=False)

    op.create_table(
        "taskattachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=True),
        sa.Column("blob", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=220), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["taskupdate.id"],
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("taskattachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_taskattachment_task_id"), ["task_id"], unique=False)

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retention_years", sa.Integer(), server_default="20", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("retention_years")

    with op.batch_alter_table("taskattachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taskattachment_task_id"))

    op.drop_table("taskattachment")
    with op.batch_alter_table("taskupdate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taskupdate_task_id"))

    op.drop_table("taskupdate")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_state"))
        batch_op.drop_index(batch_op.f("ix_task_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_task_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_task_due"))
        batch_op.drop_index(batch_op.f("ix_task_body_id"))
        batch_op.drop_index(batch_op.f("ix_task_assignee_id"))

    op.drop_table("task")
    with op.batch_alter_table("sectionrevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sectionrevision_section_id"))

    op.drop_table("sectionrevision")
    with op.batch_alter_table("recordcomment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordcomment_record_id"))

    op.drop_table("recordcomment")
    with op.batch_alter_table("recordsection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recordsection_record_id"))

    op.drop_table("recordsection")
    with op.batch_alter_table("meetingrecord", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetingrecord_state"))
        batch_op.drop_index(batch_op.f("ix_meetingrecord_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_meetingrecord_meeting_id"))

    op.drop_table("meetingrecord")
