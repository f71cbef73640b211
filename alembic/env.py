"""Alembic environment: the URL comes from the app's configuration unless one is given."""

from alembic import context
from meetings import config as app_config
from meetings.db import make_engine
from meetings.schema import metadata
from meetings.search.models import outside_the_models

url = context.config.attributes.get("url") or app_config.load().database_url


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _described(name: str | None, _type: str, _parents: object) -> bool:
    """Autogenerate leaves alone what the models do not describe: the search index's FTS5
    tables and GIN index, made by migration 0010."""
    return not outside_the_models(name)


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            include_name=_described,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
