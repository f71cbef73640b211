"""Changes to an opinion ballot while it is still a draft, beside actions.create: its
question and deadline, its description and the files sent with it. Each is one transaction
with its audit entry; once the ballot is sent, what the members received stays as it was."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from meetings.archive.audit import Actor, record
from meetings.db import utcnow
from meetings.documents.validation import Checked
from meetings.errors import Refusal
from meetings.i18n import _
from meetings.storage.blobs import BlobStore
from meetings.voting.actions import checked_question, conflict
from meetings.voting.models import Poll, PollAttachment, PollMode, PollState

DESCRIPTION_MAX = 5000


def _drafted(poll: Poll) -> None:
    if poll.mode != PollMode.ballot or poll.state != PollState.draft:
        raise conflict(_("A ballot changes only while it is a draft."))


def restate(db: Session, poll: Poll, *, actor: Actor, question: str, deadline: datetime) -> bool:
    """Change a drafted ballot's question or deadline; True if anything changed. The chair
    approved what they read: a change withdraws the approval, and the chair approves again."""
    _drafted(poll)
    question = checked_question(question)
    if deadline <= utcnow():
        raise Refusal(_("The deadline has passed: set a later one."), "deadline")
    if question == poll.question and deadline == poll.deadline:
        return False
    withdrawn = poll.approved_at is not None
    poll.question, poll.deadline = question, deadline
    poll.approved_at, poll.approved_by = None, None
    db.add(poll)
    record(
        db,
        actor,
        "poll.restated",
        ("poll", poll.id),
        question=question,
        deadline=deadline.isoformat(),
        approval_withdrawn=withdrawn,
    )
    db.commit()
    return True


def check_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise Refusal(
            _("Keep the description under %(max)s characters.", max=DESCRIPTION_MAX),
            "description",
        )
    return description


def describe(db: Session, poll: Poll, *, actor: Actor, description: str) -> Poll:
    """Set the text sent with a drafted ballot (what is asked, and why)."""
    _drafted(poll)
    poll.description = check_description(description)
    db.add(poll)
    record(db, actor, "poll.described", ("poll", poll.id), length=len(poll.description))
    db.commit()
    return poll


def attach(
    db: Session, poll: Poll, files: list[Checked], *, actor: Actor, store: BlobStore
) -> list[PollAttachment]:
    """Keep checked files with a drafted ballot; each is stored once, by its content."""
    _drafted(poll)
    added = []
    for file in files:
        attachment = PollAttachment(
            poll_id=poll.id or 0,
            blob=store.store(file.received),
            size=file.received.size,
            media_type=file.inspected.media_type,
            filename=file.inspected.display_name,
            uploaded_by=actor.user_id,
        )
        db.add(attachment)
        db.flush()
        record(
            db,
            actor,
            "poll.file_attached",
            ("poll", poll.id),
            attachment=attachment.id,
            sha256=attachment.blob,
            size=attachment.size,
        )
        added.append(attachment)
    db.commit()
    return added


def detach(db: Session, poll: Poll, attachment: PollAttachment, *, actor: Actor) -> None:
    """Take a file off a drafted ballot (nobody has received it yet; the audit log keeps its
    hash, and the stored content stays)."""
    _drafted(poll)
    if attachment.poll_id != poll.id:
        raise Refusal(_("That file is not attached to this ballot."), status=404)
    record(
        db,
        actor,
        "poll.file_detached",
        ("poll", poll.id),
        attachment=attachment.id,
        sha256=attachment.blob,
    )
    db.delete(attachment)
    db.commit()
