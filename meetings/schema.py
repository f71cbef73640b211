"""Every table of every area, gathered for Alembic and for tests that build the schema."""

from sqlmodel import SQLModel

from meetings.accounts import models as accounts_models
from meetings.agenda import models as agenda_models
from meetings.archive import models as archive_models
from meetings.attendance import models as attendance_models
from meetings.documents import models as documents_models
from meetings.live import models as live_models
from meetings.minutes import models as minutes_models
from meetings.notifications import models as notifications_models
from meetings.organisations import models as organisations_models
from meetings.search import models as search_models
from meetings.tasks import models as tasks_models
from meetings.voting import models as voting_models

AREAS = (
    accounts_models,
    agenda_models,
    archive_models,
    attendance_models,
    documents_models,
    live_models,
    minutes_models,
    notifications_models,
    organisations_models,
    search_models,
    tasks_models,
    voting_models,
)
metadata = SQLModel.metadata
