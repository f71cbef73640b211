"""Every table of every area, gathered for Alembic and for tests that build the schema."""

from sqlmodel import SQLModel

from meetings.accounts import models as accounts_models
from meetings.archive import models as archive_models
from meetings.organisations import models as organisations_models

AREAS = (accounts_models, archive_models, organisations_models)
metadata = SQLModel.metadata
