"""search: the index of everything searchable, with the engine's full-text structure beside it
(an FTS5 table kept in step by triggers on SQLite; on PostgreSQL a tsvector column filled by a
trigger, with a GIN index).

The text is folded by the application (meetings.search.terms), so PostgreSQL needs no unaccent
extension. After upgrading a database that has data, fill the index: `meetings search reindex`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from sqlalchemy.dialects import postgresql

import meetings.db
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    "CREATE VIRTUAL TABLE searchentry_fts USING fts5(title_terms, body_terms, tags, "
    "content='searchentry', content_rowid='id', prefix='2 3')",
    "CREATE TRIGGER searchentry_fts_insert AFTER INSERT ON searchentry BEGIN "
    "INSERT INTO searchentry_fts(rowid, title_terms, body_terms, tags) "
    "VALUES (new.id, new.title_terms, new.body_terms, new.tags); END",
    "CREATE TRIGGER searchentry_fts_delete AFTER DELETE ON searchentry BEGIN "
    "INSERT INTO searchentry_fts(searchentry_fts, rowid, title_terms, body_terms, tags) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms, old.tags); END",
    "CREATE TRIGGER searchentry_fts_update AFTER UPDATE ON searchentry BEGIN "
    "INSERT INTO searchentry_fts(searchentry_fts, rowid, title_terms, body_terms, tags) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms, old.tags); "
    "INSERT INTO searchentry_fts(rowid, title_terms, body_terms, tags) "
    "VALUES (new.id, new.title_terms, new.body_terms, new.tags); END",
)
POSTGRESQL = (
    "CREATE FUNCTION searchentry_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.vector := setweight(to_tsvector('simple', NEW.title_terms), 'A') || "
    "to_tsvector('simple', NEW.body_terms); RETURN NEW; END $$",
    "CREATE TRIGGER searchentry_vector BEFORE INSERT OR UPDATE ON searchentry "
    "FOR EACH ROW EXECUTE FUNCTION searchentry_vector()",
    "CREATE INDEX searchentry_vector ON searchentry USING gin (vector)",
)


def upgrade() -> None:
    op.create_table(
        "searchentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("classification", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("at", meetings.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title_terms", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body_terms", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column(
            "vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", "kind"),
    )
    with op.batch_alter_table("searchentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_searchentry_body_id"), ["body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_searchentry_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_searchentry_org_at", ["organisation_id", "at"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in (
        SQLITE if dialect == "sqlite" else POSTGRESQL if dialect == "postgresql" else ()
    ):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE searchentry_fts")
    op.drop_table("searchentry")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION searchentry_vector()")
