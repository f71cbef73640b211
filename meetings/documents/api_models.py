"""What the documents API answers and accepts: its request and response models.

The class names are the schema names in the OpenAPI document.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from meetings.agenda.api_models import Input
from meetings.documents.models import Classification, DocumentKind

# -- what the API answers ------------------------------------------------------------


class DocumentVersionInfo(BaseModel):
    """One uploaded version of a document."""

    number: int
    filename: str
    size: int = Field(description="Bytes")
    media_type: str
    file_kind: str
    sha256: str
    pages: int | None
    has_text: bool | None = Field(description="The PDF carries text (not only scanned images)")
    uploaded_by: int | None
    uploaded_at: datetime
    published_at: datetime | None
    file_url: str = Field(description="GET it (HTTP Range supported); ?download=1 to save it")
    api_file_url: str = Field(description="The same file under /api/v1 (Bearer token)")


class DocumentInfo(BaseModel):
    """A document of a meeting with the versions the caller may read, oldest first."""

    id: int
    meeting_id: int
    item_id: int | None
    title: str
    kind: str
    agency: str
    classification: str
    state: str = Field(description="draft, published or withdrawn")
    original_download: bool = Field(description="Participants may save the original file")
    published_at: datetime | None
    publish_at: datetime | None = Field(description="A draft's set time of publication")
    withdrawn_at: datetime | None
    created_at: datetime
    readers: list[int] | None = Field(
        description="Only these participants (and the chair) may read it; shown to the "
        "secretariat only, null when unrestricted or not shown"
    )
    file_url: str = Field(description="The latest version's file")
    api_file_url: str = Field(description="The same file under /api/v1 (Bearer token)")
    versions: list[DocumentVersionInfo]


class ReadReceiptInfo(BaseModel):
    """The first time a person opened a version."""

    version: int
    user_id: int
    name: str
    first_read_at: datetime


# -- what the API accepts --------------------------------------------------------------


class UploadFields(BaseModel):
    """The fields sent with a new document's file (multipart/form-data, all optional)."""

    # Form fields arrive as text: item_id "12" is read as a number.
    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="", max_length=300, description="Defaults to the file's name")
    kind: DocumentKind = DocumentKind.other
    classification: Classification = Classification.internal
    agency: str = Field(default="", max_length=200, description="The agency that drafted it")
    item_id: int | None = Field(default=None, description="An agenda item of the meeting")


class VersionFields(BaseModel):
    """A new version carries only its file."""

    model_config = ConfigDict(extra="forbid")


class PublicationTime(Input):
    """When a draft is published by itself; null cancels the set time."""

    publish_at: AwareDatetime | None = Field(
        description="In the future, with an offset, e.g. 2026-12-03T08:00:00+07:00"
    )


class ReaderList(Input):
    """The only participants who may read the document; an empty list lifts the restriction."""

    user_ids: list[int] = Field(max_length=1000)
